#pragma once
// A parsed HTTP request as handlers see it: plain strings, no Beast types, so that
// handlers and tests do not pay for Beast's headers.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace agora::http {

using Fields = std::vector<std::pair<std::string, std::string>>;

struct PathParams {
  Fields values;
  std::optional<std::string_view> get(std::string_view name) const;
};

struct Request {
  std::string method;           // after method override, upper-case
  std::string original_method;  // as sent
  std::string target;           // path and query as sent
  std::string path;             // decoded path, no query
  Fields query;                 // decoded, in the order sent
  Fields headers;               // names lower-cased
  std::string body;
  std::string host;             // lower-cased, port removed
  std::string client_ip;
  std::string request_id;
  PathParams params;            // typed path parameters, set by routing

  std::optional<std::string_view> header(std::string_view lower_name) const;
  std::optional<std::string_view> query_param(std::string_view name) const;
  bool has_query_param(std::string_view name) const { return query_param(name).has_value(); }
};

/// Percent-decodes a URL component; `+` becomes a space when plus_is_space.
/// Returns nullopt for a malformed escape.
std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space);

/// Percent-encodes a query key or value (RFC 3986 unreserved characters kept).
std::string percent_encode(std::string_view in);

/// Appends the decoded pairs of `a=1&b=2` (also a form-encoded body). Throws
/// Error{bad_request} on a malformed escape.
void parse_query_string(std::string_view text, Fields& out);

/// The path as it may be logged: secrets in paths (tokens) replaced by a placeholder.
std::string loggable_path(std::string_view path);

/// Splits a target into decoded path and query. Throws Error{bad_request} when malformed.
void parse_target(std::string_view target, std::string& path, Fields& query);

}  // namespace agora::http
