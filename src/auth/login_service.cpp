#include "agora/auth/login_service.hpp"

#include <cstdio>
#include <sodium.h>

#include "agora/auth/spam_check.hpp"
#include "agora/auth/token_service.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::auth {

std::string new_login_code() {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%08u", static_cast<unsigned>(randombytes_uniform(100'000'000)));
  return buf;
}

UserId LoginService::user_for_verified_email(const std::string& email) {
  if (auto u = users_.find_by_email(email)) return u->id;
  if (is_known_spammer(config_.get()->auth, email, log_)) throw Error(ErrorKind::forbidden, "Spammer");
  try {
    return users_.create(email, "");
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::conflict) throw;
    return users_.find_by_email(email)->id;  // created concurrently
  }
}

std::string LoginService::complete(SiteId site, UserId user, const std::string& client_ip) {
  auto profile = profiles_.get_or_create(site, user);
  auto token = tokens_.issue(site, user);
  audit_.record(site, ItemRef{ItemType::auth, profile.id.value()}, profile.id, store::AuditAction::create, client_ip);
  return token;
}

void LoginService::revoke(SiteId site, ProfileId profile, const std::string& token, const std::string& client_ip) {
  tokens_.revoke(token);
  audit_.record(site, ItemRef{ItemType::auth, profile.value()}, profile, store::AuditAction::remove, client_ip);
}

}  // namespace agora::auth
