#pragma once
// Conversation and comment JSON (content-conversations-comments.md §1.2, §1.4, §2.2, §2.3).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agora/store/comment.hpp"
#include "agora/store/conversation.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/microcosm.hpp"
#include "agora/store/reader_state_store.hpp"

namespace agora {
class JsonWriter;
}  // namespace agora

namespace agora::api {

class ProfileSummaries;

/// Who made an item and who last edited it (conversations, events, polls).
struct Authorship {
  std::int64_t created_micros = 0;
  ProfileId created_by;
  std::int64_t edited_micros = 0;  // 0: never edited
  ProfileId edited_by;
  std::string_view edit_reason;
};
template <class Item>
Authorship authorship_of(const Item& item) {
  return {item.created_micros, item.created_by, item.edited_micros, item.edited_by, item.edit_reason};
}

/// A detail's `meta.created`/`createdBy`, and `edited`/`editedBy`/`editReason` once edited.
void write_authorship(JsonWriter& w, const Authorship& a, const ProfileSummaries& people);

/// The caller's watcher in an open `meta.flags` object: `watched`, `sendEmail`, `sendSMS`,
/// only when there is one (conventions §10).
void write_watch_fields(JsonWriter& w, const std::optional<store::ReaderStateStore::WatchFlags>& watch);

/// `meta.flags` of a conversation; `unread`, `ignored` and the watch fields only where the
/// contract wants them.
void write_conversation_flags(JsonWriter& w, const store::Conversation& c, std::optional<bool> unread, bool ignored,
                              const std::optional<store::ReaderStateStore::WatchFlags>& watch = std::nullopt);

/// The item a comment hangs on, as its links name it.
struct CommentParent {
  std::string type;   // "conversation", …
  std::string href;   // /api/v1/conversations/1
  std::string title;
};

/// A reply's target, for the inReplyTo links.
struct ReplyTarget {
  CommentId comment_id;
  ProfileId author_id;
  std::string author_name;
};

/// Everything write_comment_summary reads, as bytes: a memoised summary is reused only while
/// these are unchanged (api/fragment_memo.hpp). Keep the two together.
std::string comment_summary_inputs(const store::Comment& c, const CommentParent& parent, std::string_view author_json,
                                   std::string_view editor_json, const std::optional<ReplyTarget>& reply, bool unread);

/// A comment summary as JSON text; author and editor are profile summaries already written
/// (or "null").
void write_comment_summary(JsonWriter& w, const store::Comment& c, const CommentParent& parent,
                           std::string_view author_json, std::string_view editor_json,
                           const std::optional<ReplyTarget>& reply, bool unread);

/// A conversation summary as JSON text; `unread` goes into meta.flags when given.
void write_conversation_summary(JsonWriter& w, const store::Conversation& c, const std::vector<store::Microcosm>& path,
                                std::string_view author_json, const std::optional<store::LastComment>& last,
                                std::string_view last_author_json, std::optional<bool> unread);

}  // namespace agora::api
