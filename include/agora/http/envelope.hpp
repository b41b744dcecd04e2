#pragma once
// The one place where a Response becomes the bytes a client receives: the v1 envelope
// (context, status, data, error), the error-detail object, always200, disableBoiler,
// JSONP, CORS and HTTP caching headers (conventions.md §4, §5, §7, §14).

#include <cstdint>
#include <string>

#include "agora/core/error.hpp"
#include "agora/http/response.hpp"

namespace agora::http {

/// Per-request switches read from the query and headers.
struct EnvelopeOptions {
  std::string context;
  bool always200 = false;
  bool disable_boiler = false;
  std::string callback;      // validated JSONP name, empty for none
  std::int64_t site_id = 0;  // for the error-detail object
  std::int64_t profile_id = 0;
};

/// What goes on the wire.
struct WireResponse {
  int status = 200;
  Fields headers;
  std::string body;
};

/// Reads context/always200/disableBoiler/callback; throws Error{bad_request} for a bad callback.
EnvelopeOptions envelope_options(const Request& request);

/// The error Response for an Error (status from its kind, errorCode if any).
Response error_response(const Error& error);

/// An error Response from a status and message.
Response error_response(int status, std::string message, std::optional<int> error_code = std::nullopt);

/// Renders a Response into status, headers and body.
WireResponse render(const Response& response, const EnvelopeOptions& options);

/// True when a JSONP callback name is acceptable (`^[A-Za-z_$][0-9A-Za-z_$.]{0,63}$`).
bool valid_callback_name(std::string_view name);

}  // namespace agora::http
