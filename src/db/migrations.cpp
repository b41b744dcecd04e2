#include "agora/db/migrations.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

namespace agora::db {
namespace {
// Arbitrary, fixed: the advisory lock key that serialises migration runs.
constexpr long long migration_lock_key = 0x61676f72614d; // "agoraM"
}  // namespace

int Migrator::latest_version() const {
  int v = 0;
  for (auto& m : migrations_) v = std::max(v, m.version);
  return v;
}

int Migrator::current_version(pqxx::connection& conn) const {
  pqxx::nontransaction tx(conn);
  auto exists = tx.exec("SELECT to_regclass('public.schema_migrations') IS NOT NULL");
  if (!exists[0][0].as<bool>()) return 0;
  auto r = tx.exec("SELECT COALESCE(MAX(version), 0) FROM schema_migrations");
  return r[0][0].as<int>();
}

int Migrator::migrate(pqxx::connection& conn) {
  {
    pqxx::nontransaction tx(conn);
    tx.exec("SELECT pg_advisory_lock(" + std::to_string(migration_lock_key) + ")");
    tx.exec(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        " version integer PRIMARY KEY,"
        " name text NOT NULL,"
        " applied_at timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'))");
  }
  conn.prepare("agora_migration_record", "INSERT INTO schema_migrations (version, name) VALUES ($1, $2)");
  int applied = 0;
  try {
    const int current = current_version(conn);
    for (auto& m : migrations_) {
      if (m.version <= current) continue;
      pqxx::work tx(conn);
      tx.exec(m.sql);
      tx.exec_prepared("agora_migration_record", m.version, std::string(m.name));
      tx.commit();
      log_->info("applied migration {}", m.name);
      ++applied;
    }
  } catch (...) {
    pqxx::nontransaction unlock(conn);
    unlock.exec("SELECT pg_advisory_unlock(" + std::to_string(migration_lock_key) + ")");
    throw;
  }
  pqxx::nontransaction unlock(conn);
  unlock.exec("SELECT pg_advisory_unlock(" + std::to_string(migration_lock_key) + ")");
  return applied;
}

}  // namespace agora::db
