#include "gfm_parser.hpp"

#include <cmark-gfm-core-extensions.h>

#include <algorithm>
#include <cstring>
#include <mutex>
#include <string_view>

#include "agora/core/text.hpp"

namespace agora::text::detail {
namespace {

// Guards against inputs on which cmark-gfm 0.29.0.gfm.6 is quadratic or amplifies its
// input. Link and image openers: matching a link walks all earlier openers, so `[` beyond
// this count are escaped (only abusive input has that many). Table cells: a row's cells are
// kept in a list appended at its tail, and short rows are padded to the header's width, so
// when the possible cell count (per run of non-blank lines that contains a delimiter-like
// line: widest line in pipes × lines) exceeds this, tables are not parsed for that input.
constexpr std::size_t kMaxLinkOpeners = 5000;
constexpr std::size_t kMaxTableCells = 5000;

constexpr int kParseOptions =
    CMARK_OPT_HARDBREAKS | CMARK_OPT_STRIKETHROUGH_DOUBLE_TILDE | CMARK_OPT_VALIDATE_UTF8;

struct ParserFree {
  void operator()(cmark_parser* parser) const noexcept { cmark_parser_free(parser); }
};
using ParserPtr = std::unique_ptr<cmark_parser, ParserFree>;

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

void register_extensions() {
  static std::once_flag once;
  std::call_once(once, [] { cmark_gfm_core_extensions_ensure_registered(); });
}

}  // namespace

NodePtr parse_gfm(std::string markdown) {
  const std::string text = limit_link_openers(std::move(markdown));
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
  return NodePtr(cmark_parser_finish(parser.get()));
}

}  // namespace agora::text::detail
