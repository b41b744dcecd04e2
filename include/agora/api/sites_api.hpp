#pragma once
// Site routes (platform.md §1.6): /api/v1/site, /api/v1/sites, /api/v1/sites/{id},
// /api/v1/hosts/{host}, /api/v1/reserved/{subdomain}.

#include "agora/api/route_table.hpp"

namespace agora {
class ConfigHolder;
}
namespace agora::store {
class SiteStore;
}

namespace agora::api {

class SitesApi {
 public:
  SitesApi(store::SiteStore& sites, const ConfigHolder& config) : sites_(sites), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response current_site(Context& ctx, const http::Request& req);
  http::Response list_sites(Context& ctx, const http::Request& req);
  http::Response one_site(Context& ctx, const http::Request& req);
  http::Response host(Context& ctx, const http::Request& req);
  http::Response reserved(Context& ctx, const http::Request& req);

  store::SiteStore& sites_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
