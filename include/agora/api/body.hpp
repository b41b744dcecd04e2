#pragma once
// A request body's fields, read with one set of checks (conventions.md §3.1). JSON keys
// match case-insensitively, form fields exactly. A field that is missing when required, of
// the wrong type, out of range or too long is an Error{bad_request} that names it:
// `The post data is invalid: {field} …`.

#include <cstddef>
#include <cstdint>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>

#include "agora/http/request.hpp"

namespace agora::api {

/// The most a string field may hold, counted the way its rule counts: characters or bytes.
struct MaxLength {
  enum class Unit { chars, bytes };
  std::size_t count;
  Unit unit;
};

constexpr MaxLength max_chars(std::size_t n) { return {n, MaxLength::Unit::chars}; }
constexpr MaxLength max_bytes(std::size_t n) { return {n, MaxLength::Unit::bytes}; }
/// For fields without a limit, or whose limit applies to the cleaned value (titles, keys).
inline constexpr MaxLength any_length{std::numeric_limits<std::size_t>::max(), MaxLength::Unit::bytes};

class Body {
 public:
  /// Form fields for `application/x-www-form-urlencoded` or no Content-Type, else a JSON
  /// object; Error{bad_request} for other content types, malformed JSON or a non-object.
  Body(const http::Request& request, int max_json_depth);
  /// A JSON object: a parsed body, or an element of an array body. Error{bad_request} otherwise.
  explicit Body(nlohmann::json object);
  /// The request's body as a JSON object; form fields are refused like other content types.
  static Body json_object(const http::Request& request, int max_json_depth);

  /// True when the field is present, even as null.
  bool has(std::string_view field) const;

  /// A positive integer id: std::int64_t or a StrongId. Absent or null is refused by
  /// required_id and nullopt from optional_id; so is an empty form field.
  template <class Id = std::int64_t>
  Id required_id(std::string_view field) const {
    return Id{required_positive(field)};
  }
  template <class Id = std::int64_t>
  std::optional<Id> optional_id(std::string_view field) const {
    if (auto v = optional_positive(field)) return Id{*v};
    return std::nullopt;
  }

  /// Any integer that fits int64.
  std::optional<std::int64_t> optional_int(std::string_view field) const;

  /// A JSON boolean, or a form field's true/1/t/yes/on or false/0/f/no/off (any case).
  std::optional<bool> optional_bool(std::string_view field) const;
  bool required_bool(std::string_view field) const;

  /// A string no longer than `max`; a required one is also not empty.
  std::string required_string(std::string_view field, MaxLength max) const;
  std::optional<std::string> optional_string(std::string_view field, MaxLength max) const;

  /// The member as sent, null included, for arrays, objects and values that may have several
  /// types; nullptr when absent, and always for form bodies.
  const nlohmann::json* raw(std::string_view field) const;

  /// The field when it holds a T (std::int64_t, bool, std::string, or Body for an object);
  /// nullopt otherwise. Only for fields whose wrongly typed values are ignored, not refused.
  template <class T>
  std::optional<T> lenient(std::string_view field) const {
    return read<T>(field, false);
  }

 private:
  /// The field as a T; nullopt when absent or null. A wrong value is refused when
  /// `refuse_wrong`, else nullopt. T is one of those lenient() takes.
  template <class T>
  std::optional<T> read(std::string_view field, bool refuse_wrong) const;
  std::int64_t required_positive(std::string_view field) const;
  std::optional<std::int64_t> optional_positive(std::string_view field) const;
  const nlohmann::json* member(std::string_view field) const;
  std::optional<std::string_view> form_value(std::string_view field) const;

  bool is_json_ = false;
  nlohmann::json json_;
  http::Fields form_;
};

}  // namespace agora::api
