#pragma once
// Spec §4 step 1, and the characters no rendered text may contain.

#include <string>
#include <string_view>

namespace agora::text::detail {

/// Whether a character is dropped from input and output (the definition says which).
bool is_unwanted(char32_t cp);

/// Step 1: valid UTF-8 only, line endings as "\n", no unwanted characters, and text without
/// any lower-case letter is lower-cased (shout prevention).
std::string filter_characters(std::string_view in);

}  // namespace agora::text::detail
