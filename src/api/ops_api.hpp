#pragma once
// Operations endpoints on any Host: /healthz (alive, no I/O), /readyz (database and cache
// reachable), /metrics (Prometheus text).

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

void add_ops_routes(RouteTable& table, db::Pool& pool, cache::Cache& cache, const Metrics& metrics);

}  // namespace agora::api
