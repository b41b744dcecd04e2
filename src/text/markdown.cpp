#include "agora/text/markdown.hpp"

#include <cmark-gfm-core-extensions.h>
#include <cmark-gfm.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <unordered_set>

namespace agora::text {
namespace {

// Spec §4 step 6: a soft hyphen goes after every run of this many non-whitespace characters.
constexpr std::size_t kLongWord = 40;
// Elements nested deeper than this are written without their tags (the content is kept):
// a thousand `>` should not become a thousand nested blockquotes in every reader's browser.
constexpr std::size_t kMaxNesting = 64;
// BBCode pairs nested deeper than this stay text: every level copies its content once.
constexpr std::size_t kMaxBbcodeNesting = 16;
// A BBCode argument (`[url=…]`) longer than this is not a tag; bounds the scan for `]`.
constexpr std::size_t kMaxBbcodeArgument = 2048;
// Guards against inputs on which cmark-gfm 0.29.0.gfm.6 is quadratic or amplifies its
// input. Link and image openers: matching a link walks all earlier openers, so `[` beyond
// this count are escaped (only abusive input has that many). Table cells: a row's cells are
// kept in a list appended at its tail, and short rows are padded to the header's width, so
// when the possible cell count (per run of non-blank lines that contains a delimiter-like
// line: widest line in pipes × lines) exceeds this, tables are not parsed for that input.
constexpr std::size_t kMaxLinkOpeners = 5000;
constexpr std::size_t kMaxTableCells = 5000;
// Distinct names looked up per render: every lookup may be a database query.
constexpr std::size_t kMaxMentionLookups = 100;
// Distinct URLs shortened per render: every shortening may insert a database row.
constexpr std::size_t kMaxShortenedLinks = 100;

constexpr int kParseOptions =
    CMARK_OPT_HARDBREAKS | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE | CMARK_OPT_VALIDATE_UTF8;
constexpr const char* kSoftHyphen = "\xC2\xAD";

struct CodePoint {
  char32_t value;
  std::size_t length;
};

// Decodes the code point at s[i]. Invalid sequences (stray or truncated bytes, overlong
// forms, surrogates, values above U+10FFFF) decode as U+FFFD of length 1.
CodePoint decode(std::string_view s, std::size_t i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(s[i + k]); };
  const auto continuation = [&](std::size_t k, unsigned char lo = 0x80, unsigned char hi = 0xBF) {
    return i + k < s.size() && byte(k) >= lo && byte(k) <= hi;
  };
  const auto bits = [&](std::size_t k) { return static_cast<char32_t>(byte(k) & 0x3F); };
  const unsigned char b0 = byte(0);
  if (b0 < 0x80) return {b0, 1};
  if (b0 >= 0xC2 && b0 <= 0xDF) {
    if (continuation(1)) return {(static_cast<char32_t>(b0 & 0x1F) << 6) | bits(1), 2};
  } else if (b0 >= 0xE0 && b0 <= 0xEF) {
    const unsigned char lo = b0 == 0xE0 ? 0xA0 : 0x80;
    const unsigned char hi = b0 == 0xED ? 0x9F : 0xBF;
    if (continuation(1, lo, hi) && continuation(2)) {
      return {(static_cast<char32_t>(b0 & 0x0F) << 12) | (bits(1) << 6) | bits(2), 3};
    }
  } else if (b0 >= 0xF0 && b0 <= 0xF4) {
    const unsigned char lo = b0 == 0xF0 ? 0x90 : 0x80;
    const unsigned char hi = b0 == 0xF4 ? 0x8F : 0xBF;
    if (continuation(1, lo, hi) && continuation(2) && continuation(3)) {
      return {(static_cast<char32_t>(b0 & 0x07) << 18) | (bits(1) << 12) | (bits(2) << 6) | bits(3),
              4};
    }
  }
  return {0xFFFD, 1};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

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

bool is_ascii_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}
bool is_ascii_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_ascii_digit(char c) { return c >= '0' && c <= '9'; }
bool is_word(char c) { return is_ascii_alpha(c) || is_ascii_digit(c) || c == '_'; }
char to_lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = to_lower(c);
  return out;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (to_lower(a[i]) != to_lower(b[i])) return false;
  }
  return true;
}

bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

std::string_view trim_ascii(std::string_view s) {
  while (!s.empty() && is_ascii_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ascii_space(s.back())) s.remove_suffix(1);
  return s;
}

