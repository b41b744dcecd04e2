#include "agora/api/identity_routes.hpp"

#include "auth_api.hpp"
#include "oidc_api.hpp"
#include "profiles_api.hpp"
#include "sites_api.hpp"
#include "users_api.hpp"

namespace agora::api {

void add_identity_routes(RouteTable& t, const Services& s) {
  t.own<SitesApi>(s.sites, s.profiles, s.audit, s.config).add_routes(t);
  t.own<AuthApi>(s.users, s.tokens, s.logins, s.passwords, s.login_codes, s.mail, s.login_limiter, s.config)
      .add_routes(t);
  t.own<ProfilesApi>(s.profiles, s.users, s.bans, s.attributes, s.audit, s.reader, s.comments, s.huddles, s.config)
      .add_routes(t);
  t.own<UsersApi>(s.users, s.profiles, s.attributes, s.audit, s.config).add_routes(t);
  t.own<OidcApi>(s.jwks, s.logins, s.login_limiter, s.config).add_routes(t);
}

}  // namespace agora::api
