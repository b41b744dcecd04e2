#include "agora/store/poll.hpp"

#include "agora/store/record.hpp"

namespace agora::store {

std::string encode_poll(const Poll& p) {
  RecordWriter w('P', 128 + p.title.size() + p.question.size() + p.edit_reason.size() + p.choices.size() * 48);
  w.add(p.id).add(p.site_id.value()).add(p.microcosm_id.value()).add(p.title).add(p.question).add(p.created_micros);
  w.add(p.created_by.value()).add(p.edited_micros).add(p.edited_by.value()).add(p.edit_reason).add(p.sticky);
  w.add(p.open).add(p.deleted).add(p.moderated).add(p.multi).add(p.poll_open).add(p.closes_micros);
  w.add(p.voter_count).add(p.comment_count).add(p.view_count).add(p.last_modified_micros);
  w.add(static_cast<std::int64_t>(p.choices.size()));
  for (const auto& c : p.choices) w.add(c.id).add(c.title).add(c.order).add(c.votes).add(c.voters);
  return w.take();
}

Poll decode_poll(const std::string& bytes) {
  RecordReader r(bytes, 'P');
  Poll p;
  p.id = r.id<PollId>();
  p.site_id = SiteId{r.integer()};
  p.microcosm_id = MicrocosmId{r.integer()};
  p.title = r.text();
  p.question = r.text();
  p.created_micros = r.integer();
  p.created_by = ProfileId{r.integer()};
  p.edited_micros = r.integer();
  p.edited_by = ProfileId{r.integer()};
  p.edit_reason = r.text();
  p.sticky = r.boolean();
  p.open = r.boolean();
  p.deleted = r.boolean();
  p.moderated = r.boolean();
  p.multi = r.boolean();
  p.poll_open = r.boolean();
  p.closes_micros = r.integer();
  p.voter_count = r.integer();
  p.comment_count = r.integer();
  p.view_count = r.integer();
  p.last_modified_micros = r.integer();
  const auto n = r.integer();
  for (std::int64_t i = 0; i < n; ++i) {
    PollChoice c;
    c.id = r.id<PollChoiceId>();
    c.title = r.text();
    c.order = r.integer();
    c.votes = r.integer();
    c.voters = r.integer();
    p.choices.push_back(std::move(c));
  }
  r.finish();
  return p;
}

}  // namespace agora::store
