#include "syntax_tree.hpp"

#include <cstring>

namespace agora::text::detail {
namespace {

// Text nodes outside links and images, and links and images outside images.
void collect(cmark_node* document, std::vector<cmark_node*>* texts,
             std::vector<cmark_node*>* anchors) {
  IterPtr iter(cmark_iter_new(document));
  std::size_t in_link = 0;
  std::size_t in_image = 0;
  for (auto ev = cmark_iter_next(iter.get()); ev != CMARK_EVENT_DONE;
       ev = cmark_iter_next(iter.get())) {
    cmark_node* node = cmark_iter_get_node(iter.get());
    const Kind kind = kind_of(node);
    const bool enter = ev == CMARK_EVENT_ENTER;
    if (kind == Kind::link || kind == Kind::image) {
      if (enter && in_image == 0 && anchors != nullptr) anchors->push_back(node);
      auto& counter = kind == Kind::link ? in_link : in_image;
      counter = enter ? counter + 1 : counter - 1;
    } else if (kind == Kind::text && in_link == 0 && in_image == 0 && texts != nullptr) {
      texts->push_back(node);
    }
  }
}

}  // namespace

Kind kind_of(cmark_node* node) {
  switch (cmark_node_get_type(node)) {
    case CMARK_NODE_DOCUMENT: return Kind::document;
    case CMARK_NODE_BLOCK_QUOTE: return Kind::block_quote;
    case CMARK_NODE_LIST: return Kind::list;
    case CMARK_NODE_ITEM: return Kind::item;
    case CMARK_NODE_CODE_BLOCK: return Kind::code_block;
    case CMARK_NODE_HTML_BLOCK: return Kind::html_block;
    case CMARK_NODE_PARAGRAPH: return Kind::paragraph;
    case CMARK_NODE_HEADING: return Kind::heading;
    case CMARK_NODE_THEMATIC_BREAK: return Kind::thematic_break;
    case CMARK_NODE_TEXT: return Kind::text;
    case CMARK_NODE_SOFTBREAK: return Kind::softbreak;
    case CMARK_NODE_LINEBREAK: return Kind::linebreak;
    case CMARK_NODE_CODE: return Kind::code;
    case CMARK_NODE_HTML_INLINE: return Kind::html_inline;
    case CMARK_NODE_EMPH: return Kind::emph;
    case CMARK_NODE_STRONG: return Kind::strong;
    case CMARK_NODE_LINK: return Kind::link;
    case CMARK_NODE_IMAGE: return Kind::image;
    default: break;
  }
  // GFM extension node types are allocated at run time; their names are the stable API.
  const char* name = cmark_node_get_type_string(node);
  if (name == nullptr) return Kind::other;
  if (std::strcmp(name, "table") == 0) return Kind::table;
  if (std::strcmp(name, "table_header") == 0 || std::strcmp(name, "table_row") == 0) {
    return Kind::table_row;
  }
  if (std::strcmp(name, "table_cell") == 0) return Kind::table_cell;
  if (std::strcmp(name, "strikethrough") == 0) return Kind::strikethrough;
  return Kind::other;
}

std::string_view literal_of(cmark_node* node) {
  const char* s = cmark_node_get_literal(node);
  return s == nullptr ? std::string_view{} : std::string_view(s);
}
std::string_view url_of(cmark_node* node) {
  const char* s = cmark_node_get_url(node);
  return s == nullptr ? std::string_view{} : std::string_view(s);
}
std::string_view title_of(cmark_node* node) {
  const char* s = cmark_node_get_title(node);
  return s == nullptr ? std::string_view{} : std::string_view(s);
}

std::string plain_text(cmark_node* root) {
  std::string out;
  IterPtr iter(cmark_iter_new(root));
  for (auto ev = cmark_iter_next(iter.get()); ev != CMARK_EVENT_DONE;
       ev = cmark_iter_next(iter.get())) {
    if (ev != CMARK_EVENT_ENTER) continue;
    cmark_node* node = cmark_iter_get_node(iter.get());
    switch (kind_of(node)) {
      case Kind::text:
      case Kind::code:
      case Kind::html_inline: out += literal_of(node); break;
      case Kind::softbreak:
      case Kind::linebreak: out += ' '; break;
      default: break;
    }
  }
  return out;
}

std::vector<cmark_node*> texts_outside_links(cmark_node* document) {
  std::vector<cmark_node*> texts;
  collect(document, &texts, nullptr);
  return texts;
}

std::vector<cmark_node*> links_and_images(cmark_node* document) {
  std::vector<cmark_node*> anchors;
  collect(document, nullptr, &anchors);
  return anchors;
}

NodePtr make_text(std::string_view s) {
  NodePtr node(cmark_node_new(CMARK_NODE_TEXT));
  cmark_node_set_literal(node.get(), std::string(s).c_str());
  return node;
}

NodePtr make_link(const std::string& url, std::string_view text) {
  NodePtr link(cmark_node_new(CMARK_NODE_LINK));
  cmark_node_set_url(link.get(), url.c_str());
  NodePtr child = make_text(text);
  if (cmark_node_append_child(link.get(), child.get()) != 0) child.release();
  return link;
}

void insert_before(cmark_node* anchor, NodePtr node, std::string_view fallback) {
  if (cmark_node_insert_before(anchor, node.get()) != 0) {
    node.release();
    return;
  }
  NodePtr text = make_text(fallback);
  if (cmark_node_insert_before(anchor, text.get()) != 0) text.release();
}

}  // namespace agora::text::detail
