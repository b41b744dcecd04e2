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
}

namespace agora::api {

class Authenticator {
 public:
  Authenticator(auth::TokenService& tokens, store::ProfileStore& profiles) : tokens_(tokens), profiles_(profiles) {}

  /// Fills ctx.caller/user/profile/token; throws Error{unauthorised}.
  void identify(Context& ctx, const http::Request& request) const;

 private:
  auth::TokenService& tokens_;
  store::ProfileStore& profiles_;
};

}  // namespace agora::api
