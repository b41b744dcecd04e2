#pragma once
// Huddles and their participants (content-events-polls-huddles.md §H). Every call is
// scoped by SiteId. Cache key: v2:huddle:{id}, the huddle with its participant list, never
// per user; every participant change flushes it after commit. Whether someone may see a
// huddle is decided by `is_participant`, which always asks the database. Huddles nobody
// participates in any more are deleted by the nightly job purge_abandoned_huddles.

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/huddle.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::store {

class HuddleStore {
 public:
  HuddleStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// The huddle (cached), whoever asks: callers check participation first.
  std::optional<Huddle> get(SiteId site, HuddleId id);
  std::vector<Huddle> get_many(SiteId site, const std::vector<HuddleId>& ids);
  /// True when `profile` is a current participant (a database read, never the cache).
  bool is_participant(SiteId site, HuddleId id, ProfileId profile);

  /// The profile's huddles not created by `ignored` creators: how many, and one page of
  /// them newest activity first.
  std::int64_t count_of(SiteId site, ProfileId profile, const std::vector<ProfileId>& ignored);
  std::vector<HuddleId> page_of(SiteId site, ProfileId profile, const std::vector<ProfileId>& ignored, int limit,
                                int offset);

  struct Created {
    HuddleId id;
    bool duplicate = false;  // the same author made the same title within 5 minutes: nothing written
  };
  /// The huddle with `by` and `participants` (which must be profiles of this site).
  Created create(SiteId site, const std::string& title, bool confidential, ProfileId by,
                 const std::vector<ProfileId>& participants);
  /// Adds the profiles not yet participating; the number added.
  int add_participants(SiteId site, HuddleId id, const std::vector<ProfileId>& profiles);
  /// Removes one participant; false when it was not one.
  bool remove_participant(SiteId site, HuddleId id, ProfileId profile);

  /// Which of these huddles are unread for `profile` (changed after its markers, or never read).
  std::set<HuddleId> unread_of(SiteId site, ProfileId profile, const std::vector<HuddleId>& ids);
  struct UnreadPage {
    std::int64_t total = 0;
    std::vector<HuddleId> ids;
  };
  /// The profile's huddles with a comment it has not read (not counting comments by people it
  /// ignores, nor huddles created by them), newest such comment first.
  UnreadPage unread_page(SiteId site, ProfileId profile, int limit, int offset);
  /// How many huddles `unread_page` holds: the profile's `unreadHuddles`, computed when asked.
  std::int64_t unread_count(SiteId site, ProfileId profile);

  void flush(HuddleId id);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
