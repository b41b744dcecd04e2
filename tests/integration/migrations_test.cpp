#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "agora/app/app.hpp"
#include "agora/core/error.hpp"
#include "agora/db/embedded_migrations.hpp"
#include "agora/db/migrations.hpp"
#include "support/test_env.hpp"

using namespace agora;

TEST(Migrations, ApplyOnceInOrderAndRecordEach) {
  auto db = test::TestDatabase::empty();
  pqxx::connection conn(db.url());
  db::Migrator m(db::embedded_migrations(), test::test_logger());
  EXPECT_EQ(m.current_version(conn), 0);
  const int all = static_cast<int>(db::embedded_migrations().size());
  EXPECT_EQ(m.migrate(conn), all);
  EXPECT_EQ(m.current_version(conn), m.latest_version());
  EXPECT_EQ(m.migrate(conn), 0) << "a second run applies nothing";

  pqxx::nontransaction tx(conn);
  auto rows = tx.exec("SELECT version, name FROM schema_migrations ORDER BY version");
  ASSERT_EQ(static_cast<int>(rows.size()), all);
  EXPECT_EQ(rows[0][1].as<std::string>(), "0001_sites.sql");
  EXPECT_EQ(tx.exec("SELECT subdomain_key FROM sites WHERE site_id = 1")[0][0].as<std::string>(), "root");
}

TEST(Migrations, FailingMigrationRollsBackAndIsNotRecorded) {
  auto db = test::TestDatabase::empty();
  pqxx::connection conn(db.url());
  std::vector<db::Migration> bad = {
      {1, "0001_ok.sql", "CREATE TABLE a (x int);"},
      {2, "0002_bad.sql", "CREATE TABLE b (y int); SELECT no_such_function();"},
  };
  db::Migrator m(bad, test::test_logger());
  EXPECT_THROW(m.migrate(conn), std::exception);
  EXPECT_EQ(m.current_version(conn), 1);
  pqxx::nontransaction tx(conn);
  EXPECT_TRUE(tx.exec("SELECT to_regclass('public.b') IS NULL")[0][0].as<bool>()) << "0002 rolled back whole";
  EXPECT_TRUE(tx.exec("SELECT pg_try_advisory_lock(107096879292749)")[0][0].as<bool>()) << "lock released";
}

TEST(Migrations, ServeRefusesAnUnmigratedDatabase) {
  auto db = test::TestDatabase::empty();
  App app(test::test_config(db), test::test_logger());
  try {
    app.start();
    FAIL() << "start should refuse";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("agora migrate"), std::string::npos) << e.what();
  }
}
