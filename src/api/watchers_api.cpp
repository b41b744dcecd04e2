#include "watchers_api.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/watcher_store.hpp"
#include "comment_threads.hpp"
#include "profile_json.hpp"

namespace agora::api {
namespace {

constexpr int kUpdateTypes = 9;

void require_login(const Context& ctx) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
}

ItemType watchable_type(std::string_view name) {
  const auto type = item_type_from_name(name);
  if (!type) throw Error(ErrorKind::bad_request, "itemType: must name an item type");
  switch (*type) {
    case ItemType::site:
    case ItemType::microcosm:
    case ItemType::conversation:
    case ItemType::event:
    case ItemType::poll:
    case ItemType::huddle:
    case ItemType::profile:
      return *type;
    default:
      throw Error(ErrorKind::bad_request, "itemType: " + std::string(name) + " cannot be watched");
  }
}

/// `itemType` and `itemId` of a body (itemId ≥ 0: profile 0 is the People page).
ItemRef target_of(const Body& body) {
  const auto type = watchable_type(body.optional_string("itemType", max_chars(50)).value_or(""));
  const auto id = body.optional_int("itemId").value_or(-1);
  if (id < 0) throw Error(ErrorKind::bad_request, "itemId: must be an id (0 only for the profile People page)");
  return {type, id};
}

/// The same from the query string (DELETE /watchers/delete).
ItemRef target_of(const http::Request& req) {
  const auto type = watchable_type(req.query_param("itemType").value_or(""));
  const auto raw = req.query_param("itemId").value_or("");
  std::int64_t id = -1;
  const auto [end, ec] = std::from_chars(raw.data(), raw.data() + raw.size(), id);
  if (ec != std::errc() || end != raw.data() + raw.size() || id < 0) {
    throw Error(ErrorKind::bad_request, "itemId: must be an id (0 only for the profile People page)");
  }
  return {type, id};
}

WatcherId watcher_id_of(const http::Request& req) {
  return WatcherId{std::stoll(std::string(*req.params.get("watcherId")))};
}

int update_type_of(const http::Request& req) {
  const auto id = std::stoll(std::string(*req.params.get("updateTypeId")));
  if (id < 1 || id > kUpdateTypes) throw Error(ErrorKind::not_found, "Update type " + std::to_string(id) + " not found");
  return static_cast<int>(id);
}

nlohmann::json watcher_json(const store::Watcher& w, nlohmann::json item) {
  nlohmann::json j = {{"id", w.id.value()},
                      {"itemTypeId", item_type_id(w.item.type)},
                      {"itemId", w.item.id},
                      {"itemType", item_type_name(w.item.type)}};
  if (w.last_notified_micros) j["lastNotified"] = format_rfc3339_micros(w.last_notified_micros);  // §2.1 Decision
  j["sendEmail"] = w.send_email;
  j["sendSMS"] = w.send_sms;
  if (!item.is_null()) j["item"] = std::move(item);
  return j;
}

nlohmann::json preference_json(ProfileId profile, const store::UpdatePreference& p) {
  return {{"profileId", profile.value()},
          {"id", p.update_type},
          {"description", p.description},
          {"sendEmail", p.send_email},
          {"sendSMS", p.send_sms},
          {"meta", nlohmann::json::object()}};
}

nlohmann::json linked(std::int64_t id, const char* title_key, const std::string& title, const std::string& href) {
  return {{"id", id}, {title_key, title}, {"meta", {{"links", {{{"rel", "self"}, {"href", href}}}}}}};
}

}  // namespace

