#pragma once
// Site bans (identity.md §9 Decisions): `expires` honoured, cache flushed on every change.
// Cache key: v2:ban:{site}:{user} -> "" (not banned) or the ban, never past its expiry.

#include <optional>
#include <string>

#include "agora/core/ids.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

struct Ban {
  std::string display_reason;
  std::int64_t expires_micros = 0;  // 0 = no expiry
};

class BanStore {
 public:
  BanStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// The ban in force for the user on the site, if any.
  std::optional<Ban> active(SiteId site, UserId user);
  /// Bans (or re-bans) the user; expires_micros 0 = until lifted.
  void ban(SiteId site, UserId user, ProfileId by, const std::string& display_reason,
           const std::string& admin_reason, std::int64_t expires_micros);
  /// Lifts the ban; true when there was one.
  bool lift(SiteId site, UserId user);

 private:
  void flush(SiteId site, UserId user);
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
