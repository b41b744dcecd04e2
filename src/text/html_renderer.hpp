#pragma once
// The allow-list HTML renderer of the syntax tree.

#include <cmark-gfm.h>

#include <string>

namespace agora::text::detail {

/// Writes only p, br, hr, h1–h6, em, strong, del, code, pre, blockquote, ul, ol, li, table,
/// thead, tbody, tr, th, td, a and img, with fixed attribute sets; every text and attribute
/// value is escaped and every URL is checked again here, whatever the transforms did.
std::string render_html(cmark_node* document);

}  // namespace agora::text::detail
