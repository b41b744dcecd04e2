#pragma once
// The cmark-gfm syntax tree as the markdown passes use it: owning pointers, node kinds with
// the GFM extension nodes among them, accessors that never return null, and node builders.

#include <cmark-gfm.h>

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace agora::text::detail {

struct NodeFree {
  void operator()(cmark_node* node) const noexcept { cmark_node_free(node); }
};
struct IterFree {
  void operator()(cmark_iter* iter) const noexcept { cmark_iter_free(iter); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeFree>;
using IterPtr = std::unique_ptr<cmark_iter, IterFree>;

enum class Kind {
  document,
  block_quote,
  list,
  item,
  code_block,
  html_block,
  paragraph,
  heading,
  thematic_break,
  text,
  softbreak,
  linebreak,
  code,
  html_inline,
  emph,
  strong,
  link,
  image,
  table,
  table_row,
  table_cell,
  strikethrough,
  other
};

Kind kind_of(cmark_node* node);

std::string_view literal_of(cmark_node* node);
std::string_view url_of(cmark_node* node);
std::string_view title_of(cmark_node* node);

/// The text a reader sees inside a link or image (image alt text, link text comparison).
std::string plain_text(cmark_node* root);

/// Text nodes outside links and images, in document order.
std::vector<cmark_node*> texts_outside_links(cmark_node* document);
/// Links, and images outside images, in document order.
std::vector<cmark_node*> links_and_images(cmark_node* document);

NodePtr make_text(std::string_view s);
NodePtr make_link(const std::string& url, std::string_view text);

/// Inserts `node` before `anchor`; if the tree refuses, inserts `fallback` as plain text.
void insert_before(cmark_node* anchor, NodePtr node, std::string_view fallback);

}  // namespace agora::text::detail
