#pragma once
// Parsing into the cmark-gfm syntax tree, guarded against cmark-gfm's worst cases.

#include <string>

#include "syntax_tree.hpp"

namespace agora::text::detail {

/// Parses markdown with hard line breaks, tables, `~~` strikethrough and autolinks. Null only
/// if cmark-gfm fails.
NodePtr parse_gfm(std::string markdown);

}  // namespace agora::text::detail
