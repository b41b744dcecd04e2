#include "html_escape.hpp"

#include "agora/core/text.hpp"
#include "character_filter.hpp"

namespace agora::text::detail {
namespace {

// Spec §4 step 6: a soft hyphen goes after every run of this many non-whitespace characters.
constexpr std::size_t kLongWord = 40;
constexpr const char* kSoftHyphen = "\xC2\xAD";

bool is_whitespace(char32_t cp) {
  switch (cp) {
    case ' ':
    case '\t':
    case '\n':
    case '\r':
    case '\f':
    case '\v':
    case 0xA0:
    case 0x1680:
    case 0x2028:
    case 0x2029:
    case 0x202F:
    case 0x205F:
    case 0x3000: return true;
    default: return cp >= 0x2000 && cp <= 0x200A;
  }
}

}  // namespace

void append_escaped(std::string& out, std::string_view s, Escape mode) {
  const bool soft_hyphens = mode == Escape::text || mode == Escape::lines;
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, length] = decode_utf8(s, i);
    i += length;
    if (cp == '\n' && mode == Escape::lines) {
      out += "<br />\n";
      run = 0;
      continue;
    }
    if (is_unwanted(cp)) continue;
    switch (cp) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '=': out += mode == Escape::attribute ? "&#61;" : "="; break;
      default: append_utf8(out, cp);
    }
    if (is_whitespace(cp)) {
      run = 0;
    } else if (soft_hyphens && ++run == kLongWord) {
      out += kSoftHyphen;
      run = 0;
    }
  }
}

}  // namespace agora::text::detail
