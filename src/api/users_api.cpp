#include "agora/api/users_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/core/error.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::api {

void UsersApi::add_routes(RouteTable& t) {
  using http::HostScope;
  t.add("/api/v1/users/{userId:id}", HostScope::site, "GET", this, &UsersApi::one);
  t.add("/api/v1/users/{userId:id}", HostScope::site, "PUT", this, &UsersApi::not_implemented);
  t.add("/api/v1/users/{userId:id}", HostScope::site, "DELETE", this, &UsersApi::not_implemented);
}

http::Response UsersApi::one(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  const UserId id{std::stoll(std::string(*req.params.get("userId")))};
  const bool allowed = id == ctx.user || perm::is_site_owner(*ctx.site, ctx.perm_caller());
  // The same answer for "no such user" and "not on this site", so ids tell nothing.
  if (!allowed || !profiles_.find_for_user(ctx.site->id, id)) {
    throw Error(ErrorKind::forbidden, "You do not have permission to do that");
  }
  auto user = users_.get(id);
  if (!user) throw Error(ErrorKind::forbidden, "You do not have permission to do that");
  nlohmann::json j = {
      {"userId", user->id.value()},
      {"email", user->email},
      {"created", format_rfc3339_micros(user->created_micros)},
      {"meta", {{"links", {{{"rel", "self"}, {"href", "/api/v1/users/" + std::to_string(user->id.value())}}}}}},
  };
  if (user->canonical_email != user->email) j["canonicalEmail"] = user->canonical_email;
  return http::Response::ok(std::move(j));
}

http::Response UsersApi::not_implemented(Context&, const http::Request& req) {
  throw Error(ErrorKind::not_implemented,
              req.method == "PUT" ? "Update User is not yet implemented" : "Delete User is not yet implemented");
}

}  // namespace agora::api
