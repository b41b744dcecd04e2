#pragma once
// The permission object (conventions.md §10, permissions.md §4 and §7) and the pure rules
// of the effective-permission algorithm; perm::Engine gathers their inputs.

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
  UserId user;          // the caller's account, when known
  const store::Profile* row = nullptr;  // the caller's profile when already loaded
  bool is_guest() const { return !profile.valid(); }
};

struct RoleGrant;

/// True when the caller owns or created the site (permissions.md §1 "Site owner").
bool is_site_owner(const store::Site& site, const Caller& caller);
bool is_site_owner(const store::Site& site, ProfileId profile);

/// Item type 1: the site itself.
PermissionSet for_site(const store::Site& site, const Caller& caller);

/// Item type 3: a profile on the site.
PermissionSet for_profile(const store::Site& site, const Caller& caller, ProfileId profile);
/// A comment on a profile (content-conversations-comments.md §2.3–2.7): everyone reads it;
/// the profile's owner and the site owner post; its author and the site owner edit it; the
/// site owner deletes and moderates it.
PermissionSet for_profile_comment(const store::Site& site, const Caller& caller, ProfileId profile, ProfileId author);

/// Item type 14: a user account, readable by its owner and the site owner.
PermissionSet for_user(const store::Site& site, const Caller& caller, UserId user);

/// What a permission in a microcosm is about: the microcosm itself, or an item or comment in it.
enum class InMicrocosm { microcosm, item };

/// permissions.md §4 step 9 for the microcosm row and the item rows: `own` = caller owns
/// the target, `owns_microcosm` = caller owns or created the microcosm holding it. Role
/// bans are decided before this (the caller is then banned and gets nothing).
PermissionSet in_microcosm(InMicrocosm kind, const store::Site& site, const Caller& caller, bool own,
                           bool owns_microcosm, const RoleGrant& grant);

/// Everything false but `banned` (and `guest`): a role ban on the microcosm.
PermissionSet role_banned(const Caller& caller);

}  // namespace agora::perm
