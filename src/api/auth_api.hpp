#pragma once
// Login and logout (identity.md §2, §3 Decisions):
//   POST   /api/v1/auth/code      {"email"} -> 200, an 8-digit code is mailed (the same answer
//                                 whether or not the address has an account)
//   POST   /api/v1/auth           {"email","code"} -> the token as `data` (user and profile
//                                 created on first login)
//                                 {"email","password"} -> the token, for accounts with one
//                                 {"Assertion": …} (Persona) -> 400
//                                 too many attempts per IP or e-mail -> 429 + Retry-After
//   DELETE /api/v1/auth           revokes the token of the request
//   DELETE /api/v1/auth/{token}   revokes that token, which must be the caller's own

#include <string>

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class AuthApi {
 public:
  AuthApi(store::UserStore& users, auth::TokenService& tokens, auth::LoginService& logins,
          const auth::PasswordHasher& passwords, store::LoginCodeStore& codes, mail::Sender& mail,
          RateLimiter& login_limiter, const ConfigHolder& config)
      : users_(users), tokens_(tokens), logins_(logins), passwords_(passwords), codes_(codes), mail_(mail),
        login_limiter_(login_limiter), config_(config) {}

  void add_routes(RouteTable& table);

 private:
  http::Response login(Context& ctx, const http::Request& req);
  http::Response request_code(Context& ctx, const http::Request& req);
  http::Response login_with_code(Context& ctx, const http::Request& req, const std::string& email,
                                 const std::string& code);
  /// 429 when the client or the address has asked too often; `what` keys the bucket.
  void limit(const http::Request& req, const std::string& canonical_email, const char* what);
  http::Response logout(Context& ctx, const http::Request& req);
  http::Response logout_token(Context& ctx, const http::Request& req);

  store::UserStore& users_;
  auth::TokenService& tokens_;
  auth::LoginService& logins_;
  const auth::PasswordHasher& passwords_;
  store::LoginCodeStore& codes_;
  mail::Sender& mail_;
  RateLimiter& login_limiter_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
