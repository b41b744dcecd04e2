#pragma once
// Access tokens (identity.md §3 Decisions): rows and cache entries know only the token's
// SHA-256 digest (auth::TokenService makes tokens and digests them), bound to the issuing
// site, expiry enforced. Cache key: v2:tok:{digest}.

#include <optional>
#include <string>

#include "agora/core/ids.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

struct TokenGrant {
  UserId user;
  SiteId site;
  std::int64_t expires_micros = 0;
};

class TokenStore {
 public:
  TokenStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// Stores a token digest for the user on the site, expiring after the configured lifetime.
  void insert(SiteId site, UserId user, const std::string& digest);
  /// The grant of a live token by digest, or nullopt (unknown or expired).
  std::optional<TokenGrant> lookup(const std::string& digest);
  /// Deletes the token; true if it existed.
  bool remove(const std::string& digest);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
