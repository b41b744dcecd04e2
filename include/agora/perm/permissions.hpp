#pragma once
// The permission object (conventions.md §10, permissions.md §4 and §7). This first part of
// the engine covers the site and profile item types, which need no roles; microcosm roles,
// criteria and bans extend it with the content resources.

#include <nlohmann/json_fwd.hpp>

#include "agora/core/ids.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site.hpp"

namespace agora::perm {

struct PermissionSet {
  bool create = false, read = false, update = false, del = false;
  bool close_own = false, open_own = false, read_others = false;
  bool guest = false, banned = false, owner = false, moderator = false, site_owner = false;

  nlohmann::json to_json() const;
};

/// Who is asking: a guest has no profile.
struct Caller {
  ProfileId profile;    // 0 = guest
  bool banned = false;  // a site ban in force
  bool is_guest() const { return !profile.valid(); }
};

/// True when the caller owns or created the site (permissions.md §1 "Site owner").
bool is_site_owner(const store::Site& site, const Caller& caller);

/// Item type 1: the site itself.
PermissionSet for_site(const store::Site& site, const Caller& caller);

/// Item type 3: a profile on the site.
PermissionSet for_profile(const store::Site& site, const Caller& caller, ProfileId profile);

}  // namespace agora::perm
