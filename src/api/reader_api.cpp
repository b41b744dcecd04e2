#include "reader_api.hpp"

#include "comment_threads.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/paging.hpp"
#include "profile_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"

namespace agora::api {
namespace {

void require_login(const Context& ctx) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
}

/// `{"itemType": name, "itemId": n}` with n > 0 (0 allowed when `allow_zero`: the site).
ItemRef item_of(const http::Request& req, int max_json_depth, bool allow_zero, const char* type_message) {
  const auto body = Body::json_object(req, max_json_depth);
  const auto type = item_type_from_name(body.optional_string("itemType", any_length).value_or(""));
  if (!type) throw Error(ErrorKind::bad_request, type_message);
  const auto id = body.optional_int("itemId").value_or(0);
  if (id < 0 || (id == 0 && !allow_zero)) throw Error(ErrorKind::bad_request, "itemId must be a positive integer");
  return {*type, id};
}

nlohmann::json microcosm_summary(const store::Microcosm& m) {
  return {{"id", m.id.value()},
          {"siteId", m.site_id.value()},
          {"title", m.title},
          {"description", m.description},
          {"meta", {{"links", {{{"rel", "self"}, {"href", "/api/v1/microcosms/" + std::to_string(m.id.value())}}}}}}};
}

}  // namespace

void ReaderApi::add_routes(RouteTable& t) {
  t.add("/api/v1/ignored", HostScope::site, Method::get, this, &ReaderApi::list_ignored);
  t.add("/api/v1/ignored", HostScope::site, Method::put, this, &ReaderApi::ignore);
  t.add("/api/v1/ignored", HostScope::site, Method::del, this, &ReaderApi::unignore);
  t.add("/api/v1/profiles/read", HostScope::site, Method::put, this, &ReaderApi::mark_read);
}

void ReaderApi::require_visible(const Context& ctx, const ItemRef& item) {
  bool found = false;
  if (item.type == ItemType::profile) {
    found = profiles_.get(ctx.site->id, item.as<ProfileId>()).has_value();
  } else if (item.type == ItemType::microcosm) {
    auto m = microcosms_.get(ctx.site->id, item.as<MicrocosmId>());
    found = m && !microcosms_.hidden(ctx.site->id, *m) && engine_.microcosm(*ctx.site, ctx.perm_caller(), *m).read;
  } else if (item.type == ItemType::conversation || item.type == ItemType::event || item.type == ItemType::poll ||
             item.type == ItemType::huddle) {
    // Items that take comments are visible as their comments are (a huddle to its participants).
    const auto home = threads_.locate(ctx, item);
    found = threads_.rights(ctx, home, home.owner).read;
  } else {
    throw Error(ErrorKind::bad_request,
                "Items of type " + std::string(item_type_name(item.type)) + " cannot be used here yet");
  }
  if (!found) {
    throw Error(ErrorKind::not_found,
                std::string(item_type_name(item.type)) + " " + std::to_string(item.id) + " not found");
  }
}

http::Response ReaderApi::list_ignored(Context& ctx, const http::Request& req) {
  require_login(ctx);
  auto paging = parse_paging(req);
  auto page = state_.list(ctx.site->id, ctx.caller, paging.limit, paging.offset);
  check_offset(page.total, paging);
  const auto caller = ctx.perm_caller();
  nlohmann::json items = nlohmann::json::array();
  for (const auto& ref : page.items) {
    nlohmann::json summary;
    if (ref.type == ItemType::profile) {
      if (auto p = profiles_.get(ctx.site->id, ref.as<ProfileId>())) summary = profile_summary(*p);
    } else if (ref.type == ItemType::conversation) {
      auto c = conversations_.get(ctx.site->id, ref.as<ConversationId>());
      auto m = c && !c->deleted && !c->moderated ? microcosms_.get(ctx.site->id, c->microcosm_id) : std::nullopt;
      if (m && !microcosms_.hidden(ctx.site->id, *m) && engine_.item(*ctx.site, caller, *m, c->created_by).read) {
        summary = {{"id", c->id.value()},
                   {"title", c->title},
                   {"microcosmId", c->microcosm_id.value()},
                   {"meta", {{"links", {{{"rel", "self"}, {"href", "/api/v1/conversations/" + std::to_string(c->id.value())}}}}}}};
      }
    } else if (ref.type == ItemType::microcosm) {
      // Only microcosms the caller may still read are listed.
      auto m = microcosms_.get(ctx.site->id, ref.as<MicrocosmId>());
      if (m && !microcosms_.hidden(ctx.site->id, *m) && engine_.microcosm(*ctx.site, caller, *m).read) summary = microcosm_summary(*m);
    }
    if (summary.is_null()) continue;
    items.push_back({{"itemType", item_type_name(ref.type)}, {"itemId", ref.id}, {"item", std::move(summary)}});
  }
  return http::Response::ok({{"ignored", collection(page.total, paging, std::move(items), "/api/v1/ignored", req)},
                             {"meta", {{"links", {{{"rel", "self"}, {"href", "/api/v1/ignored"}}}}}}});
}

http::Response ReaderApi::ignore(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto item = item_of(req, config_.get()->http.max_json_depth, false, "You must specify a valid item type");
  require_visible(ctx, item);
  if (item.type == ItemType::profile && item.id == ctx.caller.value()) {
    throw Error(ErrorKind::bad_request, "You cannot ignore yourself");
  }
  state_.add(ctx.site->id, ctx.caller, item);
  return http::Response::ok(nullptr);
}

http::Response ReaderApi::unignore(Context& ctx, const http::Request& req) {
  require_login(ctx);
  // Items may be gone by now: any well-formed reference can be removed.
  const auto item = item_of(req, config_.get()->http.max_json_depth, false, "You must specify a valid item type");
  state_.remove(ctx.site->id, ctx.caller, item);
  return http::Response::ok(nullptr);
}

http::Response ReaderApi::mark_read(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto item = item_of(req, config_.get()->http.max_json_depth, true, "Unknown item type");
  if (item.type == ItemType::site) {
    state_.mark_site_read(ctx.site->id, ctx.caller);
  } else if (item.type == ItemType::huddle && item.id == 0) {
    state_.mark_read(ctx.site->id, ctx.caller, item);  // all huddles (§6.3)
  } else {
    if (item.id == 0) throw Error(ErrorKind::bad_request, "itemId must be a positive integer");
    require_visible(ctx, item);
    if (item.type == ItemType::microcosm) {
      state_.mark_microcosm_read(ctx.site->id, ctx.caller, MicrocosmId{item.id});
    } else {
      state_.mark_read(ctx.site->id, ctx.caller, item);
    }
  }
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
