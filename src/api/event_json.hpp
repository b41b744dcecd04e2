#pragma once
// Event and attendee JSON (content-events-polls-huddles.md §E.3, §E.4, §E.7).

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agora/store/comment.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/microcosm.hpp"
#include "agora/store/reader_state_store.hpp"

namespace agora {
class JsonWriter;
}

namespace agora::api {

/// Opens the event's object and writes the fields a summary and a detail share, `id` to
/// `rsvpSpaces` (§E.3); the caller adds the rest and closes it.
void write_event_head(JsonWriter& w, const store::Event& e, const std::vector<store::Microcosm>& path);

/// `meta.flags`: `attending` and `unread` when given, `ignored` when true, the watch fields
/// when the caller watches the event.
void write_event_flags(JsonWriter& w, const store::Event& e, std::optional<bool> attending, std::optional<bool> unread,
                       bool ignored, const std::optional<store::ReaderStateStore::WatchFlags>& watch = std::nullopt);

/// `meta.links`: self and the microcosm (with its title).
void write_event_links(JsonWriter& w, const store::Event& e, std::string_view microcosm_title);

/// What an EventSummary shows beside the event itself; profiles are summaries already written.
struct EventSummaryParts {
  explicit EventSummaryParts(std::string_view author) : author_json(author) {}
  std::string_view author_json;
  std::optional<store::LastComment> last;
  std::string_view last_author_json = "null";
  std::optional<bool> attending, unread;
};

/// An EventSummary (§E.3); `path` ends with the event's microcosm.
void write_event_summary(JsonWriter& w, const store::Event& e, const std::vector<store::Microcosm>& path,
                         const EventSummaryParts& parts);

/// An Attendee; profiles are summaries already built (null when unknown).
nlohmann::json attendee_json(const store::Attendee& a, const nlohmann::json& profile, const nlohmann::json& creator,
                             const nlohmann::json& editor);

/// One CSV field per RFC 4180, neutralised against spreadsheet formulas: a field starting
/// with =, +, - or @ gets a ' in front; fields are always quoted, quotes doubled.
std::string csv_field(const std::string& value);

}  // namespace agora::api
