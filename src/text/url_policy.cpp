#include "url_policy.hpp"

#include <algorithm>

#include "agora/core/text.hpp"

namespace agora::text::detail {
namespace {

void append_percent_encoded(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  static constexpr std::string_view kKept = "-._~:/?#[]@!$&'()*+,;=%";
  for (char ch : s) {
    if (is_ascii_alpha(ch) || is_ascii_digit(ch) || kKept.find(ch) != std::string_view::npos) {
      out += ch;
    } else {
      const auto c = static_cast<unsigned char>(ch);
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 0xF];
    }
  }
}

// Defence in depth (open redirects such as `?next=javascript:…`): a URL that names a script
// scheme anywhere, ignoring spaces and controls, is not linked at all.
bool names_script_scheme(std::string_view url) {
  std::string squeezed;
  squeezed.reserve(url.size());
  for (char c : url) {
    if (static_cast<unsigned char>(c) > 0x20) squeezed += to_lower(c);
  }
  for (const std::string_view scheme : {"javascript:", "vbscript:", "data:"}) {
    if (squeezed.find(scheme) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

// Browsers drop tabs and newlines anywhere, strip leading and trailing controls and spaces,
// read `\` as `/` and skip any slashes after `http:`, so this does the same before looking at
// the scheme. A protocol-relative `//host/path` is taken as `https://host/path`; a bare
// `www.` gets `http://` (step 2).
std::optional<SafeUrl> sanitize_url(std::string_view raw) {
  std::string url;
  url.reserve(raw.size() + 8);
  for (char c : raw) {
    if (c == '\t' || c == '\n' || c == '\r') continue;
    url += c == '\\' ? '/' : c;
  }
  std::size_t first = 0;
  while (first < url.size() && static_cast<unsigned char>(url[first]) <= 0x20) ++first;
  std::size_t last = url.size();
  while (last > first && static_cast<unsigned char>(url[last - 1]) <= 0x20) --last;
  url = url.substr(first, last - first);
  if (url.empty() || names_script_scheme(url)) return std::nullopt;
  if (istarts_with(url, "www.")) {
    url.insert(0, "http://");
  } else if (url.starts_with("//")) {
    url.insert(0, "https:");
  }

  SafeUrl result;
  const std::size_t colon = url.find(':');
  const std::size_t delimiter = url.find_first_of("/?#");
  if (colon == std::string::npos || (delimiter != std::string::npos && delimiter < colon)) {
    append_percent_encoded(result.href, url);
    return result;
  }
  const std::string scheme = to_lower(std::string_view(url).substr(0, colon));
  if (scheme == "mailto") {
    result.kind = UrlKind::mailto;
    result.href = "mailto:";
    append_percent_encoded(result.href, std::string_view(url).substr(colon + 1));
    return result;
  }
  if (scheme != "http" && scheme != "https") return std::nullopt;

  std::size_t start = colon + 1;
  while (start < url.size() && url[start] == '/') ++start;
  const std::string_view rest = std::string_view(url).substr(start);
  const std::size_t authority_end = std::min(rest.find_first_of("/?#"), rest.size());
  std::string_view host = rest.substr(0, authority_end);
  if (const std::size_t at = host.rfind('@'); at != std::string_view::npos)
    host.remove_prefix(at + 1);
  if (!host.empty() && host.front() == '[') {
    host = host.substr(0, std::min(host.find(']'), host.size() - 1) + 1);
  } else if (const std::size_t port = host.rfind(':'); port != std::string_view::npos) {
    host = host.substr(0, port);
  }
  while (!host.empty() && host.back() == '.') host.remove_suffix(1);
  if (host.empty()) return std::nullopt;

  result.kind = UrlKind::web;
  result.host = to_lower(host);
  append_percent_encoded(result.path, rest.substr(authority_end));
  result.href = scheme + "://";
  append_percent_encoded(result.href, rest);
  return result;
}

}  // namespace agora::text::detail
