#include "agora/store/audit_log.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

constexpr db::Query kInsertIp{"audit_insert", R"sql(
  INSERT INTO ips (site_id, item_type_id, item_id, profile_id, action, ip)
  SELECT $1::bigint, $2::int, $3::bigint, $4::bigint, $5::text, $6::inet
  FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit)sql"};

}  // namespace

void AuditLog::register_statements(db::Statements& st) { st.add(kInsertIp); }

void AuditLog::record(SiteId site, ItemRef item, ProfileId by, AuditAction action,
                      const std::string& ip) noexcept {
  if (ip.empty()) return;
  try {
    db::autocommit(pool_, kInsertIp, site, item.type, item.id, by, std::string(1, static_cast<char>(action)), ip);
  } catch (const std::exception& e) {
    log_->warn("audit log: could not record {} on {} {}: {}", static_cast<char>(action), item_type_name(item.type),
               item.id, e.what());
  }
}

}  // namespace agora::store