// Step 1: valid UTF-8 only, line endings as "\n", no non-printable characters, and text
// without any lower-case letter is lower-cased (shout prevention).
std::string filter_characters(std::string_view in) {
  std::string out;
  out.reserve(in.size());
  bool has_lower = false;
  for (std::size_t i = 0; i < in.size();) {
    auto [cp, length] = decode(in, i);
    i += length;
    if (cp == '\r') {
      cp = '\n';
      if (i < in.size() && in[i] == '\n') ++i;
    }
    if (is_unwanted(cp)) continue;
    if (cp >= 'a' && cp <= 'z') has_lower = true;
    append_utf8(out, cp);
  }
  if (!has_lower) {
    for (auto& c : out) c = to_lower(c);
  }
  return out;
}

enum class Escape {
  text,       // soft hyphens in long words
  lines,      // text, newlines become <br />
  url,        // attribute value that is a URL
  attribute,  // other attribute values (alt, title): `=` too, so that no text there can
              // look like `name=` to a pattern-matching filter further down the line
};

// Escapes text for HTML (text or attribute value), dropping unwanted characters that entities
// may have produced.
void append_escaped(std::string& out, std::string_view s, Escape mode) {
  const bool soft_hyphens = mode == Escape::text || mode == Escape::lines;
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size();) {
    const auto [cp, length] = decode(s, i);
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
  s = trim_ascii(s);
  if (s.size() >= 2 && (s.front() == '"' || s.front() == '\'') && s.back() == s.front()) {
    s = s.substr(1, s.size() - 2);
  }
  return trim_ascii(s);
}

// A Markdown link destination; the pointy form keeps spaces and parentheses inside the URL.
void append_destination(std::string& out, std::string_view url) {
  url = trim_ascii(url);
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
      const std::string_view id = trim_ascii(inner);
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
          .append(open.has_argument ? unquote(open.argument) : trim_ascii(inner))
          .append(">");
      return;
    case Bb::list:
    case Bb::item:
    case Bb::count: return;
  }
}

// Step 3, for the tags present only. Pairs are matched with a stack (a closing tag closes the
// nearest open tag of its name; tags it skips stay text), so the pass is linear in the input
// times kMaxBbcodeNesting.
std::string bbcode_to_markdown(const std::string& s) {
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

// Escapes every unescaped `[` after the first kMaxLinkOpeners (see there).
std::string limit_link_openers(std::string s) {
  std::size_t count = 0;
  std::size_t position = 0;
  for (; position < s.size(); ++position) {
    if (s[position] == '[' && ++count > kMaxLinkOpeners) break;
  }
  if (position >= s.size()) return s;
  std::string out;
  out.reserve(s.size() + s.size() / 4);
  out.append(s, 0, position);
  std::size_t backslashes = 0;
  for (std::size_t i = position; i > 0 && s[i - 1] == '\\'; --i) ++backslashes;
  for (; position < s.size(); ++position) {
    const char c = s[position];
    if (c == '[' && backslashes % 2 == 0) out += '\\';
    out += c;
    backslashes = c == '\\' ? backslashes + 1 : 0;
  }
  return out;
}

// Whether the input can hold at most kMaxTableCells table cells (see there).
bool tables_are_cheap(std::string_view s) {
  std::size_t cells = 0;
  std::size_t run_lines = 0;
  std::size_t run_widest = 0;
  bool run_has_delimiter = false;
  const auto end_run = [&] {
    if (run_has_delimiter) cells += (run_widest + 1) * run_lines;
    run_lines = run_widest = 0;
    run_has_delimiter = false;
  };
  std::size_t start = 0;
  while (start <= s.size()) {
    std::size_t end = s.find('\n', start);
    if (end == std::string_view::npos) end = s.size();
    const std::string_view line = s.substr(start, end - start);
    std::size_t pipes = 0;
    bool blank = true;
    bool delimiter_like = true;  // only characters a delimiter row and its container prefixes use
    for (char c : line) {
      pipes += c == '|';
      blank = blank && is_ascii_space(c);
      delimiter_like = delimiter_like && std::string_view(" \t\f\v|:->*+.)0123456789").find(c) !=
                                             std::string_view::npos;
    }
    if (blank) {
      end_run();
    } else {
      ++run_lines;
      run_widest = std::max(run_widest, pipes);
      run_has_delimiter = run_has_delimiter ||
                          (delimiter_like && pipes > 0 && line.find('-') != std::string_view::npos);
    }
    if (cells > kMaxTableCells) return false;
    start = end + 1;
  }
  end_run();
  return cells <= kMaxTableCells;
}

enum class UrlKind { relative, mailto, web };

struct SafeUrl {
  UrlKind kind = UrlKind::relative;
  std::string href;  // percent-encoded where needed; still to be HTML-escaped
  std::string host;  // web only: lower case, no port
  std::string path;  // web only: path, query and fragment
};

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

// Classifies a link or image URL the way a browser would read it, or nullopt for anything
// but http, https, mailto and relative URLs. Browsers drop tabs and newlines anywhere,
// strip leading and trailing controls and spaces, read `\` as `/` and skip any slashes after
// `http:`, so this does the same before looking at the scheme. A protocol-relative
// `//host/path` is taken as `https://host/path`; a bare `www.` gets `http://` (step 2).
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
  const std::string scheme = lower(std::string_view(url).substr(0, colon));
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
  result.host = lower(host);
  append_percent_encoded(result.path, rest.substr(authority_end));
  result.href = scheme + "://";
  append_percent_encoded(result.href, rest);
  return result;
}

