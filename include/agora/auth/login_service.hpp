#pragma once
// What every login provider does once it has proved who the caller is: find or create the
// user, make sure they have a profile on the site, issue a token bound to the site, and
// leave an audit row (identity.md §2, §4, §12).

#include <string>

#include "agora/core/ids.hpp"
#include "agora/core/log.hpp"

namespace agora {
class ConfigHolder;
}
namespace agora::store {
class UserStore;
class ProfileStore;
class AuditLog;
}  // namespace agora::store

namespace agora::auth {

class TokenService;

/// A new 8-digit one-time sign-in code from the CSPRNG.
std::string new_login_code();

class LoginService {
 public:
  LoginService(store::UserStore& users, store::ProfileStore& profiles, TokenService& tokens, store::AuditLog& audit,
               const ConfigHolder& config, Logger log)
      : users_(users), profiles_(profiles), tokens_(tokens), audit_(audit), config_(config), log_(std::move(log)) {}

  /// The user owning this address, which the caller has verified; created when missing,
  /// unless the spam check lists the address (Error{forbidden} "Spammer").
  UserId user_for_verified_email(const std::string& email);

  /// Profile on the site (created when missing) and a new token for it.
  std::string complete(SiteId site, UserId user, const std::string& client_ip);

  /// Revokes the token (logout) and records it.
  void revoke(SiteId site, ProfileId profile, const std::string& token, const std::string& client_ip);

 private:
  store::UserStore& users_;
  store::ProfileStore& profiles_;
  TokenService& tokens_;
  store::AuditLog& audit_;
  const ConfigHolder& config_;
  Logger log_;
};

}  // namespace agora::auth
