#pragma once
// Sites, sign-in and the people on a site (spec platform.md, identity.md):
//   /api/v1/site, /api/v1/sites…                     src/api/sites_api.cpp
//   /api/v1/auth, /api/v1/auth/code…                 src/api/auth_api.cpp
//   /api/v1/auth/oidc, /api/v1/auth0                 src/api/oidc_api.cpp
//   /api/v1/users…                                   src/api/users_api.cpp
//   /api/v1/profiles…                                src/api/profiles_api.cpp

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

void add_identity_routes(RouteTable& table, const Services& services);

}  // namespace agora::api
