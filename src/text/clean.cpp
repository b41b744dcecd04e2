#include "agora/text/clean.hpp"

#include "agora/core/text.hpp"

namespace agora::text {
namespace {

enum class Whitespace { none, spaces, all };

std::string clean(std::string_view in, Whitespace keep, bool prevent_shouting) {
  // First drop tags and unwanted characters, then escape, so `<` never survives.
  std::string plain;
  plain.reserve(in.size());
  bool in_tag = false;
  for (char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if (ch == '<') {
      in_tag = true;
      continue;
    }
    if (in_tag) {
      if (ch == '>') in_tag = false;
      continue;
    }
    const bool newline_or_tab = ch == '\n' || ch == '\t';
    if (ch == '\r') continue;
    if (newline_or_tab) {
      if (keep == Whitespace::all) plain += ch;
      continue;
    }
    if (ch == ' ' && keep == Whitespace::none) continue;
    if (c < 0x20 || c == 0x7f) continue;  // other control characters
    plain += ch;
  }
  if (prevent_shouting) lower_if_shouting(plain);
  std::string out;
  out.reserve(plain.size() + plain.size() / 8);
  for (char ch : plain) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&#34;"; break;
      case '\'': out += "&#39;"; break;
      default: out += ch;
    }
  }
  return out;
}

}  // namespace

std::string clean_sentence(std::string_view in, bool prevent_shouting) {
  return clean(in, Whitespace::spaces, prevent_shouting);
}
std::string clean_block(std::string_view in) { return clean(in, Whitespace::all, true); }
std::string clean_word(std::string_view in) { return clean(in, Whitespace::none, true); }

std::string_view trim_spaces(std::string_view in) {
  while (!in.empty() && in.front() == ' ') in.remove_prefix(1);
  while (!in.empty() && in.back() == ' ') in.remove_suffix(1);
  return in;
}

}  // namespace agora::text
