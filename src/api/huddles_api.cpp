#include "huddles_api.hpp"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/text/clean.hpp"
#include "comment_threads.hpp"
#include "content_json.hpp"
#include "profile_json.hpp"

namespace agora::api {
namespace {

constexpr const char* kNoPermission = "You do not have permission to do that";
constexpr std::size_t kMaxTitle = 150;  // Decision (§H.6): the web client's limit

template <class Id>
Id id_in_path(const http::Request& req, const char* name) {
  return Id{std::stoll(std::string(*req.params.get(name)))};
}

std::string href_of(HuddleId id) { return "/api/v1/huddles/" + std::to_string(id.value()); }

[[noreturn]] void not_found(HuddleId id) {
  throw Error(ErrorKind::not_found, "Huddle " + std::to_string(id.value()) + " not found");
}

/// Guests and banned profiles may do nothing with huddles (§H.3: signed in, not banned).
void require_member(const Context& ctx) {
  if (ctx.is_guest() || ctx.ban) throw Error(ErrorKind::forbidden, kNoPermission);
}

bool is_form(const http::Request& req) {
  auto type = std::string(req.header("content-type").value_or(""));
  type = type.substr(0, type.find(';'));
  return type.empty() || type == "application/x-www-form-urlencoded";
}

std::string clean_title(const std::string& raw) {
  // A title far over the limit is refused before cleaning it.
  if (raw.size() > kMaxTitle * 8) throw Error(ErrorKind::bad_request, "The title must be at most 150 characters");
  auto t = text::clean_sentence(raw, true);
  if (text::trim_spaces(t).empty()) throw Error(ErrorKind::bad_request, "A title is required");
  if (utf8_length(t) > kMaxTitle) throw Error(ErrorKind::bad_request, "The title must be at most 150 characters");
  return t;
}

/// `[{"id": <profileId>}, ...]`, each id positive (400 naming the field); duplicates collapsed.
std::vector<ProfileId> profile_ids(const nlohmann::json& array, const char* field) {
  if (!array.is_array()) {
    throw Error(ErrorKind::bad_request, std::string("The post data is invalid: ") + field +
                                            " must be an array of objects with an id");
  }
  std::vector<ProfileId> out;
  for (const auto& element : array) {
    if (!element.is_object()) {
      throw Error(ErrorKind::bad_request, std::string("The post data is invalid: ") + field +
                                              " must be an array of objects with an id");
    }
    out.push_back(Body(element).required_id<ProfileId>("id"));
  }
  std::sort(out.begin(), out.end());
  out.erase(std::unique(out.begin(), out.end()), out.end());
  return out;
}

/// The caller's rights on a huddle they participate in (§H.3).
perm::PermissionSet rights_of(const Context& ctx, const store::Huddle& h) {
  perm::PermissionSet p;
  p.create = p.read = p.del = true;
  p.update = !h.confidential;
  p.owner = h.created_by == ctx.caller;
  p.site_owner = perm::is_site_owner(*ctx.site, ctx.perm_caller());
  return p;
}

void write_people(JsonWriter& w, const std::vector<ProfileId>& ids, const ProfileSummaries& summaries) {
  w.begin_array();
  for (auto p : ids) w.raw(summaries.of(p));
  w.end_array();
}

void write_summary(JsonWriter& w, const store::Huddle& h, const ProfileSummaries& summaries,
                   const store::LastComment* last, bool unread) {
  w.begin_object().field("id", h.id).field("title", h.title).field("totalComments", h.comment_count);
  w.key("participants");
  write_people(w, h.participants, summaries);
  if (last) {
    w.field("lastCommentId", last->id).key("lastCommentCreatedBy").raw(summaries.of(last->created_by));
    w.field("lastCommentCreated", format_rfc3339_micros(last->created_micros));
  }
  w.key("meta").begin_object();
  w.field("created", format_rfc3339_micros(h.created_micros)).key("createdBy").raw(summaries.of(h.created_by));
  w.key("flags").begin_object().field("unread", unread).end_object();
  w.key("links").begin_array().begin_object().field("rel", "self").field("href", href_of(h.id)).end_object().end_array();
  w.end_object().end_object();
}

}  // namespace

void HuddlesApi::add_routes(RouteTable& t) {
  t.add("/api/v1/huddles", HostScope::site, Method::get, this, &HuddlesApi::list);
  t.add("/api/v1/huddles", HostScope::site, Method::post, this, &HuddlesApi::create);
  const std::string one = "/api/v1/huddles/{huddleId:id}";
  t.add(one, HostScope::site, Method::get, this, &HuddlesApi::huddle);
  t.add(one, HostScope::site, Method::del, this, &HuddlesApi::leave);
  // POST is advertised on the participant routes but answered 405 (§H.2).
  const auto refuse_post = [](Context&, const http::Request&) -> http::Response {
    throw Error(ErrorKind::method_not_allowed, "POST is not allowed here: use PUT to add participants");
  };
  const auto all = one + "/participants";
  t.add(all, HostScope::site, Method::get, this, &HuddlesApi::participants);
  t.add(all, HostScope::site, Method::put, this, &HuddlesApi::invite);
  t.add(all, HostScope::site, Method::post, refuse_post);
  const auto single = all + "/{profileId:id}";
  t.add(single, HostScope::site, Method::get, this, &HuddlesApi::participant);
  t.add(single, HostScope::site, Method::put, this, &HuddlesApi::add_participant);
  t.add(single, HostScope::site, Method::del, this, &HuddlesApi::remove_participant);
  t.add(single, HostScope::site, Method::post, refuse_post);
  t.add(one + "/lastcomment", HostScope::site, Method::get, this, &HuddlesApi::last_comment);
  t.add(one + "/newcomment", HostScope::site, Method::get, this, &HuddlesApi::new_comment);
}

store::Huddle HuddlesApi::visible(const Context& ctx, const http::Request& req) {
  require_member(ctx);
  const auto id = id_in_path<HuddleId>(req, "huddleId");
  // Participation first, from the database: the cached huddle is never the judge of that.
  if (!s_.huddles.is_participant(ctx.site->id, id, ctx.caller)) not_found(id);
  auto h = s_.huddles.get(ctx.site->id, id);
  if (!h) not_found(id);
  return *h;
}

http::Response HuddlesApi::list(Context& ctx, const http::Request& req) {
  if (ctx.ban) throw Error(ErrorKind::forbidden, kNoPermission);
  const auto paging = parse_paging(req);
  std::int64_t total = 0;
  std::vector<store::Huddle> huddles;
  auto unread = std::string(req.query_param("unread").value_or(""));
  std::transform(unread.begin(), unread.end(), unread.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::vector<HuddleId> ids;
  if (ctx.is_guest()) {
    check_offset(total, paging);
  } else if (unread == "true") {
    const auto page = s_.huddles.unread_page(ctx.site->id, ctx.caller, paging.limit, paging.offset);
    total = page.total;
    check_offset(total, paging);
    ids = page.ids;
  } else {
    const auto ignored = s_.reader.ignored<ProfileId>(ctx.site->id, ctx.caller);
    total = s_.huddles.count_of(ctx.site->id, ctx.caller, ignored);
    check_offset(total, paging);
    ids = s_.huddles.page_of(ctx.site->id, ctx.caller, ignored, paging.limit, paging.offset);
  }
  huddles = s_.huddles.get_many(ctx.site->id, ids);
  // The page and the summaries are read apart: keep only what the caller is in right now.
  std::erase_if(huddles, [&](const store::Huddle& h) { return !h.has_participant(ctx.caller); });
  const auto unread_ids = s_.huddles.unread_of(ctx.site->id, ctx.caller, ids);
  const auto last = s_.comments.newest_of(ctx.site->id, ids);
  std::vector<ProfileId> people;
  for (const auto& h : huddles) {
    people.push_back(h.created_by);
    people.insert(people.end(), h.participants.begin(), h.participants.end());
  }
  for (const auto& [id, l] : last) people.push_back(l.created_by);
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, people), &fragments_.profiles);
  JsonWriter w(4 * 1024);
  w.begin_object().key("huddles");
  write_collection(w, total, paging, "/api/v1/huddles", req, [&](JsonWriter& out) {
    for (const auto& h : huddles) {
      const auto l = last.find(h.id);
      write_summary(out, h, summaries, l == last.end() ? nullptr : &l->second, unread_ids.count(h.id) > 0);
    }
  });
  w.key("meta").begin_object().key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/huddles").end_object();
  w.end_array().end_object().end_object();
  return http::Response::ok_serialized(w.take());
}

