#pragma once
// Link indexes and operations (conventions.md §12, docs/operations.md):
//   /, /api, /api/v1                                 src/api/index_api.cpp
//   /healthz, /readyz, /metrics                      src/api/ops_api.cpp

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

void add_service_routes(RouteTable& table, const Services& services);

}  // namespace agora::api
