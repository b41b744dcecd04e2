#include "index_api.hpp"

#include <nlohmann/json.hpp>

namespace agora::api {
namespace {

nlohmann::json links(std::initializer_list<std::pair<const char*, const char*>> rels) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& [rel, href] : rels) out.push_back({{"rel", rel}, {"href", href}});
  return {{"links", std::move(out)}};
}

}  // namespace

void add_index_routes(RouteTable& t) {
  t.add("/", HostScope::site, Method::get, [](Context&, const http::Request&) {
    return http::Response::ok(links({{"api", "/api"}}));
  });
  t.add("/api", HostScope::site, Method::get, [](Context&, const http::Request&) {
    return http::Response::ok(links({{"v1", "/api/v1"}}));
  });
  t.add("/api/v1", HostScope::site, Method::get, [](Context&, const http::Request&) {
    return http::Response::ok(links({{"activity", "/api/v1/activity"},
                                     {"auth", "/api/v1/auth"},
                                     {"comment", "/api/v1/comments"},
                                     {"conversation", "/api/v1/conversations"},
                                     {"event", "/api/v1/events"},
                                     {"huddle", "/api/v1/huddles"},
                                     {"microcosm", "/api/v1/microcosms"},
                                     {"poll", "/api/v1/polls"},
                                     {"profile", "/api/v1/profiles"},
                                     {"site", "/api/v1/site"},
                                     {"update", "/api/v1/updates"},
                                     {"watcher", "/api/v1/watchers"},
                                     {"whoami", "/api/v1/whoami"}}));
  });
}

}  // namespace agora::api
