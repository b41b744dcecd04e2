#include "agora/store/role_store.hpp"

#include <algorithm>
#include <pqxx/pqxx>
#include <set>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectOn{"role_select_on", R"sql(
  SELECT role_id, site_id, COALESCE(microcosm_id, 0) AS microcosm_id, title, is_moderator_role, is_banned_role,
         include_guests, include_users, can_create, can_read, can_update, can_delete, can_close_own, can_open_own,
         can_read_others, (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         COALESCE(created_by, 0) AS created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason
  FROM roles WHERE site_id = $1 AND microcosm_id = ANY($2::bigint[]) ORDER BY role_id)sql"};

constexpr db::Query kSelectSiteLevel{"role_select_site_level", R"sql(
  SELECT role_id, site_id, COALESCE(microcosm_id, 0) AS microcosm_id, title, is_moderator_role, is_banned_role,
         include_guests, include_users, can_create, can_read, can_update, can_delete, can_close_own, can_open_own,
         can_read_others, (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         COALESCE(created_by, 0) AS created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason
  FROM roles WHERE site_id = $1 AND microcosm_id IS NULL ORDER BY role_id)sql"};

constexpr db::Query kSelectOne{"role_select_one", R"sql(
  SELECT role_id, site_id, COALESCE(microcosm_id, 0) AS microcosm_id, title, is_moderator_role, is_banned_role,
         include_guests, include_users, can_create, can_read, can_update, can_delete, can_close_own, can_open_own,
         can_read_others, (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         COALESCE(created_by, 0) AS created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason
  FROM roles WHERE site_id = $1 AND role_id = $2)sql"};

constexpr db::Query kSelectCriteria{"role_select_criteria", R"sql(
  SELECT c.role_id, c.criterion_id, c.or_group, c.profile_column, c.attr_key, c.value_type, c.predicate, c.value
  FROM criteria c JOIN roles r ON r.role_id = c.role_id
  WHERE r.site_id = $1 AND c.role_id = ANY($2::bigint[])
  ORDER BY c.or_group, c.profile_column, c.attr_key, c.criterion_id)sql"};

constexpr db::Query kInsertRole{"role_insert", R"sql(
  INSERT INTO roles (site_id, microcosm_id, title, is_moderator_role, is_banned_role, include_guests, include_users,
                     can_create, can_read, can_update, can_delete, can_close_own, can_open_own, can_read_others,
                     created_by)
  VALUES ($1, NULLIF($2, 0), $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, NULLIF($15, 0))
  RETURNING role_id)sql"};

constexpr db::Query kUpdateRole{"role_update", R"sql(
  UPDATE roles SET title = $3, is_moderator_role = $4, is_banned_role = $5, include_guests = $6,
    include_users = $7, can_create = $8, can_read = $9, can_update = $10, can_delete = $11,
    can_close_own = $12, can_open_own = $13, can_read_others = $14, edited_by = NULLIF($15, 0),
    edit_reason = $16, edited = (now() AT TIME ZONE 'UTC')
  WHERE site_id = $1 AND role_id = $2)sql"};

constexpr db::Query kDeleteRole{"role_delete", R"sql(
  DELETE FROM roles WHERE site_id = $1 AND role_id = $2)sql"};

constexpr db::Query kCountMembers{"role_members_count", R"sql(
  SELECT COUNT(*) FROM role_profiles rp JOIN profiles p ON p.profile_id = rp.profile_id
  WHERE p.site_id = $1 AND rp.role_id = $2)sql"};

constexpr db::Query kPageMembers{"role_members_page", R"sql(
  SELECT rp.profile_id FROM role_profiles rp JOIN profiles p ON p.profile_id = rp.profile_id
  WHERE p.site_id = $1 AND rp.role_id = $2
  ORDER BY rp.profile_id LIMIT $3 OFFSET $4)sql"};

constexpr db::Query kMemberExists{"role_member_exists", R"sql(
  SELECT 1 FROM role_profiles rp JOIN profiles p ON p.profile_id = rp.profile_id
  WHERE p.site_id = $1 AND rp.role_id = $2 AND rp.profile_id = $3)sql"};

constexpr db::Query kCountSiteProfiles{"role_count_site_profiles", R"sql(
  SELECT COUNT(*) FROM profiles WHERE site_id = $1 AND profile_id = ANY($2::bigint[]))sql"};

constexpr db::Query kAddMember{"role_member_add", R"sql(
  INSERT INTO role_profiles (role_id, profile_id) SELECT r.role_id, p.profile_id
  FROM roles r JOIN profiles p ON p.site_id = r.site_id
  WHERE r.site_id = $1 AND r.role_id = $2 AND p.profile_id = ANY($3::bigint[]) ON CONFLICT DO NOTHING)sql"};

constexpr db::Query kRemoveMember{"role_member_remove", R"sql(
  DELETE FROM role_profiles rp USING roles r
  WHERE r.role_id = rp.role_id AND r.site_id = $1 AND rp.role_id = $2 AND rp.profile_id = ANY($3::bigint[])
  RETURNING rp.profile_id)sql"};

constexpr db::Query kRemoveAllMembers{"role_member_remove_all", R"sql(
  DELETE FROM role_profiles rp USING roles r
  WHERE r.role_id = rp.role_id AND r.site_id = $1 AND rp.role_id = $2
  RETURNING rp.profile_id)sql"};

constexpr db::Query kRolesOfProfile{"role_roles_of_profile", R"sql(
  SELECT rp.role_id FROM role_profiles rp JOIN roles r ON r.role_id = rp.role_id
  WHERE r.site_id = $1 AND rp.profile_id = $2 ORDER BY rp.role_id)sql"};

constexpr db::Query kInsertCriterion{"role_criterion_insert", R"sql(
  INSERT INTO criteria (role_id, or_group, profile_column, attr_key, value_type, predicate, value)
  SELECT role_id, $3, $4, $5, $6, $7, $8 FROM roles WHERE site_id = $1 AND role_id = $2
  RETURNING criterion_id)sql"};

constexpr db::Query kUpdateCriterion{"role_criterion_update", R"sql(
  UPDATE criteria c SET or_group = $4, profile_column = $5, attr_key = $6, value_type = $7, predicate = $8,
    value = $9
  FROM roles r WHERE r.role_id = c.role_id AND r.site_id = $1 AND c.role_id = $2 AND c.criterion_id = $3)sql"};

constexpr db::Query kDeleteCriteria{"role_criteria_delete", R"sql(
  DELETE FROM criteria c USING roles r
  WHERE r.role_id = c.role_id AND r.site_id = $1 AND c.role_id = $2 AND c.criterion_id = ANY($3::bigint[]))sql"};

constexpr db::Query kDeleteAllCriteria{"role_criteria_delete_all", R"sql(
  DELETE FROM criteria c USING roles r WHERE r.role_id = c.role_id AND r.site_id = $1 AND c.role_id = $2)sql"};

Role role_from_row(const pqxx::row& r) {
  Role x;
  x.id = r["role_id"].as<RoleId>();
  x.site_id = r["site_id"].as<SiteId>();
  x.microcosm_id = r["microcosm_id"].as<MicrocosmId>();
  x.f.title = r["title"].as<std::string>();
  x.f.moderator = r["is_moderator_role"].as<bool>();
  x.f.banned = r["is_banned_role"].as<bool>();
  x.f.include_guests = r["include_guests"].as<bool>();
  x.f.include_users = r["include_users"].as<bool>();
  x.f.create = r["can_create"].as<bool>();
  x.f.read = r["can_read"].as<bool>();
  x.f.update = r["can_update"].as<bool>();
  x.f.del = r["can_delete"].as<bool>();
  x.f.close_own = r["can_close_own"].as<bool>();
  x.f.open_own = r["can_open_own"].as<bool>();
  x.f.read_others = r["can_read_others"].as<bool>();
  x.created_micros = r["created_micros"].as<std::int64_t>();
  x.created_by = r["created_by"].as<ProfileId>();
  x.edited_micros = r["edited_micros"].as<std::int64_t>();
  x.edited_by = r["edited_by"].as<ProfileId>();
  x.edit_reason = r["edit_reason"].as<std::string>();
  return x;
}

Criterion criterion_from_row(const pqxx::row& r) {
  return {r["criterion_id"].as<CriterionId>(), r["or_group"].as<std::int64_t>(), r["profile_column"].as<std::string>(),
          r["attr_key"].as<std::string>(),      r["value_type"].as<std::string>(), r["predicate"].as<std::string>(),
          r["value"].as<std::string>()};
}

/// Loads roles with their criteria in two statements of one transaction.
std::vector<Role> load_roles(pqxx::transaction_base& tx, const pqxx::result& rows, SiteId site) {
  auto roles = db::map_rows(rows, role_from_row);
  if (roles.empty()) return roles;
  std::vector<RoleId> ids;
  for (const auto& role : roles) ids.push_back(role.id);
  for (const auto& c : db::exec(tx, kSelectCriteria, site, int_array_literal(ids))) {
    const auto owner = c["role_id"].as<RoleId>();
    auto it = std::find_if(roles.begin(), roles.end(), [&](const Role& r) { return r.id == owner; });
    if (it != roles.end()) it->criteria.push_back(criterion_from_row(c));
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

}  // namespace

void RoleStore::register_statements(db::Statements& st) {
  st.add({kSelectOn, kSelectSiteLevel, kSelectOne, kSelectCriteria, kInsertRole, kUpdateRole, kDeleteRole,
          kCountMembers, kPageMembers, kMemberExists, kCountSiteProfiles, kAddMember, kRemoveMember,
          kRemoveAllMembers, kRolesOfProfile, kInsertCriterion, kUpdateCriterion, kDeleteCriteria,
          kDeleteAllCriteria});
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
    return load_roles(tx, db::exec(tx, kSelectOn, site, int_array_literal(missing)), site);
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
    return load_roles(tx, db::exec(tx, kSelectSiteLevel, site), site);
  });
}

std::optional<Role> RoleStore::get(SiteId site, RoleId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<Role> {
    pqxx::nontransaction tx(c);
    auto roles = load_roles(tx, db::exec(tx, kSelectOne, site, id), site);
    if (roles.empty()) return std::nullopt;
    return roles.front();
  });
}

