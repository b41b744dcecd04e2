#pragma once
// User routes scoped to the site (identity.md §5.3):
//   GET    /api/v1/users/{userId}   the site owner, or the user themself; the user must have a
//                                   profile on this site (403 otherwise, never a leak across sites)
//   PUT, DELETE /api/v1/users/{id}  501 (not implemented, as the contract says)
//   POST   /api/v1/users            site owner: [{"email"}…] -> full profiles on this site,
//                                   users and profiles created when missing

#include "agora/api/route_table.hpp"

namespace agora {
class ConfigHolder;
}
namespace agora::store {
class ProfileStore;
class UserStore;
}  // namespace agora::store

namespace agora::api {

class UsersApi {
 public:
  UsersApi(store::UserStore& users, store::ProfileStore& profiles, const ConfigHolder& config)
      : users_(users), profiles_(profiles), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response one(Context& ctx, const http::Request& req);
  http::Response not_implemented(Context& ctx, const http::Request& req);
  http::Response create_many(Context& ctx, const http::Request& req);

  store::UserStore& users_;
  store::ProfileStore& profiles_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
