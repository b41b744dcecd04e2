#pragma once
// Issuing, checking and revoking access tokens. The token value exists only in the answer
// to a login; everything stored is its digest.

#include <optional>
#include <string>

#include "agora/store/token_store.hpp"

namespace agora::auth {

class TokenService {
 public:
  explicit TokenService(store::TokenStore& tokens) : tokens_(tokens) {}

  /// A new token for the user, valid on this site only.
  std::string issue(SiteId site, UserId user);
  /// The grant if the token is live and was issued for this site.
  std::optional<store::TokenGrant> authenticate(const std::string& token, SiteId site);
  /// Revokes a token; true when it existed.
  bool revoke(const std::string& token);

 private:
  store::TokenStore& tokens_;
};

}  // namespace agora::auth
