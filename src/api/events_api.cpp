#include "events_api.hpp"

#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/store/view_counter.hpp"
#include "agora/text/clean.hpp"
#include "comment_threads.hpp"
#include "content_json.hpp"
#include "event_json.hpp"
#include "item_flag_patch.hpp"
#include "microcosm_json.hpp"
#include "profile_json.hpp"
#include "readable_forums.hpp"

namespace agora::api {
namespace {

constexpr const char* no_permission = "You do not have permission to do that";
constexpr const char* default_zone = "Europe/Belfast";
constexpr std::int64_t max_int32 = std::numeric_limits<std::int32_t>::max();

EventId event_id_of(const http::Request& req) { return EventId{std::stoll(std::string(*req.params.get("eventId")))}; }

bool allows(const store::Microcosm& m, ItemType type) {
  return m.item_types.empty() ||
         std::find(m.item_types.begin(), m.item_types.end(), item_type_id(type)) != m.item_types.end();
}

std::string clean_title(const std::string& raw) {
  auto t = text::clean_sentence(raw, true);
  if (text::trim_spaces(t).empty()) throw Error(ErrorKind::bad_request, "title: a title is required");
  if (utf8_length(t) > 150) throw Error(ErrorKind::bad_request, "title: must be at most 150 characters");
  return t;
}

/// §E.2: RFC 3339 with a zone designator; the wall-clock time is kept and the offset
/// discarded. Empty or null → no time.
std::optional<std::int64_t> parse_when(const Body& body, std::optional<std::int64_t> current) {
  if (!body.has("when")) return current;
  const auto* raw = body.raw("when");
  if (raw == nullptr) return current;
  if (raw->is_null()) return current;
  if (!raw->is_string()) throw Error(ErrorKind::bad_request, "when: must be an RFC 3339 date-time string");
  const auto& text = raw->get_ref<const std::string&>();
  if (text.empty()) return std::nullopt;
  if (!parse_rfc3339_micros(text)) {
    throw Error(ErrorKind::bad_request,
                "when: must be an RFC 3339 date-time with a zone designator (Z or ±hh:mm), e.g. 2026-05-20T19:30:00Z");
  }
  std::string wall = text;
  if (wall.back() != 'Z' && wall.back() != 'z') wall = wall.substr(0, wall.size() - 6) + "Z";
  return parse_rfc3339_micros(wall);
}

/// A number field: null or absent keeps `current`; anything but a number is refused.
double number(const Body& body, const char* field, double current, double bound) {
  if (!body.has(field)) return current;
  const auto* raw = body.raw(field);
  double v = 0;
  if (raw == nullptr) {
    return current;
  } else if (raw->is_null()) {
    return current;
  } else if (raw->is_number()) {
    v = raw->get<double>();
  } else {
    throw Error(ErrorKind::bad_request, std::string(field) + ": must be a number");
  }
  if (!std::isfinite(v) || v < -bound || v > bound) {
    throw Error(ErrorKind::bad_request,
                std::string(field) + ": must be between -" + std::to_string(static_cast<int>(bound)) + " and " +
                    std::to_string(static_cast<int>(bound)));
  }
  return v;
}

/// Overlays the body on `f` (create: the defaults; PUT: the stored event), validating each field.
void read_fields(const Body& body, store::EventFields& f, store::EventStore& events) {
  if (auto t = body.optional_string("title", any_length)) f.title = clean_title(*t);
  f.when_micros = parse_when(body, f.when_micros);
  if (auto tz = body.optional_string("tz", max_chars(250))) {
    const auto zone = std::string(text::trim_spaces(*tz));
    f.tz = zone.empty() ? default_zone : zone;
    if (!events.valid_zone(f.tz)) throw Error(ErrorKind::bad_request, "tz: not a zone of the IANA time zone database");
  }
  if (auto d = body.optional_int("duration")) {
    if (*d > max_int32) throw Error(ErrorKind::bad_request, "duration: must be at most " + std::to_string(max_int32));
    f.duration = *d < 0 ? 60 : *d;
  }
  if (auto w = body.optional_string("where", any_length)) {
    auto cleaned = std::string(text::trim_spaces(text::clean_block(*w)));
    if (utf8_length(cleaned) > 150) throw Error(ErrorKind::bad_request, "where: must be at most 150 characters");
    f.where = cleaned;
  }
  f.lat = number(body, "lat", f.lat, 90);
  f.lon = number(body, "lon", f.lon, 180);
  f.north = number(body, "north", f.north, 90);
  f.south = number(body, "south", f.south, 90);
  f.east = number(body, "east", f.east, 180);
  f.west = number(body, "west", f.west, 180);
  if (auto l = body.optional_int("rsvpLimit")) {
    if (*l < 0) throw Error(ErrorKind::bad_request, "rsvpLimit: must be 0 (unlimited) or more");
    if (*l > max_int32) throw Error(ErrorKind::bad_request, "rsvpLimit: must be at most " + std::to_string(max_int32));
    f.rsvp_limit = *l;
  }
}

store::EventFields fields_of(const store::Event& e) {
  store::EventFields f;
  f.microcosm = e.microcosm_id;
  f.title = e.title;
  f.when_micros = e.when_micros;
  f.tz = e.tz;
  f.duration = e.duration;
  f.where = e.where;
  f.lat = e.lat;
  f.lon = e.lon;
  f.north = e.north;
  f.east = e.east;
  f.south = e.south;
  f.west = e.west;
  f.rsvp_limit = e.rsvp_limit;
  return f;
}

}  // namespace

void EventsApi::add_routes(RouteTable& t) {
  t.add("/api/v1/events", HostScope::site, Method::get, this, &EventsApi::list);
  t.add("/api/v1/events", HostScope::site, Method::post, this, &EventsApi::create);
  const std::string one = "/api/v1/events/{eventId:id}";
  t.add(one, HostScope::site, Method::get, this, &EventsApi::detail);
  t.add(one, HostScope::site, Method::put, this, &EventsApi::replace);
  t.add(one, HostScope::site, Method::patch, this, &EventsApi::patch);
  t.add(one, HostScope::site, Method::del, this, &EventsApi::remove);
  t.add(one + "/attendees", HostScope::site, Method::get, this, &EventsApi::attendees);
  t.add(one + "/attendees", HostScope::site, Method::put, this, &EventsApi::answer_all);
  const std::string attendee = one + "/attendees/{profileId:id}";
  t.add(attendee, HostScope::site, Method::get, this, &EventsApi::attendee);
  t.add(attendee, HostScope::site, Method::put, this, &EventsApi::answer_one);
  t.add(attendee, HostScope::site, Method::del, this, &EventsApi::remove_attendee);
  t.add(one + "/attendeescsv", HostScope::site, Method::get, this, &EventsApi::attendees_csv);
  t.add(one + "/lastcomment", HostScope::site, Method::get, this, &EventsApi::last_comment);
  t.add(one + "/newcomment", HostScope::site, Method::get, this, &EventsApi::new_comment);
}

EventsApi::Located EventsApi::locate(const Context& ctx, EventId id, bool itself_hidden_ok) {
  auto e = id.valid() ? s_.events.get(ctx.site->id, id) : std::nullopt;
  auto m = e ? s_.microcosms.get(ctx.site->id, e->microcosm_id) : std::nullopt;
  auto path = m ? s_.microcosms.get_many(ctx.site->id, m->path) : std::vector<store::Microcosm>{};
  const bool itself_hidden = e && (e->deleted || e->moderated);
  if (!e || (itself_hidden && !itself_hidden_ok) || !m || store::MicrocosmStore::hidden_on(*m, path)) {
    throw Error(ErrorKind::not_found, "Event " + std::to_string(id.value()) + " not found");
  }
  return {*e, *m, std::move(path)};
}

perm::PermissionSet EventsApi::rights(const Context& ctx, const Located& at, ProfileId owner) {
  return engine_.item(*ctx.site, ctx.perm_caller(), at.microcosm, owner);
}

http::Response EventsApi::list(Context& ctx, const http::Request& req) {
  auto paging = parse_paging(req);
  bool only_attending = false;
  if (auto v = req.query_param("isAttending")) {
    static const std::vector<std::string> yes{"1", "t", "T", "TRUE", "true", "True"};
    static const std::vector<std::string> no{"0", "f", "F", "FALSE", "false", "False"};
    if (std::find(yes.begin(), yes.end(), *v) != yes.end()) {
      only_attending = true;
    } else if (std::find(no.begin(), no.end(), *v) == no.end()) {
      throw Error(ErrorKind::bad_request, "isAttending: must be a boolean (true or false)");
    }
  }
  const auto caller = ctx.perm_caller();
  const auto [all, readable] = readable_forums(ctx, s_.microcosms, s_.reader, engine_);
  const auto ignored_events =
      ctx.is_guest() ? std::vector<EventId>{} : s_.reader.ignored<EventId>(ctx.site->id, ctx.caller);
  std::optional<ProfileId> attendee;
  if (only_attending) attendee = ctx.caller;  // a guest attends nothing: profile 0 matches no row
  const auto page = s_.events.list(ctx.site->id, readable, ignored_events, attendee, paging.limit, paging.offset);
  check_offset(page.total, paging);
  const auto events = s_.events.get_many(ctx.site->id, page.ids);
  const auto attending = s_.events.attending(ctx.site->id, ctx.caller, page.ids);
  const auto last = s_.comments.newest_of(ctx.site->id, page.ids);
  std::vector<ProfileId> people;
  for (const auto& e : events) people.push_back(e.created_by);
  for (const auto& [id, l] : last) people.push_back(l.created_by);
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, people), &fragments_.profiles);
  std::map<MicrocosmId, const store::Microcosm*> by_id;
  for (const auto& m : all) by_id[m.id] = &m;
  auto root = s_.microcosms.root_of(ctx.site->id);
  auto permissions = engine_.query(*ctx.site, caller, root.value_or(MicrocosmId{}), ItemType::event, 0);
  JsonWriter w(16 * 1024);
  w.begin_object().key("events");
  write_collection(w, page.total, paging, "/api/v1/events", req, [&](JsonWriter& out) {
    for (const auto& e : events) {
      std::vector<store::Microcosm> path;
      if (auto it = by_id.find(e.microcosm_id); it != by_id.end()) {
        for (auto id : it->second->path) {
          if (auto a = by_id.find(id); a != by_id.end()) path.push_back(*a->second);
        }
      }
      EventSummaryParts parts(summaries.of(e.created_by));
      if (auto l = last.find(e.id); l != last.end()) {
        parts.last = l->second;
        parts.last_author_json = summaries.of(l->second.created_by);
      }
      // §E.5: `attending` for signed-in callers.
      if (!ctx.is_guest()) parts.attending = attending.count(e.id) > 0;
      write_event_summary(out, e, path, parts);
    }
  });
  w.key("meta").begin_object().key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/events").end_object();
  w.end_array().key("permissions").value(permissions.to_json()).end_object().end_object();
  return http::Response::ok_serialized(w.take());
}