void WatchersApi::add_routes(RouteTable& t) {
  t.add("/api/v1/watchers", HostScope::site, Method::get, this, &WatchersApi::list);
  t.add("/api/v1/watchers", HostScope::site, Method::post, this, &WatchersApi::watch);
  t.add("/api/v1/watchers", HostScope::site, Method::put, this, &WatchersApi::watch);
  t.add("/api/v1/watchers/{watcherId:id}", HostScope::site, Method::del, this, &WatchersApi::remove_by_id);
  t.add("/api/v1/watchers/{watcherId:id}", HostScope::site, Method::patch, this, &WatchersApi::patch_by_id);
  // §2.2 lists the same methods on both: each does its one thing whichever of the two is used.
  for (const char* path : {"/api/v1/watchers/delete", "/api/v1/watchers/patch"}) {
    t.add(path, HostScope::site, Method::del, this, &WatchersApi::remove_on_item);
    t.add(path, HostScope::site, Method::patch, this, &WatchersApi::patch_on_item);
  }
  t.add("/api/v1/updates/preferences", HostScope::site, Method::get, this, &WatchersApi::preferences);
  t.add("/api/v1/updates/preferences/{updateTypeId:id}", HostScope::site, Method::get, this, &WatchersApi::preference);
  t.add("/api/v1/updates/preferences/{updateTypeId:id}", HostScope::site, Method::put, this,
        &WatchersApi::set_preference);
}

void WatchersApi::require_watchable(const Context& ctx, ItemRef item) {
  const auto site = ctx.site->id;
  auto missing = [&]() {
    throw Error(ErrorKind::not_found, std::string(item_type_name(item.type)) + " " + std::to_string(item.id) + " not found");
  };
  bool readable = true;
  switch (item.type) {
    case ItemType::site:
      if (item.id != site.value()) missing();
      break;
    case ItemType::profile:
      if (item.id != 0 && !s_.profiles.get(site, ProfileId{item.id})) missing();
      break;
    case ItemType::microcosm: {
      auto m = s_.microcosms.get(site, MicrocosmId{item.id});
      if (!m || s_.microcosms.hidden(site, *m)) missing();
      readable = engine_.microcosm(*ctx.site, ctx.perm_caller(), *m).read;
      break;
    }
    default: {
      if (item.id == 0) missing();
      const auto home = threads_.locate(ctx, item);  // 404 for what the caller cannot see at all
      readable = threads_.rights(ctx, home, home.owner).read;
    }
  }
  if (!readable) throw Error(ErrorKind::forbidden, "You do not have permission to read that");
}

nlohmann::json WatchersApi::summary(const Context& ctx, ItemRef item) {
  const auto site = ctx.site->id;
  try {
    switch (item.type) {
      case ItemType::site:
        return linked(item.id, "title", ctx.site->title, "/api/v1/site");
      case ItemType::profile: {
        if (item.id == 0) return nullptr;
        auto p = s_.profiles.get(site, ProfileId{item.id});
        return p ? profile_summary(*p) : nlohmann::json();
      }
      case ItemType::microcosm: {
        auto m = s_.microcosms.get(site, MicrocosmId{item.id});
        if (!m || s_.microcosms.hidden(site, *m) || !engine_.microcosm(*ctx.site, ctx.perm_caller(), *m).read) {
          return nullptr;
        }
        return linked(item.id, "title", m->title, "/api/v1/microcosms/" + std::to_string(item.id));
      }
      default: {
        const auto home = threads_.locate(ctx, item);
        if (!threads_.rights(ctx, home, home.owner).read) return nullptr;
        return linked(item.id, "title", home.parent.title, home.parent.href);
      }
    }
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::not_found) return nullptr;  // gone since it was watched
    throw;
  }
}

http::Response WatchersApi::list(Context& ctx, const http::Request& req) {
  require_login(ctx);
  auto paging = parse_paging(req);
  const auto page = s_.watchers.list(ctx.site->id, ctx.caller, paging.limit, paging.offset);
  check_offset(page.total, paging);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& w : page.items) items.push_back(watcher_json(w, summary(ctx, w.item)));
  return http::Response::ok({{"watchers", collection(page.total, paging, std::move(items), "/api/v1/watchers", req)},
                             {"meta", {{"links", {{{"rel", "self"}, {"href", "/api/v1/watchers"}}}}}}});
}

