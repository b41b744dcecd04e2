#pragma once
// Roles, their explicit members and criteria (permissions.md §2, §3). Every call is scoped
// by SiteId. Cache keys (flushed on every change that affects them):
//   v2:mroles:{site}:{microcosm}   the roles defined on a microcosm, with their criteria
//   v2:prole:{site}:{profile}      ids of the roles a profile is an explicit member of

#include <map>
#include <optional>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/role.hpp"

#include "agora/store/store_fwd.hpp"

namespace pqxx {
class transaction_base;
}

namespace agora::store {

class RoleStore {
 public:
  RoleStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// The roles defined on each of these microcosms: one multi-get, one SQL round trip for misses.
  std::map<MicrocosmId, std::vector<Role>> defined_on(SiteId site, const std::vector<MicrocosmId>& microcosms);
  /// Legacy site-level roles (no microcosm).
  std::vector<Role> site_level(SiteId site);
  /// One role with its criteria.
  std::optional<Role> get(SiteId site, RoleId id);

  /// microcosm 0 creates a site-level role.
  RoleId create(SiteId site, MicrocosmId microcosm, const RoleFields& fields, ProfileId by);
  void update(SiteId site, const Role& role, const RoleFields& fields, ProfileId by, const std::string& reason);
  /// Removes the role, its criteria and explicit members.
  void remove(SiteId site, const Role& role);

  struct Page {
    std::int64_t total = 0;
    std::vector<ProfileId> ids;
  };
  Page explicit_members(SiteId site, RoleId role, int limit, int offset);
  bool is_explicit_member(SiteId site, RoleId role, ProfileId profile);
  /// Adds profiles of this site (Error{bad_request} naming one that is not); idempotent.
  void add_members(SiteId site, const Role& role, const std::vector<ProfileId>& profiles);
  /// Removes these profiles, or every explicit member when `profiles` is empty.
  void remove_members(SiteId site, const Role& role, const std::vector<ProfileId>& profiles);
  /// Roles of the site the profile is an explicit member of.
  std::vector<RoleId> explicit_roles_of(SiteId site, ProfileId profile);

  CriterionId add_criterion(SiteId site, const Role& role, const Criterion& criterion);
  void update_criterion(SiteId site, const Role& role, const Criterion& criterion);
  /// Removes these criteria, or all of the role's when `ids` is empty.
  void remove_criteria(SiteId site, const Role& role, const std::vector<CriterionId>& ids);

  /// Inserts Guests, Members and Banned (permissions.md §2.2) inside the site-creation transaction.
  static void insert_defaults(pqxx::transaction_base& tx, SiteId site, MicrocosmId root, ProfileId owner);

 private:
  void flush_microcosm(SiteId site, MicrocosmId id);
  void flush_profile(SiteId site, ProfileId id);

  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
