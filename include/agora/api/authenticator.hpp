#pragma once
// Who is calling (conventions.md §3.3): `Authorization: Bearer {token}` wins, else the
// `access_token` query parameter; no token is a guest. A malformed header or a token that
// is unknown, expired or issued for another site is 401 on every route. A valid token
// gets the user's profile on this site, created on first use (identity.md §4).

#include "agora/api/context.hpp"
#include "agora/http/request.hpp"

namespace agora::auth {
class TokenService;
}
namespace agora::store {
class ProfileStore;
class BanStore;
}  // namespace agora::store

namespace agora::api {

class Authenticator {
 public:
  Authenticator(auth::TokenService& tokens, store::ProfileStore& profiles, store::BanStore& bans)
      : tokens_(tokens), profiles_(profiles), bans_(bans) {}

  /// Fills ctx.caller/user/profile/token/ban; throws Error{unauthorised}.
  void identify(Context& ctx, const http::Request& request) const;

 private:
  auth::TokenService& tokens_;
  store::ProfileStore& profiles_;
  store::BanStore& bans_;
};

}  // namespace agora::api