RoleId RoleStore::create(SiteId site, MicrocosmId microcosm, const RoleFields& f, ProfileId by) {
  const auto created = db::write(pool_, kInsertRole, site, microcosm, f.title, f.moderator, f.banned,
                                 f.include_guests, f.include_users, f.create, f.read, f.update, f.del, f.close_own,
                                 f.open_own, f.read_others, by);
  if (microcosm.valid()) flush_microcosm(site, microcosm);
  return created[0]["role_id"].as<RoleId>();
}

void RoleStore::update(SiteId site, const Role& role, const RoleFields& f, ProfileId by, const std::string& reason) {
  db::write(pool_, kUpdateRole, site, role.id, f.title, f.moderator, f.banned, f.include_guests, f.include_users,
            f.create, f.read, f.update, f.del, f.close_own, f.open_own, f.read_others, by, reason);
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

void RoleStore::remove(SiteId site, const Role& role) {
  auto members = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto ids = db::column<ProfileId>(db::exec(tx, kRemoveAllMembers, site, role.id));
    db::exec(tx, kDeleteAllCriteria, site, role.id);
    db::exec(tx, kDeleteRole, site, role.id);
    tx.commit();
    return ids;
  });
  for (auto p : members) flush_profile(site, p);
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

RoleStore::Page RoleStore::explicit_members(SiteId site, RoleId role, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return Page{db::value<std::int64_t>(db::exec(tx, kCountMembers, site, role)).value_or(0),
                db::column<ProfileId>(db::exec(tx, kPageMembers, site, role, limit, offset))};
  });
}

