#include "agora/store/role.hpp"

#include <nlohmann/json.hpp>

namespace agora::store {

std::string encode_roles(const std::vector<Role>& roles) {
  auto out = nlohmann::json::array();
  for (const auto& r : roles) {
    auto criteria = nlohmann::json::array();
    for (const auto& c : r.criteria) {
      criteria.push_back({c.id.value(), c.or_group, c.profile_column, c.attr_key, c.value_type, c.predicate, c.value});
    }
    const auto& f = r.f;
    out.push_back({r.id.value(), r.site_id.value(), r.microcosm_id.value(), f.title,
                   nlohmann::json{f.moderator, f.banned, f.include_guests, f.include_users, f.create, f.read, f.update,
                                  f.del, f.close_own, f.open_own, f.read_others},
                   r.created_micros, r.created_by.value(), r.edited_micros, r.edited_by.value(), r.edit_reason,
                   std::move(criteria)});
  }
  return out.dump();
}

std::vector<Role> decode_roles(const std::string& bytes) {
  std::vector<Role> out;
  for (const auto& j : nlohmann::json::parse(bytes)) {
    Role r;
    r.id = RoleId{j.at(0).get<std::int64_t>()};
    r.site_id = SiteId{j.at(1).get<std::int64_t>()};
    r.microcosm_id = MicrocosmId{j.at(2).get<std::int64_t>()};
    r.f.title = j.at(3).get<std::string>();
    const auto& b = j.at(4);
    r.f.moderator = b.at(0).get<bool>();
    r.f.banned = b.at(1).get<bool>();
    r.f.include_guests = b.at(2).get<bool>();
    r.f.include_users = b.at(3).get<bool>();
    r.f.create = b.at(4).get<bool>();
    r.f.read = b.at(5).get<bool>();
    r.f.update = b.at(6).get<bool>();
    r.f.del = b.at(7).get<bool>();
    r.f.close_own = b.at(8).get<bool>();
    r.f.open_own = b.at(9).get<bool>();
    r.f.read_others = b.at(10).get<bool>();
    r.created_micros = j.at(5).get<std::int64_t>();
    r.created_by = ProfileId{j.at(6).get<std::int64_t>()};
    r.edited_micros = j.at(7).get<std::int64_t>();
    r.edited_by = ProfileId{j.at(8).get<std::int64_t>()};
    r.edit_reason = j.at(9).get<std::string>();
    for (const auto& c : j.at(10)) {
      r.criteria.push_back({CriterionId{c.at(0).get<std::int64_t>()}, c.at(1).get<std::int64_t>(),
                            c.at(2).get<std::string>(), c.at(3).get<std::string>(), c.at(4).get<std::string>(),
                            c.at(5).get<std::string>(), c.at(6).get<std::string>()});
    }
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace agora::store
