#include "agora/store/microcosm.hpp"

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

namespace agora::store {
namespace {

nlohmann::json ids(const std::vector<MicrocosmId>& v) {
  auto a = nlohmann::json::array();
  for (auto id : v) a.push_back(id.value());
  return a;
}

}  // namespace

std::string encode_microcosm(const Microcosm& m) {
  return nlohmann::json{m.id.value(),        m.site_id.value(),   m.parent_id.value(), ids(m.path),
                        m.title,             m.description,       m.visibility,        m.logo_url,
                        m.item_types,        m.sequence,          m.created_micros,    m.created_by.value(),
                        m.owned_by.value(),  m.edited_micros,     m.edited_by.value(), m.edit_reason,
                        m.sticky,            m.open,              m.deleted,           m.moderated,
                        m.visible,           m.item_count,        m.comment_count}
      .dump();
}

Microcosm decode_microcosm(const std::string& bytes) {
  auto j = nlohmann::json::parse(bytes);
  Microcosm m;
  m.id = MicrocosmId{j.at(0).get<std::int64_t>()};
  m.site_id = SiteId{j.at(1).get<std::int64_t>()};
  m.parent_id = MicrocosmId{j.at(2).get<std::int64_t>()};
  for (const auto& id : j.at(3)) m.path.emplace_back(id.get<std::int64_t>());
  m.title = j.at(4).get<std::string>();
  m.description = j.at(5).get<std::string>();
  m.visibility = j.at(6).get<std::string>();
  m.logo_url = j.at(7).get<std::string>();
  m.item_types = j.at(8).get<std::vector<int>>();
  m.sequence = j.at(9).get<std::int64_t>();
  m.created_micros = j.at(10).get<std::int64_t>();
  m.created_by = ProfileId{j.at(11).get<std::int64_t>()};
  m.owned_by = ProfileId{j.at(12).get<std::int64_t>()};
  m.edited_micros = j.at(13).get<std::int64_t>();
  m.edited_by = ProfileId{j.at(14).get<std::int64_t>()};
  m.edit_reason = j.at(15).get<std::string>();
  m.sticky = j.at(16).get<bool>();
  m.open = j.at(17).get<bool>();
  m.deleted = j.at(18).get<bool>();
  m.moderated = j.at(19).get<bool>();
  m.visible = j.at(20).get<bool>();
  m.item_count = j.at(21).get<std::int64_t>();
  m.comment_count = j.at(22).get<std::int64_t>();
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
