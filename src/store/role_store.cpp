#include "agora/store/role_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>
#include <set>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr const char* select_on = "role_select_on";
constexpr const char* select_site_level = "role_select_site_level";
constexpr const char* select_one = "role_select_one";
constexpr const char* select_criteria = "role_select_criteria";
constexpr const char* insert_role = "role_insert";
constexpr const char* update_role = "role_update";
constexpr const char* delete_role = "role_delete";
constexpr const char* count_members = "role_members_count";
constexpr const char* page_members = "role_members_page";
constexpr const char* member_exists = "role_member_exists";
constexpr const char* count_site_profiles = "role_count_site_profiles";
constexpr const char* add_member = "role_member_add";
constexpr const char* remove_member = "role_member_remove";
constexpr const char* remove_all_members = "role_member_remove_all";
constexpr const char* roles_of_profile = "role_roles_of_profile";
constexpr const char* insert_criterion = "role_criterion_insert";
constexpr const char* update_criterion_sql = "role_criterion_update";
constexpr const char* delete_criteria = "role_criteria_delete";
constexpr const char* delete_all_criteria = "role_criteria_delete_all";

constexpr const char* role_columns =
    "role_id, site_id, COALESCE(microcosm_id, 0), title, is_moderator_role, is_banned_role, include_guests,"
    " include_users, can_create, can_read, can_update, can_delete, can_close_own, can_open_own, can_read_others,"
    " (EXTRACT(EPOCH FROM created) * 1000000)::bigint, COALESCE(created_by, 0),"
    " COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0), COALESCE(edited_by, 0), edit_reason";

Role role_from_row(const pqxx::row& r) {
  Role x;
  x.id = RoleId{r[0].as<std::int64_t>()};
  x.site_id = SiteId{r[1].as<std::int64_t>()};
  x.microcosm_id = MicrocosmId{r[2].as<std::int64_t>()};
  x.f.title = r[3].as<std::string>();
  x.f.moderator = r[4].as<bool>();
  x.f.banned = r[5].as<bool>();
  x.f.include_guests = r[6].as<bool>();
  x.f.include_users = r[7].as<bool>();
  x.f.create = r[8].as<bool>();
  x.f.read = r[9].as<bool>();
  x.f.update = r[10].as<bool>();
  x.f.del = r[11].as<bool>();
  x.f.close_own = r[12].as<bool>();
  x.f.open_own = r[13].as<bool>();
  x.f.read_others = r[14].as<bool>();
  x.created_micros = r[15].as<std::int64_t>();
  x.created_by = ProfileId{r[16].as<std::int64_t>()};
  x.edited_micros = r[17].as<std::int64_t>();
  x.edited_by = ProfileId{r[18].as<std::int64_t>()};
  x.edit_reason = r[19].as<std::string>();
  return x;
}

/// Loads roles with their criteria in two statements of one transaction.
std::vector<Role> load_roles(pqxx::transaction_base& tx, const pqxx::result& rows, SiteId site) {
  std::vector<Role> roles;
  std::vector<std::int64_t> ids;
  for (const auto& row : rows) {
    roles.push_back(role_from_row(row));
    ids.push_back(roles.back().id.value());
  }
  if (ids.empty()) return roles;
  for (const auto& c : tx.exec_prepared(select_criteria, site.value(), int_array_literal(ids))) {
    RoleId owner{c[0].as<std::int64_t>()};
    auto it = std::find_if(roles.begin(), roles.end(), [&](const Role& r) { return r.id == owner; });
    if (it == roles.end()) continue;
    it->criteria.push_back({CriterionId{c[1].as<std::int64_t>()}, c[2].as<std::int64_t>(), c[3].as<std::string>(),
                            c[4].as<std::string>(), c[5].as<std::string>(), c[6].as<std::string>(),
                            c[7].as<std::string>()});
  }
  return roles;
}

// The site is part of every key: a lookup under the wrong site must never be cached for the right one.
std::string microcosm_key(SiteId site, MicrocosmId m) {
  return cache::name_key("mroles", std::to_string(site.value()) + ":" + std::to_string(m.value()));
}
std::string profile_key(SiteId site, ProfileId p) {
  return cache::name_key("prole", std::to_string(site.value()) + ":" + std::to_string(p.value()));
}

std::vector<std::int64_t> raw(const std::vector<ProfileId>& ids) {
  std::vector<std::int64_t> out;
  for (auto id : ids) out.push_back(id.value());
  return out;
}

}  // namespace

