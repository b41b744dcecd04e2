#include "agora/perm/permissions.hpp"

#include <nlohmann/json.hpp>

namespace agora::perm {

nlohmann::json PermissionSet::to_json() const {
  return {{"create", create},     {"read", read},          {"update", update},
          {"delete", del},        {"closeOwn", close_own}, {"openOwn", open_own},
          {"readOthers", read_others}, {"guest", guest},   {"banned", banned},
          {"owner", owner},       {"moderator", moderator}, {"siteOwner", site_owner}};
}

bool is_site_owner(const store::Site& site, const Caller& caller) {
  return !caller.is_guest() && (site.owned_by == caller.profile || site.created_by == caller.profile);
}

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

}  // namespace agora::perm
