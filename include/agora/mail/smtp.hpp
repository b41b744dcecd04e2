#pragma once
// Delivers one message over SMTP with libcurl. Throws std::runtime_error with curl's
// reason when the server refuses or cannot be reached.

#include <string>

#include "agora/core/config.hpp"

namespace agora::mail {

/// `message` is the full RFC 5322 text; `to` the bare recipient address.
void send_smtp(const MailConfig& config, const std::string& to, const std::string& message);

}  // namespace agora::mail