http::Response HuddlesApi::create(Context& ctx, const http::Request& req) {
  require_member(ctx);
  const Body body(req, config_.get()->http.max_json_depth);
  const bool form = is_form(req);
  const auto title = clean_title(body.required_string(form ? "Title" : "title", any_length));
  const bool confidential = body.optional_bool(form ? "IsConfidential" : "isConfidential").value_or(false);
  std::vector<ProfileId> ids;
  if (!form) {
    if (const auto* raw = body.raw("participants"); raw && !raw->is_null()) ids = profile_ids(*raw, "participants");
  }
  // Every participant must be a profile of this site, before anything is written.
  const auto found = s_.profiles.get_many(ctx.site->id, ids);
  for (auto id : ids) {
    if (std::none_of(found.begin(), found.end(), [&](const store::Profile& p) { return p.id == id; })) {
      throw Error(ErrorKind::not_found, "Profile " + std::to_string(id.value()) + " not found");
    }
  }
  const auto made = s_.huddles.create(ctx.site->id, title, confidential, ctx.caller, ids);
  if (!made.duplicate) {
    // The participants' watchers come with the huddle (HuddleStore::create); unread counts
    // are computed from the read markers when asked.
    s_.audit.record(ctx.site->id, made.id, ctx.caller, store::AuditAction::create, req.client_ip);
  }
  return http::Response::redirect(302, href_of(made.id));
}

