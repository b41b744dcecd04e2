#pragma once
// Every store over one test database, a small pool and an in-process cache: what the
// integration tests of stores and services are built on.

#include "agora/auth/token_service.hpp"
#include "agora/cache/lru_cache.hpp"
#include "agora/core/config.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/all_statements.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"
#include "agora/store/token_store.hpp"
#include "agora/store/user_store.hpp"
#include "support/test_env.hpp"

namespace agora::test {

struct Stores {
  explicit Stores(const TestDatabase& db)
      : holder(test_config(db)), statements(make()), pool(holder.get()->database, statements, metrics, test_logger()),
        cache(1000, metrics), sites(pool, cache, holder), users(pool), profiles(pool, cache, holder),
        token_rows(pool, cache, holder), tokens(token_rows), bans(pool, cache, holder) {}

  static db::Statements make() {
    db::Statements st;
    store::register_store_statements(st);
    return st;
  }

  ConfigHolder holder;
  Metrics metrics;
  db::Statements statements;
  db::Pool pool;
  cache::LruCache cache;
  store::SiteStore sites;
  store::UserStore users;
  store::ProfileStore profiles;
  store::TokenStore token_rows;
  auth::TokenService tokens;
  store::BanStore bans;
};

}  // namespace agora::test
