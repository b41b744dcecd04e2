#include "agora/api/request_fields.hpp"

#include "agora/api/json_body.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"

namespace agora::api {
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view name) {
  if (!object.is_object()) return nullptr;
  for (auto it = object.begin(); it != object.end(); ++it) {
    if (iequals(it.key(), name)) return &it.value();
  }
  return nullptr;
}

RequestFields::RequestFields(const http::Request& request, int max_json_depth) {
  auto type = std::string(request.header("content-type").value_or(""));
  type = type.substr(0, type.find(';'));
  if (type.empty() || type == "application/x-www-form-urlencoded") {
    http::parse_query_string(request.body, form_);
    return;
  }
  json_ = parse_json_body(request, max_json_depth);
  if (!json_.is_object()) throw Error(ErrorKind::bad_request, "The post data is invalid: expected a JSON object");
  is_json_ = true;
}

const nlohmann::json* RequestFields::json_field(std::string_view name) const { return find_field(json_, name); }

bool RequestFields::has(std::string_view name) const {
  if (is_json_) return json_field(name) != nullptr;
  for (auto& [k, v] : form_) {
    if (k == name) return true;
  }
  return false;
}

std::optional<std::string> RequestFields::string(std::string_view name) const {
  if (is_json_) {
    auto f = json_field(name);
    if (!f || f->is_null()) return std::nullopt;
    if (!f->is_string()) {
      throw Error(ErrorKind::bad_request, "The post data is invalid: " + std::string(name) + " must be a string",
                  error_code::unexpected_type);
    }
    return f->get<std::string>();
  }
  for (auto& [k, v] : form_) {
    if (k == name) return v;
  }
  return std::nullopt;
}

}  // namespace agora::api
