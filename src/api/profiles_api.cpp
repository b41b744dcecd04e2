#include "profiles_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "content_json.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "patch_ops.hpp"
#include "profile_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/attribute_store.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/profile_name.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::api {
namespace {

/// `true/1/t/yes/on` (any case) is true (conventions.md §3.1 booleans).
bool flag(const http::Request& req, std::string_view name) {
  auto v = req.query_param(name);
  if (!v) return false;
  const auto s = to_lower(*v);
  return s == "true" || s == "1" || s == "t" || s == "yes" || s == "on";
}


}  // namespace

void ProfilesApi::add_routes(RouteTable& t) {
  t.add("/api/v1/profiles", HostScope::site, Method::get, this, &ProfilesApi::list);
  t.add("/api/v1/profiles", HostScope::site, Method::post, this, &ProfilesApi::create);
  t.add("/api/v1/profiles/{profileId:id}", HostScope::root_and_site, Method::get, this, &ProfilesApi::one);
  t.add("/api/v1/whoami", HostScope::root_and_site, Method::get, this, &ProfilesApi::whoami);
  t.add("/api/v1/profiles/{profileId:id}", HostScope::root_and_site, Method::put, this, &ProfilesApi::replace);
  t.add("/api/v1/profiles/{profileId:id}", HostScope::root_and_site, Method::patch, this, &ProfilesApi::patch);
  t.add("/api/v1/profiles/{profileId:id}", HostScope::root_and_site, Method::del, this, &ProfilesApi::remove);
  t.add("/api/v1/profiles/options", HostScope::site, Method::get, this, &ProfilesApi::get_options);
  t.add("/api/v1/profiles/options", HostScope::site, Method::put, this, &ProfilesApi::put_options);
  t.add("/api/v1/profiles/{profileId:id}/ban", HostScope::site, Method::put, this, &ProfilesApi::ban);
  t.add("/api/v1/profiles/{profileId:id}/ban", HostScope::site, Method::del, this, &ProfilesApi::unban);
}

store::Profile ProfilesApi::load(const Context& ctx, const http::Request& req) {
  const auto id = std::stoll(std::string(*req.params.get("profileId")));
  auto p = profiles_.get(ctx.site->id, ProfileId{id});
  if (!p) throw Error(ErrorKind::not_found, "Profile " + std::to_string(id) + " not found");
  return *p;
}

http::Response ProfilesApi::list(Context& ctx, const http::Request& req) {
  auto paging = parse_paging(req);
  store::ProfileStore::ListQuery q;
  if (auto text = req.query_param("q")) {
    std::string s(*text);
    while (!s.empty() && (s.front() == '+' || s.front() == '@')) s.erase(0, 1);
    q.prefix = std::string(utf8_prefix(s, 50));
  }
  q.top = flag(req, "top");
  q.online = flag(req, "online");
  q.viewer = ctx.caller;
  q.following = flag(req, "following");  // a guest follows nobody: profile 0 has no watchers
  q.limit = paging.limit;
  q.offset = paging.offset;
  auto page = profiles_.list(ctx.site->id, q);
  check_offset(page.total, paging);
  nlohmann::json items = nlohmann::json::array();
  for (auto& p : profiles_.get_many(ctx.site->id, page.ids)) items.push_back(profile_summary(p));
  nlohmann::json data = {
      {"profiles", collection(page.total, paging, std::move(items), "/api/v1/profiles", req)},
      {"meta",
       {{"links", {{{"rel", "self"}, {"href", "/api/v1/profiles"}}}},
        {"permissions", perm::for_profile(*ctx.site, ctx.perm_caller(), ProfileId{}).to_json()}}},
  };
  return http::Response::ok(std::move(data));
}

