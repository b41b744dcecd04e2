#pragma once
// Site routes (platform.md §1.6): /api/v1/site, /api/v1/sites, /api/v1/sites/{id},
// /api/v1/hosts/{host}, /api/v1/reserved/{subdomain}.

#include <nlohmann/json_fwd.hpp>

#include "agora/api/route_table.hpp"

namespace agora {
class ConfigHolder;
}
namespace agora::store {
class SiteStore;
class ProfileStore;
struct Site;
}  // namespace agora::store

namespace agora::api {

class SitesApi {
 public:
  SitesApi(store::SiteStore& sites, store::ProfileStore& profiles, const ConfigHolder& config)
      : sites_(sites), profiles_(profiles), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response current_site(Context& ctx, const http::Request& req);
  http::Response list_sites(Context& ctx, const http::Request& req);
  http::Response one_site(Context& ctx, const http::Request& req);
  http::Response host(Context& ctx, const http::Request& req);
  http::Response reserved(Context& ctx, const http::Request& req);
  nlohmann::json site_object(const store::Site& site);

  store::SiteStore& sites_;
  store::ProfileStore& profiles_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