void RoleStore::register_statements(db::Statements& st) {
  const std::string cols = role_columns;
  st.add(select_on, "SELECT " + cols + " FROM roles WHERE site_id = $1 AND microcosm_id = ANY($2::bigint[])"
                    " ORDER BY role_id");
  st.add(select_site_level,
         "SELECT " + cols + " FROM roles WHERE site_id = $1 AND microcosm_id IS NULL ORDER BY role_id");
  st.add(select_one, "SELECT " + cols + " FROM roles WHERE site_id = $1 AND role_id = $2");
  st.add(select_criteria,
         "SELECT c.role_id, c.criterion_id, c.or_group, c.profile_column, c.attr_key, c.value_type, c.predicate,"
         " c.value FROM criteria c JOIN roles r ON r.role_id = c.role_id"
         " WHERE r.site_id = $1 AND c.role_id = ANY($2::bigint[])"
         " ORDER BY c.or_group, c.profile_column, c.attr_key, c.criterion_id");
  st.add(insert_role,
         "INSERT INTO roles (site_id, microcosm_id, title, is_moderator_role, is_banned_role, include_guests,"
         " include_users, can_create, can_read, can_update, can_delete, can_close_own, can_open_own,"
         " can_read_others, created_by)"
         " VALUES ($1, NULLIF($2, 0), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULLIF($15, 0))"
         " RETURNING role_id");
  st.add(update_role,
         "UPDATE roles SET title = $3, is_moderator_role = $4, is_banned_role = $5, include_guests = $6,"
         " include_users = $7, can_create = $8, can_read = $9, can_update = $10, can_delete = $11,"
         " can_close_own = $12, can_open_own = $13, can_read_others = $14, edited_by = NULLIF($15, 0),"
         " edit_reason = $16, edited = (now() AT TIME ZONE 'UTC') WHERE site_id = $1 AND role_id = $2");
  st.add(delete_role, "DELETE FROM roles WHERE site_id = $1 AND role_id = $2");
  const std::string members_from =
      " FROM role_profiles rp JOIN profiles p ON p.profile_id = rp.profile_id"
      " WHERE p.site_id = $1 AND rp.role_id = $2";
  st.add(count_members, "SELECT COUNT(*)" + members_from);
  st.add(page_members, "SELECT rp.profile_id" + members_from + " ORDER BY rp.profile_id LIMIT $3 OFFSET $4");
  st.add(member_exists, "SELECT 1" + members_from + " AND rp.profile_id = $3");
  st.add(count_site_profiles,
         "SELECT COUNT(*) FROM profiles WHERE site_id = $1 AND profile_id = ANY($2::bigint[])");
  st.add(add_member,
         "INSERT INTO role_profiles (role_id, profile_id) SELECT r.role_id, p.profile_id"
         " FROM roles r JOIN profiles p ON p.site_id = r.site_id"
         " WHERE r.site_id = $1 AND r.role_id = $2 AND p.profile_id = ANY($3::bigint[]) ON CONFLICT DO NOTHING");
  st.add(remove_member,
         "DELETE FROM role_profiles rp USING roles r WHERE r.role_id = rp.role_id AND r.site_id = $1"
         " AND rp.role_id = $2 AND rp.profile_id = ANY($3::bigint[]) RETURNING rp.profile_id");
  st.add(remove_all_members,
         "DELETE FROM role_profiles rp USING roles r WHERE r.role_id = rp.role_id AND r.site_id = $1"
         " AND rp.role_id = $2 RETURNING rp.profile_id");
  st.add(roles_of_profile,
         "SELECT rp.role_id FROM role_profiles rp JOIN roles r ON r.role_id = rp.role_id"
         " WHERE r.site_id = $1 AND rp.profile_id = $2 ORDER BY rp.role_id");
  st.add(insert_criterion,
         "INSERT INTO criteria (role_id, or_group, profile_column, attr_key, value_type, predicate, value)"
         " SELECT role_id, $3, $4, $5, $6, $7, $8 FROM roles WHERE site_id = $1 AND role_id = $2"
         " RETURNING criterion_id");
  st.add(update_criterion_sql,
         "UPDATE criteria c SET or_group = $4, profile_column = $5, attr_key = $6, value_type = $7, predicate = $8,"
         " value = $9 FROM roles r WHERE r.role_id = c.role_id AND r.site_id = $1 AND c.role_id = $2"
         " AND c.criterion_id = $3");
  st.add(delete_criteria,
         "DELETE FROM criteria c USING roles r WHERE r.role_id = c.role_id AND r.site_id = $1 AND c.role_id = $2"
         " AND c.criterion_id = ANY($3::bigint[])");
  st.add(delete_all_criteria,
         "DELETE FROM criteria c USING roles r WHERE r.role_id = c.role_id AND r.site_id = $1 AND c.role_id = $2");
}

