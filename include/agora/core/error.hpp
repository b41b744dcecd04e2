#pragma once
// The project's one error type: a kind (which maps to an HTTP status) and a message
// meant for the person who reads it. Thrown at the edge of validation, mapped to the
// v1 envelope in exactly one place (http/envelope).

#include <optional>
#include <stdexcept>
#include <string>

namespace agora {

enum class ErrorKind {
  bad_request,   // 400
  unauthorised,  // 401
  forbidden,     // 403
  not_found,     // 404
  method_not_allowed,  // 405
  conflict,      // 409
  too_large,     // 413
  header_too_large,    // 431
  rate_limited,  // 429
  internal,      // 500
  not_implemented,     // 501
  unavailable,   // 503
};

/// v1 errorCode values (conventions.md §5.2) used so far.
namespace error_code {
inline constexpr int bad_content_type = 1;
inline constexpr int invalid_content = 2;
inline constexpr int unexpected_type = 3;
inline constexpr int out_of_range = 4;
inline constexpr int user_banned = 13;
inline constexpr int site_not_found = 14;
}  // namespace error_code

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, std::string message, std::optional<int> code = std::nullopt)
      : std::runtime_error(std::move(message)), kind_(kind), code_(code) {}

  /// A 429 that tells the client when to come back.
  static Error rate_limited(std::string message, int retry_after_seconds) {
    Error e(ErrorKind::rate_limited, std::move(message));
    e.retry_after_ = retry_after_seconds;
    return e;
  }

  ErrorKind kind() const noexcept { return kind_; }
  /// The v1 errorCode, when the error carries one.
  std::optional<int> code() const noexcept { return code_; }
  /// Seconds a client should wait before retrying (503 and 429 answers carry Retry-After).
  int retry_after_seconds() const noexcept {
    if (kind_ == ErrorKind::rate_limited) return retry_after_;
    return kind_ == ErrorKind::unavailable ? 1 : 0;
  }

 private:
  ErrorKind kind_;
  std::optional<int> code_;
  int retry_after_ = 0;
};

/// HTTP status for an error kind.
int http_status(ErrorKind kind) noexcept;

}  // namespace agora
