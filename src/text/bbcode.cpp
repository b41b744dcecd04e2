#include "bbcode.hpp"

#include <algorithm>
#include <array>
#include <optional>
#include <string_view>
#include <vector>

#include "agora/core/text.hpp"

namespace agora::text::detail {
namespace {

// BBCode pairs nested deeper than this stay text: every level copies its content once.
constexpr std::size_t kMaxBbcodeNesting = 16;
// A BBCode argument (`[url=…]`) longer than this is not a tag; bounds the scan for `]`.
constexpr std::size_t kMaxBbcodeArgument = 2048;

enum class Bb { quote, b, u, i, s, color, img, attach, url, email, cite, list, item, count };

struct BbName {
  std::string_view name;
  Bb tag;
  bool argument_allowed;
  bool argument_required;
};

constexpr std::array<BbName, 13> kBbNames{{
    {"quote", Bb::quote, true, false},
    {"b", Bb::b, false, false},
    {"u", Bb::u, false, false},
    {"i", Bb::i, false, false},
    {"s", Bb::s, false, false},
    {"color", Bb::color, true, true},
    {"img", Bb::img, false, false},
    {"attach", Bb::attach, false, false},
    {"url", Bb::url, true, false},
    {"email", Bb::email, true, false},
    {"cite", Bb::cite, false, false},
    {"list", Bb::list, true, false},
    {"*", Bb::item, false, false},
}};
constexpr std::size_t kLongestBbName = 6;

struct BbToken {
  std::size_t begin = 0;
  std::size_t end = 0;
  Bb tag = Bb::b;
  bool close = false;
  bool has_argument = false;
  std::string_view argument;
  bool paired = false;  // matched with its partner and not nested too deeply
};

// Parses a tag starting at s[p] == '['.
std::optional<BbToken> parse_bb_tag(std::string_view s, std::size_t p) {
  BbToken token;
  token.begin = p;
  std::size_t q = p + 1;
  if (q < s.size() && s[q] == '/') {
    token.close = true;
    ++q;
  }
  const std::size_t name_begin = q;
  while (q < s.size() && q - name_begin < kLongestBbName && (is_ascii_alpha(s[q]) || s[q] == '*')) {
    ++q;
  }
  const std::string_view name = s.substr(name_begin, q - name_begin);
  const BbName* known = nullptr;
  for (const auto& candidate : kBbNames) {
    if (iequals(candidate.name, name)) known = &candidate;
  }
  if (known == nullptr || q >= s.size()) return std::nullopt;
  token.tag = known->tag;
  if (s[q] == ']') {
    if (known->argument_required && !token.close) return std::nullopt;
    token.end = q + 1;
  } else if (s[q] == '=' && !token.close && known->argument_allowed) {
    const std::size_t arg_begin = q + 1;
    const std::size_t limit = std::min(s.size(), arg_begin + kMaxBbcodeArgument);
    std::size_t r = arg_begin;
    while (r < limit && s[r] != ']' && s[r] != '\n') ++r;
    if (r >= limit || s[r] != ']') return std::nullopt;
    token.has_argument = true;
    token.argument = s.substr(arg_begin, r - arg_begin);
    token.end = r + 1;
  } else {
    return std::nullopt;
  }
  // `\n[*]` only (spec), plus at the very start; `[/*]` is not a tag.
  if (token.tag == Bb::item && (token.close || (p > 0 && s[p - 1] != '\n'))) return std::nullopt;
  return token;
}

std::string_view unquote(std::string_view s) {
  s = trim_ascii_space(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return trim_ascii_space(s);
}

// A Markdown link destination; the pointy form keeps spaces and parentheses inside the URL.
void append_destination(std::string& out, std::string_view url) {
  url = trim_ascii_space(url);
  if (url.find_first_of("<>\n") == std::string_view::npos) {
    out += '<';
    out += url;
    out += '>';
  } else {
    out += url;
  }
}

void append_bb_conversion(std::string& out, const BbToken& open, std::string_view raw_open,
                          std::string_view inner, std::string_view raw_close) {
  switch (open.tag) {
    case Bb::quote: {
      out += '\n';
      std::size_t start = 0;
      while (true) {
        const std::size_t newline = inner.find('\n', start);
        out += "> ";
        out += inner.substr(start, newline == std::string_view::npos ? newline : newline - start);
        if (newline == std::string_view::npos) break;
        out += '\n';
        start = newline + 1;
      }
      out += '\n';
      return;
    }
    case Bb::b: out.append("**").append(inner).append("**"); return;
    case Bb::u:
    case Bb::i: out.append("*").append(inner).append("*"); return;
    case Bb::s: out.append("~~").append(inner).append("~~"); return;
    case Bb::color: out += inner; return;
    case Bb::cite: out.append("*").append(inner).append("* "); return;
    case Bb::img:
      out += "![](";
      append_destination(out, inner);
      out += ')';
      return;
    case Bb::attach: {
      const std::string_view id = trim_ascii_space(inner);
      bool digits = !id.empty();
      for (char c : id) digits = digits && is_ascii_digit(c);
      if (!digits) {
        out.append(raw_open).append(inner).append(raw_close);
        return;
      }
      out.append("[/attachments/").append(id).append("](/attachments/").append(id).append(")");
      return;
    }
    case Bb::url:
      if (!open.has_argument) {
        out += inner;
        return;
      }
      out.append("[").append(inner).append("](");
      append_destination(out, unquote(open.argument));
      out += ')';
      return;
    case Bb::email:
      out.append("<")
          .append(open.has_argument ? unquote(open.argument) : trim_ascii_space(inner))
          .append(">");
      return;
    case Bb::list:
    case Bb::item:
    case Bb::count: return;
  }
}

}  // namespace

// Step 3, for the tags present only. Pairs are matched with a stack (a closing tag closes the
// nearest open tag of its name; tags it skips stay text), so the pass is linear in the input
// times kMaxBbcodeNesting.
std::string bbcode_to_markdown(std::string s) {
  std::vector<BbToken> tokens;
  for (std::size_t p = s.find('['); p != std::string::npos; p = s.find('[', p)) {
    if (auto token = parse_bb_tag(s, p)) {
      tokens.push_back(*token);
      p = token->end;
    } else {
      ++p;
    }
  }
  if (tokens.empty()) return s;

  std::vector<std::size_t> stack;
  std::array<std::size_t, static_cast<std::size_t>(Bb::count)> open_count{};
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    BbToken& token = tokens[i];
    if (token.tag == Bb::list || token.tag == Bb::item) continue;
    const auto tag = static_cast<std::size_t>(token.tag);
    if (!token.close) {
      stack.push_back(i);
      ++open_count[tag];
      continue;
    }
    if (open_count[tag] == 0) continue;
    while (true) {
      BbToken& open = tokens[stack.back()];
      stack.pop_back();
      --open_count[static_cast<std::size_t>(open.tag)];
      if (open.tag == token.tag) {
        if (stack.size() < kMaxBbcodeNesting) open.paired = token.paired = true;
        break;
      }
    }
  }

  struct Frame {
    std::size_t open;
    std::string text;
  };
  std::vector<Frame> frames;
  frames.push_back({0, {}});
  frames.back().text.reserve(s.size());
  std::size_t pos = 0;
  const std::string_view source(s);
  for (std::size_t i = 0; i < tokens.size(); ++i) {
    const BbToken& token = tokens[i];
    frames.back().text.append(source.substr(pos, token.begin - pos));
    pos = token.end;
    const std::string_view raw = source.substr(token.begin, token.end - token.begin);
    if (token.tag == Bb::list) continue;
    if (token.tag == Bb::item) {
      frames.back().text += "* ";
    } else if (!token.paired) {
      frames.back().text += raw;
    } else if (!token.close) {
      frames.push_back({i, {}});
    } else {
      Frame inner = std::move(frames.back());
      frames.pop_back();
      const BbToken& open = tokens[inner.open];
      append_bb_conversion(frames.back().text, open,
                           source.substr(open.begin, open.end - open.begin), inner.text, raw);
    }
  }
  frames.back().text.append(source.substr(pos));
  return std::move(frames.back().text);
}

}  // namespace agora::text::detail
