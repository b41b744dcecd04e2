#include "event_json.hpp"

#include "agora/core/json_writer.hpp"
#include "content_json.hpp"
#include "agora/core/time_format.hpp"
#include "microcosm_json.hpp"

namespace agora::api {

void write_event_head(JsonWriter& w, const store::Event& e, const std::vector<store::Microcosm>& path) {
  w.begin_object().field("id", e.id).field("title", e.title).field("microcosmId", e.microcosm_id.value());
  w.key("breadcrumb").value(path_breadcrumb(path));
  if (e.when_micros) w.field("when", format_rfc3339_micros(*e.when_micros));
  w.field("tz", e.tz);
  if (e.when_micros && e.whentz_micros) w.field("whentz", format_rfc3339_micros(*e.whentz_micros));
  if (e.duration != 0) w.field("duration", e.duration);
  if (!e.where.empty()) w.field("where", e.where);
  const std::pair<const char*, double> places[] = {{"lat", e.lat},     {"lon", e.lon},     {"north", e.north},
                                                   {"east", e.east},   {"south", e.south}, {"west", e.west}};
  for (const auto& [name, v] : places) {
    if (v != 0) w.field(name, v);
  }
  w.field("status", e.status).field("rsvpLimit", e.rsvp_limit);
  if (e.rsvp_attending != 0) w.field("rsvpAttend", e.rsvp_attending);
  if (e.rsvp_spaces != 0) w.field("rsvpSpaces", e.rsvp_spaces);
}

void write_event_flags(JsonWriter& w, const store::Event& e, std::optional<bool> attending, std::optional<bool> unread,
                       bool ignored, const std::optional<store::ReaderStateStore::WatchFlags>& watch) {
  w.begin_object().field("sticky", e.sticky).field("open", e.open).field("deleted", e.deleted);
  w.field("moderated", e.moderated).field("visible", !(e.deleted || e.moderated));
  write_watch_fields(w, watch);
  if (attending) w.field("attending", *attending);
  if (unread) w.field("unread", *unread);
  if (ignored) w.field("ignored", true);
  w.end_object();
}

void write_event_links(JsonWriter& w, const store::Event& e, std::string_view microcosm_title) {
  w.begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/events/" + std::to_string(e.id.value())).end_object();
  w.begin_object()
      .field("rel", "microcosm")
      .field("href", "/api/v1/microcosms/" + std::to_string(e.microcosm_id.value()))
      .field("title", microcosm_title)
      .end_object();
  w.end_array();
}

void write_event_summary(JsonWriter& w, const store::Event& e, const std::vector<store::Microcosm>& path,
                         const EventSummaryParts& parts) {
  write_event_head(w, e, path);
  w.field("totalComments", e.comment_count).field("totalViews", e.view_count);
  if (parts.last) {
    w.key("lastComment").begin_object().field("id", parts.last->id);
    w.field("created", format_rfc3339_micros(parts.last->created_micros));
    w.key("createdBy").raw(parts.last_author_json).end_object();
  }
  w.key("meta").begin_object();
  w.field("created", format_rfc3339_micros(e.created_micros)).key("createdBy").raw(parts.author_json);
  w.key("flags");
  write_event_flags(w, e, parts.attending, parts.unread, false);
  w.key("links");
  write_event_links(w, e, path.empty() ? std::string_view() : std::string_view(path.back().title));
  w.end_object().end_object();
}

nlohmann::json attendee_json(const store::Attendee& a, const nlohmann::json& profile, const nlohmann::json& creator,
                             const nlohmann::json& editor) {
  const auto event = "/api/v1/events/" + std::to_string(a.event.value());
  const auto pid = std::to_string(a.profile.value());
  nlohmann::json j;
  if (a.profile.valid()) j["profileId"] = a.profile.value();
  j["profile"] = profile;
  j["rsvp"] = store::rsvp_name(a.state);
  if (a.state_micros) j["rsvpdOn"] = format_rfc3339_micros(a.state_micros);
  nlohmann::json meta = {{"created", format_rfc3339_micros(a.created_micros)}, {"createdBy", creator}};
  if (a.edited_micros) {
    meta["edited"] = format_rfc3339_micros(a.edited_micros);
    meta["editedBy"] = editor;
    meta["editReason"] = a.edit_reason;
  }
  meta["links"] = nlohmann::json::array({{{"rel", "self"}, {"href", event + "/attendees/" + pid}},
                                         {{"rel", "profile"}, {"href", "/api/v1/profiles/" + pid}},
                                         {{"rel", "event"}, {"href", event}}});
  j["meta"] = std::move(meta);
  return j;
}

std::string csv_field(const std::string& value) {
  std::string out = "\"";
  if (!value.empty() && (value[0] == '=' || value[0] == '+' || value[0] == '-' || value[0] == '@')) out += '\'';
  for (char c : value) {
    if (c == '"') out += '"';
    out += c;
  }
  out += '"';
  return out;
}

}  // namespace agora::api
