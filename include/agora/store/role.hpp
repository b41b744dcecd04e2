#pragma once
// Roles and their criteria as stored (permissions.md §2.1, §3.1).

#include <cstdint>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {

/// One membership rule. `value_type` is "string", "number" or "boolean"; `value` is its text.
struct Criterion {
  CriterionId id;
  std::int64_t or_group = 0;
  std::string profile_column;  // one of the columns of permissions.md §3.1, or ""
  std::string attr_key;        // a profile attribute, used when profile_column is ""
  std::string value_type;
  std::string predicate;
  std::string value;
};

/// The editable part of a role.
struct RoleFields {
  std::string title;
  bool moderator = false, banned = false, include_guests = false, include_users = false;
  bool create = false, read = false, update = false, del = false;
  bool close_own = false, open_own = false, read_others = false;
};

struct Role {
  RoleId id;
  SiteId site_id;
  MicrocosmId microcosm_id;  // 0: a legacy site-level role that never applies
  RoleFields f;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  std::int64_t edited_micros = 0;
  ProfileId edited_by;
  std::string edit_reason;
  std::vector<Criterion> criteria;

  bool special() const { return f.moderator || f.banned; }
};

/// Cache representation of a microcosm's roles (internal JSON).
std::string encode_roles(const std::vector<Role>& roles);
std::vector<Role> decode_roles(const std::string& bytes);

}  // namespace agora::store
