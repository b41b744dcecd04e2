#include "agora/store/comment.hpp"

#include <nlohmann/json.hpp>

namespace agora::store {

std::string encode_comment(const Comment& c) {
  return nlohmann::json{c.id,          c.site_id.value(), c.item_type,      c.item_id,   c.author.value(),
                        c.created_micros, c.in_reply_to,  c.deleted,        c.moderated, c.revisions,
                        c.markdown,    c.html,            c.revised_micros, c.revised_by.value()}
      .dump();
}

Comment decode_comment(const std::string& bytes) {
  auto j = nlohmann::json::parse(bytes);
  Comment c;
  c.id = j.at(0).get<std::int64_t>();
  c.site_id = SiteId{j.at(1).get<std::int64_t>()};
  c.item_type = j.at(2).get<int>();
  c.item_id = j.at(3).get<std::int64_t>();
  c.author = ProfileId{j.at(4).get<std::int64_t>()};
  c.created_micros = j.at(5).get<std::int64_t>();
  c.in_reply_to = j.at(6).get<std::int64_t>();
  c.deleted = j.at(7).get<bool>();
  c.moderated = j.at(8).get<bool>();
  c.revisions = j.at(9).get<std::int64_t>();
  c.markdown = j.at(10).get<std::string>();
  c.html = j.at(11).get<std::string>();
  c.revised_micros = j.at(12).get<std::int64_t>();
  c.revised_by = ProfileId{j.at(13).get<std::int64_t>()};
  return c;
}

}  // namespace agora::store
