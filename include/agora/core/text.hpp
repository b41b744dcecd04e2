#pragma once
// Small ASCII text helpers shared by the parsers.

#include <string>
#include <string_view>

namespace agora {

/// ASCII lower-case copy.
std::string to_lower(std::string_view s);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

/// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or code points
/// past U+10FFFF), as PostgreSQL and JSON require.
bool valid_utf8(std::string_view s);

/// Length in bytes of the well-formed UTF-8 character starting at s[i], 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

/// The longest prefix of at most max_bytes that does not cut a UTF-8 character in two.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// Number of UTF-8 code points (runes) in valid UTF-8.
std::size_t utf8_length(std::string_view s);

/// Drops `<...>` markup and control characters, trims surrounding whitespace (titles, names).
std::string strip_tags_and_trim(std::string_view s);

}  // namespace agora
