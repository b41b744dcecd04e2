#pragma once
// Spec §4 step 4 for plain text: hashtags and mentions become links.

#include <cmark-gfm.h>

#include "agora/text/markdown.hpp"

namespace agora::text::detail {

/// Turns hashtags in text outside links into links to the site search, and mentions of
/// profiles the context knows into links to the profile; records the profiles mentioned in
/// result.mentions. Expects consolidated text nodes.
void link_hashtags_and_mentions(cmark_node* document, const MarkdownContext& context,
                                RenderedMarkdown& result);

}  // namespace agora::text::detail
