#include "event_json.hpp"

#include "agora/core/time_format.hpp"
#include "microcosm_json.hpp"

namespace agora::api {

nlohmann::json event_summary(const store::Event& e, const std::vector<store::Microcosm>& path,
                             const std::string& microcosm_title, const nlohmann::json& author,
                             std::optional<bool> attending) {
  nlohmann::json j;
  j["id"] = e.id.value();
  j["title"] = e.title;
  j["microcosmId"] = e.microcosm_id.value();
  j["breadcrumb"] = path_breadcrumb(path);
  if (e.when_micros) j["when"] = format_rfc3339_micros(*e.when_micros);
  j["tz"] = e.tz;
  if (e.when_micros && e.whentz_micros) j["whentz"] = format_rfc3339_micros(*e.whentz_micros);
  if (e.duration != 0) j["duration"] = e.duration;
  if (!e.where.empty()) j["where"] = e.where;
  const std::pair<const char*, double> places[] = {{"lat", e.lat},     {"lon", e.lon},     {"north", e.north},
                                                   {"east", e.east},   {"south", e.south}, {"west", e.west}};
  for (const auto& [name, v] : places) {
    if (v != 0) j[name] = v;
  }
  j["status"] = e.status;
  j["rsvpLimit"] = e.rsvp_limit;
  if (e.rsvp_attending != 0) j["rsvpAttend"] = e.rsvp_attending;
  if (e.rsvp_spaces != 0) j["rsvpSpaces"] = e.rsvp_spaces;
  j["totalComments"] = e.comment_count;
  j["totalViews"] = e.view_count;
  nlohmann::json flags = {{"sticky", e.sticky},
                          {"open", e.open},
                          {"deleted", e.deleted},
                          {"moderated", e.moderated},
                          {"visible", !(e.deleted || e.moderated)}};
  if (attending) flags["attending"] = *attending;
  const auto self = "/api/v1/events/" + std::to_string(e.id.value());
  j["meta"] = {{"created", format_rfc3339_micros(e.created_micros)},
               {"createdBy", author},
               {"flags", flags},
               {"links", nlohmann::json::array(
                             {{{"rel", "self"}, {"href", self}},
                              {{"rel", "microcosm"},
                               {"href", "/api/v1/microcosms/" + std::to_string(e.microcosm_id.value())},
                               {"title", microcosm_title}}})}};
  return j;
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
