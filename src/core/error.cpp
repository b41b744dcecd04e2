#include "agora/core/error.hpp"

namespace agora {

int http_status(ErrorKind kind) noexcept {
  switch (kind) {
    case ErrorKind::bad_request: return 400;
    case ErrorKind::unauthorised: return 401;
    case ErrorKind::forbidden: return 403;
    case ErrorKind::not_found: return 404;
    case ErrorKind::method_not_allowed: return 405;
    case ErrorKind::conflict: return 409;
    case ErrorKind::too_large: return 413;
    case ErrorKind::rate_limited: return 429;
    case ErrorKind::header_too_large: return 431;
    case ErrorKind::internal: return 500;
    case ErrorKind::not_implemented: return 501;
    case ErrorKind::unavailable: return 503;
  }
  return 500;
}

}  // namespace agora
