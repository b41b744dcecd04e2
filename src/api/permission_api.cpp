#include "agora/api/permission_api.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/perm/engine.hpp"

namespace agora::api {
namespace {

/// A non-negative integer query parameter (0 when absent).
std::int64_t non_negative(const http::Request& req, std::string_view name, const char* message) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return 0;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || end != v->data() + v->size() || out < 0) throw Error(ErrorKind::bad_request, message);
  return out;
}

}  // namespace

void add_permission_routes(RouteTable& t, perm::Engine& engine) {
  t.add("/api/v1/permission", http::HostScope::site, "GET", [&engine](Context& ctx, const http::Request& req) {
    const MicrocosmId microcosm{non_negative(req, "microcosmId", "microcosmId needs to be a positive integer")};
    const auto item = non_negative(req, "itemId", "itemId needs to be a positive integer");
    std::optional<ItemType> type;
    if (auto name = req.query_param("itemType"); name && !name->empty()) {
      type = item_type_from_name(*name);
      if (!type) throw Error(ErrorKind::bad_request, "You must specify a valid itemType");
    }
    return http::Response::ok(engine.query(*ctx.site, ctx.perm_caller(), microcosm, type, item).to_json());
  });
}

}  // namespace agora::api
