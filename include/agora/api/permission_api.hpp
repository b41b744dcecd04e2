#pragma once
// GET /api/v1/permission?microcosmId&itemType&itemId (permissions.md §8): the caller's
// permission object for any item, computed by the engine.

#include "agora/api/route_table.hpp"

namespace agora::perm {
class Engine;
}

namespace agora::api {

void add_permission_routes(RouteTable& table, perm::Engine& engine);

}  // namespace agora::api
