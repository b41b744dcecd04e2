#pragma once
// Decoding a JSON request body (conventions.md §3.1) with the limits that keep a hostile
// body harmless: size is capped by the server (413), nesting depth here (400).

#include <nlohmann/json_fwd.hpp>

#include "agora/http/request.hpp"

namespace agora::api {

/// Parses the body as JSON. Error{bad_request} when the Content-Type is not JSON, the
/// body is malformed (the message says where), or nesting exceeds max_depth.
nlohmann::json parse_json_body(const http::Request& request, int max_depth);

}  // namespace agora::api
