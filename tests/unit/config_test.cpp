#include <gtest/gtest.h>

#include "agora/core/config.hpp"
#include "agora/core/error.hpp"

using agora::parse_config;

namespace {

std::string error_of(const std::string& toml) {
  try {
    parse_config(toml, "agora.toml");
  } catch (const agora::Error& e) {
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Config, EmptyFileGivesDocumentedDefaults) {
  auto c = parse_config("", "x");
  EXPECT_EQ(c.http.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.http.max_body_bytes, 1u << 20);
  EXPECT_EQ(c.database.pool_size, 8);
  EXPECT_EQ(c.cache.backend, "memory");
  EXPECT_EQ(c.cache.ttl_seconds, 604800);
  EXPECT_EQ(c.sites.domain, "localhost");
  EXPECT_EQ(c.log.level, "info");
  EXPECT_EQ(c.http.trusted_proxies, std::vector<std::string>{"127.0.0.1"});
  EXPECT_NE(std::find(c.sites.reserved.begin(), c.sites.reserved.end(), "root"), c.sites.reserved.end());
}

TEST(Config, ReadsEveryKind) {
  auto c = parse_config(R"(
[http]
listen = "0.0.0.0:9000"
threads = 3
trusted_proxies = ["10.0.0.1", "10.0.0.2"]
[database]
url = "postgresql://u@db:5433/x"
pool_size = 20
[cache]
backend = "memcached"
servers = ["a:11211", "b:11211"]
[sites]
domain = "Example.COM"
[log]
level = "debug"
format = "json"
access_log = false
[jobs]
prune_job_runs = "*/5 * * * * *"
)",
                        "x");
  EXPECT_EQ(c.http.listen, "0.0.0.0:9000");
  EXPECT_EQ(c.http.threads, 3);
  EXPECT_EQ(c.http.trusted_proxies.size(), 2u);
  EXPECT_EQ(c.database.pool_size, 20);
  EXPECT_EQ(c.cache.servers.size(), 2u);
  EXPECT_EQ(c.sites.domain, "example.com") << "domain is lower-cased";
  EXPECT_EQ(c.log.format, "json");
  EXPECT_FALSE(c.log.access_log);
  EXPECT_EQ(c.jobs.schedules.at("prune_job_runs"), "*/5 * * * * *");
}

TEST(Config, ErrorsNameTheKeyAndLine) {
  auto e = error_of("[http]\nthreads = \"many\"\n");
  EXPECT_NE(e.find("[http].threads"), std::string::npos) << e;
  EXPECT_NE(e.find("line 2"), std::string::npos) << e;

  e = error_of("[database]\n\npool_size = 0\n");
  EXPECT_NE(e.find("[database].pool_size"), std::string::npos) << e;
  EXPECT_NE(e.find("line 3"), std::string::npos) << e;
  EXPECT_NE(e.find("between 1 and"), std::string::npos) << e;
}

TEST(Config, RejectsUnknownKeysAndSections) {
  EXPECT_NE(error_of("[http]\nlisten_on = \"x\"\n").find("[http].listen_on (line 2): unknown key"), std::string::npos);
  EXPECT_NE(error_of("[htp]\n").find("unknown section"), std::string::npos);
}

TEST(Config, RejectsBadValues) {
  EXPECT_NE(error_of("[cache]\nbackend = \"redis\"\n").find("must be one of"), std::string::npos);
  EXPECT_NE(error_of("[cache]\nttl_seconds = 2592001\n").find("[cache].ttl_seconds"), std::string::npos);
  EXPECT_NE(error_of("[http]\nlisten = \"nowhere\"\n").find("host:port"), std::string::npos);
  EXPECT_NE(error_of("[database]\nurl = \"mysql://x\"\n").find("postgresql://"), std::string::npos);
  EXPECT_NE(error_of("[log]\nlevel = \"loud\"\n").find("[log].level"), std::string::npos);
  EXPECT_NE(error_of("[cache]\nnamespace = \"Has Space\"\n").find("[cache].namespace"), std::string::npos);
  EXPECT_NE(error_of("[auth]\npassword_memlimit_kib = 1\n").find("[auth].password_memlimit_kib"), std::string::npos);
  EXPECT_NE(error_of("[jobs]\nprune_job_runs = \"* * *\"\n").find("[jobs].prune_job_runs (line 2)"),
            std::string::npos);
}

TEST(Config, SyntaxErrorsGiveLineAndColumn) {
  auto e = error_of("[http]\nlisten = \n");
  EXPECT_NE(e.find("agora.toml (line 2"), std::string::npos) << e;
}

TEST(Config, RestartRequiredChangesListOnlyRestartKeys) {
  auto a = parse_config("", "x");
  auto b = a;
  b.log.level = "debug";
  b.cache.ttl_seconds = 60;
  b.http.cors_origins = {"https://x.example"};
  EXPECT_TRUE(agora::restart_required_changes(a, b).empty());
  b.http.listen = "127.0.0.1:9999";
  b.database.pool_size = 2;
  auto changed = agora::restart_required_changes(a, b);
  EXPECT_EQ(changed, (std::vector<std::string>{"[http].listen", "[database].pool_size"}));
}

TEST(Config, ShippedFileParses) {
  auto c = agora::load_config_file(std::string(AGORA_SOURCE_DIR) + "/config/agora.toml");
  EXPECT_EQ(c.http.listen, "127.0.0.1:8080");
  EXPECT_EQ(c.jobs.schedules.count("prune_job_runs"), 1u);
}

TEST(Config, OidcProvidersArePerSiteAndValidated) {
  auto c = parse_config(R"(
[oidc.demo]
issuer = "https://login.example.com/"
audience = "client-1"
jwks_file = "/etc/agora/demo-jwks.json"
)", "x");
  ASSERT_EQ(c.oidc.count("demo"), 1u);
  EXPECT_EQ(c.oidc["demo"].audience, "client-1");
  EXPECT_EQ(c.oidc["demo"].leeway_seconds, 60);
  EXPECT_EQ(error_of("[oidc.demo]\nissuer = \"https://a/\"\njwks_file = \"/x\"\n"),
            "agora.toml: [oidc.demo].audience: is required (the client id)");
  EXPECT_NE(error_of("[oidc.demo]\nissuer = \"https://a/\"\naudience = \"c\"\n").find("exactly one of jwks_file"),
            std::string::npos);
  EXPECT_NE(error_of("[oidc.demo]\nissuer = \"https://a/\"\naudience = \"c\"\njwks_url = \"http://evil/\"\n")
                .find("must be an https:// URL"),
            std::string::npos);
  EXPECT_NE(error_of("[oidc.demo]\nissuer = \"https://a/\"\naudience = \"c\"\njwks_file = \"/x\"\nsecret = 1\n")
                .find("[oidc.demo].secret"),
            std::string::npos);
}

TEST(Config, MailSettingsAreChecked) {
  auto c = parse_config("[mail]\nsmtp_url = \"smtps://mail.example.org:465\"\nmax_attempts = 3\n", "x");
  EXPECT_EQ(c.mail.smtp_url, "smtps://mail.example.org:465");
  EXPECT_EQ(c.mail.max_attempts, 3);
  EXPECT_NE(error_of("[mail]\nsmtp_url = \"http://x\"\n").find("[mail].smtp_url"), std::string::npos);
  EXPECT_NE(error_of("[mail]\nfrom = \"no address\"\n").find("[mail].from"), std::string::npos);
}