http::Response EventsApi::detail(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  const auto p = rights(ctx, at, at.event.created_by);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  const auto& e = at.event;
  s_.views.hit(ctx.site->id, e.id);
  // The reader's marker, ignored authors and ignore flag in one round trip, as conversations.
  store::ReaderStateStore::ItemView view;
  bool attending = false;  // §E.4 Decision: always present, false for guests
  if (!ctx.is_guest()) {
    view = s_.reader.item_view(ctx.site->id, ctx.caller, e.id, at.microcosm.id);
    attending = !s_.events.attending(ctx.site->id, ctx.caller, {e.id}).empty();
  }
  const auto home = CommentThreads::home(e, at.microcosm);
  JsonWriter w(32 * 1024);
  write_event_head(w, e, at.path);
  w.key("comments");
  std::optional<ProfileSummaries> people;
  const auto shown = threads_.write_page(w, ctx, req, home, view.last_read, view.ignored_authors,
                                         {e.created_by, e.edited_by}, &people);
  const auto& summaries = *people;
  w.key("meta").begin_object();
  write_authorship(w, authorship_of(e), summaries);
  w.key("flags");
  write_event_flags(w, e, attending, std::nullopt, view.item_ignored, view.watch);
  w.key("links");
  write_event_links(w, e, at.microcosm.title);
  w.key("permissions").value(p.to_json()).end_object().end_object();
  threads_.mark_read(ctx, home, view.last_read, shown, e.last_modified_micros);
  return http::Response::ok_serialized(w.take());
}

