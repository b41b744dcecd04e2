#pragma once
// HTML escaping for the renderer: text gets soft hyphens in long words (spec §4 step 6),
// and unwanted characters that entities may have produced are dropped.

#include <string>
#include <string_view>

namespace agora::text::detail {

enum class Escape {
  text,       // soft hyphens in long words
  lines,      // text, newlines become <br />
  url,        // attribute value that is a URL
  attribute,  // other attribute values (alt, title): `=` too, so that no text there can
              // look like `name=` to a pattern-matching filter further down the line
};

/// Escapes text for HTML (text or attribute value).
void append_escaped(std::string& out, std::string_view s, Escape mode);

}  // namespace agora::text::detail
