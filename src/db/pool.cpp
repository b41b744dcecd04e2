#include "agora/db/pool.hpp"

#include <pqxx/pqxx>
#include <spdlog/spdlog.h>

#include "agora/core/error.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/statements.hpp"

namespace agora::db {
namespace {

/// Adds libpq's connect_timeout (whole seconds) to the URL unless the operator set one.
std::string with_connect_timeout(const std::string& url, int timeout_ms) {
  if (url.find("connect_timeout=") != std::string::npos) return url;
  int secs = std::max(1, (timeout_ms + 999) / 1000);
  return url + (url.find('?') == std::string::npos ? "?" : "&") + "connect_timeout=" + std::to_string(secs);
}

}  // namespace

Pool::Pool(DatabaseConfig config, const Statements& statements, Metrics& metrics, Logger log)
    : config_(std::move(config)),
      conninfo_(with_connect_timeout(config_.url, config_.connect_timeout_ms)),
      statements_(statements),
      metrics_(metrics),
      log_(std::move(log)) {
  metrics_.db_size = config_.pool_size;
}

Pool::~Pool() = default;

Pool::Lease::Lease(Lease&& other) noexcept
    : pool_(other.pool_), conn_(std::move(other.conn_)), broken_(other.broken_) {
  other.pool_ = nullptr;
}

Pool::Lease::~Lease() {
  if (pool_ && conn_) pool_->release(std::move(conn_), broken_);
}

std::unique_ptr<pqxx::connection> Pool::open() {
  auto conn = std::make_unique<pqxx::connection>(conninfo_);
  {
    pqxx::nontransaction tx(*conn);
    // A number from validated config, not user input.
    tx.exec("SET statement_timeout = " + std::to_string(config_.statement_timeout_ms));
    tx.exec("SET TIME ZONE 'UTC'");
  }
  for (auto& [name, sql] : statements_.all()) conn->prepare(name, sql);
  ++metrics_.db_reconnects;
  return conn;
}

Pool::Lease Pool::acquire() {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::milliseconds(config_.acquire_timeout_ms);
  std::unique_lock lock(mutex_);
  if (idle_.empty() && open_count_ >= config_.pool_size) {
    ++metrics_.db_waits;
    if (!available_.wait_until(lock, deadline, [&] { return !idle_.empty() || open_count_ < config_.pool_size; })) {
      ++metrics_.db_timeouts;
      lock.unlock();
      unavailable("no database connection free within " + std::to_string(config_.acquire_timeout_ms) + " ms");
    }
  }
  if (!idle_.empty()) {
    auto conn = std::move(idle_.back());
    idle_.pop_back();
    ++metrics_.db_in_use;
    return Lease(this, std::move(conn));
  }
  ++open_count_;
  lock.unlock();
  try {
    auto conn = open();
    ++metrics_.db_in_use;
    return Lease(this, std::move(conn));
  } catch (const std::exception& e) {
    {
      std::lock_guard relock(mutex_);
      --open_count_;
    }
    available_.notify_one();
    log_->warn("database connection failed: {}", e.what());
    unavailable("cannot connect");
  }
}

void Pool::release(std::unique_ptr<pqxx::connection> conn, bool broken) {
  --metrics_.db_in_use;
  {
    std::lock_guard lock(mutex_);
    if (broken || !conn->is_open()) {
      --open_count_;
    } else {
      idle_.push_back(std::move(conn));
    }
  }
  available_.notify_one();
}

void Pool::drop_idle() {
  std::vector<std::unique_ptr<pqxx::connection>> dropped;
  {
    std::lock_guard lock(mutex_);
    dropped.swap(idle_);
    open_count_ -= static_cast<int>(dropped.size());
  }
  available_.notify_all();
}

void Pool::unavailable(const std::string& why) {
  throw Error(ErrorKind::unavailable, "The database is unavailable, try again shortly (" + why + ")");
}

void Pool::connection_lost(const std::exception& e) {
  log_->warn("database connection lost: {}", e.what());
  unavailable("connection lost");
}

bool Pool::is_broken_connection(const std::exception& e) const {
  if (dynamic_cast<const pqxx::broken_connection*>(&e)) return true;
  // 08xxx: connection exception; 57P0x: the server is shutting down or restarting.
  if (auto sql = dynamic_cast<const pqxx::sql_error*>(&e)) {
    const std::string& state = sql->sqlstate();
    return state.rfind("08", 0) == 0 || state.rfind("57P", 0) == 0;
  }
  return false;
}

bool Pool::ping() {
  try {
    return run([](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      return tx.exec("SELECT 1").size() == 1;
    });
  } catch (const std::exception& e) {
    log_->warn("database ping failed: {}", e.what());
    return false;
  }
}

void Pool::count_run() { ++metrics_.db_transactions; }

}  // namespace agora::db
