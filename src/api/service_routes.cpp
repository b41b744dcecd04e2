#include "agora/api/service_routes.hpp"

#include "index_api.hpp"
#include "ops_api.hpp"

namespace agora::api {

void add_service_routes(RouteTable& t, const Services& s) {
  add_index_routes(t);
  add_ops_routes(t, s.pool, s.cache, s.metrics);
}

}  // namespace agora::api
