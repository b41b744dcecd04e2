// Attendees of an event (content-events-polls-huddles.md §E.7).
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/text/clean.hpp"
#include "event_json.hpp"
#include "events_api.hpp"
#include "profile_json.hpp"

namespace agora::api {
namespace {

constexpr const char* no_permission = "You do not have permission to do that";
constexpr int no_permission_code = 10;

EventId event_id_of(const http::Request& req) { return EventId{std::stoll(std::string(*req.params.get("eventId")))}; }
ProfileId profile_id_of(const http::Request& req) {
  return ProfileId{std::stoll(std::string(*req.params.get("profileId")))};
}

/// One `{"profileId", "rsvp"}` entry; `rsvp` is kept as sent (validated in step 7).
struct Entry {
  ProfileId profile;
  std::string rsvp;
};

Entry entry_of(const Body& b) {
  auto id = b.optional_int("profileId");
  if (!id || *id <= 0) throw Error(ErrorKind::bad_request, "profileId: must be a positive integer");  // step 6
  return {ProfileId{*id}, b.optional_string("rsvp", max_chars(16)).value_or("")};
}

std::map<ProfileId, nlohmann::json> summaries_of(store::ProfileStore& profiles, SiteId site,
                                                 const std::vector<ProfileId>& ids) {
  std::map<ProfileId, nlohmann::json> out;
  for (const auto& p : profiles.get_many(site, ids)) out[p.id] = profile_summary(p);
  return out;
}

nlohmann::json of(const std::map<ProfileId, nlohmann::json>& m, ProfileId id) {
  auto it = m.find(id);
  return it == m.end() ? nlohmann::json() : it->second;
}

}  // namespace

http::Response EventsApi::attendees(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  const auto p = rights(ctx, at, at.event.created_by);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  const auto paging = parse_paging(req);
  const bool only_yes = req.query_param("status") == std::optional<std::string_view>("attending");
  const auto page = s_.events.attendees(ctx.site->id, at.event.id, only_yes, paging.limit, paging.offset);
  check_offset(page.total, paging);
  std::vector<ProfileId> people;
  for (const auto& a : page.items) {
    people.push_back(a.profile);
    people.push_back(a.created_by);
    people.push_back(a.edited_by);
  }
  const auto summaries = summaries_of(s_.profiles, ctx.site->id, people);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& a : page.items) {
    items.push_back(attendee_json(a, of(summaries, a.profile), of(summaries, a.created_by), of(summaries, a.edited_by)));
  }
  const auto self = "/api/v1/events/" + std::to_string(at.event.id.value()) + "/attendees";
  nlohmann::json data;
  data["attendees"] = collection(page.total, paging, std::move(items), self, req);
  data["meta"] = {{"links", nlohmann::json::array({{{"rel", "self"}, {"href", self}}})},
                  {"permissions", p.to_json()}};
  return http::Response::ok(std::move(data));
}

namespace {

/// Steps 4–7 of §E.7 for `entries` answered by `caller`.
std::vector<store::EventStore::Answer> checked(const std::vector<Entry>& entries, ProfileId caller, bool organiser,
                                               store::ProfileStore& profiles, SiteId site) {
  for (const auto& e : entries) {
    if (organiser) {  // 4a
      if (e.rsvp == "yes" && e.profile != caller) {
        throw Error(ErrorKind::forbidden, "Only the attendee can answer yes for themselves");
      }
    } else if (e.profile != caller) {  // 4b
      throw Error(ErrorKind::forbidden, "You can only answer for yourself");
    }
  }
  std::vector<ProfileId> ids;
  for (const auto& e : entries) ids.push_back(e.profile);
  const auto found = profiles.get_many(site, ids);
  for (const auto& e : entries) {  // 5
    if (std::none_of(found.begin(), found.end(), [&](const store::Profile& p) { return p.id == e.profile; })) {
      throw Error(ErrorKind::not_found, "profileId: profile " + std::to_string(e.profile.value()) + " not found");
    }
  }
  std::vector<store::EventStore::Answer> out;
  for (const auto& e : entries) {  // 7
    auto state = e.rsvp.empty() ? std::optional<store::Rsvp>(store::Rsvp::invited) : store::rsvp_from_name(e.rsvp);
    if (!state) throw Error(ErrorKind::bad_request, "rsvp: must be one of yes, maybe, invited, no");
    out.push_back({e.profile, *state});
  }
  return out;
}

std::string edit_reason_of(const nlohmann::json& element) {
  if (!element.is_object()) return "";
  for (auto it = element.begin(); it != element.end(); ++it) {
    if (it.key() == "meta" && it->is_object()) {
      auto r = it->find("editReason");
      if (r != it->end() && r->is_string()) {
        const auto cleaned = text::clean_sentence(r->get<std::string>(), true);
        return std::string(utf8_prefix(cleaned, 150));
      }
    }
  }
  return "";
}

}  // namespace

