#pragma once
// Reading named fields from a request body as conventions.md §3.1 decides: JSON keys match
// case-insensitively; form fields (`application/x-www-form-urlencoded` or no Content-Type)
// match exactly.

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "agora/http/request.hpp"

namespace agora::api {

/// A JSON object's member by case-insensitive key, or nullptr.
const nlohmann::json* find_field(const nlohmann::json& object, std::string_view name);

class RequestFields {
 public:
  /// Decodes the body; Error{bad_request} for other content types or malformed bodies.
  RequestFields(const http::Request& request, int max_json_depth);

  bool has(std::string_view name) const;
  /// A string field; Error{bad_request} naming the field when it is not a string.
  std::optional<std::string> string(std::string_view name) const;

 private:
  const nlohmann::json* json_field(std::string_view name) const;
  bool is_json_ = false;
  nlohmann::json json_;
  http::Fields form_;
};

}  // namespace agora::api