http::Response EventsApi::last_comment(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  return threads_.last_comment(ctx, req, CommentThreads::home(at.event, at.microcosm));
}

http::Response EventsApi::new_comment(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  return threads_.new_comment(ctx, req, CommentThreads::home(at.event, at.microcosm));
}

http::Response EventsApi::create(Context& ctx, const http::Request& req) {
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto mid = body.required_id<MicrocosmId>("microcosmId");
  store::EventFields f;
  f.tz = default_zone;
  f.title = clean_title(body.optional_string("title", any_length).value_or(""));
  read_fields(body, f, s_.events);
  auto m = s_.microcosms.get(ctx.site->id, mid);
  if (!m || s_.microcosms.hidden(ctx.site->id, *m)) {
    throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(mid.value()) + " not found");
  }
  if (!allows(*m, ItemType::event)) throw Error(ErrorKind::bad_request, "microcosmId: events are not allowed in this microcosm");
  f.microcosm = m->id;
  // Decision (§E.6): the body is validated before the permission is checked.
  if (ctx.is_guest() || !engine_.item(*ctx.site, ctx.perm_caller(), *m, ProfileId{}).create) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  auto made = s_.events.create(ctx.site->id, f, ctx.caller);
  if (!made.duplicate) s_.audit.record(ctx.site->id, made.id, ctx.caller, store::AuditAction::create, req.client_ip);
  return http::Response::redirect(302, "/api/v1/events/" + std::to_string(made.id.value()));
}

