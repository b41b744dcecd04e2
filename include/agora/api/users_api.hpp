#pragma once
// User routes scoped to the site (identity.md §5.3):
//   GET    /api/v1/users/{userId}   the site owner, or the user themself; the user must have a
//                                   profile on this site (403 otherwise, never a leak across sites)
//   PUT, DELETE /api/v1/users/{id}  501 (not implemented, as the contract says)

#include "agora/api/route_table.hpp"

namespace agora::store {
class ProfileStore;
class UserStore;
}  // namespace agora::store

namespace agora::api {

class UsersApi {
 public:
  UsersApi(store::UserStore& users, store::ProfileStore& profiles) : users_(users), profiles_(profiles) {}
  void add_routes(RouteTable& table);

 private:
  http::Response one(Context& ctx, const http::Request& req);
  http::Response not_implemented(Context& ctx, const http::Request& req);

  store::UserStore& users_;
  store::ProfileStore& profiles_;
};

}  // namespace agora::api
