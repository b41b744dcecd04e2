#pragma once
// Test harness: real PostgreSQL and memcached started by scripts/services.sh (make test).
// Every test that needs a database gets its own, cloned from a migrated template.

#include <memory>
#include <string>

#include "agora/core/config.hpp"
#include "agora/core/log.hpp"

namespace agora::test {

/// Base URL of the test PostgreSQL server without database (AGORA_TEST_PG_URL).
std::string pg_base_url();
/// host:port of the shared test memcached (AGORA_TEST_MEMCACHED).
std::string memcached_server();
/// Runs `scripts/services.sh <verb>` (restart-pg, stop-pg, start-pg). Fails the test on error.
void services(const std::string& verb);

/// A logger that keeps tests quiet unless AGORA_TEST_LOG is set.
Logger test_logger();

/// A database of its own, cloned from the migrated template; dropped on destruction.
class TestDatabase {
 public:
  TestDatabase();
  /// An empty, unmigrated database.
  static TestDatabase empty();
  ~TestDatabase();
  TestDatabase(TestDatabase&&) noexcept;
  TestDatabase(const TestDatabase&) = delete;

  const std::string& url() const { return url_; }
  const std::string& name() const { return name_; }

 private:
  struct Empty {};
  explicit TestDatabase(Empty);
  std::string name_;
  std::string url_;
};

/// A config for tests: listen on a free loopback port, this database, quiet logs.
Config test_config(const TestDatabase& db, const std::string& cache_backend = "memory");

/// Runs SQL on a database (for arranging test data). Not for production code paths.
void exec_sql(const std::string& url, const std::string& sql);

}  // namespace agora::test
