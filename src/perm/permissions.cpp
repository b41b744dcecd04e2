#include "agora/perm/permissions.hpp"

#include <nlohmann/json.hpp>

#include "agora/perm/membership.hpp"

namespace agora::perm {

nlohmann::json PermissionSet::to_json() const {
  return {{"create", create},     {"read", read},          {"update", update},
          {"delete", del},        {"closeOwn", close_own}, {"openOwn", open_own},
          {"readOthers", read_others}, {"guest", guest},   {"banned", banned},
          {"owner", owner},       {"moderator", moderator}, {"siteOwner", site_owner}};
}

bool is_site_owner(const store::Site& site, ProfileId profile) {
  return profile.valid() && (site.owned_by == profile || site.created_by == profile);
}

bool is_site_owner(const store::Site& site, const Caller& caller) { return is_site_owner(site, caller.profile); }

PermissionSet for_site(const store::Site& site, const Caller& caller) {
  PermissionSet p;
  p.read = true;
  if (caller.is_guest()) {
    p.guest = true;  // step 1: the guest shortcut
    return p;
  }
  if (caller.banned) {  // step 3: read only
    p.banned = true;
    return p;
  }
  const bool so = is_site_owner(site, caller);
  // only_admins_can_create_microcosms is true for every site until site options are editable.
  p.create = so;
  p.update = so;
  p.del = so;
  p.owner = so;
  p.moderator = so;
  p.site_owner = so;
  return p;
}

PermissionSet for_profile(const store::Site& site, const Caller& caller, ProfileId profile) {
  PermissionSet p;
  p.read = true;
  p.guest = caller.is_guest();
  if (caller.is_guest()) return p;
  const bool own = caller.profile == profile;
  if (caller.banned) {  // step 3: read only one's own profile
    p = PermissionSet{};
    p.banned = true;
    p.read = own;
    return p;
  }
  const bool so = is_site_owner(site, caller);
  p.create = so || own;
  p.update = so || own;
  p.del = so;
  p.owner = own;
  p.moderator = so;
  p.site_owner = so;
  return p;
}

PermissionSet for_profile_comment(const store::Site& site, const Caller& caller, ProfileId profile, ProfileId author) {
  auto p = for_profile(site, caller, profile);
  p.read = true;
  p.owner = !caller.is_guest() && caller.profile == author;
  p.update = !caller.is_guest() && !caller.banned && (p.site_owner || p.owner);
  return p;
}

}  // namespace agora::perm

namespace agora::perm {

PermissionSet for_user(const store::Site& site, const Caller& caller, UserId user) {
  PermissionSet p;
  p.guest = caller.is_guest();
  if (caller.is_guest()) return p;
  if (caller.banned) {
    p.banned = true;
    return p;
  }
  const bool so = is_site_owner(site, caller);
  const bool own = caller.user.valid() && caller.user == user;
  p.read = so || own;
  p.owner = own;
  p.moderator = so;
  p.site_owner = so;
  return p;
}

PermissionSet in_microcosm(InMicrocosm kind, const store::Site& site, const Caller& caller, bool own,
                           bool owns_microcosm, const RoleGrant& g) {
  PermissionSet p;
  p.guest = caller.is_guest();
  const bool so = is_site_owner(site, caller);
  const bool su = so || (!caller.is_guest() && owns_microcosm) || g.moderator;
  // Item owners may add to, read and edit their own items, never delete them by ownership.
  const bool owner_extra = kind == InMicrocosm::item && own;
  p.create = g.create || su || owner_extra;
  p.read = g.read || su || owner_extra;
  p.update = g.update || su || owner_extra;
  p.del = g.del || su;
  p.close_own = g.close_own || su;
  p.open_own = g.open_own || su;
  p.read_others = g.read_others || su;
  p.owner = own;
  p.moderator = su;
  p.site_owner = so;
  return p;
}

PermissionSet role_banned(const Caller& caller) {
  PermissionSet p;
  p.guest = caller.is_guest();
  p.banned = true;
  return p;
}

}  // namespace agora::perm