std::map<MicrocosmId, std::vector<Role>> RoleStore::defined_on(SiteId site, const std::vector<MicrocosmId>& ms) {
  std::map<MicrocosmId, std::vector<Role>> out;
  std::vector<std::string> keys;
  for (auto m : ms) keys.push_back(microcosm_key(site, m));
  auto hits = cache_.get_many(keys);
  std::vector<std::int64_t> missing;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    auto it = hits.find(keys[i]);
    if (it != hits.end()) {
      try {
        auto roles = decode_roles(it->second);
        // Another site's microcosm id yields nothing here.
        std::erase_if(roles, [&](const Role& r) { return r.site_id != site; });
        out[ms[i]] = std::move(roles);
        continue;
      } catch (const std::exception&) {
        cache_.remove(keys[i]);
      }
    }
    missing.push_back(ms[i].value());
  }
  if (missing.empty()) return out;
  auto loaded = pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return load_roles(tx, tx.exec_prepared(select_on, site.value(), int_array_literal(missing)), site);
  });
  const auto ttl = std::chrono::seconds{config_.get()->cache.ttl_seconds};
  for (auto id : missing) {
    std::vector<Role> roles;
    for (const auto& r : loaded) {
      if (r.microcosm_id.value() == id) roles.push_back(r);
    }
    cache_.set(microcosm_key(site, MicrocosmId{id}), encode_roles(roles), ttl);
    out[MicrocosmId{id}] = std::move(roles);
  }
  return out;
}

std::vector<Role> RoleStore::site_level(SiteId site) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return load_roles(tx, tx.exec_prepared(select_site_level, site.value()), site);
  });
}

std::optional<Role> RoleStore::get(SiteId site, RoleId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<Role> {
    pqxx::nontransaction tx(c);
    auto roles = load_roles(tx, tx.exec_prepared(select_one, site.value(), id.value()), site);
    if (roles.empty()) return std::nullopt;
    return roles.front();
  });
}

RoleId RoleStore::create(SiteId site, MicrocosmId microcosm, const RoleFields& f, ProfileId by) {
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(insert_role, site.value(), microcosm.value(), f.title, f.moderator, f.banned,
                              f.include_guests, f.include_users, f.create, f.read, f.update, f.del, f.close_own,
                              f.open_own, f.read_others, by.value());
    tx.commit();
    return r[0][0].as<std::int64_t>();
  });
  if (microcosm.valid()) flush_microcosm(site, microcosm);
  return RoleId{id};
}

void RoleStore::update(SiteId site, const Role& role, const RoleFields& f, ProfileId by, const std::string& reason) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(update_role, site.value(), role.id.value(), f.title, f.moderator, f.banned, f.include_guests,
                     f.include_users, f.create, f.read, f.update, f.del, f.close_own, f.open_own, f.read_others,
                     by.value(), reason);
    tx.commit();
  });
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

void RoleStore::remove(SiteId site, const Role& role) {
  auto members = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(remove_all_members, site.value(), role.id.value());
    tx.exec_prepared(delete_all_criteria, site.value(), role.id.value());
    tx.exec_prepared(delete_role, site.value(), role.id.value());
    tx.commit();
    std::vector<ProfileId> ids;
    for (const auto& row : r) ids.emplace_back(row[0].as<std::int64_t>());
    return ids;
  });
  for (auto p : members) flush_profile(site, p);
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

RoleStore::Page RoleStore::explicit_members(SiteId site, RoleId role, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    Page page;
    pqxx::nontransaction tx(c);
    page.total = tx.exec_prepared(count_members, site.value(), role.value())[0][0].as<std::int64_t>();
    for (const auto& row : tx.exec_prepared(page_members, site.value(), role.value(), limit, offset)) {
      page.ids.emplace_back(row[0].as<std::int64_t>());
    }
    return page;
  });
}

