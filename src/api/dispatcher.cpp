#include "agora/api/dispatcher.hpp"

#include <pqxx/except>

#include <algorithm>
#include <nlohmann/json.hpp>
#include <spdlog/spdlog.h>

#include "agora/api/authenticator.hpp"
#include "agora/api/host_resolver.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/http/envelope.hpp"
#include "agora/http/method.hpp"
#include "agora/store/site_store.hpp"

namespace agora::api {
namespace {

constexpr const char* unknown_site_message = "No site context loaded for host: Unknown site requested";
constexpr const char* preflight_allowed_headers =
    "Authorization, Content-Type, X-HTTP-Method-Override, X-Always-200, X-Disable-Boiler";
constexpr int preflight_max_age_seconds = 86400;

bool scope_fits(http::HostScope scope, HostKind kind) {
  switch (scope) {
    case http::HostScope::any: return true;
    case http::HostScope::root: return kind == HostKind::root;
    case http::HostScope::site: return kind == HostKind::site;
    case http::HostScope::root_and_site: return true;
  }
  return false;
}

/// The Access-Control-Allow-Origin value for this request, or "" for none.
std::string allowed_origin(const http::Request& request, const std::vector<std::string>& origins) {
  if (std::find(origins.begin(), origins.end(), "*") != origins.end()) return "*";
  auto origin = request.header("origin");
  if (origin && std::find(origins.begin(), origins.end(), *origin) != origins.end()) return std::string(*origin);
  return "";
}

bool is_read(const http::Request& request) {
  const auto method = http::parse_method(request.method);
  return method == http::Method::get || method == http::Method::head;
}

/// Routes a banned caller may still use, so a client can show why (identity.md §9).
bool ban_exempt(const Route& route, const http::Request& request, const Context& ctx) {
  if (route.pattern == "/api/v1/site" || route.pattern == "/api/v1/whoami") return true;
  if (route.pattern == "/api/v1/profiles/{profileId:id}" && is_read(request)) {
    return request.params.get("profileId") == std::to_string(ctx.caller.value());
  }
  return false;
}

bool is_anonymous(const http::Request& r) {
  return !r.header("authorization") && !r.has_query_param("access_token");
}

}  // namespace

void Dispatcher::operator()(http::Exchange& ex) const {
  auto& request = ex.request;
  http::EnvelopeOptions options;
  Context ctx;
  ctx.request_id = request.request_id;
  ctx.deadline = ex.deadline;
  http::Response response;
  try {
    if (request.path.empty()) http::parse_target(request.target, request.path, request.query);
    options = http::envelope_options(request);
    if (std::chrono::steady_clock::now() > ex.deadline) {
      throw Error(ErrorKind::unavailable, "The server is too busy to answer in time, try again shortly");
    }
    response = dispatch(ex, ctx);
  } catch (const Error& e) {
    response = http::error_response(e);
    if (e.kind() == ErrorKind::internal || e.kind() == ErrorKind::unavailable) {
      log_->warn("{} {} {}: {}", request.request_id, request.method, http::loggable_path(request.path), e.what());
    }
  } catch (const pqxx::unique_violation& e) {
    // Two writers raced for the same unique value: the loser is told, not given a 500.
    log_->warn("{} {} {}: {}", request.request_id, request.method, http::loggable_path(request.path), e.what());
    response = http::error_response(Error(ErrorKind::conflict, "That already exists; reload and try again"));
  } catch (const pqxx::data_exception& e) {
    // Input the database refused (bad encoding, out-of-range value) that validation let through.
    log_->warn("{} {} {}: {}", request.request_id, request.method, http::loggable_path(request.path), e.what());
    response = http::error_response(Error(ErrorKind::bad_request, "The request contains a value that cannot be stored"));
  } catch (const std::exception& e) {
    log_->error("{} {} {}: unexpected error: {}", request.request_id, request.method,
                http::loggable_path(request.path), e.what());
    response = http::error_response(500, "Internal error; quote request id " + request.request_id);
  }
  options.site_id = ctx.site_id().value();
  options.profile_id = ctx.caller.value();
  add_common_headers(request, ctx, response);
  ex.response = http::render(response, options);
}

bool Dispatcher::never_blocks(http::Exchange& ex) const {
  // Parsed into locals: a bad target or id is left for the worker to refuse the usual way.
  std::string path;
  decltype(ex.request.query) query;
  http::RouteMatch match;
  try {
    http::parse_target(ex.request.target, path, query);
    match = routes_.router().match(path);
  } catch (const Error&) {
    return false;
  }
  if (match.routes.empty()) return true;
  return std::any_of(match.routes.begin(), match.routes.end(), [&](int id) {
    const auto& route = routes_.route(id);
    return route.scope == http::HostScope::any && route.never_blocks;
  });
}

http::Response Dispatcher::dispatch(http::Exchange& ex, Context& ctx) const {
  auto& request = ex.request;
  auto match = routes_.router().match(request.path);
  if (match.routes.empty()) return http::error_response(404, "Not Found");

  // Operations routes answer on any Host (or only on the admin listener when one is set).
  const bool admin_split = !config_.get()->http.admin_listen.empty();
  const Route* route = nullptr;
  int route_id = -1;
  for (int id : match.routes) {
    if (routes_.route(id).scope == http::HostScope::any) route_id = id;
  }
  if (route_id >= 0) {
    if (admin_split && !ex.admin_listener) return http::error_response(404, "Not Found");
  } else {
    if (ex.admin_listener) return http::error_response(404, "Not Found");
    auto resolved = resolve_host(request.host, config_.get()->sites.domain, sites_);
    if (!resolved) throw Error(ErrorKind::not_found, unknown_site_message, error_code::site_not_found);
    ctx.host_kind = resolved->first;
    ctx.site = std::move(resolved->second);
    for (int id : match.routes) {
      if (scope_fits(routes_.route(id).scope, ctx.host_kind)) {
        route_id = id;
        break;
      }
    }
    if (route_id < 0) return http::error_response(404, "Not Found");
  }
  route = &routes_.route(route_id);
  ex.route = route->pattern;
  request.params = std::move(match.params);

  const auto method = http::parse_method(request.method);
  if (method == http::Method::options) {
    http::Response r = http::Response::raw(200, "", "text/plain");
    r.suppress_body = true;
    r.headers.emplace_back("Allow", route->allow());
    // A CORS preflight also gets the Access-Control-* answers (conventions.md §7 Decision).
    if (request.header("origin") && request.header("access-control-request-method")) {
      auto origin = allowed_origin(request, config_.get()->http.cors_origins);
      if (!origin.empty()) {
        r.headers.emplace_back("Access-Control-Allow-Origin", origin);
        if (origin != "*") r.headers.emplace_back("Vary", "Origin");
        r.headers.emplace_back("Access-Control-Allow-Methods", route->allow());
        r.headers.emplace_back("Access-Control-Allow-Headers", preflight_allowed_headers);
        r.headers.emplace_back("Access-Control-Max-Age", std::to_string(preflight_max_age_seconds));
      }
    }
    return r;
  }

  // HEAD is served by GET; a method the server does not know is one no route has (405 like the rest).
  const auto wanted = method == http::Method::head ? std::optional(http::Method::get) : method;
  auto handler = wanted ? route->handlers.find(*wanted) : route->handlers.end();
  if (handler == route->handlers.end()) {
    http::Response r;
    r.status = 405;
    r.headers.emplace_back("Allow", route->allow());
    return r;
  }
  if (route->scope != http::HostScope::any) {
    authenticator_.identify(ctx, request);
    if (ctx.ban && !ban_exempt(*route, request, ctx)) {
      std::string message = "Banned";
      if (!ctx.ban->display_reason.empty()) message += ": " + ctx.ban->display_reason;
      throw Error(ErrorKind::forbidden, message, error_code::user_banned);
    }
  }
  return handler->second(ctx, request);
}

void Dispatcher::add_common_headers(const http::Request& request, const Context& ctx, http::Response& r) const {
  if (!r.enveloped) return;
  auto config = config_.get();
  auto origin = allowed_origin(request, config->http.cors_origins);
  if (!origin.empty()) {
    r.headers.emplace_back("Access-Control-Allow-Origin", origin);
    if (origin != "*") r.headers.emplace_back("Vary", "Origin");
  }
  if (is_read(request) && r.status == 200 && ctx.is_guest() && is_anonymous(request) && config->http.anonymous_max_age > 0) {
    r.headers.emplace_back("Cache-Control", "public, max-age=" + std::to_string(config->http.anonymous_max_age));
  } else {
    r.headers.emplace_back("Cache-Control", "no-cache, max-age=0");
  }
  r.headers.emplace_back("Vary", "Authorization");
}

}  // namespace agora::api
