#pragma once
// User routes scoped to the site (identity.md §5.3):
//   GET    /api/v1/users/{userId}   the site owner, or the user themself; the user must have a
//                                   profile on this site (403 otherwise, never a leak across sites)
//   PUT, DELETE /api/v1/users/{id}  501 (not implemented, as the contract says)
//   POST   /api/v1/users            site owner: [{"email"}…] -> full profiles on this site,
//                                   users and profiles created when missing
//   POST   /api/v1/users/batch      site owner: JSON [{"email","isMember"}] or CSV `email,bool`
//                                   lines; creates what is missing and sets membership; no mail

#include <string>
#include <utility>

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"
#include "agora/store/profile_store.hpp"


namespace agora::api {

class UsersApi {
 public:
  UsersApi(store::UserStore& users, store::ProfileStore& profiles, store::AttributeStore& attributes,
           store::AuditLog& audit, const ConfigHolder& config)
      : users_(users), profiles_(profiles), attributes_(attributes), audit_(audit), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response one(Context& ctx, const http::Request& req);
  http::Response not_implemented(Context& ctx, const http::Request& req);
  http::Response create_many(Context& ctx, const http::Request& req);
  http::Response batch(Context& ctx, const http::Request& req);
  /// The profile on this site of the user with this e-mail, both created when missing; and
  /// the address to show.
  std::pair<store::Profile, std::string> profile_for(const Context& ctx, const http::Request& req,
                                                     const std::string& email);

  store::UserStore& users_;
  store::ProfileStore& profiles_;
  store::AttributeStore& attributes_;
  store::AuditLog& audit_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
