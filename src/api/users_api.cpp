#include "users_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "profile_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/time_format.hpp"
#include "agora/core/text.hpp"
#include "agora/store/attribute_store.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::api {

void UsersApi::add_routes(RouteTable& t) {
  t.add("/api/v1/users", HostScope::site, Method::post, this, &UsersApi::create_many);
  t.add("/api/v1/users/batch", HostScope::site, Method::post, this, &UsersApi::batch);
  t.add("/api/v1/users/{userId:id}", HostScope::site, Method::get, this, &UsersApi::one);
  t.add("/api/v1/users/{userId:id}", HostScope::site, Method::put, this, &UsersApi::not_implemented);
  t.add("/api/v1/users/{userId:id}", HostScope::site, Method::del, this, &UsersApi::not_implemented);
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
  for (const auto& element : body) {
    const Body user(element);
    if (user.has("userId") || user.has("created")) {
      throw Error(ErrorKind::bad_request, "userId and created cannot be supplied");
    }
    auto email = user.required_string("email", any_length);
    if (email.find_first_not_of(' ') == std::string::npos) {
      throw Error(ErrorKind::bad_request, "Each user needs a non-blank email");
    }
    store::canonical_email(email);  // 400 for anything that is not an address
    emails.push_back(std::move(email));
  }
  if (ctx.is_guest() || !perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    throw Error(ErrorKind::forbidden, "Only a site owner can batch create users");
  }
  nlohmann::json out = nlohmann::json::array();
  for (auto& email : emails) {
    auto [profile, address] = profile_for(ctx, req, email);
    FullProfileExtras extras;
    extras.email = address;
    out.push_back(full_profile(profile, extras));
  }
  return http::Response::ok(std::move(out));
}

std::pair<store::Profile, std::string> UsersApi::profile_for(const Context& ctx, const http::Request& req,
                                                             const std::string& email) {
  auto user = users_.find_by_email(email);
  UserId id;
  if (user) {
    id = user->id;
  } else {
    try {
      id = users_.create(email, "");
      audit_.record(ctx.site->id, id, ctx.caller, store::AuditAction::create, req.client_ip);
    } catch (const Error& e) {
      if (e.kind() != ErrorKind::conflict) throw;
      id = users_.find_by_email(email)->id;  // created concurrently, or twice in this request
    }
  }
  const bool had_profile = profiles_.find_for_user(ctx.site->id, id).has_value();
  auto profile = profiles_.get_or_create(ctx.site->id, id);
  if (!had_profile) {
    audit_.record(ctx.site->id, profile.id, ctx.caller, store::AuditAction::create,
                  req.client_ip);
  }
  return {std::move(profile), user ? user->email : email};
}

namespace {

struct BatchRow {
  std::string email;
  bool member = false;
};

/// `1/t/true/0/f/false` in any case (identity.md §5.3).
std::optional<bool> parse_bool(std::string s) {
  s = to_lower(strip_tags_and_trim(s));
  if (s == "1" || s == "t" || s == "true") return true;
  if (s == "0" || s == "f" || s == "false") return false;
  return std::nullopt;
}

std::vector<BatchRow> csv_rows(const std::string& body) {
  std::vector<BatchRow> rows;
  std::size_t start = 0;
  int line_no = 0;
  while (start <= body.size()) {
    auto end = body.find('\n', start);
    std::string line = body.substr(start, end == std::string::npos ? std::string::npos : end - start);
    start = end == std::string::npos ? body.size() + 1 : end + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (strip_tags_and_trim(line).empty()) continue;
    auto comma = line.find(',');
    if (comma == std::string::npos) {
      throw Error(ErrorKind::bad_request, "Line " + std::to_string(line_no) + " needs two fields: email,isMember");
    }
    auto email = strip_tags_and_trim(line.substr(0, comma));
    auto flag = line.substr(comma + 1);
    if (auto second = flag.find(','); second != std::string::npos) flag = flag.substr(0, second);
    if (email.empty() || strip_tags_and_trim(flag).empty()) continue;  // lines with an empty field are skipped
    auto member = parse_bool(flag);
    if (!member) throw Error(ErrorKind::bad_request, "Line " + std::to_string(line_no) + ": isMember must be true or false");
    rows.push_back({email, *member});
  }
  return rows;
}

std::vector<BatchRow> json_rows(const nlohmann::json& body) {
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The post data is invalid: expected an array");
  std::vector<BatchRow> rows;
  for (const auto& element : body) {
    const Body row(element);
    rows.push_back({row.required_string("email", any_length), row.optional_bool("isMember").value_or(false)});
  }
  return rows;
}

}  // namespace

http::Response UsersApi::batch(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  if (!perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    throw Error(ErrorKind::forbidden, "Only a site owner can batch create users");
  }
  const auto type = to_lower(std::string(req.header("content-type").value_or("")));
  std::vector<BatchRow> rows;
  if (type.rfind("text/csv", 0) == 0) {
    if (!valid_utf8(req.body)) throw Error(ErrorKind::bad_request, "The CSV body is not valid UTF-8");
    rows = csv_rows(req.body);
  } else if (type.rfind("application/json", 0) == 0) {
    rows = json_rows(parse_json_body(req, config_.get()->http.max_json_depth));
  } else {
    throw Error(ErrorKind::bad_request, "Send application/json or text/csv", error_code::bad_content_type);
  }
  if (rows.empty()) throw Error(ErrorKind::bad_request, "Input empty, no rows to process");
  constexpr std::size_t max_rows = 10'000;
  if (rows.size() > max_rows) throw Error(ErrorKind::too_large, "At most 10000 rows can be processed in one request");
  // Every address is checked before anything is written.
  for (auto& row : rows) {
    row.email = strip_tags_and_trim(row.email);
    store::canonical_email(row.email);
  }
  for (const auto& row : rows) {
    auto [profile, address] = profile_for(ctx, req, row.email);
    store::set_site_member(attributes_, ctx.site->id, profile.id, row.member);
  }
  return http::Response::ok(nullptr);
}

http::Response UsersApi::not_implemented(Context& ctx, const http::Request& req) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to do that");
  throw Error(ErrorKind::not_implemented,
              http::parse_method(req.method) == http::Method::put ? "Update User is not yet implemented" : "Delete User is not yet implemented");
}

}  // namespace agora::api
