#include "agora/api/route_table.hpp"

#include <stdexcept>

namespace agora::api {

std::string Route::allow() const {
  std::string out = "OPTIONS";
  static const char* order[] = {"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE"};
  for (const char* m : order) {
    bool has = handlers.count(m) || (std::string_view(m) == "HEAD" && handlers.count("GET"));
    if (has) out += std::string(",") + m;
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

RouteTable& RouteTable::add(const std::string& pattern, http::HostScope scope, const std::string& method,
                            Handler handler) {
  for (auto& r : routes_) {
    if (r.pattern == pattern && r.scope == scope) {
      if (r.handlers.count(method)) throw std::logic_error("route registered twice: " + method + " " + pattern);
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
