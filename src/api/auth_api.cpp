#include "auth_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "profile_json.hpp"
#include "agora/auth/login_service.hpp"
#include "agora/auth/passwords.hpp"
#include "agora/auth/tokens.hpp"
#include "agora/auth/token_service.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/rate_limiter.hpp"
#include "agora/mail/sender.hpp"
#include "agora/store/login_code_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::api {
namespace {

constexpr const char* bad_login = "The e-mail address or password is not correct";

void require_login(const Context& ctx) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
}

}  // namespace

void AuthApi::add_routes(RouteTable& t) {
  t.add("/api/v1/auth", HostScope::root_and_site, Method::post, this, &AuthApi::login);
  t.add("/api/v1/auth/code", HostScope::root_and_site, Method::post, this, &AuthApi::request_code);
  t.add("/api/v1/auth", HostScope::root_and_site, Method::del, this, &AuthApi::logout);
  t.add("/api/v1/auth/{token:alnum}", HostScope::root_and_site, Method::del, this, &AuthApi::logout_token);
}

void AuthApi::limit(const http::Request& req, const std::string& canonical, const char* what) {
  const auto config = config_.get();
  const std::chrono::seconds window{config->auth.login_window_seconds};
  int wait = login_limiter_.hit(std::string(what) + ":ip:" + req.client_ip, config->auth.login_attempts_per_ip, window);
  if (wait == 0) {
    wait = login_limiter_.hit(std::string(what) + ":email:" + canonical, config->auth.login_attempts_per_email, window);
  }
  if (wait > 0) {
    throw Error::rate_limited("Too many attempts; try again in " + std::to_string(wait) + " seconds", wait);
  }
}

http::Response AuthApi::login(Context& ctx, const http::Request& req) {
  const Body body(req, config_.get()->http.max_json_depth);
  if (body.has("Assertion")) throw Error(ErrorKind::bad_request, "Persona login is no longer supported");
  const auto email = body.required_string("email", any_length);
  if (auto code = body.optional_string("code", any_length)) return login_with_code(ctx, req, email, *code);
  const auto password = body.required_string("password", any_length);

  const auto canonical = store::canonical_email(email);
  limit(req, canonical, "login");
  auto user = users_.find_by_email(email);
  if (!user || user->password_hash.empty()) {
    passwords_.verify_dummy(password);  // the same cost whether or not the account exists
    throw Error(ErrorKind::unauthorised, bad_login);
  }
  if (!passwords_.verify(user->password_hash, password)) throw Error(ErrorKind::unauthorised, bad_login);
  login_limiter_.reset("login:email:" + canonical);
  return http::Response::ok(logins_.complete(ctx.site->id, user->id, req.client_ip));
}

http::Response AuthApi::request_code(Context& ctx, const http::Request& req) {
  const auto email = Body(req, config_.get()->http.max_json_depth).required_string("email", max_bytes(254));
  const auto canonical = store::canonical_email(email);  // 400 for what is not an address
  limit(req, canonical, "code");
  const auto config = config_.get();
  const auto code = auth::new_login_code();
  const auto minutes = config->auth.login_code_minutes;
  const std::string subject = "Your sign-in code for " + ctx.site->title;
  const std::string text = "Your sign-in code for " + ctx.site->title + " is:\n\n    " + code +
                           "\n\nIt works once, for " + std::to_string(minutes) +
                           " minutes. If you did not ask for it, you can ignore this message.\n";
  codes_.issue(ctx.site->id, email, canonical, passwords_.hash(code), minutes, subject, text);
  mail_.wake();
  // The same answer whether or not the address has an account.
  return http::Response::ok(nullptr);
}

http::Response AuthApi::login_with_code(Context& ctx, const http::Request& req, const std::string& email,
                                        const std::string& code) {
  const auto canonical = store::canonical_email(email);
  limit(req, canonical, "login");
  const auto config = config_.get();
  const bool well_formed = code.size() == 8 && code.find_first_not_of("0123456789") == std::string::npos;
  const auto outcome = well_formed ? codes_.redeem(
                                         ctx.site->id, canonical,
                                         [&](const std::string& hash) { return passwords_.verify(hash, code); },
                                         config->auth.login_code_attempts)
                                   : store::LoginCodeStore::Outcome::wrong;
  if (outcome != store::LoginCodeStore::Outcome::accepted) {
    throw Error(ErrorKind::unauthorised, "The sign-in code is wrong or has expired; ask for a new one");
  }
  login_limiter_.reset("login:email:" + canonical);
  // The code proved the address: first logins create the user.
  const auto user = logins_.user_for_verified_email(email);
  return http::Response::ok(logins_.complete(ctx.site->id, user, req.client_ip));
}

http::Response AuthApi::logout(Context& ctx, const http::Request& req) {
  require_login(ctx);
  logins_.revoke(ctx.site->id, ctx.caller, ctx.token, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response AuthApi::logout_token(Context& ctx, const http::Request& req) {
  require_login(ctx);
  if (*req.params.get("token") != ctx.token) {
    throw Error(ErrorKind::forbidden, "You may only revoke your own access token");
  }
  logins_.revoke(ctx.site->id, ctx.caller, ctx.token, req.client_ip);
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
