#include "agora/api/body.hpp"

#include <type_traits>

#include "agora/api/json_body.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"

namespace agora::api {
namespace {

[[noreturn]] void refuse(std::string_view field, const std::string& problem, std::optional<int> code = std::nullopt) {
  throw Error(ErrorKind::bad_request, "The post data is invalid: " + std::string(field) + " " + problem, code);
}

void require_object(const nlohmann::json& body) {
  if (!body.is_object()) throw Error(ErrorKind::bad_request, "The post data is invalid: expected a JSON object");
}

bool is_form(const http::Request& request) {
  auto type = std::string(request.header("content-type").value_or(""));
  type = type.substr(0, type.find(';'));
  return type.empty() || type == "application/x-www-form-urlencoded";
}

/// A value read as one type: the value, or what is wrong with it.
template <class T>
struct Decoded {
  std::optional<T> value;
  const char* problem = nullptr;
  std::optional<int> code = std::nullopt;
};

template <class T>
Decoded<T> wrong(const char* problem, int code = error_code::unexpected_type) {
  return {std::nullopt, problem, code};
}

template <class T>
Decoded<T> decode_json(const nlohmann::json& v) {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    if (!v.is_number_integer()) return wrong<T>("must be an integer");
    if (v.is_number_unsigned() && v.get<std::uint64_t>() > std::numeric_limits<std::int64_t>::max()) {
      return wrong<T>("is out of range", error_code::out_of_range);
    }
    return {v.get<std::int64_t>()};
  } else if constexpr (std::is_same_v<T, bool>) {
    if (!v.is_boolean()) return wrong<T>("must be true or false");
    return {v.get<bool>()};
  } else if constexpr (std::is_same_v<T, std::string>) {
    if (!v.is_string()) return wrong<T>("must be a string");
    return {v.get<std::string>()};
  } else {
    static_assert(std::is_same_v<T, Body>);
    if (!v.is_object()) return wrong<T>("must be an object");
    return {Body(v)};
  }
}

/// Form fields are text: numbers as std::stoll reads them (all of the text), booleans as
/// conventions.md §3.1 spells them, objects never.
template <class T>
Decoded<T> decode_form(const std::string& text) {
  if constexpr (std::is_same_v<T, std::int64_t>) {
    try {
      std::size_t used = 0;
      const auto n = std::stoll(text, &used);
      if (used == text.size()) return {n};
    } catch (const std::out_of_range&) {
      return wrong<T>("is out of range", error_code::out_of_range);
    } catch (const std::invalid_argument&) {
    }
    return wrong<T>("must be an integer");
  } else if constexpr (std::is_same_v<T, bool>) {
    const auto v = to_lower(text);
    if (v == "true" || v == "1" || v == "t" || v == "yes" || v == "on") return {true};
    if (v == "false" || v == "0" || v == "f" || v == "no" || v == "off") return {false};
    return wrong<T>("must be true or false");
  } else if constexpr (std::is_same_v<T, std::string>) {
    return {text};
  } else {
    static_assert(std::is_same_v<T, Body>);
    return wrong<T>("must be an object");
  }
}

void check_length(std::string_view field, const std::string& value, MaxLength max) {
  const bool chars = max.unit == MaxLength::Unit::chars;
  if ((chars ? utf8_length(value) : value.size()) > max.count) {
    refuse(field, "must be at most " + std::to_string(max.count) + (chars ? " characters" : " bytes"),
           error_code::out_of_range);
  }
}

}  // namespace

Body::Body(const http::Request& request, int max_json_depth) {
  if (is_form(request)) {
    http::parse_query_string(request.body, form_);
    return;
  }
  json_ = parse_json_body(request, max_json_depth);
  require_object(json_);
  is_json_ = true;
}

Body::Body(nlohmann::json object) : is_json_(true), json_(std::move(object)) { require_object(json_); }

Body Body::json_object(const http::Request& request, int max_json_depth) {
  return Body(parse_json_body(request, max_json_depth));
}

const nlohmann::json* Body::member(std::string_view field) const {
  for (auto it = json_.begin(); it != json_.end(); ++it) {
    if (iequals(it.key(), field)) return &it.value();
  }
  return nullptr;
}

std::optional<std::string_view> Body::form_value(std::string_view field) const {
  for (const auto& [name, value] : form_) {
    if (name == field) return value;
  }
  return std::nullopt;
}

bool Body::has(std::string_view field) const { return is_json_ ? member(field) != nullptr : form_value(field).has_value(); }

const nlohmann::json* Body::raw(std::string_view field) const { return is_json_ ? member(field) : nullptr; }

template <class T>
std::optional<T> Body::read(std::string_view field, bool refuse_wrong) const {
  Decoded<T> decoded;
  if (is_json_) {
    const auto* m = member(field);
    if (!m || m->is_null()) return std::nullopt;
    decoded = decode_json<T>(*m);
  } else {
    const auto v = form_value(field);
    // An empty form field is no value, except as a string.
    if (!v || (v->empty() && !std::is_same_v<T, std::string>)) return std::nullopt;
    decoded = decode_form<T>(std::string(*v));
  }
  if (decoded.problem && refuse_wrong) refuse(field, decoded.problem, decoded.code);
  return std::move(decoded.value);
}

template std::optional<std::int64_t> Body::read(std::string_view, bool) const;
template std::optional<bool> Body::read(std::string_view, bool) const;
template std::optional<std::string> Body::read(std::string_view, bool) const;
template std::optional<Body> Body::read(std::string_view, bool) const;

std::optional<std::int64_t> Body::optional_int(std::string_view field) const { return read<std::int64_t>(field, true); }

std::optional<std::int64_t> Body::optional_positive(std::string_view field) const {
  auto v = optional_int(field);
  if (v && *v <= 0) refuse(field, "must be a positive integer", error_code::out_of_range);
  return v;
}

std::int64_t Body::required_positive(std::string_view field) const {
  auto v = optional_positive(field);
  if (!v) refuse(field, "is required");
  return *v;
}

std::optional<bool> Body::optional_bool(std::string_view field) const { return read<bool>(field, true); }

bool Body::required_bool(std::string_view field) const {
  auto v = optional_bool(field);
  if (!v) refuse(field, "is required");
  return *v;
}

std::optional<std::string> Body::optional_string(std::string_view field, MaxLength max) const {
  auto v = read<std::string>(field, true);
  if (v) check_length(field, *v, max);
  return v;
}

std::string Body::required_string(std::string_view field, MaxLength max) const {
  auto v = optional_string(field, max);
  if (!v || v->empty()) refuse(field, "is required");
  return std::move(*v);
}

}  // namespace agora::api
