#include "agora/store/huddle.hpp"

#include <algorithm>

#include "agora/store/record.hpp"

namespace agora::store {

bool Huddle::has_participant(ProfileId p) const {
  return p.valid() && std::binary_search(participants.begin(), participants.end(), p);
}

std::string encode_huddle(const Huddle& h) {
  RecordWriter w('H', 64 + h.title.size() + 8 * h.participants.size());
  w.add(h.id).add(h.site_id.value()).add(h.title).add(h.created_micros).add(h.created_by.value());
  w.add(h.confidential).add(h.last_modified_micros).add(h.comment_count);
  w.add(static_cast<std::int64_t>(h.participants.size()));
  for (auto p : h.participants) w.add(p.value());
  return w.take();
}

Huddle decode_huddle(const std::string& bytes) {
  RecordReader r(bytes, 'H');
  Huddle h;
  h.id = r.id<HuddleId>();
  h.site_id = SiteId{r.integer()};
  h.title = r.text();
  h.created_micros = r.integer();
  h.created_by = ProfileId{r.integer()};
  h.confidential = r.boolean();
  h.last_modified_micros = r.integer();
  h.comment_count = r.integer();
  const auto n = r.integer();
  for (std::int64_t i = 0; i < n; ++i) h.participants.push_back(ProfileId{r.integer()});
  r.finish();
  return h;
}

}  // namespace agora::store
