#pragma once
// Spec §4 step 3: the BBCode tags users still write, converted to markdown.

#include <string>

namespace agora::text::detail {

/// Converts the BBCode pairs in s to markdown; unpaired, unknown and too deeply nested tags
/// stay text. Linear in the input.
std::string bbcode_to_markdown(std::string s);

}  // namespace agora::text::detail
