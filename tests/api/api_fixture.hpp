#pragma once
// Starts the whole server in-process against a database of its own, seeded with:
//   site 2 "demo" (demo.localhost), site 3 "other" (also forum.example.com), site 4 "gone" (deleted)
// plus test-only routes: /test/slow?ms=N, /test/throw, /test/hold-db?ms=N.

#include <memory>
#include <pqxx/pqxx>
#include <ctime>
#include <fstream>
#include <sstream>
#include <thread>

#include "agora/api/route_table.hpp"
#include "agora/app/app.hpp"
#include "agora/core/error.hpp"
#include "agora/db/pool.hpp"
#include "support/http_client.hpp"
#include "support/mail_sink.hpp"
#include "support/test_env.hpp"

namespace agora::test {

inline void seed_sites(const TestDatabase& db) {
  exec_sql(db.url(),
           "INSERT INTO sites (site_id, title, description, subdomain_key, domain, is_deleted) VALUES"
           " (2, 'Demo', 'The demo', 'demo', NULL, false),"
           " (3, 'Other', 'Another site', 'other', 'forum.example.com', false),"
           " (4, 'Gone', 'Deleted', 'gone', NULL, true);"
           "SELECT setval('sites_site_id_seq', 4);"
           "INSERT INTO menus (site_id, href, title, text, sequence) VALUES (2, '/about', 'About us', 'About', 0)");
}

inline std::int64_t query_ms(const http::Request& r) {
  auto v = r.query_param("ms");
  return v ? std::stoll(std::string(*v)) : 0;
}

inline void add_test_routes(api::RouteTable& t, db::Pool& pool) {
  t.add("/test/slow", http::HostScope::root_and_site, http::Method::get, [](api::Context&, const http::Request& r) {
    std::this_thread::sleep_for(std::chrono::milliseconds(query_ms(r)));
    return http::Response::ok("slept");
  });
  t.add("/test/throw", http::HostScope::root_and_site, http::Method::get,
        [](api::Context&, const http::Request&) -> http::Response { throw std::runtime_error("unexpected"); });
  // A stand-in for the StopForumSpam API: addresses starting with "spammer" are listed.
  t.add("/test/sfs", http::HostScope::root_and_site, http::Method::get, [](api::Context&, const http::Request& r) {
    const auto email = std::string(r.query_param("email").value_or(""));
    const auto now = std::to_string(std::time(nullptr));
    const std::string body = email.rfind("spammer", 0) == 0
                                 ? R"({"success":1,"email":{"appears":1,"lastseen":)" + now + R"(,"confidence":90}})"
                                 : R"({"success":1,"email":{"appears":0}})";
    return http::Response::raw(200, body, "application/json");
  });
  // Serves a file as JSON (a JWKS document for the OIDC tests): /test/file?path=...
  t.add("/test/file", http::HostScope::root_and_site, http::Method::get, [](api::Context&, const http::Request& r) {
    std::ifstream in(std::string(r.query_param("path").value_or("")));
    std::ostringstream text;
    text << in.rdbuf();
    return http::Response::raw(200, text.str(), "application/json");
  });
  t.add("/test/hold-db", http::HostScope::root_and_site, http::Method::get, [&pool](api::Context&, const http::Request& r) {
    auto lease = pool.acquire();
    std::this_thread::sleep_for(std::chrono::milliseconds(query_ms(r)));
    return http::Response::ok("held");
  });
}

class RunningServer {
 public:
  explicit RunningServer(Config config = {}, bool use_defaults = true) {
    seed_sites(db_);
    if (use_defaults) config = test_config(db_);
    config.database.url = db_.url();
    config.cache.key_namespace = db_.name();  // test databases share one memcached
    start(std::move(config));
  }
  RunningServer(const TestDatabase&) = delete;

  void start(Config config) {
    app_ = std::make_unique<App>(std::move(config), test_logger(), add_test_routes);
    app_->start();
  }
  unsigned short port() const { return app_->port(); }
  App& app() { return *app_; }
  const TestDatabase& db() const { return db_; }
  void stop() { app_->stop(); }

 private:
  TestDatabase db_;
  std::unique_ptr<App> app_;
};

/// A config for RunningServer(config, false): defaults with tweaks applied by the caller.
inline Config base_config() {
  Config c;
  c.source = "test";
  c.http.listen = "127.0.0.1:0";
  c.http.threads = 2;
  c.database.pool_size = 4;
  c.database.acquire_timeout_ms = 1000;
  c.cache.servers = {memcached_server()};
  c.sites.reserved = default_reserved_subdomains();
  c.log.level = "off";
  c.log.access_log = false;
  c.auth.password_opslimit = 1;
  c.auth.password_memlimit_kib = 8;
  c.mail.smtp_url = smtp_url();
  c.mail.poll_interval_ms = 200;
  return c;
}

}  // namespace agora::test
