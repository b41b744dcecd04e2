#include "agora/store/microcosm.hpp"

#include <algorithm>
#include <map>

#include "agora/store/record.hpp"

namespace agora::store {
std::string encode_microcosm(const Microcosm& m) {
  RecordWriter w('M', 128 + m.title.size() + m.description.size());
  w.add(m.id.value()).add(m.site_id.value()).add(m.parent_id.value()).add(m.path.size());
  for (auto id : m.path) w.add(id.value());
  w.add(m.title).add(m.description).add(m.visibility).add(m.logo_url).add(m.item_types.size());
  for (auto t : m.item_types) w.add(t);
  w.add(m.sequence).add(m.created_micros).add(m.created_by.value()).add(m.owned_by.value()).add(m.edited_micros);
  w.add(m.edited_by.value()).add(m.edit_reason).add(m.sticky).add(m.open).add(m.deleted).add(m.moderated);
  w.add(m.visible).add(m.item_count).add(m.conversation_count).add(m.comment_count);
  return w.take();
}

Microcosm decode_microcosm(const std::string& bytes) {
  RecordReader r(bytes, 'M');
  Microcosm m;
  m.id = MicrocosmId{r.integer()};
  m.site_id = SiteId{r.integer()};
  m.parent_id = MicrocosmId{r.integer()};
  // A forum tree is shallow; a length past any real one is a malformed entry.
  const auto depth = r.integer();
  if (depth < 0 || depth > 1000) throw MalformedRecord("cached microcosm with a bad path");
  for (std::int64_t i = 0; i < depth; ++i) m.path.emplace_back(r.integer());
  m.title = r.text();
  m.description = r.text();
  m.visibility = r.text();
  m.logo_url = r.text();
  const auto types = r.integer();
  if (types < 0 || types > 1000) throw MalformedRecord("cached microcosm with bad item types");
  for (std::int64_t i = 0; i < types; ++i) m.item_types.push_back(static_cast<int>(r.integer()));
  m.sequence = r.integer();
  m.created_micros = r.integer();
  m.created_by = ProfileId{r.integer()};
  m.owned_by = ProfileId{r.integer()};
  m.edited_micros = r.integer();
  m.edited_by = ProfileId{r.integer()};
  m.edit_reason = r.text();
  m.sticky = r.boolean();
  m.open = r.boolean();
  m.deleted = r.boolean();
  m.moderated = r.boolean();
  m.visible = r.boolean();
  m.item_count = r.integer();
  m.conversation_count = r.integer();
  m.comment_count = r.integer();
  r.finish();
  return m;
}

std::vector<Microcosm> without_hidden(std::vector<Microcosm> all) {
  std::map<MicrocosmId, bool> shown;
  for (const auto& m : all) shown[m.id] = !m.deleted && !m.moderated;
  std::vector<Microcosm> out;
  for (auto& m : all) {
    const bool visible = std::all_of(m.path.begin(), m.path.end(), [&](MicrocosmId id) {
      auto it = shown.find(id);
      return it != shown.end() && it->second;
    });
    if (visible && shown[m.id]) out.push_back(std::move(m));
  }
  return out;
}

}  // namespace agora::store