http::Response HuddlesApi::huddle(Context& ctx, const http::Request& req) {
  const auto h = visible(ctx, req);
  const auto home = CommentThreads::home(h, true);
  const auto read_until = threads_.last_read(ctx, home);
  std::vector<ProfileId> people = h.participants;
  people.push_back(h.created_by);
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, people), &fragments_.profiles);
  JsonWriter w(4 * 1024);
  w.begin_object().field("id", h.id).field("title", h.title).field("isConfidential", h.confidential);
  w.key("participants");
  write_people(w, h.participants, summaries);
  w.key("comments");
  // Ignored authors and the caller's watcher in one round trip (no microcosm: huddle markers
  // come from last_read above).
  const auto view = s_.reader.item_view(ctx.site->id, ctx.caller, h.id, MicrocosmId{});
  const auto shown = threads_.write_page(w, ctx, req, home, read_until, view.ignored_authors);
  w.key("meta").begin_object();
  w.field("created", format_rfc3339_micros(h.created_micros)).key("createdBy").raw(summaries.of(h.created_by));
  w.key("flags").begin_object();
  write_watch_fields(w, view.watch);
  w.end_object();
  w.key("links").begin_array().begin_object().field("rel", "self").field("href", href_of(h.id)).end_object().end_array();
  w.key("permissions").value(rights_of(ctx, h).to_json()).end_object().end_object();
  threads_.mark_read(ctx, home, read_until, shown, h.last_modified_micros);
  return http::Response::ok_serialized(w.take());
}

http::Response HuddlesApi::last_comment(Context& ctx, const http::Request& req) {
  return threads_.last_comment(ctx, req, CommentThreads::home(visible(ctx, req), true));
}

http::Response HuddlesApi::new_comment(Context& ctx, const http::Request& req) {
  return threads_.new_comment(ctx, req, CommentThreads::home(visible(ctx, req), true));
}

