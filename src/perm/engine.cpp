#include "agora/perm/engine.hpp"

#include "agora/core/time_format.hpp"
#include "agora/store/attribute_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/role_store.hpp"
#include "agora/store/user_store.hpp"

namespace agora::perm {

MemberFacts Engine::facts_of(const store::Site& site, const store::Profile& p, bool site_banned, bool with_email) {
  MemberFacts f;
  f.id = p.id;
  f.name = p.name;
  f.item_count = p.item_count;
  f.comment_count = p.comment_count;
  f.created_micros = p.created_micros;
  f.banned = site_banned;
  f.attributes = attributes_.of(site.id, item_type_id(ItemType::profile), p.id.value());
  f.explicit_roles = roles_.explicit_roles_of(site.id, p.id);
  if (with_email) {
    if (auto u = users_.get(p.user_id)) f.email = u->email;
  }
  return f;
}

bool Engine::is_member(const store::Site& site, const store::Role& role, const store::Profile& profile,
                       bool site_banned) {
  const bool email = criteria_need_email({&role});
  auto facts = facts_of(site, profile, site_banned, email);
  return perm::is_member(role, &facts, now_micros());
}

Engine::Evaluation Engine::evaluate(const store::Site& site, const Caller& caller, const store::Microcosm& m) {
  const auto defined = roles_.defined_on(site.id, m.path);
  const auto roles = applicable_roles(m.path, defined);
  const auto now = now_micros();
  std::optional<store::Profile> loaded;
  const store::Profile* profile = caller.row;
  if (!profile && !caller.is_guest()) {
    loaded = profiles_.get(site.id, caller.profile);
    if (loaded) profile = &*loaded;
  }
  Evaluation ev;
  if (!profile) {  // guests, and ids that are no profile of this site
    ev.grant = grant_of(roles, nullptr, now);
    ev.role_banned = ev.grant.banned;
    return ev;
  }
  auto facts = facts_of(site, *profile, caller.banned, criteria_need_email(roles));
  // A banned role's members count as banned for `isBanned` in every other role.
  for (const auto* r : roles) {
    if (r->f.banned && perm::is_member(*r, &facts, now)) ev.role_banned = true;
  }
  facts.banned = facts.banned || ev.role_banned;
  ev.grant = grant_of(roles, &facts, now);
  // The site owner is never role-banned (permissions.md §1).
  if (is_site_owner(site, caller)) ev.role_banned = false;
  return ev;
}

PermissionSet Engine::in(InMicrocosm kind, const store::Site& site, const Caller& caller, const store::Microcosm& m,
                         bool own) {
  if (caller.banned && !caller.is_guest()) return role_banned(caller);
  auto ev = evaluate(site, caller, m);
  if (ev.role_banned) return role_banned(caller);
  const bool owns_microcosm = !caller.is_guest() && (m.owned_by == caller.profile || m.created_by == caller.profile);
  return in_microcosm(kind, site, caller, own && !caller.is_guest(), owns_microcosm, ev.grant);
}

PermissionSet Engine::microcosm(const store::Site& site, const Caller& caller, const store::Microcosm& m) {
  const bool own = m.owned_by == caller.profile || m.created_by == caller.profile;
  return in(InMicrocosm::microcosm, site, caller, m, own);
}

PermissionSet Engine::item(const store::Site& site, const Caller& caller, const store::Microcosm& m,
                           ProfileId item_owner) {
  return in(InMicrocosm::item, site, caller, m, item_owner.valid() && item_owner == caller.profile);
}

bool Engine::is_moderator(const store::Site& site, const Caller& caller, const store::Microcosm& m) {
  if (caller.is_guest()) return false;
  return microcosm(site, caller, m).moderator;
}

PermissionSet Engine::query(const store::Site& site, const Caller& caller, MicrocosmId microcosm_id,
                            std::optional<ItemType> type, std::int64_t item_id) {
  PermissionSet none;
  none.guest = caller.is_guest();
  auto microcosm_of = [&](MicrocosmId id) { return id.valid() ? microcosms_.get(site.id, id) : std::nullopt; };
  if (!type) {
    if (auto m = microcosm_of(microcosm_id)) return microcosm(site, caller, *m);
    return none;
  }
  switch (*type) {
    case ItemType::site:
      return for_site(site, caller);
    case ItemType::profile:
      return for_profile(site, caller, ProfileId{item_id});
    case ItemType::user:
      return for_user(site, caller, UserId{item_id});
    case ItemType::microcosm: {
      auto m = microcosm_of(item_id > 0 ? MicrocosmId{item_id} : microcosm_id);
      return m ? microcosm(site, caller, *m) : none;
    }
    case ItemType::role: {
      // No microcosm is derived for roles: only the site owner manages them here.
      const bool so = !caller.banned && is_site_owner(site, caller);
      PermissionSet p = none;
      p.create = p.read = p.update = p.del = p.close_own = p.open_own = p.read_others = so;
      p.moderator = p.site_owner = so;
      return p;
    }
    case ItemType::comment:
    case ItemType::conversation:
    case ItemType::poll:
    case ItemType::article:
    case ItemType::event:
    case ItemType::question:
    case ItemType::classified:
    case ItemType::album:
    case ItemType::attendee: {
      // Content ids resolve once content exists; until then the microcosm given decides.
      auto m = microcosm_of(microcosm_id);
      return m ? item(site, caller, *m, ProfileId{}) : none;
    }
    default: {
      PermissionSet p = none;
      p.moderator = !caller.banned && is_site_owner(site, caller);
      return p;
    }
  }
}

}  // namespace agora::perm
