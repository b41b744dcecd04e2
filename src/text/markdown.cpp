#include "agora/text/markdown.hpp"

#include "bbcode.hpp"
#include "character_filter.hpp"
#include "gfm_parser.hpp"
#include "hashtags_and_mentions.hpp"
#include "html_renderer.hpp"
#include "link_rewriter.hpp"

namespace agora::text {

RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownContext& context) {
  RenderedMarkdown result;
  const detail::NodePtr document =
      detail::parse_gfm(detail::bbcode_to_markdown(detail::filter_characters(markdown)));
  if (!document) return result;

  // Step 4 on the syntax tree. Links are rewritten after hashtags and mentions have become
  // links, so that those are checked and made site-relative too.
  cmark_consolidate_text_nodes(document.get());
  detail::link_hashtags_and_mentions(document.get(), context, result);
  detail::rewrite_links_and_images(document.get(), context, result);
  result.html = detail::render_html(document.get());
  return result;
}

}  // namespace agora::text
