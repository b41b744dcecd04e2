#include <gtest/gtest.h>
#include <thread>

#include "agora/cache/keys.hpp"
#include "agora/cache/lru_cache.hpp"
#include "agora/cache/namespaced_cache.hpp"
#include "agora/cache/read_through.hpp"
#include "agora/core/metrics.hpp"

using agora::cache::LruCache;
using namespace std::chrono_literals;

TEST(LruCache, GetSetRemoveAndCounters) {
  agora::Metrics m;
  LruCache c(10, m);
  EXPECT_FALSE(c.get("a"));
  c.set("a", "1", 60s);
  EXPECT_EQ(c.get("a"), "1");
  c.remove("a");
  EXPECT_FALSE(c.get("a"));
  EXPECT_EQ(m.cache_hits.load(), 1u);
  EXPECT_EQ(m.cache_misses.load(), 2u);
}

TEST(LruCache, EvictsLeastRecentlyUsed) {
  agora::Metrics m;
  LruCache c(2, m);
  c.set("a", "1", 60s);
  c.set("b", "2", 60s);
  c.get("a");
  c.set("c", "3", 60s);
  EXPECT_TRUE(c.get("a"));
  EXPECT_FALSE(c.get("b"));
  EXPECT_TRUE(c.get("c"));
  EXPECT_EQ(c.size(), 2u);
}

TEST(LruCache, EntriesExpire) {
  agora::Metrics m;
  LruCache c(2, m);
  c.set("a", "1", 1s);
  EXPECT_TRUE(c.get("a"));
  std::this_thread::sleep_for(1100ms);
  EXPECT_FALSE(c.get("a"));
}

TEST(ReadThrough, LoadsOnceThenServesFromCache) {
  agora::Metrics m;
  LruCache c(10, m);
  int loads = 0;
  auto load = [&]() -> std::optional<std::string> {
    ++loads;
    return "v";
  };
  EXPECT_EQ(agora::cache::read_through(c, "k", 60s, load), "v");
  EXPECT_EQ(agora::cache::read_through(c, "k", 60s, load), "v");
  EXPECT_EQ(loads, 1);
  auto none = agora::cache::read_through(c, "gone", 60s, [] { return std::optional<std::string>{}; });
  EXPECT_FALSE(none);
  EXPECT_FALSE(c.get("gone")) << "absence is not cached";
}

TEST(ReadThrough, ManyAsksTheLoaderOnlyForMisses) {
  agora::Metrics m;
  LruCache c(10, m);
  c.set("a", "A", 60s);
  std::vector<std::string> asked;
  auto got = agora::cache::read_through_many(c, {"a", "b", "c"}, 60s, [&](const std::vector<std::string>& keys) {
    asked = keys;
    return std::unordered_map<std::string, std::string>{{"b", "B"}};
  });
  EXPECT_EQ(asked, (std::vector<std::string>{"b", "c"}));
  EXPECT_EQ(got.size(), 2u);
  EXPECT_EQ(got["b"], "B");
  EXPECT_EQ(c.get("b"), "B");
}

TEST(CacheKeys, VersionedAndSafe) {
  EXPECT_EQ(agora::cache::item_key("site", 5), "v2:site:5");
  EXPECT_EQ(agora::cache::name_key("sub", "demo"), "v2:sub:demo");
  EXPECT_THROW(agora::cache::name_key("sub", "a b"), std::invalid_argument);
  EXPECT_LE(agora::cache::name_key("dom", std::string(300, 'a')).size(), 250u);
}

TEST(NamespacedCache, NamespacesDoNotSeeEachOther) {
  agora::Metrics m;
  auto shared = std::make_shared<LruCache>(100, m);
  // Two views over one backend, as two deployments over one memcached.
  struct View : agora::cache::Cache {
    explicit View(std::shared_ptr<LruCache> c) : c(std::move(c)) {}
    std::optional<std::string> get(const std::string& k) override { return c->get(k); }
    std::unordered_map<std::string, std::string> get_many(const std::vector<std::string>& k) override {
      return c->get_many(k);
    }
    void set(const std::string& k, std::string_view v, std::chrono::seconds t) override { c->set(k, v, t); }
    void remove(const std::string& k) override { c->remove(k); }
    bool ping() override { return true; }
    std::shared_ptr<LruCache> c;
  };
  agora::Metrics counts;
  agora::cache::NamespacedCache a("alpha", std::make_unique<View>(shared), counts);
  agora::cache::NamespacedCache b("beta", std::make_unique<View>(shared), counts);
  a.set("v2:site:2", "A", 60s);
  b.set("v2:site:2", "B", 60s);
  EXPECT_EQ(a.get("v2:site:2"), "A");
  EXPECT_EQ(b.get("v2:site:2"), "B");
  auto many = a.get_many({"v2:site:2", "v2:site:3"});
  ASSERT_EQ(many.size(), 1u);
  EXPECT_EQ(many.begin()->first, "v2:site:2") << "keys come back without the prefix";
  a.remove("v2:site:2");
  EXPECT_FALSE(a.get("v2:site:2"));
  EXPECT_EQ(b.get("v2:site:2"), "B");
  EXPECT_EQ(shared->get("alpha:v2:site:2"), std::nullopt);
  EXPECT_EQ(shared->get("beta:v2:site:2"), "B");
  // Lookups are counted by item kind: 4 hits and 2 misses of `site` keys above.
  const auto text = counts.render_prometheus();
  EXPECT_NE(text.find("agora_cache_lookups_total{kind=\"site\",result=\"hit\"} 4"), std::string::npos) << text;
  EXPECT_NE(text.find("agora_cache_lookups_total{kind=\"site\",result=\"miss\"} 2"), std::string::npos) << text;
}
