#pragma once
// An event as stored (content-events-polls-huddles.md §E.2, §E.3), and its cached form.

#include <cstdint>
#include <optional>
#include <string>

#include "agora/core/ids.hpp"

namespace agora::store {

struct Event {
  EventId id;
  SiteId site_id;
  MicrocosmId microcosm_id;
  std::string title;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  std::int64_t edited_micros = 0;
  ProfileId edited_by;
  std::string edit_reason;
  bool sticky = false, open = true, deleted = false, moderated = false;
  std::int64_t comment_count = 0, view_count = 0, last_modified_micros = 0;
  std::optional<std::int64_t> when_micros;    // wall-clock time in `tz`, as if it were UTC
  std::optional<std::int64_t> whentz_micros;  // the real instant
  std::string tz;
  std::int64_t duration = 0;
  std::string where;
  double lat = 0, lon = 0, north = 0, east = 0, south = 0, west = 0;
  std::string status;
  std::int64_t rsvp_limit = 0, rsvp_attending = 0, rsvp_spaces = 0;
};

std::string encode_event(const Event& e);
/// Throws MalformedRecord for bytes that are not an event.
Event decode_event(const std::string& bytes);

}  // namespace agora::store
