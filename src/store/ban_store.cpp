#include "agora/store/ban_store.hpp"

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

constexpr const char* select_ban = "ban_select_active";
constexpr const char* upsert_ban = "ban_upsert";
constexpr const char* delete_ban = "ban_delete";

std::string key(SiteId site, UserId user) {
  return cache::name_key("ban", std::to_string(site.value()) + ":" + std::to_string(user.value()));
}

}  // namespace

void BanStore::register_statements(db::Statements& st) {
  st.add(select_ban,
         "SELECT display_reason, COALESCE((EXTRACT(EPOCH FROM expires) * 1000000)::bigint, 0) FROM bans"
         " WHERE site_id = $1 AND user_id = $2 AND (expires IS NULL OR expires > (now() AT TIME ZONE 'UTC'))");
  st.add(upsert_ban,
         "INSERT INTO bans (site_id, user_id, created_by, display_reason, admin_reason, expires)"
         " VALUES ($1, $2, $3, $4, $5, CASE WHEN $6::bigint = 0 THEN NULL"
         " ELSE to_timestamp($6::bigint / 1000000.0) AT TIME ZONE 'UTC' END)"
         " ON CONFLICT (site_id, user_id) DO UPDATE SET created_by = EXCLUDED.created_by,"
         " display_reason = EXCLUDED.display_reason, admin_reason = EXCLUDED.admin_reason,"
         " expires = EXCLUDED.expires, created = (now() AT TIME ZONE 'UTC')");
  st.add(delete_ban, "DELETE FROM bans WHERE site_id = $1 AND user_id = $2");
}

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
  auto ban = pool_.run([&](pqxx::connection& c) -> std::optional<Ban> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_ban, site.value(), user.value());
    if (r.empty()) return std::nullopt;
    return Ban{r[0][0].as<std::string>(), r[0][1].as<std::int64_t>()};
  });
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
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(upsert_ban, site.value(), user.value(), by.value(), display_reason, admin_reason,
                     expires_micros);
    tx.commit();
  });
  flush(site, user);
}

bool BanStore::lift(SiteId site, UserId user) {
  auto n = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(delete_ban, site.value(), user.value());
    tx.commit();
    return r.affected_rows();
  });
  flush(site, user);
  return n > 0;
}

void BanStore::flush(SiteId site, UserId user) { cache_.remove(key(site, user)); }

}  // namespace agora::store
