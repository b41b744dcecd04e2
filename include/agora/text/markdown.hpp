#pragma once
// Markdown → HTML rendering of content-conversations-comments.md §4, steps 1–10 (media
// embeds, step 11, are not done here). The pipeline works on the cmark-gfm syntax tree and
// renders it with an allow-list renderer, so no input can produce script, event handlers,
// javascript:/data: URLs, class/style attributes or unbalanced markup.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace agora::text {

/// What the renderer needs to know about the site and how to resolve mentions and links.
struct MarkdownContext {
  /// Absolute site URL, e.g. "https://demo.example.org"; hashtags link to
  /// {site_url}/search/?q=%23tag.
  std::string site_url;
  /// Lower-case host names of this site: links to them become site-relative ("/path").
  std::vector<std::string> site_hosts;
  /// Prefix of short links, e.g. "http://microco.sm/out/"; empty = do not shorten.
  std::string jump_url;
  /// Mention lookup: profile id for a name (case-insensitive), or nullopt. May be empty
  /// (no mentions are resolved).
  std::function<std::optional<std::int64_t>(std::string_view name)> find_profile;
  /// Short-link code for an external URL (e.g. "k3"), or "" to keep the URL. May be empty.
  std::function<std::string(const std::string& url)> shorten;
};

/// The rendered HTML and what the caller must record for it.
struct RenderedMarkdown {
  std::string html;
  /// Resolved profile ids, unique, in order of first appearance.
  std::vector<std::int64_t> mentions;
  /// External (non-site) http(s) URLs linked, unique, in order of first appearance.
  std::vector<std::string> links;
};

/// Renders user markdown per spec §4 steps 1–10. Never throws because of the input;
/// exceptions thrown by the context's callbacks (and std::bad_alloc) propagate.
RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownContext& context);

}  // namespace agora::text