nlohmann::json ProfilesApi::profile_comment(const Context& ctx, const store::Profile& profile) {
  const auto newest = comments_.newest(ctx.site->id, profile.id, {});
  auto c = newest.valid() ? comments_.get(ctx.site->id, newest) : std::nullopt;
  if (!c) return nullptr;
  // A reply to a visible comment on the same profile names it (§2.2).
  auto target = c->in_reply_to.valid() ? comments_.get(ctx.site->id, c->in_reply_to) : std::nullopt;
  if (target && (!target->visible() || target->item != c->item)) target.reset();
  const auto found = profiles_.get_many(ctx.site->id,
                                        std::vector<ProfileId>{c->author, c->revised_by, target ? target->author : ProfileId{}});
  const ProfileSummaries people(found);
  std::optional<ReplyTarget> reply;
  if (target) {
    auto author = std::find_if(found.begin(), found.end(), [&](const store::Profile& p) { return p.id == target->author; });
    reply = ReplyTarget{target->id, target->author, author == found.end() ? "" : author->name};
  }
  const bool unread =
      !ctx.is_guest() &&
      c->created_micros > reader_.last_read(ctx.site->id, ctx.caller, {profile.id});
  const CommentParent parent{"profile", "/api/v1/profiles/" + std::to_string(profile.id.value()), profile.name};
  JsonWriter w;
  write_comment_summary(w, *c, parent, people.of(c->author), people.of(c->revised_by), reply, unread);
  return nlohmann::json::parse(w.str());
}

http::Response ProfilesApi::one(Context& ctx, const http::Request& req) {
  auto p = load(ctx, req);
  const bool own = ctx.caller == p.id;
  if (ctx.host_kind == HostKind::root && !own) {
    throw Error(ErrorKind::forbidden, "You do not have permission to do that");
  }
  const auto caller = ctx.perm_caller();
  const bool site_owner = perm::is_site_owner(*ctx.site, caller);
  FullProfileExtras extras;
  if (own || site_owner) {
    if (auto user = users_.get(p.user_id)) extras.email = user->email;
    extras.member = store::is_site_member(attributes_, ctx.site->id, p.id);
  }
  extras.site_owner = perm::is_site_owner(*ctx.site, p.id);
  extras.own_view = own;
  if (own) extras.unread_huddles = huddles_.unread_count(ctx.site->id, ctx.caller);
  auto j = full_profile(p, extras);
  j["profileComment"] = profile_comment(ctx, p);
  if (!ctx.is_guest() && !own) {
    // Whether the caller ignores or follows (watches) this profile, in one round trip (ID §6.2).
    const auto view = reader_.item_view(ctx.site->id, ctx.caller, p.id, MicrocosmId{});
    if (view.watch) {
      j["meta"]["flags"]["watched"] = true;
      j["meta"]["flags"]["sendEmail"] = view.watch->send_email;
      j["meta"]["flags"]["sendSMS"] = view.watch->send_sms;
    }
    if (view.item_ignored) j["meta"]["flags"]["ignored"] = true;
  }
  j["meta"]["permissions"] = perm::for_profile(*ctx.site, caller, p.id).to_json();
  return http::Response::ok(std::move(j));
}

http::Response ProfilesApi::create(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to create a profile");
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  for (const char* field : {"siteId", "userId", "id", "itemCount", "commentCount", "created", "lastActive"}) {
    if (body.has(field)) throw Error(ErrorKind::bad_request, std::string(field) + " cannot be supplied");
  }
  // Signing in made the caller's profile on this site already (identity.md §6.4 Decision).
  throw Error(ErrorKind::bad_request, "Profile already exists: edit it with PUT /api/v1/profiles/" +
                                          std::to_string(ctx.caller.value()));
}

http::Response ProfilesApi::whoami(Context& ctx, const http::Request&) {
  if (ctx.is_guest()) throw Error(ErrorKind::forbidden, "You must be authenticated to ask 'who am I?'");
  auto user = users_.get(ctx.user);
  FullProfileExtras extras;
  extras.email = user ? user->email : "";
  extras.member = store::is_site_member(attributes_, ctx.site->id, ctx.profile->id);
  extras.site_owner = perm::is_site_owner(*ctx.site, ctx.perm_caller());
  extras.own_view = true;
  extras.unread_huddles = huddles_.unread_count(ctx.site->id, ctx.caller);
  auto j = full_profile(*ctx.profile, extras);
  j["profileComment"] = profile_comment(ctx, *ctx.profile);
  j["meta"]["permissions"] = perm::for_profile(*ctx.site, ctx.perm_caller(), ctx.profile->id).to_json();
  return http::Response::ok(std::move(j));
}

