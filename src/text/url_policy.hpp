#pragma once
// Which link and image URLs may be written, read the way a browser reads them.

#include <optional>
#include <string>
#include <string_view>

namespace agora::text::detail {

enum class UrlKind { relative, mailto, web };

struct SafeUrl {
  UrlKind kind = UrlKind::relative;
  std::string href;  // percent-encoded where needed; still to be HTML-escaped
  std::string host;  // web only: lower case, no port
  std::string path;  // web only: path, query and fragment
};

/// Classifies a link or image URL, or nullopt for anything but http, https, mailto and
/// relative URLs.
std::optional<SafeUrl> sanitize_url(std::string_view raw);

}  // namespace agora::text::detail
