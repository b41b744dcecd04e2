#pragma once
// Events and their attendees (content-events-polls-huddles.md §E). Every call is scoped by
// SiteId. Cache key: v2:event:{id}. Writes (fields, flags, RSVPs) keep the microcosm's and the
// author's item_count and the attendance counters exact in the same transaction, then flush
// the event, its microcosm and its author; comments and view hits flush it from their own stores. `whentz` (the real instant) is computed by PostgreSQL from the stored wall time
// and tz_name, so the zone rules are the server's IANA database and no process-wide TZ state
// is touched.

#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/event.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::store {

/// What a create or PUT writes (already validated and cleaned).
struct EventFields {
  MicrocosmId microcosm;
  std::string title;
  std::optional<std::int64_t> when_micros;
  std::string tz;
  std::int64_t duration = 0;
  std::string where;  // "" = NULL
  double lat = 0, lon = 0, north = 0, east = 0, south = 0, west = 0;
  std::int64_t rsvp_limit = 0;
};

struct EventFlags {
  std::optional<bool> sticky, open, deleted, moderated;
};

/// RSVP states; the id is also the listing order.
enum class Rsvp : int { yes = 1, maybe = 2, invited = 3, no = 4 };
const char* rsvp_name(Rsvp r);
std::optional<Rsvp> rsvp_from_name(const std::string& name);

struct Attendee {
  EventId event;
  ProfileId profile;
  Rsvp state = Rsvp::invited;
  std::int64_t state_micros = 0;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  std::int64_t edited_micros = 0;
  ProfileId edited_by;
  std::string edit_reason;
};

/// One row of the attendees CSV: a `yes` attendee with the account's email.
struct AttendeeContact {
  ProfileId profile;
  std::string name;
  std::string email;
  std::int64_t state_micros = 0;
};

class EventStore {
 public:
  EventStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config, MicrocosmStore& microcosms,
             ProfileStore& profiles)
      : pool_(pool), cache_(cache), config_(config), microcosms_(microcosms), profiles_(profiles) {}
  static void register_statements(db::Statements& statements);

  std::optional<Event> get(SiteId site, EventId id);
  /// In the order asked; missing ones skipped. One multi-get, one query for the misses.
  std::vector<Event> get_many(SiteId site, const std::vector<EventId>& ids);

  /// True when `name` is a zone of the IANA database PostgreSQL carries (pg_timezone_names;
  /// abbreviations and POSIX-style strings are not zone names).
  bool valid_zone(const std::string& name);

  struct Page {
    std::int64_t total = 0;
    std::vector<EventId> ids;
  };
  /// Visible events in `microcosms`, not in `ignored`; only those `attendee` said yes to when
  /// given. Sticky first, then last_modified desc.
  Page list(SiteId site, const std::vector<MicrocosmId>& microcosms, const std::vector<EventId>& ignored,
            std::optional<ProfileId> attendee, int limit, int offset);
  /// Which of `events` `profile` has said yes to.
  std::set<EventId> attending(SiteId site, ProfileId profile, const std::vector<EventId>& events);

  struct Created {
    EventId id;
    bool duplicate = false;
  };
  Created create(SiteId site, const EventFields& f, ProfileId by);
  void update(SiteId site, const Event& e, const EventFields& f, ProfileId by, const std::string& reason);
  void set_flags(SiteId site, const Event& e, const EventFlags& flags, ProfileId by,
                 const std::string& reason);

  // Attendees
  struct AttendeePage {
    std::int64_t total = 0;
    std::vector<Attendee> items;
  };
  AttendeePage attendees(SiteId site, EventId event, bool only_yes, int limit, int offset);
  std::optional<Attendee> attendee(SiteId site, EventId event, ProfileId profile);
  struct Answer {
    ProfileId profile;
    Rsvp state;
  };
  /// Writes the answers in one transaction holding the event row's lock, counting places one
  /// by one: a `yes` from someone not already `yes` when no place is left is
  /// Error{bad_request} "event is full" and nothing is written. Counters are recomputed.
  void answer(SiteId site, EventId event, const std::vector<Answer>& answers, ProfileId by,
              const std::string& reason);
  /// False when there was no row.
  bool remove_attendee(SiteId site, EventId event, ProfileId profile);
  std::vector<AttendeeContact> contacts(SiteId site, EventId event);

  void flush(EventId id);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
  MicrocosmStore& microcosms_;
  ProfileStore& profiles_;
};

}  // namespace agora::store