bool RoleStore::is_explicit_member(SiteId site, RoleId role, ProfileId profile) {
  return !db::read(pool_, kMemberExists, site, role, profile).empty();
}

void RoleStore::add_members(SiteId site, const Role& role, const std::vector<ProfileId>& profiles) {
  std::set<std::int64_t> distinct;
  for (auto p : profiles) distinct.insert(p.value());
  const std::vector<std::int64_t> ids(distinct.begin(), distinct.end());
  if (ids.empty()) return;
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto found =
        db::value<std::size_t>(db::exec(tx, kCountSiteProfiles, site, int_array_literal(ids))).value_or(0);
    if (found != ids.size()) throw Error(ErrorKind::bad_request, "Every profile must be a profile of this site");
    db::exec(tx, kAddMember, site, role.id, int_array_literal(ids));
    tx.commit();
  });
  for (auto p : profiles) flush_profile(site, p);
}

void RoleStore::remove_members(SiteId site, const Role& role, const std::vector<ProfileId>& profiles) {
  const auto removed = db::column<ProfileId>(
      profiles.empty() ? db::write(pool_, kRemoveAllMembers, site, role.id)
                       : db::write(pool_, kRemoveMember, site, role.id, int_array_literal(profiles)));
  for (auto p : removed) flush_profile(site, p);
}

