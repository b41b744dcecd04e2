#pragma once
// RFC 5322 text of an outgoing message: CRLF lines, UTF-8 body, RFC 2047 subject.

#include <cstdint>
#include <string>
#include <string_view>

namespace agora::mail {

/// The bare address of `Name <addr@host>` or `addr@host`.
std::string address_of(std::string_view mailbox);

/// The whole message. `message_id_host` names the sending domain in Message-ID.
std::string format_message(std::string_view from, std::string_view to, std::string_view subject,
                           std::string_view body, std::int64_t now_seconds, std::string_view message_id);

}  // namespace agora::mail
