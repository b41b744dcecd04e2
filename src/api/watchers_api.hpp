#pragma once
// Watchers (platform.md §2.2), site hosts, signed-in callers only (401 for guests):
//   GET         /api/v1/watchers                 the caller's watchers, never notified first
//   POST|PUT    /api/v1/watchers                 {"itemType","itemId","updateTypeId"} watch → 200, data = sendEmail
//   DELETE|PATCH /api/v1/watchers/{watcherId}    stop watching / set {"sendEmail","sendSMS"} (owner only, 403)
//   DELETE      /api/v1/watchers/delete?itemType=&itemId=   stop watching an item → 200, 404 when not watched
//   PATCH       /api/v1/watchers/patch           {"itemType","itemId","sendEmail","sendSMS"} → 200, 400 when not watched
// A target must exist on this site (404) and be readable by the caller (403) (§2.2 Decision).
// Targets: the site (its own id), microcosms, conversations, events, polls, huddles (their
// participants), profiles (following) and profile 0 (the People page).
//
// Update preferences (platform.md §3.4), signed-in callers:
//   GET /api/v1/updates/preferences              all nine, made from the defaults where missing (403 for guests)
//   GET|PUT /api/v1/updates/preferences/{updateTypeId}   one; PUT {"sendEmail","sendSMS"} → 302

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"
#include "agora/core/item_ref.hpp"

namespace agora::api {

class CommentThreads;

class WatchersApi {
 public:
  struct Stores {
    store::WatcherStore& watchers;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
  };
  WatchersApi(Stores stores, CommentThreads& threads, perm::Engine& engine, const ConfigHolder& config)
      : s_(stores), threads_(threads), engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list(Context& ctx, const http::Request& req);
  http::Response watch(Context& ctx, const http::Request& req);
  http::Response remove_by_id(Context& ctx, const http::Request& req);
  http::Response patch_by_id(Context& ctx, const http::Request& req);
  http::Response remove_on_item(Context& ctx, const http::Request& req);
  http::Response patch_on_item(Context& ctx, const http::Request& req);
  http::Response preferences(Context& ctx, const http::Request& req);
  http::Response preference(Context& ctx, const http::Request& req);
  http::Response set_preference(Context& ctx, const http::Request& req);

  /// 404 unless `item` exists on this site, 403 unless the caller may read it.
  void require_watchable(const Context& ctx, ItemRef item);
  /// The target's summary as the caller may see it: `id`, `title` or `profileName`,
  /// `meta.links` self (null when it is gone or no longer readable, or for item id 0).
  nlohmann::json summary(const Context& ctx, ItemRef item);

  Stores s_;
  CommentThreads& threads_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
