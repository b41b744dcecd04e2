#pragma once
// OpenID Connect login (identity.md §2.2 Decision: a generic OIDC provider per site):
//   POST /api/v1/auth/oidc   {"IdToken": "<JWT>"} -> the access token as `data`
//   POST /api/v1/auth0       the same body, kept for Auth0-era clients
// The ID token must be signed by a key of the site's provider ([oidc.<subdomainKey>] in the
// config), name its issuer and our client id, be unexpired and carry email_verified = true.
// `Code` (code exchange) and a bare `AccessToken` are refused with 400.

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class OidcApi {
 public:
  OidcApi(auth::JwksCache& keys, auth::LoginService& logins, RateLimiter& limiter, const ConfigHolder& config)
      : keys_(keys), logins_(logins), limiter_(limiter), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response login(Context& ctx, const http::Request& req);

  auth::JwksCache& keys_;
  auth::LoginService& logins_;
  RateLimiter& limiter_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
