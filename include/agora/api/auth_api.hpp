#pragma once
// Login and logout (identity.md §2, §3 Decisions) and whoami (§7):
//   POST   /api/v1/auth           {"email","password"} -> the token as `data`
//                                 {"Assertion": …} (Persona) -> 400
//                                 too many attempts per IP or e-mail -> 429 + Retry-After
//   DELETE /api/v1/auth           revokes the token of the request
//   DELETE /api/v1/auth/{token}   revokes that token, which must be the caller's own
//   GET    /api/v1/whoami         the caller's full profile

#include "agora/api/route_table.hpp"

namespace agora {
class ConfigHolder;
class RateLimiter;
}
namespace agora::auth {
class PasswordHasher;
class TokenService;
}  // namespace agora::auth
namespace agora::store {
class UserStore;
class ProfileStore;
}  // namespace agora::store

namespace agora::api {

class AuthApi {
 public:
  AuthApi(store::UserStore& users, store::ProfileStore& profiles, auth::TokenService& tokens,
          const auth::PasswordHasher& passwords, RateLimiter& login_limiter, const ConfigHolder& config)
      : users_(users), profiles_(profiles), tokens_(tokens), passwords_(passwords), login_limiter_(login_limiter),
        config_(config) {}

  void add_routes(RouteTable& table);

 private:
  http::Response login(Context& ctx, const http::Request& req);
  http::Response logout(Context& ctx, const http::Request& req);
  http::Response logout_token(Context& ctx, const http::Request& req);

  store::UserStore& users_;
  store::ProfileStore& profiles_;
  auth::TokenService& tokens_;
  const auth::PasswordHasher& passwords_;
  RateLimiter& login_limiter_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
