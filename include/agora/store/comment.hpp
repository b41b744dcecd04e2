#pragma once
// A comment with its current revision (content-conversations-comments.md §2.8).

#include <cstdint>
#include <string>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"

namespace agora::store {

struct Comment {
  CommentId id;
  SiteId site_id;
  ItemRef item;  // what it is on: a conversation, a profile (later events, polls, huddles)
  ProfileId author;
  std::int64_t created_micros = 0;
  CommentId in_reply_to;
  bool deleted = false, moderated = false;
  std::int64_t revisions = 1;
  std::string markdown;
  std::string html;
  std::int64_t revised_micros = 0;  // creation time of the current revision
  ProfileId revised_by;             // author of the current revision

  bool visible() const { return !deleted && !moderated; }
};

/// The newest visible comment of an item, for summaries.
struct LastComment {
  CommentId id;
  std::int64_t created_micros = 0;
  ProfileId created_by;
};

std::string encode_comment(const Comment& c);
Comment decode_comment(const std::string& bytes);

}  // namespace agora::store
