#pragma once
// Timestamps as the v1 API writes them: RFC 3339, UTC, `Z`, microseconds at most,
// trailing zeros of the fraction trimmed (conventions.md §11).

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace agora {

/// Microseconds since the Unix epoch, now.
std::int64_t now_micros();

/// Formats microseconds since the Unix epoch, e.g. 2014-01-28T15:29:54.56755Z.
std::string format_rfc3339_micros(std::int64_t micros_since_epoch);

/// Parses an RFC 3339 timestamp (`Z` or a ±hh:mm offset, optional fraction) to microseconds
/// since the epoch; nullopt when malformed.
std::optional<std::int64_t> parse_rfc3339_micros(std::string_view text);

}  // namespace agora
