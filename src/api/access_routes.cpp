#include "agora/api/access_routes.hpp"

#include "permission_api.hpp"
#include "roles_api.hpp"

namespace agora::api {

void add_access_routes(RouteTable& t, const Services& s) {
  t.own<RolesApi>(s.microcosms, s.roles, s.profiles, s.engine, s.audit, s.config).add_routes(t);
  add_permission_routes(t, s.engine, s.microcosms, s.conversations, s.comments);
}

}  // namespace agora::api
