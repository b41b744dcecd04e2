#include "microcosm_json.hpp"

#include <nlohmann/json.hpp>

#include "profile_json.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/profile_store.hpp"

namespace agora::api {

std::string microcosm_href(const store::Microcosm& m) {
  return m.is_root() ? "/api/v1/microcosms" : "/api/v1/microcosms/" + std::to_string(m.id.value());
}

nlohmann::json item_type_names(const std::vector<int>& ids) {
  auto out = nlohmann::json::array();
  for (int id : ids) {
    auto name = item_type_name(static_cast<ItemType>(id));
    if (!name.empty()) out.push_back(name);
  }
  return out;
}

nlohmann::json path_breadcrumb(const std::vector<store::Microcosm>& path) {
  auto out = nlohmann::json::array();
  for (std::size_t level = 1; level < path.size(); ++level) {  // the root (level 1) is left out
    const auto& a = path[level];
    out.push_back({{"rel", "microcosm ancestor"},
                   {"href", microcosm_href(a)},
                   {"title", a.title},
                   {"id", a.id.value()},
                   {"level", static_cast<int>(level) + 1}});
  }
  return out;
}

nlohmann::json breadcrumb(const store::Microcosm& m, const std::vector<store::Microcosm>& ancestors) {
  std::vector<store::Microcosm> above;
  for (const auto& a : ancestors) {
    if (a.id == m.id) break;
    above.push_back(a);
  }
  return path_breadcrumb(above);
}

nlohmann::json microcosm_fields(const store::Microcosm& m, const std::vector<store::Microcosm>& ancestors) {
  nlohmann::json j = {{"id", m.id.value()}};
  if (m.parent_id.valid()) j["parentId"] = m.parent_id.value();
  if (auto crumbs = breadcrumb(m, ancestors); !crumbs.empty()) j["breadcrumb"] = std::move(crumbs);
  j["siteId"] = m.site_id.value();
  j["visibility"] = m.visibility;
  j["title"] = m.title;
  j["description"] = m.description;
  j["logoUrl"] = m.logo_url;
  j["itemTypes"] = item_type_names(m.item_types);
  j["moderators"] = nullptr;
  return j;
}

nlohmann::json microcosm_flags(const store::Microcosm& m) {
  return {{"sticky", m.sticky},
          {"open", m.open},
          {"deleted", m.deleted},
          {"moderated", m.moderated},
          {"visible", !(m.deleted || m.moderated)}};
}

nlohmann::json microcosm_summary(const store::Microcosm& m, const std::vector<store::Microcosm>& ancestors,
                                 const std::vector<store::ChildRef>& children, const store::SubtreeTotals& totals,
                                 const std::optional<store::Profile>& creator) {
  auto j = microcosm_fields(m, ancestors);
  if (!children.empty()) {
    auto links = nlohmann::json::array();
    for (const auto& c : children) {
      nlohmann::json link = {{"rel", "microcosm child"},
                             {"href", "/api/v1/microcosms/" + std::to_string(c.id.value())},
                             {"title", c.title}};
      if (!c.logo_url.empty()) link["logoUrl"] = c.logo_url;
      link["id"] = c.id.value();
      links.push_back(std::move(link));
    }
    j["children"] = std::move(links);
  }
  j["totalItems"] = totals.items;
  j["totalComments"] = totals.comments;
  nlohmann::json links = {{{"rel", "self"}, {"href", "/api/v1/microcosms/" + std::to_string(m.id.value())}}};
  // The parent link only when the parent is not the root.
  if (ancestors.size() >= 3) {
    const auto& parent = ancestors[ancestors.size() - 2];
    links.push_back({{"rel", "parent"}, {"href", "/api/v1/microcosms/" + std::to_string(parent.id.value())},
                     {"title", parent.title}});
  }
  links.push_back({{"rel", "site"}, {"href", "/api/v1/sites/" + std::to_string(m.site_id.value())}});
  j["meta"] = {{"created", format_rfc3339_micros(m.created_micros)},
               {"createdBy", creator ? profile_summary(*creator) : nlohmann::json(nullptr)},
               {"flags", microcosm_flags(m)},
               {"links", std::move(links)}};
  return j;
}

nlohmann::json tree_link(const store::TreeNode& n) {
  nlohmann::json j = {{"rel", "microcosm"},
                      {"href", n.parent_id.valid() ? "/api/v1/microcosms/" + std::to_string(n.id.value())
                                                   : std::string("/api/v1/microcosms")},
                      {"title", n.title},
                      {"id", n.id.value()},
                      {"level", static_cast<int>(n.path.size())}};
  if (n.parent_id.valid()) j["parentId"] = n.parent_id.value();
  return j;
}

}  // namespace agora::api
