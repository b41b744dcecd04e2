#include "test_env.hpp"

#include "mail_sink.hpp"

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <gtest/gtest.h>
#include <mutex>
#include <thread>
#include <pqxx/pqxx>
#include <spdlog/sinks/null_sink.h>
#include <spdlog/spdlog.h>
#include <unistd.h>

#include "agora/db/embedded_migrations.hpp"
#include "agora/db/migrations.hpp"

namespace agora::test {
namespace {

std::string env_or(const char* name, const char* fallback) {
  const char* v = std::getenv(name);
  return v && *v ? v : fallback;
}

/// The services' addresses come from `scripts/services.sh env`, which `make test` exports.
std::string required_env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) {
    throw std::runtime_error(std::string(name) + " is not set: run the tests with `make test`, or export "
                             "the output of `scripts/services.sh env`");
  }
  return v;
}

std::string admin_url() { return pg_base_url() + "/postgres"; }

/// Creates (once per process) a migrated template database and drops it at exit.
class Template {
 public:
  const std::string& name() {
    std::call_once(once_, [this] {
      name_ = "agora_tmpl_" + std::to_string(::getpid());
      exec_sql(admin_url(), "DROP DATABASE IF EXISTS " + name_);
      exec_sql(admin_url(), "CREATE DATABASE " + name_);
      pqxx::connection conn(pg_base_url() + "/" + name_);
      db::Migrator(db::embedded_migrations(), test_logger()).migrate(conn);
    });
    return name_;
  }
  /// Called from the test environment's TearDown: static destructors run too late, after
  /// libpqxx's own statics are gone.
  void drop() {
    if (name_.empty()) return;
    // FORCE cannot end an autovacuum worker that happens to be in the template (it runs as
    // the superuser): such a worker finishes soon, so try again before giving up.
    for (int attempt = 1;; ++attempt) {
      try {
        exec_sql(admin_url(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
        break;
      } catch (const std::exception& e) {
        if (attempt == 20) {
          std::fprintf(stderr, "template database %s left behind: %s\n", name_.c_str(), e.what());
          break;
        }
        std::this_thread::sleep_for(std::chrono::milliseconds(250));
      }
    }
    name_.clear();
  }

 private:
  std::once_flag once_;
  std::string name_;
};

Template& template_db() {
  static Template t;
  return t;
}

class DropTemplate : public ::testing::Environment {
 public:
  void TearDown() override { template_db().drop(); }
};
// Registered when this file is linked, i.e. whenever a test uses TestDatabase.
[[maybe_unused]] auto* const drop_template = ::testing::AddGlobalTestEnvironment(new DropTemplate);

std::string next_name() {
  static std::atomic<int> counter{0};
  return "agora_t_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
}

}  // namespace

std::string pg_base_url() { return required_env("AGORA_TEST_PG_URL"); }
std::string memcached_server() { return required_env("AGORA_TEST_MEMCACHED"); }

void services(const std::string& verb) {
  const std::string script = env_or("AGORA_SERVICES", "scripts/services.sh");
  const std::string cmd = "bash " + script + " " + verb + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
}

Logger test_logger() {
  LogConfig lc;
  lc.level = std::getenv("AGORA_TEST_LOG") ? "debug" : "off";
  return make_logger(lc, "test");
}

void exec_sql(const std::string& url, const std::string& sql) {
  pqxx::connection conn(url);
  pqxx::nontransaction tx(conn);
  tx.exec(sql);
}

TestDatabase::TestDatabase() : name_(next_name()), url_(pg_base_url() + "/" + name_) {
  exec_sql(admin_url(), "CREATE DATABASE " + name_ + " TEMPLATE " + template_db().name());
}

TestDatabase::TestDatabase(Empty) : name_(next_name()), url_(pg_base_url() + "/" + name_) {
  exec_sql(admin_url(), "CREATE DATABASE " + name_);
}

TestDatabase TestDatabase::empty() { return TestDatabase(Empty{}); }

TestDatabase::TestDatabase(TestDatabase&& other) noexcept
    : name_(std::move(other.name_)), url_(std::move(other.url_)) {
  other.name_.clear();
}

TestDatabase::~TestDatabase() {
  if (name_.empty()) return;
  // A backend that is still shutting down can make one attempt fail; a few more settle it.
  std::string last_error;
  for (int attempt = 0; attempt < 5; ++attempt) {
    try {
      exec_sql(admin_url(), "DROP DATABASE IF EXISTS " + name_ + " WITH (FORCE)");
      return;
    } catch (const std::exception& e) {
      last_error = e.what();
      std::this_thread::sleep_for(std::chrono::milliseconds(200));
    }
  }
  ADD_FAILURE() << "could not drop " << name_ << ": " << last_error;
}

Config test_config(const TestDatabase& db, const std::string& cache_backend) {
  Config c;
  c.source = "test";
  c.http.listen = "127.0.0.1:0";
  c.http.threads = 2;
  c.http.drain_timeout_ms = 5000;
  c.database.url = db.url();
  c.database.pool_size = 4;
  c.database.acquire_timeout_ms = 1000;
  c.cache.backend = cache_backend;
  c.cache.servers = {memcached_server()};
  c.cache.key_namespace = db.name();  // test databases share one memcached
  c.sites.domain = "localhost";
  c.sites.reserved = default_reserved_subdomains();
  c.log.level = "off";
  c.log.access_log = false;
  c.auth.password_opslimit = 1;  // argon2id at its cheapest: tests hash many passwords
  c.auth.password_memlimit_kib = 8;
  c.mail.smtp_url = smtp_url();
  c.mail.poll_interval_ms = 200;
  c.mail.timeout_ms = 2000;
  return c;
}

}  // namespace agora::test
