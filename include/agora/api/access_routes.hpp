#pragma once
// Roles and the permission object (spec permissions.md):
//   /api/v1/microcosms/{id}/roles…, /api/v1/roles…   src/api/roles_api.cpp
//   /api/v1/permission                               src/api/permission_api.cpp

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

void add_access_routes(RouteTable& table, const Services& services);

}  // namespace agora::api