http::Response ProfilesApi::patch(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  auto p = load(ctx, req);
  auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  std::optional<bool> member;
  for (const auto& op : parse_flag_patch(body)) {
    if (op.path != "/member") throw Error(ErrorKind::bad_request, "Only the path /member can be patched on a profile");
    member = op.value;
  }
  // Membership feeds members-only roles: only the site owner grants it (identity.md §6.6 Decision).
  if (!perm::is_site_owner(*ctx.site, ctx.perm_caller()) || ctx.ban) {
    throw Error(ErrorKind::forbidden, "Only the site owner can change membership");
  }
  store::set_site_member(attributes_, ctx.site->id, p.id, *member);
  audit_.record(ctx.site->id, p.id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response ProfilesApi::replace(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  auto p = load(ctx, req);
  if (!perm::for_profile(*ctx.site, ctx.perm_caller(), p.id).update) {
    throw Error(ErrorKind::forbidden, "You do not have permission to do that");
  }
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  // Only these fields are read; ids, counters and times in the body are ignored.
  // The name's length rule applies to the cleaned name (clean_profile_name).
  const auto raw_name = body.optional_string("profileName", any_length);
  const auto name = raw_name ? store::clean_profile_name(*raw_name) : p.name;
  const auto visible = body.optional_bool("visible").value_or(p.visible);
  const auto style = body.optional_int("styleId").value_or(p.style_id);
  profiles_.update(ctx.site->id, p.id, name, visible, style);
  audit_.record(ctx.site->id, p.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, "/api/v1/profiles/" + std::to_string(p.id.value()));
}

store::Profile ProfilesApi::load_for_site_owner(const Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  if (!perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    throw Error(ErrorKind::forbidden, "Only the site owner can ban or unban");
  }
  return load(ctx, req);
}

http::Response ProfilesApi::ban(Context& ctx, const http::Request& req) {
  auto target = load_for_site_owner(ctx, req);
  if (perm::is_site_owner(*ctx.site, target.id)) {
    throw Error(ErrorKind::bad_request, "The site owner cannot be banned");
  }
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  std::int64_t expires = 0;
  if (auto f = body.optional_string("expires", any_length)) {
    auto parsed = parse_rfc3339_micros(*f);
    if (!parsed) throw Error(ErrorKind::bad_request, "expires must be an RFC 3339 timestamp or null");
    expires = *parsed;
  }
  constexpr auto reason_limit = max_bytes(1000);
  const auto display_reason = body.optional_string("displayReason", reason_limit).value_or("");
  const auto admin_reason = body.optional_string("adminReason", reason_limit).value_or("");
  bans_.ban(ctx.site->id, target.user_id, ctx.caller, display_reason, admin_reason, expires);
  return http::Response::ok(nullptr);
}

http::Response ProfilesApi::unban(Context& ctx, const http::Request& req) {
  auto target = load_for_site_owner(ctx, req);
  bans_.lift(ctx.site->id, target.user_id);
  return http::Response::ok(nullptr);
}

namespace {

nlohmann::json options_json(ProfileId id, const store::ProfileOptions& o) {
  return {{"profileId", id.value()}, {"showDOB", o.show_dob},   {"showDOBYear", o.show_dob_year},
          {"sendEmail", o.send_email}, {"sendSMS", o.send_sms}, {"isDiscouraged", o.is_discouraged}};
}

}  // namespace

http::Response ProfilesApi::get_options(Context& ctx, const http::Request&) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to see your options");
  auto o = profiles_.options(ctx.site->id, ctx.caller);
  if (!o) throw Error(ErrorKind::not_found, "No options are stored for your profile");
  return http::Response::ok(options_json(ctx.caller, *o));
}

http::Response ProfilesApi::put_options(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to change your options");
  auto o = profiles_.options(ctx.site->id, ctx.caller);
  if (!o) throw Error(ErrorKind::not_found, "No options are stored for your profile");
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  auto set = [&](std::string_view name, bool& target) {
    target = body.optional_bool(name).value_or(target);  // missing fields keep their stored values
  };
  set("showDOB", o->show_dob);
  set("showDOBYear", o->show_dob_year);
  set("sendEmail", o->send_email);
  set("sendSMS", o->send_sms);
  // A moderation flag: only the site owner sets it.
  if (perm::is_site_owner(*ctx.site, ctx.perm_caller())) set("isDiscouraged", o->is_discouraged);
  profiles_.set_options(ctx.site->id, ctx.caller, *o);
  audit_.record(ctx.site->id, ctx.caller, ctx.caller, store::AuditAction::update,
                req.client_ip);
  return http::Response::redirect(302, "/api/v1/profiles/options");
}

http::Response ProfilesApi::remove(Context& ctx, const http::Request&) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  throw Error(ErrorKind::not_implemented, "Profiles cannot be deleted: they keep their content attributed");
}

}  // namespace agora::api