// Title for a link whose text differs from its URL: the first ⌈0.8 × length⌉ characters,
// followed by "..." when that truncates.
std::string link_title(std::string_view url) {
  std::size_t characters = 0;
  for (char c : url) characters += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  const std::size_t keep = (4 * characters + 4) / 5;
  if (keep >= characters) return std::string(url);
  std::size_t i = 0;
  for (std::size_t seen = 0; i < url.size(); ++i) {
    if ((static_cast<unsigned char>(url[i]) & 0xC0) != 0x80 && seen++ == keep) break;
  }
  return std::string(url.substr(0, i)) + "...";
}

struct NodeFree {
  void operator()(cmark_node* node) const noexcept { cmark_node_free(node); }
};
struct ParserFree {
  void operator()(cmark_parser* parser) const noexcept { cmark_parser_free(parser); }
};
struct IterFree {
  void operator()(cmark_iter* iter) const noexcept { cmark_iter_free(iter); }
};
using NodePtr = std::unique_ptr<cmark_node, NodeFree>;
using ParserPtr = std::unique_ptr<cmark_parser, ParserFree>;
using IterPtr = std::unique_ptr<cmark_iter, IterFree>;

enum class Kind {
  document,
  block_quote,
  list,
  item,
  code_block,
  html_block,
  paragraph,
  heading,
  thematic_break,
  text,
  softbreak,
  linebreak,
  code,
  html_inline,
  emph,
  strong,
  link,
  image,
  table,
  table_row,
  table_cell,
  strikethrough,
  other
};

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

// The text a reader sees inside a link or image (image alt text, link text comparison).
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

// Inserts `node` before `anchor`; if the tree refuses, inserts `fallback` as plain text.
void insert_before(cmark_node* anchor, NodePtr node, std::string_view fallback) {
  if (cmark_node_insert_before(anchor, node.get()) != 0) {
    node.release();
    return;
  }
  NodePtr text = make_text(fallback);
  if (cmark_node_insert_before(anchor, text.get()) != 0) text.release();
}

void register_extensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

// Step 4 on the syntax tree: hashtags and mentions become links, link and image URLs are
// checked, made site-relative or shortened; records mentions and external links.
class Transformer {
 public:
  Transformer(const MarkdownContext& context, RenderedMarkdown& result)
      : context_(context), result_(result) {
    std::string_view site(context.site_url);
    while (!site.empty() && site.back() == '/') site.remove_suffix(1);
    hashtag_prefix_ = std::string(site) + "/search/?q=%23";
    for (const auto& host : context.site_hosts) site_hosts_.insert(lower(host));
  }

  void run(cmark_node* document) {
    cmark_consolidate_text_nodes(document);
    std::vector<cmark_node*> texts;
    std::vector<cmark_node*> anchors;  // links and images, in document order
    collect(document, &texts, nullptr);
    for (cmark_node* text : texts) split_text(text);
    collect(document, nullptr, &anchors);
    for (cmark_node* node : anchors) {
      if (kind_of(node) == Kind::link) {
        rewrite_link(node);
      } else {
        rewrite_image(node);
      }
    }
  }

