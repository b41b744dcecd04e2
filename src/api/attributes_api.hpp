#pragma once
// Attributes of items (content-microcosms.md §A): key/value metadata on profiles,
// microcosms, conversations, events, polls, comments and the site:
//   GET|PUT|DELETE /api/v1/{profiles|microcosms|conversations|events|polls|comments}/{id}/attributes
//   GET|PUT|DELETE /api/v1/{…}/{id}/attributes/{key}
//   and the same under /api/v1/site/{siteId}/attributes
// Permissions are the parent's read, update and delete; the parent must exist and be
// visible (404). `is_member` on profiles feeds members-only roles: only the site owner
// writes it (identity.md §10 Decision).

#include <nlohmann/json_fwd.hpp>

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class CommentThreads;

class AttributesApi {
 public:
  struct Stores {
    store::AttributeStore& attributes;
    store::ProfileStore& profiles;
    store::MicrocosmStore& microcosms;
    store::ConversationStore& conversations;
    store::CommentStore& comments;
    store::AuditLog& audit;
  };
  AttributesApi(Stores stores, CommentThreads& threads, perm::Engine& engine, const ConfigHolder& config)
      : s_(stores), threads_(threads), engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  struct Parent;
  /// The parent named by the route, visible to the caller's site, with the caller's rights.
  Parent parent_of(const Context& ctx, const http::Request& req);
  http::Response list(Context& ctx, const http::Request& req);
  http::Response put_many(Context& ctx, const http::Request& req);
  http::Response delete_many(Context& ctx, const http::Request& req);
  http::Response one(Context& ctx, const http::Request& req);
  http::Response put_one(Context& ctx, const http::Request& req);
  http::Response delete_one(Context& ctx, const http::Request& req);

  Stores s_;
  CommentThreads& threads_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
