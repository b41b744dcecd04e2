#pragma once
// Applies numbered, forward-only migrations: each in one transaction, all under one
// advisory lock (so two nodes migrating at once take turns), recorded in schema_migrations.

#include <string>
#include <vector>

#include "agora/core/log.hpp"
#include "agora/db/embedded_migrations.hpp"

#include <pqxx/connection>

namespace agora::db {

class Migrator {
 public:
  Migrator(std::vector<Migration> migrations, Logger log) : migrations_(std::move(migrations)), log_(std::move(log)) {}

  /// Applies every pending migration; returns how many were applied.
  int migrate(pqxx::connection& conn);

  /// Highest version recorded in the database (0 when none or no table).
  int current_version(pqxx::connection& conn) const;

  /// Highest version this binary knows.
  int latest_version() const;

 private:
  std::vector<Migration> migrations_;
  Logger log_;
};

}  // namespace agora::db
