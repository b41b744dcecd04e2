#pragma once
// The StopForumSpam check before a login creates a brand-new user (identity.md §11 with its
// Decision): configurable, short timeout, fails open (any error = not a spammer), logged.

#include <cstdint>
#include <string>

#include "agora/core/config.hpp"
#include "agora/core/log.hpp"

namespace agora::auth {

/// Reads a StopForumSpam JSON answer: a spammer when success > 0, the address was last seen
/// within a year of `now_seconds`, and its confidence is above `min_confidence`.
bool spam_answer_says_spammer(const std::string& json_text, std::int64_t now_seconds, double min_confidence);

/// Asks [auth].spam_check_url about the address; false when the check is off or fails.
bool is_known_spammer(const AuthConfig& config, const std::string& email, const Logger& log);

}  // namespace agora::auth
