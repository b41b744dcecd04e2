#pragma once
// The permission engine (permissions.md §4): answers "may this caller do X to this item"
// from cached inputs — the roles defined along the microcosm's path, the caller's explicit
// roles, attributes and bans — computed per request, never stored.

#include <map>
#include <optional>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/core/item_types.hpp"
#include "agora/perm/membership.hpp"
#include "agora/perm/permissions.hpp"

namespace agora::store {
class MicrocosmStore;
class RoleStore;
class ProfileStore;
class UserStore;
class AttributeStore;
struct Microcosm;
}  // namespace agora::store

namespace agora::perm {

class Engine {
 public:
  Engine(store::MicrocosmStore& microcosms, store::RoleStore& roles, store::ProfileStore& profiles,
         store::UserStore& users, store::AttributeStore& attributes)
      : microcosms_(microcosms), roles_(roles), profiles_(profiles), users_(users), attributes_(attributes) {}

  /// A microcosm itself (item type 2).
  PermissionSet microcosm(const store::Site& site, const Caller& caller, const store::Microcosm& m);
  /// Many microcosms at once: their roles come in one multi-get (listings, the tree).
  std::vector<PermissionSet> microcosms(const store::Site& site, const Caller& caller,
                                        const std::vector<const store::Microcosm*>& ms);
  /// An item or a comment living in microcosm `m`, created by `item_owner` (types 4, 6–13).
  PermissionSet item(const store::Site& site, const Caller& caller, const store::Microcosm& m, ProfileId item_owner);
  /// Moderator ("superuser") of the microcosm: site owner, microcosm owner or moderator role.
  bool is_moderator(const store::Site& site, const Caller& caller, const store::Microcosm& m);

  /// GET /api/v1/permission: any item type by id, optionally within a microcosm.
  PermissionSet query(const store::Site& site, const Caller& caller, MicrocosmId microcosm,
                      std::optional<ItemType> type, std::int64_t item_id);

  /// The facts criteria test about a profile of the site (its site ban as given).
  MemberFacts facts_of(const store::Site& site, const store::Profile& profile, bool site_banned, bool with_email);
  /// Whether the profile is a member of the role (explicit, everyone, or criteria).
  bool is_member(const store::Site& site, const store::Role& role, const store::Profile& profile, bool site_banned);

 private:
  struct Evaluation {
    bool role_banned = false;
    RoleGrant grant;
  };
  /// What the rules read: the roles defined along the paths, the caller's facts.
  struct Inputs {
    std::map<MicrocosmId, std::vector<store::Role>> defined;
    std::optional<MemberFacts> facts;  // empty for guests
  };
  Inputs inputs_for(const store::Site& site, const Caller& caller, const std::vector<MicrocosmId>& microcosms);
  Evaluation evaluate(const store::Site& site, const Caller& caller, const store::Microcosm& m, const Inputs& in);
  PermissionSet in(InMicrocosm kind, const store::Site& site, const Caller& caller, const store::Microcosm& m,
                   bool own, const Inputs& inputs);

  store::MicrocosmStore& microcosms_;
  store::RoleStore& roles_;
  store::ProfileStore& profiles_;
  store::UserStore& users_;
  store::AttributeStore& attributes_;
};

}  // namespace agora::perm
