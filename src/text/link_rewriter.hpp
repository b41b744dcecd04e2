#pragma once
// Spec §4 step 4 for links and images: the URL policy applied to the syntax tree.

#include <cmark-gfm.h>

#include "agora/text/markdown.hpp"

namespace agora::text::detail {

/// Checks every link and image URL (an invalid one is emptied), makes links to the site's own
/// hosts site-relative, shortens external links and gives them a title when their text
/// differs from the URL; records the external links in result.links.
void rewrite_links_and_images(cmark_node* document, const MarkdownContext& context,
                              RenderedMarkdown& result);

}  // namespace agora::text::detail
