#include "agora/api/auth_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/profile_json.hpp"
#include "agora/api/request_fields.hpp"
#include "agora/auth/passwords.hpp"
#include "agora/auth/token_service.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/rate_limiter.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::api {
namespace {

constexpr const char* bad_login = "The e-mail address or password is not correct";

void require_login(const Context& ctx) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
}

}  // namespace

void AuthApi::add_routes(RouteTable& t) {
  using http::HostScope;
  t.add("/api/v1/auth", HostScope::root_and_site, "POST", this, &AuthApi::login);
  t.add("/api/v1/auth", HostScope::root_and_site, "DELETE", this, &AuthApi::logout);
  t.add("/api/v1/auth/{token:alnum}", HostScope::root_and_site, "DELETE", this, &AuthApi::logout_token);
}

http::Response AuthApi::login(Context& ctx, const http::Request& req) {
  RequestFields body(req, config_.get()->http.max_json_depth);
  if (body.has("Assertion")) throw Error(ErrorKind::bad_request, "Persona login is no longer supported");
  auto email = body.string("email");
  auto password = body.string("password");
  if (!email || email->empty()) throw Error(ErrorKind::bad_request, "email is required");
  if (!password || password->empty()) throw Error(ErrorKind::bad_request, "password is required");

  const auto config = config_.get();
  const std::chrono::seconds window{config->auth.login_window_seconds};
  const auto email_key = "email:" + store::canonical_email(*email);
  int wait = login_limiter_.hit("ip:" + req.client_ip, config->auth.login_attempts_per_ip, window);
  if (wait == 0) wait = login_limiter_.hit(email_key, config->auth.login_attempts_per_email, window);
  if (wait > 0) {
    throw Error::rate_limited("Too many login attempts; try again in " + std::to_string(wait) + " seconds", wait);
  }

  auto user = users_.find_by_email(*email);
  if (!user || user->password_hash.empty()) {
    passwords_.verify_dummy(*password);  // the same cost whether or not the account exists
    throw Error(ErrorKind::unauthorised, bad_login);
  }
  if (!passwords_.verify(user->password_hash, *password)) throw Error(ErrorKind::unauthorised, bad_login);
  login_limiter_.reset(email_key);
  profiles_.get_or_create(ctx.site->id, user->id);
  return http::Response::ok(tokens_.issue(ctx.site->id, user->id));
}

http::Response AuthApi::logout(Context& ctx, const http::Request&) {
  require_login(ctx);
  tokens_.revoke(ctx.token);
  return http::Response::ok(nullptr);
}

http::Response AuthApi::logout_token(Context& ctx, const http::Request& req) {
  require_login(ctx);
  if (*req.params.get("token") != ctx.token) {
    throw Error(ErrorKind::forbidden, "You may only revoke your own access token");
  }
  tokens_.revoke(ctx.token);
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
