#include "agora/store/comment.hpp"

#include "agora/store/record.hpp"

namespace agora::store {

std::string encode_comment(const Comment& c) {
  RecordWriter w('C', 48 + c.markdown.size() + c.html.size());
  w.add(c.id).add(c.site_id).add(item_type_id(c.item.type)).add(c.item.id).add(c.author.value()).add(c.created_micros);
  w.add(c.in_reply_to).add(c.deleted).add(c.moderated).add(c.revisions).add(c.markdown).add(c.html);
  w.add(c.revised_micros).add(c.revised_by.value());
  return w.take();
}

Comment decode_comment(const std::string& bytes) {
  RecordReader r(bytes, 'C');
  Comment c;
  c.id = r.id<CommentId>();
  c.site_id = r.id<SiteId>();
  const auto type = static_cast<ItemType>(r.integer());
  c.item = ItemRef{type, r.integer()};
  c.author = ProfileId{r.integer()};
  c.created_micros = r.integer();
  c.in_reply_to = r.id<CommentId>();
  c.deleted = r.boolean();
  c.moderated = r.boolean();
  c.revisions = r.integer();
  c.markdown = r.text();
  c.html = r.text();
  c.revised_micros = r.integer();
  c.revised_by = ProfileId{r.integer()};
  r.finish();
  return c;
}

}  // namespace agora::store
