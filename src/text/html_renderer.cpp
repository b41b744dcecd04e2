#include "html_renderer.hpp"

#include <cmark-gfm-core-extensions.h>

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <vector>

#include "html_escape.hpp"
#include "syntax_tree.hpp"
#include "url_policy.hpp"

namespace agora::text::detail {
namespace {

// Elements nested deeper than this are written without their tags (the content is kept):
// a thousand `>` should not become a thousand nested blockquotes in every reader's browser.
constexpr std::size_t kMaxNesting = 64;

class HtmlRenderer {
 public:
  std::string render(cmark_node* document) {
    IterPtr iter(cmark_iter_new(document));
    for (auto ev = cmark_iter_next(iter.get()); ev != CMARK_EVENT_DONE;
         ev = cmark_iter_next(iter.get())) {
      cmark_node* node = cmark_iter_get_node(iter.get());
      if (ev == CMARK_EVENT_ENTER) {
        if (enter(node)) cmark_iter_reset(iter.get(), node, CMARK_EVENT_EXIT);
      } else {
        exit(node);
      }
    }
    return std::move(out_);
  }

 private:
  struct Open {
    Kind kind;
    bool written;  // whether the opening tag was written (so the closing one must be)
  };

  bool can_open() const { return open_.size() < kMaxNesting; }

  void push(Kind kind, bool written, std::string_view tag) {
    open_.push_back({kind, written});
    if (written) out_ += tag;
  }

  void text(std::string_view s, Escape mode = Escape::text) { append_escaped(out_, s, mode); }
  void attribute(std::string_view name, std::string_view value, Escape mode = Escape::attribute) {
    out_ += ' ';
    out_ += name;
    out_ += "=\"";
    append_escaped(out_, value, mode);
    out_ += '"';
  }

  static bool tight_paragraph(cmark_node* paragraph) {
    cmark_node* item = cmark_node_parent(paragraph);
    if (item == nullptr || kind_of(item) != Kind::item) return false;
    cmark_node* list = cmark_node_parent(item);
    return list != nullptr && kind_of(list) == Kind::list && cmark_node_get_list_tight(list) != 0;
  }

  // Returns true when the node's children must be skipped.
  bool enter(cmark_node* node) {
    const Kind kind = kind_of(node);
    switch (kind) {
      case Kind::text:
      case Kind::html_inline: text(literal_of(node)); return false;
      case Kind::code:
        out_ += "<code>";
        text(literal_of(node));
        out_ += "</code>";
        return false;
      case Kind::softbreak:
      case Kind::linebreak: out_ += "<br />\n"; return false;
      case Kind::thematic_break: out_ += "<hr />\n"; return false;
      case Kind::code_block:
        out_ += "<pre><code>";
        text(literal_of(node));
        out_ += "</code></pre>\n";
        return false;
      case Kind::html_block: {
        std::string_view html = literal_of(node);
        while (!html.empty() && html.back() == '\n') html.remove_suffix(1);
        out_ += "<p>";
        text(html, Escape::lines);
        out_ += "</p>\n";
        return false;
      }
      case Kind::image: image(node); return true;
      case Kind::block_quote: push(kind, can_open(), "<blockquote>\n"); return false;
      case Kind::list: {
        const bool written = can_open();
        if (cmark_node_get_list_type(node) == CMARK_ORDERED_LIST) {
          const int start = cmark_node_get_list_start(node);
          push(kind, written,
               start == 1 ? std::string("<ol>\n")
                          : "<ol start=\"" + std::to_string(start) + "\">\n");
        } else {
          push(kind, written, "<ul>\n");
        }
        return false;
      }
      case Kind::item: push(kind, can_open(), "<li>"); return false;
      case Kind::paragraph: push(kind, can_open() && !tight_paragraph(node), "<p>"); return false;
      case Kind::heading: {
        const int level = std::clamp(cmark_node_get_heading_level(node), 1, 6);
        push(kind, can_open(), "<h" + std::to_string(level) + ">");
        return false;
      }
      case Kind::emph: push(kind, can_open(), "<em>"); return false;
      case Kind::strong: push(kind, can_open(), "<strong>"); return false;
      case Kind::strikethrough: push(kind, can_open(), "<del>"); return false;
      case Kind::link: link(node); return false;
      case Kind::table:
        table_ = Table{};
        table_.written = can_open();
        if (table_.written) {
          table_.columns = cmark_gfm_extensions_get_table_columns(node);
          table_.alignments = cmark_gfm_extensions_get_table_alignments(node);
        }
        push(kind, table_.written, "<table>\n");
        return false;
      case Kind::table_row: {
        table_.header_row = cmark_gfm_extensions_get_table_row_is_header(node) != 0;
        table_.cell = 0;
        std::string tag;
        if (table_.header_row) {
          tag = "<thead>\n<tr>\n";
        } else {
          if (!table_.in_body) tag = "<tbody>\n";
          table_.in_body = true;
          tag += "<tr>\n";
        }
        push(kind, table_.written, tag);
        return false;
      }
      case Kind::table_cell: {
        std::string tag = table_.header_row ? "<th" : "<td";
        const std::uint16_t column = table_.cell++;
        if (table_.alignments != nullptr && column < table_.columns) {
          switch (table_.alignments[column]) {
            case 'l': tag += " align=\"left\""; break;
            case 'c': tag += " align=\"center\""; break;
            case 'r': tag += " align=\"right\""; break;
            default: break;
          }
        }
        tag += '>';
        push(kind, table_.written, tag);
        return false;
      }
      case Kind::document:
      case Kind::other: open_.push_back({kind, false}); return false;
    }
    return false;
  }