http::Response EventsApi::replace(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req));
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  if (ctx.is_guest() || !rights(ctx, at, at.event.created_by).update) throw Error(ErrorKind::forbidden, no_permission);
  if (auto id = body.lenient<std::int64_t>("id"); id && *id != 0 && *id != at.event.id.value()) {
    throw Error(ErrorKind::bad_request, "id: the id in the body is not the id in the URL");
  }
  std::string reason;
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto r = meta->lenient<std::string>("editReason")) reason = text::clean_sentence(*r, true);
  }
  if (text::trim_spaces(reason).empty()) throw Error(ErrorKind::bad_request, "meta.editReason: an edit reason is required");
  if (utf8_length(reason) > 150) throw Error(ErrorKind::bad_request, "meta.editReason: must be at most 150 characters");
  auto f = fields_of(at.event);
  read_fields(body, f, s_.events);
  if (auto to = body.optional_id<MicrocosmId>("microcosmId"); to && *to != f.microcosm) {
    auto m = s_.microcosms.get(ctx.site->id, *to);
    if (!m || s_.microcosms.hidden(ctx.site->id, *m)) throw Error(ErrorKind::bad_request, "microcosmId: must be a microcosm of this site");
    if (!allows(*m, ItemType::event)) throw Error(ErrorKind::bad_request, "microcosmId: events are not allowed in that microcosm");
    if (!engine_.item(*ctx.site, ctx.perm_caller(), *m, ProfileId{}).create) throw Error(ErrorKind::forbidden, no_permission);
    f.microcosm = *to;
  }
  s_.events.update(ctx.site->id, at.event, f, ctx.caller, reason);
  s_.audit.record(ctx.site->id, at.event.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, "/api/v1/events/" + std::to_string(at.event.id.value()));
}

http::Response EventsApi::patch(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, event_id_of(req), true);
  const auto ops = parse_flag_ops(parse_json_body(req, config_.get()->http.max_json_depth));
  const auto p = rights(ctx, at, at.event.created_by);
  if (!p.update || ctx.is_guest()) throw Error(ErrorKind::forbidden, no_permission);
  const auto& e = at.event;
  ItemFlags f{e.sticky, e.open, e.deleted, e.moderated};
  const auto reason = apply_flag_ops(ops, p, FlagSet::all, false, f);
  s_.events.set_flags(ctx.site->id, e,
                      {changed(e.sticky, f.sticky), changed(e.open, f.open), changed(e.deleted, f.deleted),
                       changed(e.moderated, f.moderated)},
                      ctx.caller, std::string(utf8_prefix(reason, 150)));
  s_.audit.record(ctx.site->id, e.id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response EventsApi::remove(Context& ctx, const http::Request& req) {
  const auto id = event_id_of(req);
  auto e = s_.events.get(ctx.site->id, id);
  // As conversations: a missing event is 404; permission before the already-deleted 200.
  if (!e) throw Error(ErrorKind::not_found, "Event " + std::to_string(id.value()) + " not found");
  auto m = s_.microcosms.get(ctx.site->id, e->microcosm_id);
  if (!m || ctx.is_guest() || !engine_.item(*ctx.site, ctx.perm_caller(), *m, e->created_by).del) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  if (e->deleted) return http::Response::ok(nullptr);
  s_.events.set_flags(ctx.site->id, *e, {std::nullopt, std::nullopt, true, std::nullopt}, ctx.caller,
                      "Set delete to true");
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
