#pragma once
// Role membership and which roles apply where (permissions.md §2.3, §3), as pure functions
// over facts the engine gathers from cached inputs.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/attribute_store.hpp"
#include "agora/store/role.hpp"

namespace agora::perm {

/// What criteria may test about a profile.
struct MemberFacts {
  ProfileId id;
  std::string name;
  std::string gender;
  std::string email;
  std::int64_t item_count = 0;
  std::int64_t comment_count = 0;
  std::int64_t created_micros = 0;
  bool banned = false;  // `isBanned`: a site ban, or membership of a banned role that applies
  std::vector<store::Attribute> attributes;
  std::vector<RoleId> explicit_roles;
};

/// The roles that apply to the microcosm at the end of `path` (root first): every special
/// role along the path, and the regular roles of the nearest microcosm defining any.
std::vector<const store::Role*> applicable_roles(const std::vector<MicrocosmId>& path,
                                                 const std::map<MicrocosmId, std::vector<store::Role>>& defined);

/// One criterion against a profile (permissions.md §3.1 with its Decisions: `ne` negates,
/// `isBanned` is evaluated). Unknown columns or predicates never match.
bool criterion_matches(const store::Criterion& criterion, const MemberFacts& facts, std::int64_t now_micros);

/// Criteria grouped by `orGroup`: AND within a group, OR across groups; empty = no match.
bool criteria_match(const std::vector<store::Criterion>& criteria, const MemberFacts& facts,
                    std::int64_t now_micros);

/// Whether a profile (facts) or a guest (nullptr) is a member of the role.
bool is_member(const store::Role& role, const MemberFacts* facts, std::int64_t now_micros);

/// The OR of the flags of the applicable roles the caller is a member of.
struct RoleGrant {
  bool create = false, read = false, update = false, del = false;
  bool close_own = false, open_own = false, read_others = false;
  bool moderator = false, banned = false;
};
RoleGrant grant_of(const std::vector<const store::Role*>& roles, const MemberFacts* facts, std::int64_t now_micros);

/// True when any role's criteria test the e-mail (so the engine loads it only then).
bool criteria_need_email(const std::vector<const store::Role*>& roles);

}  // namespace agora::perm
