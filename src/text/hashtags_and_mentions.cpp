#include "hashtags_and_mentions.hpp"

#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>

#include "agora/core/text.hpp"
#include "syntax_tree.hpp"

namespace agora::text::detail {
namespace {

// Distinct names looked up per render: every lookup may be a database query.
constexpr std::size_t kMaxMentionLookups = 100;

bool is_word(char c) { return is_ascii_alpha(c) || is_ascii_digit(c) || c == '_'; }

class HashtagMentionLinker {
 public:
  HashtagMentionLinker(const MarkdownContext& context, RenderedMarkdown& result)
      : context_(context), result_(result) {
    std::string_view site(context.site_url);
    while (!site.empty() && site.back() == '/') site.remove_suffix(1);
    hashtag_prefix_ = std::string(site) + "/search/?q=%23";
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
          emit(i, j, hashtag_prefix_ + std::string(tag), std::string("#").append(tag));
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
            emit(i, end, "/profiles/" + std::to_string(*id), std::string("@").append(name));
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

 private:
  std::optional<std::int64_t> find_profile(std::string_view name) {
    if (!context_.find_profile) return std::nullopt;
    std::string key = to_lower(name);
    if (const auto it = profiles_.find(key); it != profiles_.end()) return it->second;
    if (profiles_.size() >= kMaxMentionLookups) return std::nullopt;
    const auto id = context_.find_profile(name);
    profiles_.emplace(std::move(key), id);
    return id;
  }

  const MarkdownContext& context_;
  RenderedMarkdown& result_;
  std::string hashtag_prefix_;
  std::unordered_map<std::string, std::optional<std::int64_t>> profiles_;
  std::unordered_set<std::int64_t> seen_mentions_;
};

}  // namespace

void link_hashtags_and_mentions(cmark_node* document, const MarkdownContext& context,
                                RenderedMarkdown& result) {
  HashtagMentionLinker linker(context, result);
  for (cmark_node* text : texts_outside_links(document)) linker.split_text(text);
}

}  // namespace agora::text::detail