bool RoleStore::is_explicit_member(SiteId site, RoleId role, ProfileId profile) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return !tx.exec_prepared(member_exists, site.value(), role.value(), profile.value()).empty();
  });
}

void RoleStore::add_members(SiteId site, const Role& role, const std::vector<ProfileId>& profiles) {
  std::set<std::int64_t> distinct;
  for (auto p : profiles) distinct.insert(p.value());
  const std::vector<std::int64_t> ids(distinct.begin(), distinct.end());
  if (ids.empty()) return;
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto found = tx.exec_prepared(count_site_profiles, site.value(), int_array_literal(ids))[0][0].as<std::size_t>();
    if (found != ids.size()) throw Error(ErrorKind::bad_request, "Every profile must be a profile of this site");
    tx.exec_prepared(add_member, site.value(), role.id.value(), int_array_literal(ids));
    tx.commit();
  });
  for (auto p : profiles) flush_profile(site, p);
}

void RoleStore::remove_members(SiteId site, const Role& role, const std::vector<ProfileId>& profiles) {
  auto removed = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = profiles.empty()
                 ? tx.exec_prepared(remove_all_members, site.value(), role.id.value())
                 : tx.exec_prepared(remove_member, site.value(), role.id.value(), int_array_literal(raw(profiles)));
    tx.commit();
    std::vector<ProfileId> ids;
    for (const auto& row : r) ids.emplace_back(row[0].as<std::int64_t>());
    return ids;
  });
  for (auto p : removed) flush_profile(site, p);
}

std::vector<RoleId> RoleStore::explicit_roles_of(SiteId site, ProfileId profile) {
  const auto key = profile_key(site, profile);
  auto text = cache_.get(key);
  if (!text) {
    text = pool_.run([&](pqxx::connection& c) {
      pqxx::nontransaction tx(c);
      std::vector<std::int64_t> ids;
      for (const auto& row : tx.exec_prepared(roles_of_profile, site.value(), profile.value())) {
        ids.push_back(row[0].as<std::int64_t>());
      }
      return int_array_literal(ids);
    });
    cache_.set(key, *text, std::chrono::seconds{config_.get()->cache.ttl_seconds});
  }
  std::vector<RoleId> out;
  const std::string_view inner = std::string_view(*text).substr(1, text->size() >= 2 ? text->size() - 2 : 0);
  for (auto id : parse_int_list(inner)) out.emplace_back(id);
  return out;
}

CriterionId RoleStore::add_criterion(SiteId site, const Role& role, const Criterion& k) {
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(insert_criterion, site.value(), role.id.value(), k.or_group, k.profile_column,
                              k.attr_key, k.value_type, k.predicate, k.value);
    tx.commit();
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
  return CriterionId{id};
}

void RoleStore::update_criterion(SiteId site, const Role& role, const Criterion& k) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(update_criterion_sql, site.value(), role.id.value(), k.id.value(), k.or_group,
                     k.profile_column, k.attr_key, k.value_type, k.predicate, k.value);
    tx.commit();
  });
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

void RoleStore::remove_criteria(SiteId site, const Role& role, const std::vector<CriterionId>& ids) {
  std::vector<std::int64_t> raw_ids;
  for (auto id : ids) raw_ids.push_back(id.value());
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (raw_ids.empty()) {
      tx.exec_prepared(delete_all_criteria, site.value(), role.id.value());
    } else {
      tx.exec_prepared(delete_criteria, site.value(), role.id.value(), int_array_literal(raw_ids));
    }
    tx.commit();
  });
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

void RoleStore::insert_defaults(pqxx::transaction_base& tx, SiteId site, MicrocosmId root, ProfileId owner) {
  auto add = [&](const char* title, bool guests, bool users, bool banned, bool read, bool create, bool close_own,
                 bool read_others) {
    tx.exec_prepared(insert_role, site.value(), root.value(), title, false, banned, guests, users, create, read,
                     false, false, close_own, false, read_others, owner.value());
  };
  add("Guests", true, false, false, true, false, false, false);
  add("Members", false, true, false, true, true, true, true);
  add("Banned", false, false, true, false, false, false, false);
}

void RoleStore::flush_microcosm(SiteId site, MicrocosmId id) { cache_.remove(microcosm_key(site, id)); }
void RoleStore::flush_profile(SiteId site, ProfileId id) { cache_.remove(profile_key(site, id)); }

}  // namespace agora::store
