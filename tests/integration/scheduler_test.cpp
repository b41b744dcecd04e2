#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <thread>

#include "agora/core/config.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/jobs/builtin_jobs.hpp"
#include "agora/jobs/scheduler.hpp"
#include "support/test_env.hpp"

using namespace agora;
using namespace std::chrono;

namespace {

struct Node {
  explicit Node(const test::TestDatabase& db, Config config)
      : holder(std::move(config)), statements(make()), pool(holder.get()->database, statements, metrics, test::test_logger()),
        scheduler(pool, holder, metrics, test::test_logger()) {}
  static db::Statements make() {
    db::Statements st;
    jobs::Scheduler::register_statements(st);
    jobs::register_builtin_statements(st);
    return st;
  }
  ConfigHolder holder;
  Metrics metrics;
  db::Statements statements;
  db::Pool pool;
  jobs::Scheduler scheduler;
};

long long count(const test::TestDatabase& db, const std::string& where) {
  pqxx::connection c(db.url());
  pqxx::nontransaction tx(c);
  return tx.exec("SELECT COUNT(*) FROM job_runs WHERE " + where)[0][0].as<long long>();
}

}  // namespace

TEST(Scheduler, ATickRunsOnceAcrossNodes) {
  test::TestDatabase db;
  Node a(db, test::test_config(db)), b(db, test::test_config(db));
  std::atomic<int> runs{0};
  auto job = [&](pqxx::connection&) { ++runs; };
  a.scheduler.add({"counted", "* * * * *", job});
  b.scheduler.add({"counted", "* * * * *", job});
  const auto tick = floor<seconds>(system_clock::now());
  EXPECT_TRUE(a.scheduler.run_tick("counted", tick));
  EXPECT_FALSE(b.scheduler.run_tick("counted", tick)) << "same tick on another node";
  EXPECT_TRUE(b.scheduler.run_tick("counted", tick + seconds(60)));
  EXPECT_EQ(runs.load(), 2);
  EXPECT_EQ(count(db, "job = 'counted' AND ok"), 2);
}

TEST(Scheduler, HeldAdvisoryLockSkipsTheRun) {
  test::TestDatabase db;
  Node a(db, test::test_config(db)), b(db, test::test_config(db));
  std::atomic<bool> release{false};
  std::atomic<bool> started{false};
  a.scheduler.add({"slow", "* * * * *", [&](pqxx::connection&) {
                     started = true;
                     while (!release) std::this_thread::sleep_for(milliseconds(5));
                   }});
  b.scheduler.add({"slow", "* * * * *", [](pqxx::connection&) {}});
  const auto tick = floor<seconds>(system_clock::now());
  std::thread t([&] { a.scheduler.run_tick("slow", tick); });
  while (!started) std::this_thread::sleep_for(milliseconds(5));
  EXPECT_FALSE(b.scheduler.run_tick("slow", tick + seconds(60))) << "lock held by node a";
  release = true;
  t.join();
}

TEST(Scheduler, FailuresAreRecordedAndTheLoopKeepsGoing) {
  test::TestDatabase db;
  auto config = test::test_config(db);
  config.jobs.schedules["failing"] = "* * * * * *";  // every second
  config.jobs.schedules["working"] = "* * * * * *";
  Node n(db, config);
  std::atomic<int> ok_runs{0};
  n.scheduler.add({"failing", "", [](pqxx::connection&) { throw std::runtime_error("boom"); }});
  n.scheduler.add({"working", "", [&](pqxx::connection&) { ++ok_runs; }});
  n.scheduler.start();
  const auto deadline = steady_clock::now() + seconds(10);
  while (ok_runs < 3 && steady_clock::now() < deadline) std::this_thread::sleep_for(milliseconds(50));
  n.scheduler.stop();
  EXPECT_GE(ok_runs.load(), 3);
  EXPECT_GE(count(db, "job = 'failing' AND NOT ok AND error = 'boom'"), 2);
  EXPECT_GE(n.metrics.jobs_failed.load(), 2u);
}

TEST(Scheduler, ReloadChangesTheSchedule) {
  test::TestDatabase db;
  Node n(db, test::test_config(db));
  std::atomic<int> runs{0};
  n.scheduler.add({"job", "0 0 1 1 *", [&](pqxx::connection&) { ++runs; }});  // once a year
  n.scheduler.start();
  std::this_thread::sleep_for(milliseconds(1200));
  EXPECT_EQ(runs.load(), 0);
  auto next = *n.holder.get();
  next.jobs.schedules["job"] = "* * * * * *";
  n.holder.set(next);
  n.scheduler.reload();
  const auto deadline = steady_clock::now() + seconds(5);
  while (runs < 1 && steady_clock::now() < deadline) std::this_thread::sleep_for(milliseconds(20));
  EXPECT_GE(runs.load(), 1);
  n.scheduler.stop();
}