http::Response HuddlesApi::leave(Context& ctx, const http::Request& req) {
  require_member(ctx);
  const auto id = id_in_path<HuddleId>(req, "huddleId");
  // Not there, or not one's own to leave: nothing to do (§H.8 not found → 200).
  if (s_.huddles.remove_participant(ctx.site->id, id, ctx.caller)) {
    s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  }
  return http::Response::ok(nullptr);
}

http::Response HuddlesApi::participants(Context& ctx, const http::Request& req) {
  const auto h = visible(ctx, req);
  const auto paging = parse_paging(req);
  const auto total = static_cast<std::int64_t>(h.participants.size());
  check_offset(total, paging);
  std::vector<ProfileId> page;
  for (std::int64_t i = paging.offset; i < total && i < paging.offset + paging.limit; ++i) {
    page.push_back(h.participants[static_cast<std::size_t>(i)]);
  }
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, page), &fragments_.profiles);
  JsonWriter w(2 * 1024);
  w.begin_object().key("participants");
  write_collection(w, total, paging, href_of(h.id) + "/participants", req, [&](JsonWriter& out) {
    for (auto p : page) out.begin_object().field("id", p).key("participant").raw(summaries.of(p)).end_object();
  });
  w.key("meta").begin_object().end_object().end_object();
  return http::Response::ok_serialized(w.take());
}

void HuddlesApi::invite_profiles(const Context& ctx, const http::Request& req, const store::Huddle& h,
                                 const std::vector<ProfileId>& ids) {
  // Decision (§H.9): no one joins a confidential huddle, by either PUT.
  if (h.confidential) throw Error(ErrorKind::forbidden, "No participants can be added to a confidential huddle");
  const auto found = s_.profiles.get_many(ctx.site->id, ids);
  for (auto id : ids) {
    if (std::none_of(found.begin(), found.end(), [&](const store::Profile& p) { return p.id == id; })) {
      throw Error(ErrorKind::not_found, "Profile " + std::to_string(id.value()) + " not found");
    }
  }
  if (s_.huddles.add_participants(ctx.site->id, h.id, ids) > 0) {
    // Their watchers come with them (HuddleStore::add_participants).
    s_.audit.record(ctx.site->id, h.id, ctx.caller, store::AuditAction::update, req.client_ip);
  }
}

http::Response HuddlesApi::invite(Context& ctx, const http::Request& req) {
  const auto h = visible(ctx, req);
  const auto ids = profile_ids(parse_json_body(req, config_.get()->http.max_json_depth), "the body");
  invite_profiles(ctx, req, h, ids);
  return http::Response::redirect(302, href_of(h.id));
}

http::Response HuddlesApi::participant(Context& ctx, const http::Request& req) {
  const auto h = visible(ctx, req);
  const auto p = id_in_path<ProfileId>(req, "profileId");
  // Decision (§H.9): not a participant → 404 (the original answers {"participant": null}).
  if (!h.has_participant(p)) {
    throw Error(ErrorKind::not_found, "Profile " + std::to_string(p.value()) + " is not a participant of huddle " +
                                          std::to_string(h.id.value()));
  }
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, {p}), &fragments_.profiles);
  JsonWriter w(512);
  w.begin_object().field("id", p).key("participant").raw(summaries.of(p)).end_object();
  return http::Response::ok_serialized(w.take());
}

http::Response HuddlesApi::add_participant(Context& ctx, const http::Request& req) {
  const auto h = visible(ctx, req);
  const auto p = id_in_path<ProfileId>(req, "profileId");
  invite_profiles(ctx, req, h, {p});
  return http::Response::redirect(302, href_of(h.id) + "/participants/" + std::to_string(p.value()));
}

http::Response HuddlesApi::remove_participant(Context& ctx, const http::Request& req) {
  const auto h = visible(ctx, req);
  const auto p = id_in_path<ProfileId>(req, "profileId");
  if (p != ctx.caller) throw Error(ErrorKind::bad_request, "Only a participant may remove themself from a huddle");
  if (s_.huddles.remove_participant(ctx.site->id, h.id, p)) {
    s_.audit.record(ctx.site->id, h.id, ctx.caller, store::AuditAction::remove, req.client_ip);
  }
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
