#include "link_rewriter.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "agora/core/text.hpp"
#include "syntax_tree.hpp"
#include "url_policy.hpp"

namespace agora::text::detail {
namespace {

// Distinct URLs shortened per render: every shortening may insert a database row.
constexpr std::size_t kMaxShortenedLinks = 100;

// Title for a link whose text differs from its URL: the first ⌈0.8 × length⌉ characters,
// followed by "..." when that truncates.
std::string link_title(std::string_view url) {
  const std::size_t characters = utf8_length(url);
  const std::size_t keep = (4 * characters + 4) / 5;
  if (keep >= characters) return std::string(url);
  std::size_t i = 0;
  for (std::size_t seen = 0; i < url.size(); ++i) {
    if ((static_cast<unsigned char>(url[i]) & 0xC0) != 0x80 && seen++ == keep) break;
  }
  return std::string(url.substr(0, i)) + "...";
}

class LinkRewriter {
 public:
  LinkRewriter(const MarkdownContext& context, RenderedMarkdown& result)
      : context_(context), result_(result) {
    for (const auto& host : context.site_hosts) site_hosts_.insert(to_lower(host));
  }

  // An invalid URL is emptied: the renderer writes the children of a link without a URL,
  // and the alt text of an image without one.
  void rewrite_link(cmark_node* link) {
    const std::string original(url_of(link));
    auto safe = sanitize_url(original);
    if (!safe) {
      cmark_node_set_url(link, "");
      return;
    }
    if (safe->kind == UrlKind::web && site_hosts_.contains(safe->host)) {
      safe->kind = UrlKind::relative;
      std::string_view path(safe->path);
      while (path.starts_with("//")) path.remove_prefix(1);  // never protocol-relative
      safe->href = path.starts_with("/") ? std::string(path) : std::string("/").append(path);
    }
    const bool jump =
        !context_.jump_url.empty() && safe->href.find(context_.jump_url) != std::string::npos;
    if (safe->kind == UrlKind::web && !jump) {
      if (seen_links_.insert(safe->href).second) result_.links.push_back(safe->href);
      cmark_node* child = cmark_node_first_child(link);
      if (child != nullptr) {
        // Step 2: a bare `www.` address shows with the `http://` it was given.
        if (cmark_node_next(child) == nullptr && kind_of(child) == Kind::text &&
            istarts_with(literal_of(child), "www.") &&
            original == "http://" + std::string(literal_of(child))) {
          cmark_node_set_literal(child, original.c_str());
        }
        const std::string text = plain_text(link);
        if (text != original && text != safe->href) {
          cmark_node_set_title(link, link_title(safe->href).c_str());
        }
        if (std::string code = shorten(safe->href); !code.empty())
          safe->href = context_.jump_url + code;
      }
    }
    cmark_node_set_url(link, safe->href.c_str());
  }

  static void rewrite_image(cmark_node* image) {
    const auto safe = sanitize_url(url_of(image));
    cmark_node_set_url(image, safe && safe->kind != UrlKind::mailto ? safe->href.c_str() : "");
  }

 private:
  std::string shorten(const std::string& url) {
    if (context_.jump_url.empty() || !context_.shorten) return {};
    if (const auto it = codes_.find(url); it != codes_.end()) return it->second;
    if (codes_.size() >= kMaxShortenedLinks) return {};
    std::string code = context_.shorten(url);
    codes_.emplace(url, code);
    return code;
  }

  const MarkdownContext& context_;
  RenderedMarkdown& result_;
  std::unordered_set<std::string> site_hosts_;
  std::unordered_map<std::string, std::string> codes_;
  std::unordered_set<std::string> seen_links_;
};

}  // namespace

void rewrite_links_and_images(cmark_node* document, const MarkdownContext& context,
                              RenderedMarkdown& result) {
  LinkRewriter rewriter(context, result);
  for (cmark_node* node : links_and_images(document)) {
    if (kind_of(node) == Kind::link) {
      rewriter.rewrite_link(node);
    } else {
      LinkRewriter::rewrite_image(node);
    }
  }
}

}  // namespace agora::text::detail
