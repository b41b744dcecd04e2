#pragma once
// Small ASCII and UTF-8 text helpers shared by the parsers. The character classes are ASCII
// only on purpose: the C library's depend on the locale.

#include <string>
#include <string_view>

namespace agora {

/// Space, tab, newline, carriage return, form feed or vertical tab.
constexpr bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
constexpr bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
constexpr char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

/// ASCII lower-case copy.
std::string to_lower(std::string_view s);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

/// ASCII case-insensitive prefix test.
bool istarts_with(std::string_view s, std::string_view prefix);

/// s without leading and trailing ASCII whitespace (is_ascii_space).
std::string_view trim_ascii_space(std::string_view s);

/// Lower-cases s when it has no lower-case ASCII letter: text in capitals only is shouting.
void lower_if_shouting(std::string& s);

/// True when the bytes are well-formed UTF-8 (no overlongs, surrogates or code points
/// past U+10FFFF), as PostgreSQL and JSON require.
bool valid_utf8(std::string_view s);

/// Length in bytes of the well-formed UTF-8 character starting at s[i], 0 when it is not one.
std::size_t utf8_sequence_length(std::string_view s, std::size_t i);

struct Utf8Char {
  char32_t code_point;
  std::size_t length;
};

/// The character starting at s[i]. A byte that does not start a well-formed character reads
/// as U+FFFD of length 1, so a decoding loop moves on byte by byte through invalid input.
Utf8Char decode_utf8(std::string_view s, std::size_t i);

/// Appends a code point (at most U+10FFFF) as UTF-8.
void append_utf8(std::string& out, char32_t code_point);

/// The longest prefix of at most max_bytes that does not cut a UTF-8 character in two.
std::string_view utf8_prefix(std::string_view s, std::size_t max_bytes);

/// Number of UTF-8 code points (runes) in valid UTF-8.
std::size_t utf8_length(std::string_view s);

/// Drops `<...>` markup and control characters, trims surrounding whitespace (titles, names).
std::string strip_tags_and_trim(std::string_view s);

}  // namespace agora
