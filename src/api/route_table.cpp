#include "agora/api/route_table.hpp"

#include <stdexcept>

namespace agora::api {

std::string Route::allow() const {
  std::string out(http::method_name(Method::options));
  for (Method m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del}) {
    if (handlers.count(m) || (m == Method::head && handlers.count(Method::get))) {
      out += ',';
      out += http::method_name(m);
    }
  }
  return out;
}

RouteTable& RouteTable::never_blocks(const std::string& pattern) {
  bool found = false;
  for (auto& r : routes_) {
    if (r.pattern != pattern) continue;
    if (r.scope != http::HostScope::any) throw std::logic_error("only Host-independent routes can skip the workers: " + pattern);
    r.never_blocks = found = true;
  }
  if (!found) throw std::logic_error("no such route: " + pattern);
  return *this;
}

RouteTable& RouteTable::add(const std::string& pattern, http::HostScope scope, http::Method method, Handler handler) {
  for (auto& r : routes_) {
    if (r.pattern == pattern && r.scope == scope) {
      if (r.handlers.count(method)) {
        throw std::logic_error("route registered twice: " + std::string(http::method_name(method)) + " " + pattern);
      }
      r.handlers.emplace(method, std::move(handler));
      return *this;
    }
  }
  int id = router_.add(pattern);
  if (static_cast<std::size_t>(id) != routes_.size()) throw std::logic_error("route ids out of step");
  Route r{pattern, scope, {}};
  r.handlers.emplace(method, std::move(handler));
  routes_.push_back(std::move(r));
  return *this;
}

}  // namespace agora::api
