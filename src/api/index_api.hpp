#pragma once
// Link indexes on site hosts (conventions.md §12): `/`, `/api`, `/api/v1`.

#include "agora/api/route_table.hpp"

namespace agora::api {

void add_index_routes(RouteTable& table);

}  // namespace agora::api
