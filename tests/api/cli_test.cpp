// Black-box tests of the real binary: usage errors, config errors, and `serve` reacting to
// file changes, SIGHUP and SIGTERM.

#include <csignal>
#include <fstream>
#include <gtest/gtest.h>
#include <pqxx/pqxx>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "api_fixture.hpp"
#include "support/own_memcached.hpp"

using namespace agora;
using namespace agora::test;
using namespace std::chrono;

namespace {

struct Result {
  int exit_code;
  std::string output;
};

Result run(const std::string& args) {
  std::string cmd = std::string(AGORA_BINARY) + " " + args + " 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (auto n = std::fread(buf, 1, sizeof buf, p)) out.append(buf, n);
  int status = ::pclose(p);
  return {WEXITSTATUS(status), out};
}

std::string temp_path(const std::string& name) {
  return "/tmp/agora_cli_" + std::to_string(::getpid()) + "_" + name;
}

void write_file(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::trunc) << text;
}

std::string config_text(const TestDatabase& db, int port, const std::string& cors) {
  return "[http]\nlisten = \"127.0.0.1:" + std::to_string(port) + "\"\ncors_origins = [\"" + cors +
         "\"]\n[database]\nurl = \"" + db.url() + "\"\n[log]\nlevel = \"warn\"\naccess_log = false\n";
}


}  // namespace

TEST(Cli, VersionAndUsageErrors) {
  auto v = run("version");
  EXPECT_EQ(v.exit_code, 0);
  EXPECT_NE(v.output.find("agora "), std::string::npos);
  EXPECT_EQ(run("").exit_code, 2);
  auto unknown = run("frobnicate");
  EXPECT_EQ(unknown.exit_code, 2);
  EXPECT_NE(unknown.output.find("unknown command frobnicate"), std::string::npos);
  EXPECT_EQ(run("serve").exit_code, 2);
  EXPECT_NE(run("serve --config").output.find("--config needs a value"), std::string::npos);
  EXPECT_NE(run("create-site --config x --subdomain a").output.find("missing --title"), std::string::npos);
}

TEST(Cli, BadConfigNamesKeyAndLine) {
  auto path = temp_path("bad.toml");
  write_file(path, "[http]\nlisten = \"127.0.0.1:1\"\n\n[database]\npool_size = -3\n");
  auto r = run("migrate --config " + path);
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.output.find("[database].pool_size (line 5)"), std::string::npos) << r.output;
  EXPECT_NE(run("serve --config /nonexistent.toml").output.find("cannot be read"), std::string::npos);
  ::unlink(path.c_str());
}

