#include <gtest/gtest.h>
#include <thread>

#include "agora/cache/memcached_cache.hpp"
#include "agora/core/metrics.hpp"
#include "support/own_memcached.hpp"
#include "support/test_env.hpp"

using namespace agora;
using namespace std::chrono;
using agora::test::OwnMemcached;

namespace {

CacheConfig config_for(std::vector<std::string> servers) {
  CacheConfig c;
  c.backend = "memcached";
  c.servers = std::move(servers);
  c.timeout_ms = 100;
  return c;
}

}  // namespace

TEST(Memcached, SetGetManyRemove) {
  OwnMemcached mc;
  Metrics m;
  cache::MemcachedCache c(config_for({mc.server()}), m, test::test_logger());
  EXPECT_TRUE(c.ping());
  c.set("v1:t:a", "alpha", seconds(60));
  c.set("v1:t:b", std::string("b\0eta", 5), seconds(60));
  EXPECT_EQ(c.get("v1:t:a"), "alpha");
  auto many = c.get_many({"v1:t:a", "v1:t:b", "v1:t:missing"});
  EXPECT_EQ(many.size(), 2u);
  EXPECT_EQ(many["v1:t:b"], std::string("b\0eta", 5)) << "binary-safe";
  c.remove("v1:t:a");
  EXPECT_FALSE(c.get("v1:t:a"));
  EXPECT_EQ(m.cache_errors.load(), 0u);
  EXPECT_EQ(m.cache_hits.load(), 3u);
  EXPECT_EQ(m.cache_misses.load(), 2u);
}

// Negative entries ("no ban", "no such host") are empty values: they must read as hits.
TEST(Memcached, AnEmptyValueIsAHitNotAMiss) {
  OwnMemcached mc;
  Metrics m;
  cache::MemcachedCache c(config_for({mc.server()}), m, test::test_logger());
  c.set("v1:t:none", "", seconds(60));
  auto v = c.get("v1:t:none");
  ASSERT_TRUE(v.has_value());
  EXPECT_EQ(*v, "");
  EXPECT_FALSE(c.get("v1:t:absent").has_value());
  EXPECT_EQ(c.get_many({"v1:t:none"}).count("v1:t:none"), 1u);
  EXPECT_EQ(m.cache_hits.load(), 2u);
  EXPECT_EQ(m.cache_misses.load(), 1u);
}

TEST(Memcached, SeveralServersShareTheKeys) {
  OwnMemcached a, b;
  Metrics m;
  cache::MemcachedCache c(config_for({a.server(), b.server()}), m, test::test_logger());
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) {
    keys.push_back("v1:k:" + std::to_string(i));
    c.set(keys.back(), std::to_string(i), seconds(60));
  }
  EXPECT_EQ(c.get_many(keys).size(), 50u);
  // Losing one server loses only its share of the keys.
  b.kill();
  auto left = c.get_many(keys).size();
  EXPECT_GT(left, 0u);
  EXPECT_LT(left, 50u);
}

TEST(Memcached, DeadServerIsAFastMissNotAnError) {
  auto mc = std::make_unique<OwnMemcached>();
  Metrics m;
  cache::MemcachedCache c(config_for({mc->server()}), m, test::test_logger());
  c.set("v1:t:a", "alpha", seconds(60));
  ASSERT_EQ(c.get("v1:t:a"), "alpha");
  mc.reset();

  const auto start = steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(c.get("v1:t:a"));
    c.set("v1:t:a", "x", seconds(60));
  }
  EXPECT_TRUE(c.get_many({"v1:t:a", "v1:t:b"}).empty());
  EXPECT_FALSE(c.ping());
  EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 3000);
  EXPECT_GT(m.cache_errors.load(), 0u);
}
