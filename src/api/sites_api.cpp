#include "agora/api/sites_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agora/api/paging.hpp"
#include "agora/api/profile_json.hpp"
#include "agora/api/site_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"

namespace agora::api {
namespace {

std::int64_t id_param(const http::Request& req, std::string_view name) {
  // The router has already checked that the parameter is an int64.
  return std::stoll(std::string(*req.params.get(name)));
}

}  // namespace

void SitesApi::add_routes(RouteTable& t) {
  using http::HostScope;
  t.add("/api/v1/site", HostScope::root_and_site, "GET", this, &SitesApi::current_site);
  t.add("/api/v1/sites", HostScope::root, "GET", this, &SitesApi::list_sites);
  t.add("/api/v1/sites/{siteId:id}", HostScope::root, "GET", this, &SitesApi::one_site);
  t.add("/api/v1/hosts/{host:host}", HostScope::root, "GET", this, &SitesApi::host);
  t.add("/api/v1/reserved/{subdomain:alnum}", HostScope::root, "GET", this, &SitesApi::reserved);
}

nlohmann::json SitesApi::site_object(const store::Site& site) {
  nlohmann::json owner;
  if (site.owned_by.valid()) {
    if (auto p = profiles_.get(site.id, site.owned_by)) owner = profile_summary(*p);
  }
  return site_json(site, config_.get()->sites.domain, owner);
}

http::Response SitesApi::current_site(Context& ctx, const http::Request&) {
  auto j = site_object(*ctx.site);
  j["meta"]["permissions"] = perm::for_site(*ctx.site, ctx.perm_caller()).to_json();
  return http::Response::ok(std::move(j));
}

http::Response SitesApi::list_sites(Context& ctx, const http::Request& req) {
  if (auto filter = req.query_param("filter"); filter && *filter == "owned" && ctx.is_guest()) {
    throw Error(ErrorKind::forbidden, "You must be logged in to list the sites you own");
  }
  auto paging = parse_paging(req);
  auto page = sites_.list_live(paging.limit, paging.offset);
  check_offset(page.total, paging);
  nlohmann::json items = nlohmann::json::array();
  for (auto& s : sites_.get_many(page.ids)) items.push_back(site_object(s));
  nlohmann::json data = {
      {"sites", collection(page.total, paging, std::move(items), "/api/v1/sites", req)},
      {"meta", {{"links", {{{"rel", "self"}, {"href", "/api/v1/sites"}}}}}},
  };
  return http::Response::ok(std::move(data));
}

http::Response SitesApi::one_site(Context&, const http::Request& req) {
  const auto id = id_param(req, "siteId");
  auto site = id > 0 ? sites_.get(SiteId{id}) : std::nullopt;
  // A deleted site is visible only to its owner (platform.md §1.9); owners arrive with identity.
  if (!site || site->deleted) throw Error(ErrorKind::not_found, "Site " + std::to_string(id) + " not found");
  return http::Response::ok(site_object(*site));
}

http::Response SitesApi::host(Context&, const http::Request& req) {
  const auto name = to_lower(*req.params.get("host"));
  auto id = sites_.find_by_domain(name);
  auto site = id ? sites_.get(*id) : std::nullopt;
  if (!site || site->deleted || site->id == root_site_id) {
    throw Error(ErrorKind::not_found, "No site is served at host " + name);
  }
  auto value = site->subdomain_key + "." + config_.get()->sites.domain;
  auto r = http::Response::raw(200, value, "text/plain; charset=utf-8");
  r.headers.emplace_back("X-Microcosm-Host", value);
  return r;
}

http::Response SitesApi::reserved(Context&, const http::Request& req) {
  const auto key = to_lower(*req.params.get("subdomain"));
  const auto names = config_.get()->sites.reserved;
  bool taken = std::find(names.begin(), names.end(), key) != names.end() || sites_.find_by_subdomain(key).has_value();
  auto r = http::Response::raw(200, nlohmann::json{{"reserved", taken}}.dump(), "application/json");
  r.headers.emplace_back("Access-Control-Allow-Origin", "*");
  return r;
}

}  // namespace agora::api