std::vector<RoleId> RoleStore::explicit_roles_of(SiteId site, ProfileId profile) {
  const auto key = profile_key(site, profile);
  auto text = cache_.get(key);
  if (!text) {
    text = int_array_literal(db::column<RoleId>(db::read(pool_, kRolesOfProfile, site, profile)));
    cache_.set(key, *text, std::chrono::seconds{config_.get()->cache.ttl_seconds});
  }
  std::vector<RoleId> out;
  const std::string_view inner = std::string_view(*text).substr(1, text->size() >= 2 ? text->size() - 2 : 0);
  for (auto id : parse_int_list(inner)) out.emplace_back(id);
  return out;
}

CriterionId RoleStore::add_criterion(SiteId site, const Role& role, const Criterion& k) {
  const auto id = db::value<CriterionId>(db::write(pool_, kInsertCriterion, site, role.id, k.or_group,
                                                   k.profile_column, k.attr_key, k.value_type, k.predicate, k.value));
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
  return id.value_or(CriterionId{});
}

void RoleStore::update_criterion(SiteId site, const Role& role, const Criterion& k) {
  db::write(pool_, kUpdateCriterion, site, role.id, k.id, k.or_group, k.profile_column, k.attr_key, k.value_type,
            k.predicate, k.value);
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

void RoleStore::remove_criteria(SiteId site, const Role& role, const std::vector<CriterionId>& ids) {
  if (ids.empty()) {
    db::write(pool_, kDeleteAllCriteria, site, role.id);
  } else {
    db::write(pool_, kDeleteCriteria, site, role.id, int_array_literal(ids));
  }
  if (role.microcosm_id.valid()) flush_microcosm(site, role.microcosm_id);
}

void RoleStore::insert_defaults(pqxx::transaction_base& tx, SiteId site, MicrocosmId root, ProfileId owner) {
  auto add = [&](const char* title, bool guests, bool users, bool banned, bool read, bool create, bool close_own,
                 bool read_others) {
    db::exec(tx, kInsertRole, site, root, title, false, banned, guests, users, create, read, false, false, close_own,
             false, read_others, owner);
  };
  add("Guests", true, false, false, true, false, false, false);
  add("Members", false, true, false, true, true, true, true);
  add("Banned", false, false, true, false, false, false, false);
}

void RoleStore::flush_microcosm(SiteId site, MicrocosmId id) { cache_.remove(microcosm_key(site, id)); }
void RoleStore::flush_profile(SiteId site, ProfileId id) { cache_.remove(profile_key(site, id)); }

}  // namespace agora::store
