// Micro-benchmarks of the per-request work that does not touch the network or database:
// routing, envelope rendering, site JSON, paging links. Prints Google Benchmark figures.

#include <benchmark/benchmark.h>
#include <nlohmann/json.hpp>

#include "agora/api/paging.hpp"
#include "agora/api/site_json.hpp"
#include "agora/cache/lru_cache.hpp"
#include "agora/core/metrics.hpp"
#include "agora/http/envelope.hpp"
#include "agora/http/router.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/site.hpp"

namespace {

agora::http::Router make_router() {
  agora::http::Router r;
  for (const char* p : {"/", "/api", "/api/v1", "/api/v1/site", "/api/v1/sites", "/api/v1/sites/{siteId:id}",
                        "/api/v1/sites/{siteId:id}/menu", "/api/v1/hosts/{host:host}", "/api/v1/conversations",
                        "/api/v1/conversations/{id:id}", "/api/v1/comments/{id:id}", "/api/v1/profiles/{id:id}",
                        "/api/v1/microcosms/{id:id}", "/api/v1/files/{hash:file}", "/healthz", "/readyz", "/metrics"}) {
    r.add(p);
  }
  return r;
}

agora::store::Site sample_site() {
  agora::store::Site s;
  s.id = agora::SiteId{2};
  s.title = "Demo";
  s.description = "The demo";
  s.subdomain_key = "demo";
  s.created_micros = 1390922994567550;
  s.logo_url = "/static/themes/1/logo.png";
  s.background_url = "/static/themes/1/background.png";
  s.background_color = "#FFFFFF";
  s.background_position = "cover";
  s.link_color = "#4082C3";
  s.menu = {{"/about", "About us", "About"}};
  return s;
}

void BM_RouterMatchParam(benchmark::State& state) {
  auto r = make_router();
  for (auto _ : state) benchmark::DoNotOptimize(r.match("/api/v1/conversations/123456"));
}
BENCHMARK(BM_RouterMatchParam);

void BM_RouterMiss(benchmark::State& state) {
  auto r = make_router();
  for (auto _ : state) benchmark::DoNotOptimize(r.match("/api/v1/nothing/here"));
}
BENCHMARK(BM_RouterMiss);

void BM_SiteJsonAndEnvelope(benchmark::State& state) {
  auto site = sample_site();
  for (auto _ : state) {
    auto j = agora::api::site_json(site, "localhost", nullptr);
    j["meta"]["permissions"] = agora::perm::for_site(site, {}).to_json();
    benchmark::DoNotOptimize(agora::http::render(agora::http::Response::ok(std::move(j)), {}));
  }
}
BENCHMARK(BM_SiteJsonAndEnvelope);

void BM_SiteCacheDecode(benchmark::State& state) {
  auto bytes = agora::store::encode_site(sample_site());
  for (auto _ : state) benchmark::DoNotOptimize(agora::store::decode_site(bytes));
}
BENCHMARK(BM_SiteCacheDecode);

void BM_LruGetHit(benchmark::State& state) {
  agora::Metrics m;
  agora::cache::LruCache c(100000, m);
  c.set("v1:site:2", agora::store::encode_site(sample_site()), std::chrono::seconds(60));
  for (auto _ : state) benchmark::DoNotOptimize(c.get("v1:site:2"));
}
BENCHMARK(BM_LruGetHit);

void BM_PagingCollection(benchmark::State& state) {
  agora::http::Request req;
  req.path = "/api/v1/conversations/1";
  req.query = {{"offset", "50"}, {"limit", "25"}};
  for (auto _ : state) {
    benchmark::DoNotOptimize(agora::api::collection(1000, {25, 50}, nlohmann::json::array(), "/api/v1/comments", req));
  }
}
BENCHMARK(BM_PagingCollection);

}  // namespace

BENCHMARK_MAIN();