http::Response WatchersApi::watch(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto item = target_of(body);
  const auto type = body.optional_int("updateTypeId")
                        .value_or(item.type == ItemType::huddle ? static_cast<int>(store::UpdateType::new_comment_in_huddle)
                                                                : static_cast<int>(store::UpdateType::new_comment));
  if (type < 1 || type > kUpdateTypes) throw Error(ErrorKind::bad_request, "updateTypeId: not an update type");
  require_watchable(ctx, item);
  const auto w = s_.watchers.watch(ctx.site->id, ctx.caller, item, static_cast<store::UpdateType>(type));
  return http::Response::ok(w.send_email);
}

http::Response WatchersApi::remove_by_id(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto id = watcher_id_of(req);
  const auto w = s_.watchers.get(ctx.site->id, id);
  if (!w) throw Error(ErrorKind::not_found, "Watcher " + std::to_string(id.value()) + " not found");
  if (w->profile != ctx.caller) throw Error(ErrorKind::forbidden, "You may only remove your own watchers");
  s_.watchers.remove(ctx.site->id, id);
  return http::Response::ok(nullptr);
}

http::Response WatchersApi::patch_by_id(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto email = body.optional_bool("sendEmail").value_or(false);
  const auto sms = body.optional_bool("sendSMS").value_or(false);
  const auto id = watcher_id_of(req);
  const auto w = s_.watchers.get(ctx.site->id, id);
  if (!w) throw Error(ErrorKind::not_found, "Watcher " + std::to_string(id.value()) + " not found");
  if (w->profile != ctx.caller) throw Error(ErrorKind::forbidden, "You may only change your own watchers");
  s_.watchers.set_delivery(ctx.site->id, ctx.caller, w->item, email, sms);
  return http::Response::ok(nullptr);
}

http::Response WatchersApi::remove_on_item(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto item = target_of(req);
  if (!s_.watchers.remove(ctx.site->id, ctx.caller, item)) {
    throw Error(ErrorKind::not_found, "You are not watching that " + std::string(item_type_name(item.type)));
  }
  return http::Response::ok(nullptr);
}

http::Response WatchersApi::patch_on_item(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto item = target_of(body);
  const auto email = body.optional_bool("sendEmail").value_or(false);  // missing: false (§2.2)
  const auto sms = body.optional_bool("sendSMS").value_or(false);
  if (!s_.watchers.set_delivery(ctx.site->id, ctx.caller, item, email, sms)) {
    throw Error(ErrorKind::bad_request, "You are not watching that " + std::string(item_type_name(item.type)));
  }
  return http::Response::ok(nullptr);
}

http::Response WatchersApi::preferences(Context& ctx, const http::Request&) {
  if (ctx.is_guest()) throw Error(ErrorKind::forbidden, "You must be logged in to see your preferences");
  nlohmann::json all = nlohmann::json::array();
  for (const auto& p : s_.watchers.preferences(ctx.site->id, ctx.caller)) all.push_back(preference_json(ctx.caller, p));
  return http::Response::ok(std::move(all));
}

http::Response WatchersApi::preference(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::forbidden, "You must be logged in to see your preferences");
  const auto type = update_type_of(req);
  const auto p = s_.watchers.preference(ctx.site->id, ctx.caller, type);
  if (!p) throw Error(ErrorKind::not_found, "No preference for update type " + std::to_string(type) + " yet");
  return http::Response::ok(preference_json(ctx.caller, *p));
}

http::Response WatchersApi::set_preference(Context& ctx, const http::Request& req) {
  const auto type = update_type_of(req);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto email = body.required_bool("sendEmail");
  const auto sms = body.required_bool("sendSMS");
  if (auto id = body.lenient<std::int64_t>("id"); id && *id != 0 && *id != type) {
    throw Error(ErrorKind::bad_request, "id: the id in the body is not the id in the URL");
  }
  // §3.4: no permission check in the original, a guest fails validation.
  if (ctx.is_guest()) throw Error(ErrorKind::bad_request, "profileId: you must be logged in to set preferences");
  s_.watchers.set_preference(ctx.site->id, ctx.caller, type, email, sms);
  return http::Response::redirect(302, "/api/v1/updates/preferences/" + std::to_string(type));
}

}  // namespace agora::api
