#pragma once
// A conversation as stored (content-conversations-comments.md §1.8).

#include <cstdint>
#include <string>

#include "agora/core/ids.hpp"

namespace agora::store {

struct Conversation {
  ConversationId id;
  SiteId site_id;
  MicrocosmId microcosm_id;
  std::string title;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  std::int64_t edited_micros = 0;
  ProfileId edited_by;
  std::string edit_reason;
  bool sticky = false, open = true, deleted = false, moderated = false;
  std::int64_t comment_count = 0;
  std::int64_t view_count = 0;
  std::int64_t last_modified_micros = 0;
};

std::string encode_conversation(const Conversation& c);
Conversation decode_conversation(const std::string& bytes);

}  // namespace agora::store
