#include "sites_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/paging.hpp"
#include "profile_json.hpp"
#include "agora/api/site_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"

namespace agora::api {
namespace {

std::int64_t id_param(const http::Request& req, std::string_view name) {
  // The router has already checked that the parameter is an int64.
  return std::stoll(std::string(*req.params.get(name)));
}

/// The editable site fields of a body (platform.md §1.3); ids and unknown fields are ignored.
/// The store validates the values (site_store).
store::SiteEdit site_edit(const Body& body) {
  store::SiteEdit e;
  e.title = body.optional_string("title", any_length);
  e.description = body.optional_string("description", any_length);
  e.domain = body.optional_string("domain", any_length);
  e.logo_url = body.optional_string("logoUrl", any_length);
  e.favicon_url = body.optional_string("faviconUrl", any_length);
  e.background_url = body.optional_string("backgroundUrl", any_length);
  e.background_color = body.optional_string("backgroundColor", any_length);
  e.background_position = body.optional_string("backgroundPosition", any_length);
  e.link_color = body.optional_string("linkColor", any_length);
  e.ga_web_property_id = body.optional_string("gaWebPropertyId", any_length);
  e.force_ssl = body.optional_bool("forceSSL");
  e.theme_id = body.optional_int("themeId");
  // A meta or flags that is not an object has always been ignored.
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto flags = meta->lenient<Body>("flags")) e.deleted = flags->optional_bool("deleted");
  }
  return e;
}

}  // namespace

void SitesApi::add_routes(RouteTable& t) {
  t.add("/api/v1/site", HostScope::root_and_site, Method::get, this, &SitesApi::current_site);
  t.add("/api/v1/sites", HostScope::root, Method::get, this, &SitesApi::list_sites);
  t.add("/api/v1/sites", HostScope::root, Method::post, this, &SitesApi::create_site);
  t.add("/api/v1/sites/{siteId:id}", HostScope::root, Method::get, this, &SitesApi::one_site);
  t.add("/api/v1/sites/{siteId:id}", HostScope::root, Method::put, this, &SitesApi::replace_site);
  t.add("/api/v1/hosts/{host:host}", HostScope::root, Method::get, this, &SitesApi::host);
  t.add("/api/v1/reserved/{subdomain:alnum}", HostScope::root, Method::get, this, &SitesApi::reserved);
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
  const bool owned = req.query_param("filter") == std::optional<std::string_view>("owned");
  auto paging = parse_paging(req);
  auto page = owned ? sites_.list_owned_by(ctx.user, paging.limit, paging.offset)
                    : sites_.list_live(paging.limit, paging.offset);
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

http::Response SitesApi::create_site(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to the root site to create a site");
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  auto edit = site_edit(body);
  store::NewSite site;
  site.title = edit.title.value_or("");
  site.description = edit.description.value_or("");
  site.domain = edit.domain.value_or("");
  // A subdomainKey of another type has always been ignored (and the empty key is refused).
  if (auto key = body.lenient<std::string>("subdomainKey")) site.subdomain_key = to_lower(strip_tags_and_trim(*key));
  if (site.description.empty()) throw Error(ErrorKind::bad_request, "You must specify a site description");
  edit.domain.reset();
  edit.deleted.reset();
  edit.ga_web_property_id.reset();  // accepted but dropped on create (platform.md §1.5)
  auto id = sites_.create(site, ctx.user, edit);
  audit_.record(id, id, ctx.caller, store::AuditAction::create, req.client_ip);
  return http::Response::redirect(302, "/api/v1/sites/" + std::to_string(id.value()));
}

http::Response SitesApi::replace_site(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to update a site");
  const auto id = id_param(req, "siteId");
  auto site = id > 0 ? sites_.get(SiteId{id}) : std::nullopt;
  if (!site || site->id == root_site_id) throw Error(ErrorKind::not_found, "Site " + std::to_string(id) + " not found");
  // The caller's profile is on the root site: ownership is decided by user (permissions.md §1).
  auto owner = site->owned_by.valid() ? profiles_.get(site->id, site->owned_by) : std::nullopt;
  if (!owner || owner->user_id != ctx.user) {
    throw Error(ErrorKind::forbidden, "You must be the owner of the site to update it");
  }
  auto edit = site_edit(Body::json_object(req, config_.get()->http.max_json_depth));
  sites_.update(*site, edit);
  audit_.record(site->id, site->id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, "/api/v1/sites/" + std::to_string(id));
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