  void exit(cmark_node* node) {
    if (open_.empty()) return;
    const Open open = open_.back();
    open_.pop_back();
    if (open.kind == Kind::link) --in_link_;
    if (!open.written) return;
    switch (open.kind) {
      case Kind::block_quote: out_ += "</blockquote>\n"; break;
      case Kind::list:
        out_ += cmark_node_get_list_type(node) == CMARK_ORDERED_LIST ? "</ol>\n" : "</ul>\n";
        break;
      case Kind::item: out_ += "</li>\n"; break;
      case Kind::paragraph: out_ += "</p>\n"; break;
      case Kind::heading:
        out_ +=
            "</h" + std::to_string(std::clamp(cmark_node_get_heading_level(node), 1, 6)) + ">\n";
        break;
      case Kind::emph: out_ += "</em>"; break;
      case Kind::strong: out_ += "</strong>"; break;
      case Kind::strikethrough: out_ += "</del>"; break;
      case Kind::link: out_ += "</a>"; break;
      case Kind::table:
        if (table_.in_body) out_ += "</tbody>\n";
        out_ += "</table>\n";
        break;
      case Kind::table_row: out_ += table_.header_row ? "</tr>\n</thead>\n" : "</tr>\n"; break;
      case Kind::table_cell: out_ += table_.header_row ? "</th>\n" : "</td>\n"; break;
      default: break;
    }
  }

  void link(cmark_node* node) {
    const auto safe = sanitize_url(url_of(node));
    const bool written = safe.has_value() && in_link_ == 0 && can_open();
    ++in_link_;
    open_.push_back({Kind::link, written});
    if (!written) return;
    out_ += "<a";
    attribute("href", safe->href, Escape::url);
    if (const auto title = title_of(node); !title.empty()) attribute("title", title);
    if (safe->kind == UrlKind::web) out_ += " rel=\"nofollow\" target=\"_blank\"";
    out_ += '>';
  }

  void image(cmark_node* node) {
    const auto safe = sanitize_url(url_of(node));
    const std::string alt = plain_text(node);
    if (!safe || safe->kind == UrlKind::mailto) {
      text(alt);
      return;
    }
    out_ += "<img class=\"ip\"";
    attribute("src", safe->href, Escape::url);
    if (!alt.empty()) attribute("alt", alt);
    if (const auto title = title_of(node); !title.empty()) attribute("title", title);
    out_ += " />";
  }

  struct Table {
    bool written = false;
    bool in_body = false;
    bool header_row = false;
    std::uint16_t columns = 0;
    std::uint16_t cell = 0;
    const std::uint8_t* alignments = nullptr;
  };

  std::string out_;
  std::vector<Open> open_;
  std::size_t in_link_ = 0;
  Table table_;
};

}  // namespace

std::string render_html(cmark_node* document) { return HtmlRenderer().render(document); }

}  // namespace agora::text::detail
