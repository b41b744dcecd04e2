#include "agora/api/users_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/json_body.hpp"
#include "agora/api/profile_json.hpp"
#include "agora/api/request_fields.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::api {

void UsersApi::add_routes(RouteTable& t) {
  using http::HostScope;
  t.add("/api/v1/users", HostScope::site, "POST", this, &UsersApi::create_many);
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

http::Response UsersApi::create_many(Context& ctx, const http::Request& req) {
  // The body is read first, so bad JSON is 400 for everyone (identity.md §5.3).
  auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The post data is invalid: expected an array of users");
  if (body.empty()) throw Error(ErrorKind::bad_request, "Input empty, no rows to process");
  constexpr std::size_t max_users_per_request = 1000;
  if (body.size() > max_users_per_request) {
    throw Error(ErrorKind::too_large, "At most 1000 users can be created in one request");
  }
  std::vector<std::string> emails;
  for (auto& item : body) {
    if (!item.is_object()) throw Error(ErrorKind::bad_request, "Each user must be an object with an email");
    if (find_field(item, "userId") || find_field(item, "created")) {
      throw Error(ErrorKind::bad_request, "userId and created cannot be supplied");
    }
    auto email = find_field(item, "email");
    if (!email || !email->is_string() || email->get<std::string>().find_first_not_of(' ') == std::string::npos) {
      throw Error(ErrorKind::bad_request, "Each user needs a non-blank email");
    }
    store::canonical_email(email->get<std::string>());  // 400 for anything that is not an address
    emails.push_back(email->get<std::string>());
  }
  if (ctx.is_guest() || !perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    throw Error(ErrorKind::forbidden, "Only a site owner can batch create users");
  }
  nlohmann::json out = nlohmann::json::array();
  for (auto& email : emails) {
    auto user = users_.find_by_email(email);
    UserId id;
    if (user) {
      id = user->id;
    } else {
      try {
        id = users_.create(email, "");
      } catch (const Error& e) {
        if (e.kind() != ErrorKind::conflict) throw;
        id = users_.find_by_email(email)->id;  // created concurrently, or twice in this request
      }
    }
    auto profile = profiles_.get_or_create(ctx.site->id, id);
    FullProfileExtras extras;
    extras.email = user ? user->email : email;
    out.push_back(full_profile(profile, extras));
  }
  return http::Response::ok(std::move(out));
}

http::Response UsersApi::not_implemented(Context&, const http::Request& req) {
  throw Error(ErrorKind::not_implemented,
              req.method == "PUT" ? "Update User is not yet implemented" : "Delete User is not yet implemented");
}

}  // namespace agora::api
