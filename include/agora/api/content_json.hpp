#pragma once
// Conversation and comment JSON (content-conversations-comments.md §1.2, §1.4, §2.2, §2.3).

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agora/store/comment.hpp"
#include "agora/store/conversation.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/microcosm.hpp"

namespace agora {
class JsonWriter;
}  // namespace agora

namespace agora::api {

/// `meta.flags` of a conversation (no `unread`: the caller adds it where the contract wants it).
nlohmann::json conversation_flags(const store::Conversation& c);

/// The item a comment hangs on, as its links name it.
struct CommentParent {
  std::string type;   // "conversation", …
  std::string href;   // /api/v1/conversations/1
  std::string title;
};

/// A reply's target, for the inReplyTo links.
struct ReplyTarget {
  std::int64_t comment_id = 0;
  std::int64_t author_id = 0;
  std::string author_name;
};

/// A comment summary as JSON text; author and editor are profile summaries already written
/// (or "null").
void write_comment_summary(JsonWriter& w, const store::Comment& c, const CommentParent& parent,
                           std::string_view author_json, std::string_view editor_json,
                           const std::optional<ReplyTarget>& reply, bool unread);

nlohmann::json conversation_summary(const store::Conversation& c, const std::vector<store::Microcosm>& path,
                                    nlohmann::json author, const std::optional<store::LastComment>& last,
                                    nlohmann::json last_author);

}  // namespace agora::api