TEST(Scheduler, PruneJobDeletesOnlyOldRuns) {
  test::TestDatabase db;
  test::exec_sql(db.url(),
                 "INSERT INTO job_runs (job, tick, started, finished, ok) VALUES"
                 " ('x', now() - interval '40 days', now() - interval '40 days', now() - interval '40 days', true),"
                 " ('x', now() - interval '2 days', now() - interval '2 days', now() - interval '2 days', true)");
  Node n(db, test::test_config(db));
  for (auto& job : jobs::builtin_jobs(n.holder)) n.scheduler.add(job);
  ASSERT_TRUE(n.scheduler.run_tick("prune_job_runs", floor<seconds>(system_clock::now())));
  EXPECT_EQ(count(db, "job = 'x'"), 1);
  EXPECT_EQ(count(db, "job = 'prune_job_runs' AND ok"), 1);
}

TEST(Scheduler, AuditLogAndLoginCodesArePrunedByAge) {
  test::TestDatabase db;
  test::exec_sql(db.url(),
                 "INSERT INTO ips (site_id, item_type_id, item_id, profile_id, seen, action, ip) VALUES"
                 " (1, 3, 1, 1, now() - interval '400 days', 'C', '10.0.0.1'),"
                 " (1, 3, 1, 1, now() - interval '20 days', 'U', '10.0.0.1');"
                 "INSERT INTO login_codes (site_id, email, canonical_email, code_hash, expires) VALUES"
                 " (1, 'a@example.org', 'a@example.org', repeat('0', 64), now() - interval '1 minute'),"
                 " (1, 'b@example.org', 'b@example.org', repeat('0', 64), now() + interval '10 minutes')");
  auto config = test::test_config(db);
  config.auth.audit_retention_days = 30;
  Node n(db, config);
  for (auto& job : jobs::builtin_jobs(n.holder)) n.scheduler.add(job);
  const auto tick = floor<seconds>(system_clock::now());
  ASSERT_TRUE(n.scheduler.run_tick("prune_audit_log", tick));
  ASSERT_TRUE(n.scheduler.run_tick("prune_login_codes", tick));
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM ips")[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("SELECT string_agg(email, ',') FROM login_codes")[0].as<std::string>(), "b@example.org");
}

TEST(Scheduler, HuddlesWithoutParticipantsArePurgedNightly) {
  test::TestDatabase db;
  // Huddle 1 has a participant left, huddle 2 has none (everyone left): only 2 goes.
  test::exec_sql(db.url(),
                 "INSERT INTO users (user_id, email, canonical_email) VALUES (900, 'h@example.org', 'h@example.org');"
                 "INSERT INTO profiles (profile_id, site_id, user_id, profile_name) VALUES (900, 1, 900, 'H');"
                 "INSERT INTO huddles (huddle_id, site_id, title, created_by) VALUES (1, 1, 'kept', 900), (2, 1, 'gone', 900);"
                 "INSERT INTO huddle_profiles (site_id, huddle_id, profile_id) VALUES (1, 1, 900);"
                 // A comment on each, the gone one with a reply, a revision, a link, a mention,
                 // an attribute and a read marker: all of it goes with its huddle.
                 "INSERT INTO comments (comment_id, site_id, item_type_id, item_id, profile_id, in_reply_to) VALUES"
                 " (1, 1, 5, 1, 900, NULL), (2, 1, 5, 2, 900, NULL), (3, 1, 5, 2, 900, 2);"
                 "INSERT INTO revisions (revision_id, comment_id, profile_id, raw, html) VALUES"
                 " (1, 1, 900, 'k', 'k'), (2, 2, 900, 'g', 'g'), (3, 3, 900, 'r', 'r');"
                 "INSERT INTO links (link_id, url, url_sha256) VALUES (1, 'https://example.org', repeat('a', 64));"
                 "INSERT INTO revision_links (revision_id, link_id) VALUES (2, 1);"
                 "INSERT INTO mentions (comment_id, profile_id) VALUES (3, 900);"
                 "INSERT INTO attributes (site_id, item_type_id, item_id, key, value_type, string_value) VALUES"
                 " (1, 4, 2, 'k', 'string', 'v');"
                 "INSERT INTO read_markers (profile_id, item_type_id, item_id, read) VALUES (900, 5, 2, now()), (900, 5, 1, now());");
  Node n(db, test::test_config(db));
  for (auto& job : jobs::builtin_jobs(n.holder)) n.scheduler.add(job);
  ASSERT_TRUE(n.scheduler.run_tick("purge_abandoned_huddles", floor<seconds>(system_clock::now())));
  pqxx::connection c(db.url());
  pqxx::work tx(c);
  EXPECT_EQ(tx.exec1("SELECT string_agg(title, ',') FROM huddles")[0].as<std::string>(), "kept");
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM huddle_profiles")[0].as<int>(), 1);
  EXPECT_EQ(tx.exec1("SELECT string_agg(comment_id::text, ',') FROM comments")[0].as<std::string>(), "1");
  EXPECT_EQ(tx.exec1("SELECT string_agg(revision_id::text, ',') FROM revisions")[0].as<std::string>(), "1");
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM revision_links")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM mentions")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM attributes WHERE item_type_id = 4")[0].as<int>(), 0);
  EXPECT_EQ(tx.exec1("SELECT string_agg(item_id::text, ',') FROM read_markers WHERE item_type_id = 5")[0].as<std::string>(),
            "1");
}
