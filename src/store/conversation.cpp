#include "agora/store/conversation.hpp"

#include <nlohmann/json.hpp>

namespace agora::store {

std::string encode_conversation(const Conversation& c) {
  return nlohmann::json{c.id,           c.site_id.value(), c.microcosm_id.value(), c.title,
                        c.created_micros, c.created_by.value(), c.edited_micros,    c.edited_by.value(),
                        c.edit_reason,  c.sticky,          c.open,                 c.deleted,
                        c.moderated,    c.comment_count,   c.view_count,           c.last_modified_micros}
      .dump();
}

Conversation decode_conversation(const std::string& bytes) {
  auto j = nlohmann::json::parse(bytes);
  Conversation c;
  c.id = j.at(0).get<std::int64_t>();
  c.site_id = SiteId{j.at(1).get<std::int64_t>()};
  c.microcosm_id = MicrocosmId{j.at(2).get<std::int64_t>()};
  c.title = j.at(3).get<std::string>();
  c.created_micros = j.at(4).get<std::int64_t>();
  c.created_by = ProfileId{j.at(5).get<std::int64_t>()};
  c.edited_micros = j.at(6).get<std::int64_t>();
  c.edited_by = ProfileId{j.at(7).get<std::int64_t>()};
  c.edit_reason = j.at(8).get<std::string>();
  c.sticky = j.at(9).get<bool>();
  c.open = j.at(10).get<bool>();
  c.deleted = j.at(11).get<bool>();
  c.moderated = j.at(12).get<bool>();
  c.comment_count = j.at(13).get<std::int64_t>();
  c.view_count = j.at(14).get<std::int64_t>();
  c.last_modified_micros = j.at(15).get<std::int64_t>();
  return c;
}

}  // namespace agora::store
