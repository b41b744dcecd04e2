#pragma once
// The route table: every path with the hosts it answers on and a handler per method.
// Built once at start-up by the api modules; the dispatcher reads it.

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "agora/api/context.hpp"
#include "agora/http/method.hpp"
#include "agora/http/request.hpp"
#include "agora/http/response.hpp"
#include "agora/http/router.hpp"

namespace agora::api {

// The words of every add_routes.
using http::HostScope;
using http::Method;

using Handler = std::function<http::Response(Context&, const http::Request&)>;

struct Route {
  std::string pattern;
  http::HostScope scope;
  std::map<http::Method, Handler> handlers;  // HEAD is served by GET
  bool never_blocks = false;                // answered on the I/O thread (see RouteTable::never_blocks)

  /// `Allow` value derived from the handlers: OPTIONS first, HEAD with GET.
  std::string allow() const;
};

class RouteTable {
 public:
  /// Adds (or extends) a route. The same pattern may be added for several scopes.
  RouteTable& add(const std::string& pattern, http::HostScope scope, http::Method method, Handler handler);

  /// Adds a member function of a long-lived API object as the handler.
  template <class Api>
  RouteTable& add(const std::string& pattern, http::HostScope scope, http::Method method, Api* api,
                  http::Response (Api::*fn)(Context&, const http::Request&)) {
    return add(pattern, scope, method, [api, fn](Context& ctx, const http::Request& req) { return (api->*fn)(ctx, req); });
  }

  /// Marks a Host-independent route whose handlers touch neither the database nor the cache.
  RouteTable& never_blocks(const std::string& pattern);

  /// Builds a handler object that lives as long as the table (its routes point into it).
  template <class Api, class... Args>
  Api& own(Args&&... args) {
    auto api = std::make_shared<Api>(std::forward<Args>(args)...);
    owned_.push_back(api);
    return *api;
  }

  const http::Router& router() const { return router_; }
  const Route& route(int id) const { return routes_.at(static_cast<std::size_t>(id)); }

 private:
  std::vector<std::shared_ptr<void>> owned_;
  http::Router router_;
  std::vector<Route> routes_;
};

}  // namespace agora::api
