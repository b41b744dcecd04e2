#include "agora/store/ban_store.hpp"

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

constexpr db::Query kSelectBan{"ban_select_active", R"sql(
  SELECT display_reason, COALESCE((EXTRACT(EPOCH FROM expires) * 1000000)::bigint, 0) AS expires_micros FROM bans
  WHERE site_id = $1 AND user_id = $2 AND (expires IS NULL OR expires > (now() AT TIME ZONE 'UTC')))sql"};

constexpr db::Query kUpsertBan{"ban_upsert", R"sql(
  INSERT INTO bans (site_id, user_id, created_by, display_reason, admin_reason, expires)
  VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::bigint = 0 THEN NULL
                                   ELSE to_timestamp($6::bigint / 1000000.0) AT TIME ZONE 'UTC' END)
  ON CONFLICT (site_id, user_id) DO UPDATE SET created_by = EXCLUDED.created_by,
    display_reason = EXCLUDED.display_reason, admin_reason = EXCLUDED.admin_reason,
    expires = EXCLUDED.expires, created = (now() AT TIME ZONE 'UTC'))sql"};

constexpr db::Query kDeleteBan{"ban_delete", R"sql(
  DELETE FROM bans WHERE site_id = $1 AND user_id = $2)sql"};

Ban ban_from_row(const pqxx::row& r) {
  return {r["display_reason"].as<std::string>(), r["expires_micros"].as<std::int64_t>()};
}

std::string key(SiteId site, UserId user) {
  return cache::name_key("ban", std::to_string(site.value()) + ":" + std::to_string(user.value()));
}

}  // namespace

void BanStore::register_statements(db::Statements& st) { st.add({kSelectBan, kUpsertBan, kDeleteBan}); }

std::optional<Ban> BanStore::active(SiteId site, UserId user) {
  const auto k = key(site, user);
  const auto now = now_micros();
  if (auto hit = cache_.get(k)) {
    if (hit->empty()) return std::nullopt;
    auto space = hit->find(' ');
    if (space != std::string::npos) {
      Ban b{hit->substr(space + 1), std::stoll(hit->substr(0, space))};
      if (b.expires_micros == 0 || b.expires_micros > now) return b;
      return std::nullopt;
    }
    cache_.remove(k);
  }
  auto ban = db::first_row(db::read(pool_, kSelectBan, site, user), ban_from_row);
  // "No ban" lives a minute: a refill that raced a new ban cannot hide it for the item TTL.
  auto ttl = ban ? std::chrono::seconds{config_.get()->cache.ttl_seconds}
                 : std::min(std::chrono::seconds{60}, std::chrono::seconds{config_.get()->cache.ttl_seconds});
  if (ban && ban->expires_micros != 0) {
    ttl = std::min(ttl, std::chrono::seconds{std::max<std::int64_t>(1, (ban->expires_micros - now) / 1'000'000)});
  }
  cache_.set(k, ban ? std::to_string(ban->expires_micros) + " " + ban->display_reason : std::string(), ttl);
  return ban;
}

void BanStore::ban(SiteId site, UserId user, ProfileId by, const std::string& display_reason,
                   const std::string& admin_reason, std::int64_t expires_micros) {
  db::write(pool_, kUpsertBan, site, user, by, display_reason, admin_reason, expires_micros);
  flush(site, user);
}

bool BanStore::lift(SiteId site, UserId user) {
  const bool lifted = db::write(pool_, kDeleteBan, site, user).affected_rows() > 0;
  flush(site, user);
  return lifted;
}

void BanStore::flush(SiteId site, UserId user) { cache_.remove(key(site, user)); }

}  // namespace agora::store