 private:
  // Text nodes outside links and images, and links and images outside images.
  static void collect(cmark_node* document, std::vector<cmark_node*>* texts,
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

  // Hashtags `(^|\s)#tag` and mentions `(^|\W)[+@](\S+)` become link nodes. The start of a
  // text node counts as `^` after nothing or a line break, as a word character after any
  // other inline (emphasis, code, a link).
  void split_text(cmark_node* node) {
    const std::string s(literal_of(node));
    cmark_node* previous = cmark_node_previous(node);
    const bool at_line_start = previous == nullptr || kind_of(previous) == Kind::softbreak ||
                               kind_of(previous) == Kind::linebreak;
    bool after_space = at_line_start;
    bool after_word = !at_line_start;
    std::size_t done = 0;  // s[0, done) has been moved into new nodes
    std::size_t i = 0;
    const auto emit = [&](std::size_t begin, std::size_t end, const std::string& url,
                          std::string_view text) {
      if (begin > done)
        insert_before(node, make_text(std::string_view(s).substr(done, begin - done)), "");
      insert_before(node, make_link(url, text), text);
      done = end;
    };
    while (i < s.size()) {
      const char c = s[i];
      if (c == '#' && after_space) {
        std::size_t j = i + 1;
        bool letter = false;
        for (; j < s.size() && is_word(s[j]); ++j) letter = letter || !is_ascii_digit(s[j]);
        if (letter) {
          const std::string_view tag = std::string_view(s).substr(i + 1, j - i - 1);
          emit(i, j, hashtag_prefix_ + std::string(tag), "#" + std::string(tag));
          i = j;
          after_space = false;
          after_word = true;
          continue;
        }
      } else if ((c == '@' || c == '+') && !after_word) {
        std::size_t j = i + 1;
        while (j < s.size() && !is_ascii_space(s[j])) ++j;
        std::string_view name = std::string_view(s).substr(i + 1, j - i - 1);
        while (!name.empty() &&
               std::string_view(",.:?!-").find(name.back()) != std::string_view::npos) {
          name.remove_suffix(1);
        }
        if (!name.empty()) {
          if (const auto id = find_profile(name)) {
            const std::size_t end = i + 1 + name.size();
            emit(i, end, "/profiles/" + std::to_string(*id), "@" + std::string(name));
            if (seen_mentions_.insert(*id).second) result_.mentions.push_back(*id);
            i = end;
            after_space = false;
            after_word = is_word(name.back());
            continue;
          }
        }
        i = j;  // the whole `\S+` run was the (unknown) match
        after_space = false;
        after_word = is_word(s[j - 1]);
        continue;
      }
      after_space = is_ascii_space(c);
      after_word = is_word(c);
      ++i;
    }
    if (done == 0) return;
    if (done < s.size()) {
      cmark_node_set_literal(node, s.c_str() + done);
    } else {
      cmark_node_unlink(node);
      cmark_node_free(node);
    }
  }

  std::optional<std::int64_t> find_profile(std::string_view name) {
    if (!context_.find_profile) return std::nullopt;
    std::string key = lower(name);
    if (const auto it = profiles_.find(key); it != profiles_.end()) return it->second;
    if (profiles_.size() >= kMaxMentionLookups) return std::nullopt;
    const auto id = context_.find_profile(name);
    profiles_.emplace(std::move(key), id);
    return id;
  }

  std::string shorten(const std::string& url) {
    if (context_.jump_url.empty() || !context_.shorten) return {};
    if (const auto it = codes_.find(url); it != codes_.end()) return it->second;
    if (codes_.size() >= kMaxShortenedLinks) return {};
    std::string code = context_.shorten(url);
    codes_.emplace(url, code);
    return code;
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
      safe->href = path.starts_with("/") ? std::string(path) : "/" + std::string(path);
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

  const MarkdownContext& context_;
  RenderedMarkdown& result_;
  std::string hashtag_prefix_;
  std::unordered_set<std::string> site_hosts_;
  std::unordered_map<std::string, std::optional<std::int64_t>> profiles_;
  std::unordered_map<std::string, std::string> codes_;
  std::unordered_set<std::int64_t> seen_mentions_;
  std::unordered_set<std::string> seen_links_;
};

// Writes only p, br, hr, h1–h6, em, strong, del, code, pre, blockquote, ul, ol, li, table,
// thead, tbody, tr, th, td, a and img, with fixed attribute sets; every text and attribute
// value is escaped and every URL is checked again here, whatever the transforms did.
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

RenderedMarkdown render_markdown(std::string_view markdown, const MarkdownContext& context) {
  RenderedMarkdown result;
  const std::string text = limit_link_openers(bbcode_to_markdown(filter_characters(markdown)));

  register_extensions();
  ParserPtr parser(cmark_parser_new(kParseOptions));
  const bool tables = tables_are_cheap(text);
  for (const char* name : {"table", "strikethrough", "autolink"}) {
    if (!tables && std::strcmp(name, "table") == 0) continue;
    if (cmark_syntax_extension* extension = cmark_find_syntax_extension(name)) {
      cmark_parser_attach_syntax_extension(parser.get(), extension);
    }
  }
  cmark_parser_feed(parser.get(), text.data(), text.size());
  const NodePtr document(cmark_parser_finish(parser.get()));
  if (!document) return result;

  Transformer(context, result).run(document.get());
  result.html = HtmlRenderer().render(document.get());
  return result;
}

}  // namespace agora::text