http::Response EventsApi::answer_all(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));  // 0
  const auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The post data is invalid: expected an array of attendees");
  if (body.empty()) throw Error(ErrorKind::bad_request, "The post data is invalid: no attendees given");
  const auto p = rights(ctx, at, at.event.created_by);
  if (ctx.is_guest() || !p.create) throw Error(ErrorKind::forbidden, no_permission, no_permission_code);  // 3
  std::vector<Entry> entries;
  std::string reason;
  for (const auto& element : body) {
    entries.push_back(entry_of(Body(element)));
    if (auto r = edit_reason_of(element); !r.empty()) reason = r;
  }
  const bool organiser = ctx.caller == at.event.created_by || p.moderator || p.site_owner;
  const auto answers = checked(entries, ctx.caller, organiser, s_.profiles, ctx.site->id);
  s_.events.answer(ctx.site->id, at.event.id, answers, ctx.caller, reason);  // 8 and the write
  for (std::size_t i = 0; i < answers.size(); ++i) {
    s_.audit.record(ctx.site->id, at.event.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  }
  return http::Response::ok(nullptr);
}

http::Response EventsApi::attendee(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  const auto a = s_.events.attendee(ctx.site->id, at.event.id, profile_id_of(req));
  if (!a) throw Error(ErrorKind::not_found, "Attendee not found");
  // The attendee and the inviter count as owners.
  auto p = rights(ctx, at, a->profile);
  if (!p.read && !ctx.is_guest() && ctx.caller == a->created_by) p = rights(ctx, at, a->created_by);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  const auto summaries = summaries_of(s_.profiles, ctx.site->id, {a->profile, a->created_by, a->edited_by});
  auto data = attendee_json(*a, of(summaries, a->profile), of(summaries, a->created_by), of(summaries, a->edited_by));
  data["meta"]["permissions"] = p.to_json();
  return http::Response::ok(std::move(data));
}

http::Response EventsApi::answer_one(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  const auto pid = profile_id_of(req);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto p = rights(ctx, at, at.event.created_by);
  if (ctx.is_guest() || !p.update) throw Error(ErrorKind::forbidden, no_permission);
  // Decision: the path's profile is authoritative; a different one in the body is refused.
  if (auto id = body.optional_int("profileId"); id && *id != pid.value()) {
    throw Error(ErrorKind::bad_request, "profileId: the profile in the body is not the profile in the URL");
  }
  const Entry entry{pid, body.optional_string("rsvp", max_chars(16)).value_or("")};
  std::string reason;
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto r = meta->lenient<std::string>("editReason")) {
      const auto cleaned = text::clean_sentence(*r, true);
      reason = std::string(utf8_prefix(cleaned, 150));
    }
  }
  const bool organiser = ctx.caller == at.event.created_by || p.moderator || p.site_owner;
  const auto answers = checked({entry}, ctx.caller, organiser, s_.profiles, ctx.site->id);
  s_.events.answer(ctx.site->id, at.event.id, answers, ctx.caller, reason);
  s_.audit.record(ctx.site->id, at.event.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(
      302, "/api/v1/events/" + std::to_string(at.event.id.value()) + "/attendees/" + std::to_string(pid.value()));
}

http::Response EventsApi::remove_attendee(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  // Site owner, moderators and the role delete bit; not the attendee (they answer "no").
  // Permission first, so that only those who may delete learn whether there was a row.
  if (ctx.is_guest() || !rights(ctx, at, ProfileId{}).del) throw Error(ErrorKind::forbidden, no_permission);
  if (s_.events.remove_attendee(ctx.site->id, at.event.id, profile_id_of(req))) {
    s_.audit.record(ctx.site->id, at.event.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  }
  return http::Response::ok(nullptr);
}

http::Response EventsApi::attendees_csv(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  const auto p = rights(ctx, at, at.event.created_by);
  const bool organiser = !ctx.is_guest() && (ctx.caller == at.event.created_by || p.moderator || p.site_owner);
  if (!p.read || !organiser) throw Error(ErrorKind::forbidden, no_permission);
  std::string csv = "name,id,email,date\r\n";
  for (const auto& c : s_.events.contacts(ctx.site->id, at.event.id)) {
    csv += csv_field(c.name) + "," + std::to_string(c.profile.value()) + "," + csv_field(c.email) + "," +
           csv_field(format_rfc3339_micros(c.state_micros)) + "\r\n";
  }
  auto r = http::Response::raw(200, std::move(csv), "text/csv");
  r.headers.emplace_back("content-disposition",
                         "attachment; filename=event" + std::to_string(at.event.id.value()) + ".csv");
  r.headers.emplace_back("cache-control", "no-cache, max-age=0");
  r.headers.emplace_back("vary", "Authorization");
  return r;
}

}  // namespace agora::api
