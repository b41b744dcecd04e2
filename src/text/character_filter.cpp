#include "character_filter.hpp"

#include "agora/core/text.hpp"

namespace agora::text::detail {

// Non-printable characters dropped from input and output: control characters other than tab
// and newline, user soft hyphens (the renderer places its own), invisible characters that
// can hide or reorder text (zero-width space, word joiner, BOM, bidi embeddings, overrides
// and isolates) and noncharacters. ZWJ/ZWNJ and LRM/RLM stay: emoji and scripts need them.
bool is_unwanted(char32_t cp) {
  if (cp == '\t' || cp == '\n') return false;
  if (cp < 0x20 || (cp >= 0x7F && cp < 0xA0)) return true;
  if (cp == 0xAD || cp == 0x200B || cp == 0xFEFF) return true;
  if ((cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2060 && cp <= 0x2069)) return true;
  if (cp >= 0xFFF9 && cp <= 0xFFFB) return true;
  return (cp >= 0xFDD0 && cp <= 0xFDEF) || (cp & 0xFFFE) == 0xFFFE;
}

std::string filter_characters(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size();) {
    auto [cp, length] = decode_utf8(in, i);
    i += length;
    if (cp == '\r') {
      cp = '\n';
      if (i < in.size() && in[i] == '\n') ++i;
    }
    if (is_unwanted(cp)) continue;
    append_utf8(out, cp);
  }
  lower_if_shouting(out);
  return out;
}

}  // namespace agora::text::detail
