#include "agora/auth/token_service.hpp"

#include "agora/auth/tokens.hpp"

namespace agora::auth {

std::string TokenService::issue(SiteId site, UserId user) {
  auto token = new_token();
  tokens_.insert(site, user, token_digest(token));
  return token;
}

std::optional<store::TokenGrant> TokenService::authenticate(const std::string& token, SiteId site) {
  if (!looks_like_token(token)) return std::nullopt;
  auto grant = tokens_.lookup(token_digest(token));
  if (!grant || grant->site != site) return std::nullopt;
  return grant;
}

bool TokenService::revoke(const std::string& token) {
  if (!looks_like_token(token)) return false;
  return tokens_.remove(token_digest(token));
}

}  // namespace agora::auth