TEST(Cli, MigrateCreateSiteAndServe) {
  auto db = TestDatabase::empty();
  const int port = free_port();
  auto path = temp_path("serve.toml");
  write_file(path, config_text(db, port, "*"));

  auto m = run("migrate --config " + path);
  ASSERT_EQ(m.exit_code, 0) << m.output;
  EXPECT_NE(m.output.find("applied"), std::string::npos);
  auto created = run("create-site --config " + path + " --subdomain cli --title 'From CLI'");
  ASSERT_EQ(created.exit_code, 0) << created.output;
  EXPECT_EQ(std::stoi(created.output), 2);
  EXPECT_EQ(run("create-site --config " + path + " --subdomain cli --title Again").exit_code, 1);
  auto seeded = run("seed-demo --config " + path);
  EXPECT_EQ(seeded.exit_code, 0) << seeded.output;
  EXPECT_NE(seeded.output.find("30 conversations, 300 comments"), std::string::npos) << seeded.output;
  EXPECT_NE(seeded.output.find("demo huddle: between"), std::string::npos) << seeded.output;
  EXPECT_NE(run("seed-demo --config " + path).output.find("exists"), std::string::npos) << "idempotent";
  {
    pqxx::connection c(db.url());
    pqxx::work tx(c);
    EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM comments WHERE item_type_id = 6")[0].as<int>(), 300);
    // A comment on each upcoming event, and the demo huddle's exchange, counted on their items.
    EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM comments WHERE item_type_id = 9")[0].as<int>(), 2);
    EXPECT_EQ(tx.exec1("SELECT SUM(comment_count) FROM events WHERE site_id = 3")[0].as<int>(), 2);
    EXPECT_EQ(tx.exec1("SELECT comment_count FROM huddles WHERE site_id = 3")[0].as<int>(), 2);
    EXPECT_GT(tx.exec1("SELECT COUNT(*) FROM mentions")[0].as<int>(), 0);
    EXPECT_GT(tx.exec1("SELECT COUNT(*) FROM comments WHERE in_reply_to IS NOT NULL")[0].as<int>(), 0);
    EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM microcosms WHERE site_id = 3 AND array_length(path, 1) = 3")[0].as<int>(), 2);
    // A poll with votes, its counters matching them.
    EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM polls WHERE site_id = 3")[0].as<int>(), 1);
    EXPECT_GT(tx.exec1("SELECT voter_count FROM polls WHERE site_id = 3")[0].as<int>(), 0);
    EXPECT_EQ(tx.exec1("SELECT voter_count FROM polls WHERE site_id = 3")[0].as<int>(),
              tx.exec1("SELECT COUNT(DISTINCT user_id) FROM votes WHERE site_id = 3")[0].as<int>());
  }

  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(AGORA_BINARY, AGORA_BINARY, "serve", "--config", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  auto wait_ready = [&] {
    for (int i = 0; i < 100; ++i) {
      try {
        if (get(port, "/healthz").status == 200) return true;
      } catch (const std::exception&) {
      }
      std::this_thread::sleep_for(milliseconds(50));
    }
    return false;
  };
  ASSERT_TRUE(wait_ready());
  auto origin_for = [&] {
    return request(port, "GET", "/api/v1/site", {{"Host", "cli.localhost"}, {"Origin", "https://a.example"}})
        .header("access-control-allow-origin");
  };
  EXPECT_EQ(origin_for(), "*");
  EXPECT_EQ(get(port, "/api/v1/site", "demo.localhost").status, 200);

  // Saving the file reloads it.
  std::this_thread::sleep_for(milliseconds(1100));  // a new mtime second
  write_file(path, config_text(db, port, "https://a.example"));
  bool applied = false;
  for (int i = 0; i < 60 && !applied; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    applied = origin_for() == "https://a.example";
  }
  EXPECT_TRUE(applied) << "file change reloads the config";

  // A broken file is refused and the running config stays; SIGHUP re-reads it.
  write_file(path, "[http]\nthreads = \"lots\"\n");
  ::kill(pid, SIGHUP);
  std::this_thread::sleep_for(milliseconds(1500));
  EXPECT_EQ(origin_for(), "https://a.example");
  EXPECT_EQ(get(port, "/healthz").status, 200);

  write_file(path, config_text(db, port, "*"));
  ::kill(pid, SIGHUP);
  bool back = false;
  for (int i = 0; i < 30 && !back; ++i) {
    std::this_thread::sleep_for(milliseconds(100));
    back = origin_for() == "*";
  }
  EXPECT_TRUE(back) << "SIGHUP reloads";

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ::unlink(path.c_str());
}

TEST(Cli, CreateSiteWithOwnerThenLogInAsTheOwner) {
  auto db = TestDatabase::empty();
  const int port = free_port();
  auto path = temp_path("owner.toml");
  write_file(path, config_text(db, port, "*") + "[auth]\npassword_opslimit = 1\npassword_memlimit_kib = 8\n");
  ASSERT_EQ(run("migrate --config " + path).exit_code, 0);
  EXPECT_EQ(run("create-site --config " + path + " --subdomain x --title X --owner-password p").exit_code, 2)
      << "a password needs an owner";
  auto bad_owner = run("create-site --config " + path + " --subdomain x --title X --owner-email nope");
  EXPECT_EQ(bad_owner.exit_code, 1);
  EXPECT_NE(bad_owner.output.find("not a valid e-mail"), std::string::npos) << bad_owner.output;
  ASSERT_EQ(run("create-site --config " + path +
                " --subdomain club --title Club --owner-email boss@example.org --owner-password 'boss password'")
                .exit_code,
            0);
  ASSERT_EQ(run("create-site --config " + path + " --subdomain other --title Other").exit_code, 0);
  auto user = run("create-user --config " + path + " --email second@example.org --password 'second password'");
  EXPECT_EQ(user.exit_code, 0) << user.output;
  EXPECT_EQ(run("create-user --config " + path + " --email second@example.org").exit_code, 1) << "taken";

  pid_t pid = ::fork();
  if (pid == 0) {
    ::execl(AGORA_BINARY, AGORA_BINARY, "serve", "--config", path.c_str(), static_cast<char*>(nullptr));
    ::_exit(127);
  }
  bool up = false;
  for (int i = 0; i < 100 && !up; ++i) {
    try {
      up = get(port, "/healthz").status == 200;
    } catch (const std::exception&) {
      std::this_thread::sleep_for(milliseconds(50));
    }
  }
  ASSERT_TRUE(up);
  auto login = request(port, "POST", "/api/v1/auth", {{"Host", "club.localhost"}, {"Content-Type", "application/json"}},
                       R"({"email":"boss@example.org","password":"boss password"})");
  ASSERT_EQ(login.status, 200) << login.body;
  auto token = login.json()["data"].get<std::string>();
  auto bearer = [&](const std::string& method, const std::string& target, const std::string& host) {
    return request(port, method, target, {{"Host", host}, {"Authorization", "Bearer " + token}});
  };
  auto me = bearer("GET", "/api/v1/whoami", "club.localhost");
  ASSERT_EQ(me.status, 200);
  EXPECT_EQ(me.json()["data"]["meta"]["permissions"]["siteOwner"], true);
  EXPECT_EQ(me.json()["data"]["admin"], true);
  EXPECT_EQ(bearer("GET", "/api/v1/whoami", "other.localhost").status, 401) << "another site's host";
  EXPECT_EQ(bearer("DELETE", "/api/v1/auth", "club.localhost").status, 200);
  EXPECT_EQ(bearer("GET", "/api/v1/whoami", "club.localhost").status, 401) << "after logout";

  ::kill(pid, SIGTERM);
  int status = 0;
  ::waitpid(pid, &status, 0);
  EXPECT_EQ(WEXITSTATUS(status), 0);
  ::unlink(path.c_str());
}
