#include "agora/store/token_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/time_format.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr db::Query kInsertToken{"token_insert", R"sql(
  INSERT INTO access_tokens (token_sha256, user_id, site_id, expires)
  VALUES ($1, $2, $3, (now() AT TIME ZONE 'UTC') + make_interval(days => $4)))sql"};

constexpr db::Query kSelectToken{"token_select", R"sql(
  SELECT user_id, site_id, (EXTRACT(EPOCH FROM expires) * 1000000)::bigint AS expires_micros FROM access_tokens
  WHERE token_sha256 = $1 AND expires > (now() AT TIME ZONE 'UTC'))sql"};

constexpr db::Query kDeleteToken{"token_delete", R"sql(
  DELETE FROM access_tokens WHERE token_sha256 = $1)sql"};

TokenGrant grant_from_row(const pqxx::row& r) {
  return {r["user_id"].as<UserId>(), r["site_id"].as<SiteId>(), r["expires_micros"].as<std::int64_t>()};
}

}  // namespace

void TokenStore::register_statements(db::Statements& st) { st.add({kInsertToken, kSelectToken, kDeleteToken}); }

void TokenStore::insert(SiteId site, UserId user, const std::string& digest) {
  db::write(pool_, kInsertToken, digest, user, site, config_.get()->auth.token_lifetime_days);
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
  auto grant = db::first_row(db::read(pool_, kSelectToken, digest), grant_from_row);
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
  const bool deleted = db::write(pool_, kDeleteToken, digest).affected_rows() > 0;
  cache_.remove(cache::name_key("tok", digest));
  return deleted;
}

}  // namespace agora::store
