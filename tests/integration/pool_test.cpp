#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "agora/core/error.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/relaxed_commit.hpp"
#include "support/test_env.hpp"

using namespace agora;
using namespace std::chrono;

namespace {

DatabaseConfig small_pool(const test::TestDatabase& db, int size) {
  DatabaseConfig c;
  c.url = db.url();
  c.pool_size = size;
  c.acquire_timeout_ms = 200;
  c.connect_timeout_ms = 1000;
  return c;
}

int select_one(db::Pool& pool) {
  return pool.run([](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec_prepared("one")[0][0].as<int>();
  });
}

db::Statements statements() {
  db::Statements st;
  st.add({"one", "SELECT 1"});
  return st;
}

}  // namespace

TEST(Pool, ExhaustionIsUnavailableAfterTheDeadlineNotAHang) {
  test::TestDatabase db;
  Metrics metrics;
  auto st = statements();
  db::Pool pool(small_pool(db, 2), st, metrics, test::test_logger());
  auto a = pool.acquire();
  auto b = pool.acquire();
  EXPECT_EQ(metrics.db_in_use.load(), 2);
  const auto start = steady_clock::now();
  try {
    pool.acquire();
    FAIL() << "expected unavailable";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unavailable);
  }
  const auto waited = duration_cast<milliseconds>(steady_clock::now() - start).count();
  EXPECT_GE(waited, 190);
  EXPECT_LT(waited, 2000);
  EXPECT_EQ(metrics.db_timeouts.load(), 1u);
}

TEST(Pool, ReleasedConnectionIsReusedAndStatementsArePrepared) {
  test::TestDatabase db;
  Metrics metrics;
  auto st = statements();
  db::Pool pool(small_pool(db, 1), st, metrics, test::test_logger());
  for (int i = 0; i < 5; ++i) EXPECT_EQ(select_one(pool), 1);
  EXPECT_EQ(metrics.db_reconnects.load(), 1u) << "one connection opened, then reused";
  EXPECT_EQ(metrics.db_in_use.load(), 0);
}

TEST(Pool, WaiterGetsAConnectionWhenOneIsReleased) {
  test::TestDatabase db;
  Metrics metrics;
  auto st = statements();
  auto cfg = small_pool(db, 1);
  cfg.acquire_timeout_ms = 2000;
  db::Pool pool(cfg, st, metrics, test::test_logger());
  auto held = std::make_unique<db::Pool::Lease>(pool.acquire());
  std::thread releaser([&] {
    std::this_thread::sleep_for(milliseconds(100));
    held.reset();
  });
  EXPECT_EQ(select_one(pool), 1);
  releaser.join();
  EXPECT_EQ(metrics.db_waits.load(), 1u);
}

TEST(Pool, RecoversAfterPostgresRestartsWithoutRestartingTheProcess) {
  test::TestDatabase db;
  Metrics metrics;
  auto st = statements();
  db::Pool pool(small_pool(db, 2), st, metrics, test::test_logger());
  ASSERT_EQ(select_one(pool), 1);

  test::services("stop-pg");
  const auto start = steady_clock::now();
  EXPECT_THROW(select_one(pool), Error) << "database down: unavailable, not a hang";
  EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 5000);
  EXPECT_FALSE(pool.ping());
  test::services("start-pg");

  EXPECT_EQ(select_one(pool), 1) << "a broken connection is replaced transparently";
  EXPECT_TRUE(pool.ping());
}

// Side records commit without waiting for the disk; only their own transaction is relaxed.
TEST(RelaxedCommit, OnlyItsTransactionSkipsTheFlush) {
  test::TestDatabase db;
  db::Statements statements;
  store::register_relaxed_commit_statement(statements);
  pqxx::connection c(db.url());
  for (const auto& [name, sql] : statements.all()) c.prepare(name, sql);
  pqxx::nontransaction(c).exec("SET synchronous_commit = on");
  {
    pqxx::work tx(c);
    store::relax_commit(tx);
    EXPECT_EQ(tx.exec1("SHOW synchronous_commit")[0].as<std::string>(), "off");
    tx.commit();
  }
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SHOW synchronous_commit")[0].as<std::string>(), "on");
}

// The one-statement form: the setting holds inside the statement's own transaction (where
// the commit reads it) and is gone for the next statement on the same pooled connection.
TEST(RelaxedCommit, AStatementRunOnItsOwnRelaxesOnlyItself) {
  test::TestDatabase db;
  pqxx::connection c(db.url());
  c.prepare("inside", "SELECT current_setting('synchronous_commit')"
                     " FROM (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit");
  pqxx::nontransaction(c).exec("SET synchronous_commit = on");
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec_prepared1("inside")[0].as<std::string>(), "off");
  EXPECT_EQ(tx.exec1("SHOW synchronous_commit")[0].as<std::string>(), "on");
}
