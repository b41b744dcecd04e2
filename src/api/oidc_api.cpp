#include "oidc_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/auth/id_token.hpp"
#include "agora/auth/jwks_cache.hpp"
#include "agora/auth/login_service.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/rate_limiter.hpp"
#include "agora/core/time_format.hpp"

namespace agora::api {

void OidcApi::add_routes(RouteTable& t) {
  t.add("/api/v1/auth/oidc", HostScope::root_and_site, Method::post, this, &OidcApi::login);
  t.add("/api/v1/auth0", HostScope::root_and_site, Method::post, this, &OidcApi::login);
}

http::Response OidcApi::login(Context& ctx, const http::Request& req) {
  const auto config = config_.get();
  const Body body(req, config->http.max_json_depth);
  auto provider = config->oidc.find(ctx.site->subdomain_key);
  if (provider == config->oidc.end()) {
    throw Error(ErrorKind::bad_request, "OpenID Connect login is not configured for this site");
  }
  auto id_token = body.optional_string("IdToken", any_length);
  if (!id_token) id_token = body.optional_string("id_token", any_length);
  if (!id_token || id_token->empty()) {
    if (body.has("Code")) {
      throw Error(ErrorKind::bad_request, "Code exchange is not supported: send the provider's ID token as IdToken");
    }
    if (body.has("AccessToken")) {
      throw Error(ErrorKind::bad_request, "Access tokens are not accepted: send the provider's ID token as IdToken");
    }
    throw Error(ErrorKind::bad_request, "IdToken is required");
  }
  const std::chrono::seconds window{config->auth.login_window_seconds};
  if (int wait = limiter_.hit("oidc:ip:" + req.client_ip, config->auth.login_attempts_per_ip, window); wait > 0) {
    throw Error::rate_limited("Too many attempts; try again in " + std::to_string(wait) + " seconds", wait);
  }
  const auto& p = provider->second;
  const auto keys = keys_.keys_for(p);
  auth::IdTokenExpectations expect{p.issuer, p.audience, now_micros() / 1'000'000, p.leeway_seconds};
  auto claims = [&] {
    try {
      return auth::verify_id_token(*id_token, *keys, expect);
    } catch (const Error& e) {
      // A token signed with a key we have not seen yet: the provider may have rotated its keys.
      auto fresh = e.kind() == ErrorKind::unauthorised ? keys_.refresh(p) : nullptr;
      if (!fresh) throw;
      return auth::verify_id_token(*id_token, *fresh, expect);
    }
  }();
  if (claims.email.empty()) throw Error(ErrorKind::forbidden, "The ID token carries no e-mail address");
  // Never merge accounts on an address the provider has not verified (identity.md §5.1).
  if (!claims.email_verified) {
    throw Error(ErrorKind::forbidden, "The identity provider has not verified this e-mail address");
  }
  const auto user = logins_.user_for_verified_email(claims.email);
  return http::Response::ok(logins_.complete(ctx.site->id, user, req.client_ip));
}

}  // namespace agora::api
