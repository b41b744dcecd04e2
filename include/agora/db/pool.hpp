#pragma once
// A bounded pool of libpqxx connections. Acquiring waits at most acquire_timeout_ms and
// then throws Error{unavailable} (503 + Retry-After), never hangs. Broken connections are
// dropped and reopened on demand, so the server recovers by itself when PostgreSQL returns.

#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "agora/core/config.hpp"
#include "agora/core/log.hpp"

#include <pqxx/connection>

namespace agora {
class Metrics;
}

namespace agora::db {

class Statements;

class Pool {
 public:
  Pool(DatabaseConfig config, const Statements& statements, Metrics& metrics, Logger log);
  ~Pool();
  Pool(const Pool&) = delete;
  Pool& operator=(const Pool&) = delete;

  /// A checked-out connection; returns itself to the pool when destroyed.
  class Lease {
   public:
    Lease(Lease&& other) noexcept;
    Lease& operator=(Lease&&) = delete;
    ~Lease();
    pqxx::connection& conn() { return *conn_; }
    /// Drops the connection on release instead of reusing it.
    void mark_broken() { broken_ = true; }

   private:
    friend class Pool;
    Lease(Pool* pool, std::unique_ptr<pqxx::connection> conn) : pool_(pool), conn_(std::move(conn)) {}
    Pool* pool_;
    std::unique_ptr<pqxx::connection> conn_;
    bool broken_ = false;
  };

  /// Checks out a connection, opening one if the pool is not full. Throws Error{unavailable}.
  Lease acquire();

  /// Runs fn(pqxx::connection&) on a pooled connection. A connection that broke (the server
  /// restarted) is replaced and fn retried once; a second failure is Error{unavailable}.
  template <class Fn>
  auto run(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>()));

  /// True when a connection can be checked out and answers `SELECT 1`.
  bool ping();

  int size() const { return config_.pool_size; }

 private:
  std::unique_ptr<pqxx::connection> open();
  void release(std::unique_ptr<pqxx::connection> conn, bool broken);
  void drop_idle();
  [[noreturn]] void unavailable(const std::string& why);
  /// Logs the driver's message (it may name hosts) and throws a plain Error{unavailable}.
  [[noreturn]] void connection_lost(const std::exception& e);
  bool is_broken_connection(const std::exception& e) const;

  DatabaseConfig config_;
  std::string conninfo_;
  const Statements& statements_;
  Metrics& metrics_;
  void count_run();
  Logger log_;

  std::mutex mutex_;
  std::condition_variable available_;
  std::vector<std::unique_ptr<pqxx::connection>> idle_;
  int open_count_ = 0;  // idle + leased + being opened
};

template <class Fn>
auto Pool::run(Fn&& fn) -> decltype(fn(std::declval<pqxx::connection&>())) {
  for (int attempt = 0;; ++attempt) {
    auto lease = acquire();
    count_run();
    try {
      return fn(lease.conn());
    } catch (const std::exception& e) {
      if (!is_broken_connection(e)) throw;
      lease.mark_broken();
      drop_idle();  // the others were opened before the same outage
      if (attempt >= 1) connection_lost(e);
    }
  }
}

}  // namespace agora::db
