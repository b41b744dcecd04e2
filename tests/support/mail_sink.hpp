#pragma once
// The real SMTP sink scripts/services.sh starts (aiosmtpd writing a Maildir): tests send
// mail to unique addresses and read the messages back.

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace agora::test {

/// smtp://host:port of the sink (AGORA_TEST_SMTP).
std::string smtp_url();

/// An address no other test (or earlier run) used.
std::string unique_address(const std::string& tag);

/// The first message delivered to `recipient`, waiting up to `timeout`.
std::optional<std::string> wait_for_mail(const std::string& recipient,
                                         std::chrono::milliseconds timeout = std::chrono::seconds(10));

/// Every message delivered to `recipient` so far.
std::vector<std::string> all_mail(const std::string& recipient);

/// Number of messages delivered to `recipient` so far.
int mail_count(const std::string& recipient);

}  // namespace agora::test
