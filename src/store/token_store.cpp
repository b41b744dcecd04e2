#include "agora/store/token_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/time_format.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr const char* insert_token = "token_insert";
constexpr const char* select_token = "token_select";
constexpr const char* delete_token = "token_delete";

}  // namespace

void TokenStore::register_statements(db::Statements& st) {
  st.add(insert_token,
         "INSERT INTO access_tokens (token_sha256, user_id, site_id, expires)"
         " VALUES ($1, $2, $3, (now() AT TIME ZONE 'UTC') + make_interval(days => $4))");
  st.add(select_token,
         "SELECT user_id, site_id, (EXTRACT(EPOCH FROM expires) * 1000000)::bigint FROM access_tokens"
         " WHERE token_sha256 = $1 AND expires > (now() AT TIME ZONE 'UTC')");
  st.add(delete_token, "DELETE FROM access_tokens WHERE token_sha256 = $1");
}

void TokenStore::insert(SiteId site, UserId user, const std::string& digest) {
  const int days = config_.get()->auth.token_lifetime_days;
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(insert_token, digest, user.value(), site.value(), days);
    tx.commit();
  });
}

std::optional<TokenGrant> TokenStore::lookup(const std::string& digest) {
  const auto key = cache::name_key("tok", digest);
  const auto now = now_micros();
  if (auto hit = cache_.get(key)) {
    // "user site expires"
    std::int64_t user = 0, site = 0, expires = 0;
    if (std::sscanf(hit->c_str(), "%ld %ld %ld", &user, &site, &expires) == 3) {
      if (expires <= now) return std::nullopt;
      return TokenGrant{UserId{user}, SiteId{site}, expires};
    }
    cache_.remove(key);
  }
  auto grant = pool_.run([&](pqxx::connection& c) -> std::optional<TokenGrant> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_token, digest);
    if (r.empty()) return std::nullopt;
    return TokenGrant{UserId{r[0][0].as<std::int64_t>()}, SiteId{r[0][1].as<std::int64_t>()},
                      r[0][2].as<std::int64_t>()};
  });
  if (grant) {
    // Cached no longer than the token lives, nor than the configured TTL.
    const auto left = std::chrono::seconds{(grant->expires_micros - now) / 1'000'000};
    const auto ttl = std::min(left, std::chrono::seconds{config_.get()->cache.ttl_seconds});
    if (ttl.count() > 0) {
      cache_.set(key,
                 std::to_string(grant->user.value()) + " " + std::to_string(grant->site.value()) + " " +
                     std::to_string(grant->expires_micros),
                 ttl);
    }
  }
  return grant;
}

bool TokenStore::remove(const std::string& digest) {
  auto deleted = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(delete_token, digest);
    tx.commit();
    return r.affected_rows() > 0;
  });
  cache_.remove(cache::name_key("tok", digest));
  return deleted;
}

}  // namespace agora::store
