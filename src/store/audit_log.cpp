#include "agora/store/audit_log.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/relaxed_commit.hpp"

namespace agora::store {
namespace {
constexpr const char* insert_ip = "audit_insert";
}

void AuditLog::register_statements(db::Statements& st) {
  st.add(insert_ip,
         "INSERT INTO ips (site_id, item_type_id, item_id, profile_id, action, ip)"
         " SELECT $1::bigint, $2::int, $3::bigint, $4::bigint, $5::text, $6::inet FROM " + relaxed_commit_row);
}

void AuditLog::record(SiteId site, ItemRef item, ProfileId by, AuditAction action,
                      const std::string& ip) noexcept {
  if (ip.empty()) return;
  try {
    pool_.run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      tx.exec_prepared(insert_ip, site.value(), item_type_id(item.type), item.id, by.value(),
                       std::string(1, static_cast<char>(action)), ip);
    });
  } catch (const std::exception& e) {
    log_->warn("audit log: could not record {} on {} {}: {}", static_cast<char>(action), item_type_name(item.type),
               item.id, e.what());
  }
}

}  // namespace agora::store
