#include "agora/store/conversation.hpp"

#include "agora/store/record.hpp"

namespace agora::store {

std::string encode_conversation(const Conversation& c) {
  RecordWriter w('V', 64 + c.title.size() + c.edit_reason.size());
  w.add(c.id).add(c.site_id.value()).add(c.microcosm_id.value()).add(c.title).add(c.created_micros);
  w.add(c.created_by.value()).add(c.edited_micros).add(c.edited_by.value()).add(c.edit_reason).add(c.sticky);
  w.add(c.open).add(c.deleted).add(c.moderated).add(c.comment_count).add(c.view_count).add(c.last_modified_micros);
  return w.take();
}

Conversation decode_conversation(const std::string& bytes) {
  RecordReader r(bytes, 'V');
  Conversation c;
  c.id = r.id<ConversationId>();
  c.site_id = SiteId{r.integer()};
  c.microcosm_id = MicrocosmId{r.integer()};
  c.title = r.text();
  c.created_micros = r.integer();
  c.created_by = ProfileId{r.integer()};
  c.edited_micros = r.integer();
  c.edited_by = ProfileId{r.integer()};
  c.edit_reason = r.text();
  c.sticky = r.boolean();
  c.open = r.boolean();
  c.deleted = r.boolean();
  c.moderated = r.boolean();
  c.comment_count = r.integer();
  c.view_count = r.integer();
  c.last_modified_micros = r.integer();
  r.finish();
  return c;
}

}  // namespace agora::store
