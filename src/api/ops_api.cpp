#include "ops_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/cache/cache.hpp"
#include "agora/core/metrics.hpp"
#include "agora/db/pool.hpp"

namespace agora::api {

void add_ops_routes(RouteTable& t, db::Pool& pool, cache::Cache& cache, const Metrics& metrics) {
  t.add("/healthz", HostScope::any, Method::get, [](Context&, const http::Request&) {
    return http::Response::raw(200, R"({"status":"ok"})", "application/json");
  });
  t.never_blocks("/healthz");
  t.add("/readyz", HostScope::any, Method::get, [&pool, &cache](Context&, const http::Request&) {
    const bool db = pool.ping();
    const bool mc = cache.ping();
    nlohmann::json body = {{"database", db}, {"cache", mc}, {"status", db && mc ? "ready" : "unavailable"}};
    auto r = http::Response::raw(db && mc ? 200 : 503, body.dump(), "application/json");
    if (!(db && mc)) r.headers.emplace_back("Retry-After", "1");
    return r;
  });
  t.add("/metrics", HostScope::any, Method::get, [&metrics](Context&, const http::Request&) {
    return http::Response::raw(200, metrics.render_prometheus(), "text/plain; version=0.0.4");
  });
}

}  // namespace agora::api
