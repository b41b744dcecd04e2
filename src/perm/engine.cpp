#include "agora/perm/engine.hpp"

#include <algorithm>

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
  f.attributes = attributes_.of(site.id, p.id);
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

Engine::Inputs Engine::inputs_for(const store::Site& site, const Caller& caller,
                                  const std::vector<MicrocosmId>& microcosms) {
  Inputs in;
  in.defined = roles_.defined_on(site.id, microcosms);
  std::optional<store::Profile> loaded;
  const store::Profile* profile = caller.row;
  if (!profile && !caller.is_guest()) {
    loaded = profiles_.get(site.id, caller.profile);
    if (loaded) profile = &*loaded;
  }
  if (profile) {  // guests, and ids that are no profile of this site, have no facts
    bool email = false;
    for (const auto& [id, roles] : in.defined) {
      for (const auto& r : roles) email = email || criteria_need_email({&r});
    }
    in.facts = facts_of(site, *profile, caller.banned, email);
  }
  return in;
}

Engine::Evaluation Engine::evaluate(const store::Site& site, const Caller& caller, const store::Microcosm& m,
                                    const Inputs& in) {
  const auto roles = applicable_roles(m.path, in.defined);
  const auto now = now_micros();
  Evaluation ev;
  if (!in.facts) {
    ev.grant = grant_of(roles, nullptr, now);
    ev.role_banned = ev.grant.banned;
    return ev;
  }
  auto facts = *in.facts;
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
                         bool own, const Inputs& inputs) {
  if (caller.banned && !caller.is_guest()) return role_banned(caller);
  auto ev = evaluate(site, caller, m, inputs);
  if (ev.role_banned) return role_banned(caller);
  const bool owns_microcosm = !caller.is_guest() && (m.owned_by == caller.profile || m.created_by == caller.profile);
  return in_microcosm(kind, site, caller, own && !caller.is_guest(), owns_microcosm, ev.grant);
}

std::vector<PermissionSet> Engine::microcosms(const store::Site& site, const Caller& caller,
                                              const std::vector<const store::Microcosm*>& ms) {
  std::vector<MicrocosmId> ids;
  for (const auto* m : ms) ids.insert(ids.end(), m->path.begin(), m->path.end());
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  const auto inputs = inputs_for(site, caller, ids);
  std::vector<PermissionSet> out;
  for (const auto* m : ms) {
    const bool own = !caller.is_guest() && (m->owned_by == caller.profile || m->created_by == caller.profile);
    out.push_back(in(InMicrocosm::microcosm, site, caller, *m, own, inputs));
  }
  return out;
}

PermissionSet Engine::microcosm(const store::Site& site, const Caller& caller, const store::Microcosm& m) {
  return microcosms(site, caller, {&m}).front();
}

PermissionSet Engine::item(const store::Site& site, const Caller& caller, const store::Microcosm& m,
                           ProfileId item_owner) {
  return in(InMicrocosm::item, site, caller, m, item_owner.valid() && item_owner == caller.profile,
            inputs_for(site, caller, m.path));
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
