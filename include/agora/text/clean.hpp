#pragma once
// The text cleaners of content-microcosms.md §C.4: drop non-printable characters, strip
// every HTML tag, HTML-escape what is left (titles are stored and returned escaped: the web
// client renders them unescaped), and optionally prevent shouting (text with no lower-case
// letter is lower-cased).

#include <string>
#include <string_view>

namespace agora::text {

/// One line: ASCII spaces kept, tabs and newlines removed.
std::string clean_sentence(std::string_view in, bool prevent_shouting);
/// Several lines: all whitespace kept; shout prevention always on.
std::string clean_block(std::string_view in);
/// One token: all whitespace removed; shout prevention always on (attribute keys).
std::string clean_word(std::string_view in);

/// Trims ASCII spaces only (the required-field check of §C.4).
std::string_view trim_spaces(std::string_view in);

}  // namespace agora::text
