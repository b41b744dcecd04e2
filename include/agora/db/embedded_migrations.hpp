#pragma once
// The SQL files of migrations/, compiled into the binary (see cmake/embed_migrations.cmake).

#include <vector>

namespace agora::db {

struct Migration {
  int version;
  const char* name;
  const char* sql;
};

/// All migrations in ascending version order.
const std::vector<Migration>& embedded_migrations();

}  // namespace agora::db
