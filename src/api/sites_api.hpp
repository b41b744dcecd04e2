#pragma once
// Site routes (platform.md §1.5, §1.6): /api/v1/site, /api/v1/sites (GET, POST on the root),
// /api/v1/sites/{id} (GET, PUT by the owner's user), /api/v1/hosts/{host},
// /api/v1/reserved/{subdomain}.

#include <nlohmann/json_fwd.hpp>

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class SitesApi {
 public:
  SitesApi(store::SiteStore& sites, store::ProfileStore& profiles, store::AuditLog& audit, const ConfigHolder& config)
      : sites_(sites), profiles_(profiles), audit_(audit), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response current_site(Context& ctx, const http::Request& req);
  http::Response list_sites(Context& ctx, const http::Request& req);
  http::Response one_site(Context& ctx, const http::Request& req);
  http::Response create_site(Context& ctx, const http::Request& req);
  http::Response replace_site(Context& ctx, const http::Request& req);
  http::Response host(Context& ctx, const http::Request& req);
  http::Response reserved(Context& ctx, const http::Request& req);
  nlohmann::json site_object(const store::Site& site);

  store::SiteStore& sites_;
  store::ProfileStore& profiles_;
  store::AuditLog& audit_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
