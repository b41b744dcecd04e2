#include <future>
#include <gtest/gtest.h>

#include "agora/cache/memcached_cache.hpp"
#include "agora/core/metrics.hpp"
#include "api_fixture.hpp"
#include "support/own_memcached.hpp"

using namespace agora;
using namespace agora::test;
using namespace std::chrono;

TEST(Resilience, GracefulShutdownFinishesTheInFlightRequest) {
  RunningServer server;
  const auto port = server.port();
  auto slow = std::async(std::launch::async, [port] { return get(port, "/test/slow?ms=700"); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  server.stop();
  const auto took = duration_cast<milliseconds>(steady_clock::now() - start).count();
  auto r = slow.get();
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["data"], "slept");
  EXPECT_EQ(r.header("connection"), "close");
  EXPECT_LT(took, 3000);
  EXPECT_THROW(get(port, "/healthz"), std::exception) << "no longer accepting";
}

TEST(Resilience, ShutdownClosesIdleKeepAliveConnectionsAtOnce) {
  RunningServer server;
  Connection idle(server.port());
  EXPECT_EQ(idle.send("GET", "/api/v1/site").status, 200);
  const auto start = steady_clock::now();
  server.stop();
  EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 1500);
  EXPECT_TRUE(idle.closed_within(milliseconds(500)));
}

TEST(Resilience, PoolExhaustionIs503WithRetryAfter) {
  auto config = base_config();
  config.database.pool_size = 1;
  config.database.acquire_timeout_ms = 200;
  RunningServer server(config, false);
  const auto port = server.port();
  auto holder = std::async(std::launch::async, [port] { return get(port, "/test/hold-db?ms=1500"); });
  std::this_thread::sleep_for(milliseconds(200));
  const auto start = steady_clock::now();
  auto r = get(port, "/api/v1/sites", "localhost");  // needs the database: the list is not cached
  EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 1200);
  EXPECT_EQ(r.status, 503) << r.body;
  EXPECT_EQ(r.header("retry-after"), "1");
  EXPECT_EQ(r.json()["status"], 503);
  EXPECT_EQ(holder.get().status, 200);
  EXPECT_EQ(get(port, "/api/v1/sites", "localhost").status, 200) << "fine again once the connection is back";
}

TEST(Resilience, PostgresRestartRecoversWithoutRestartingAgora) {
  RunningServer server;
  const auto port = server.port();
  ASSERT_EQ(get(port, "/api/v1/sites", "localhost").status, 200);
  services("stop-pg");
  auto down = get(port, "/api/v1/sites", "localhost");
  EXPECT_EQ(down.status, 503);
  EXPECT_EQ(get(port, "/readyz").status, 503);
  EXPECT_EQ(get(port, "/healthz").status, 200) << "alive, just not ready";
  services("start-pg");
  EXPECT_EQ(get(port, "/api/v1/sites", "localhost").status, 200);
  EXPECT_EQ(get(port, "/readyz").status, 200);
}

TEST(Resilience, MemcachedKilledStillAnswersFromTheDatabase) {
  OwnMemcached mc;
  auto config = base_config();
  config.cache.backend = "memcached";
  config.cache.servers = {mc.server()};
  RunningServer server(config, false);
  const auto port = server.port();
  EXPECT_EQ(get(port, "/api/v1/site").status, 200);
  EXPECT_EQ(get(port, "/api/v1/site").status, 200);
  mc.kill();
  for (int i = 0; i < 5; ++i) {
    auto r = get(port, "/api/v1/site");
    EXPECT_EQ(r.status, 200);
    EXPECT_EQ(r.json()["data"]["siteId"], 2);
  }
  EXPECT_EQ(get(port, "/readyz").status, 503);
  auto metrics = get(port, "/metrics").body;
  EXPECT_EQ(metrics.find("agora_cache_errors_total 0\n"), std::string::npos) << "errors are counted";
}

TEST(Resilience, SharedMemcachedServesAcrossNodes) {
  auto config = base_config();
  config.cache.backend = "memcached";
  RunningServer node_a(config, false);
  {
    // Start from a cold cache for the keys this test reads.
    Metrics scratch;
    cache::MemcachedCache mc(config.cache, scratch, test_logger());
    const auto ns = node_a.app().config()->cache.key_namespace + ":";
    mc.remove(ns + "v2:sub:demo");
    mc.remove(ns + "v2:site:2");
  }
  ASSERT_EQ(get(node_a.port(), "/api/v1/site").status, 200);

  auto config_b = *node_a.app().config();
  App node_b(config_b, test_logger(), add_test_routes);
  node_b.start();
  auto r = get(node_b.port(), "/api/v1/site");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["data"]["siteId"], 2);
  auto metrics = get(node_b.port(), "/metrics").body;
  EXPECT_NE(metrics.find("agora_cache_hits_total 2\n"), std::string::npos) << "node b read what node a cached";
  EXPECT_NE(metrics.find("agora_cache_misses_total 0\n"), std::string::npos) << metrics;
  node_b.stop();
}

TEST(Resilience, AdminListenerTakesTheOperationsRoutes) {
  auto config = base_config();
  config.http.admin_listen = "127.0.0.1:0";
  RunningServer server(config, false);
  const auto admin = server.app().admin_port();
  ASSERT_NE(admin, 0);
  EXPECT_EQ(get(admin, "/healthz").status, 200);
  EXPECT_EQ(get(admin, "/metrics").status, 200);
  EXPECT_EQ(get(server.port(), "/metrics").status, 404) << "not on the public listener";
  EXPECT_EQ(get(admin, "/api/v1/site").status, 404) << "no API on the admin listener";
  EXPECT_EQ(get(server.port(), "/api/v1/site").status, 200);
}

TEST(Resilience, LiveReloadAppliesCorsAndCacheAge) {
  RunningServer server;
  auto next = *server.app().config();
  next.http.cors_origins = {"https://app.example"};
  next.http.anonymous_max_age = 60;
  next.http.listen = "127.0.0.1:1";  // restart-only: logged, not applied
  server.app().reload(next);
  EXPECT_EQ(server.app().config()->http.listen, "127.0.0.1:0");
  auto allowed = request(server.port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"Origin", "https://app.example"}});
  EXPECT_EQ(allowed.header("access-control-allow-origin"), "https://app.example");
  EXPECT_EQ(allowed.header("cache-control"), "public, max-age=60");
  auto other = request(server.port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"Origin", "https://evil.example"}});
  EXPECT_FALSE(other.has_header("access-control-allow-origin"));
}
