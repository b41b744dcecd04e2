#include "roles_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "patch_ops.hpp"
#include "profile_json.hpp"
#include "role_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/role_store.hpp"

namespace agora::api {

struct RolesApi::Scope {
  std::optional<store::Microcosm> microcosm;  // empty: site-level roles
  MicrocosmId id() const { return microcosm ? microcosm->id : MicrocosmId{}; }
  bool root() const { return microcosm && microcosm->is_root(); }
};

namespace {

std::int64_t param_id(const http::Request& req, std::string_view name) {
  return std::stoll(std::string(*req.params.get(name)));
}

/// `[{"id": n}, …]` bodies of the membership and criteria routes.
template <class Id>
std::vector<Id> id_list(const nlohmann::json& body) {
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The body must be an array of {\"id\": number}");
  std::vector<Id> ids;
  for (const auto& element : body) ids.push_back(Body(element).required_id<Id>("id"));
  return ids;
}

http::Response no_content() { return http::Response::ok(nullptr); }

}  // namespace

void RolesApi::add_routes(RouteTable& t) {
  for (const std::string base : {"/api/v1/microcosms/{microcosmId:id}/roles", "/api/v1/roles"}) {
    const auto role = base + "/{roleId:id}";
    t.add(base, HostScope::site, Method::get, this, &RolesApi::list);
    t.add(base, HostScope::site, Method::post, this, &RolesApi::create);
    t.add(role, HostScope::site, Method::get, this, &RolesApi::one);
    t.add(role, HostScope::site, Method::put, this, &RolesApi::replace);
    t.add(role, HostScope::site, Method::patch, this, &RolesApi::patch);
    t.add(role, HostScope::site, Method::del, this, &RolesApi::remove);
    t.add(role + "/profiles", HostScope::site, Method::get, this, &RolesApi::list_profiles);
    t.add(role + "/profiles", HostScope::site, Method::put, this, &RolesApi::add_profiles);
    t.add(role + "/profiles", HostScope::site, Method::del, this, &RolesApi::remove_profiles);
    t.add(role + "/profiles/{profileId:id}", HostScope::site, Method::get, this, &RolesApi::one_profile);
    t.add(role + "/profiles/{profileId:id}", HostScope::site, Method::put, this, &RolesApi::add_profile);
    t.add(role + "/profiles/{profileId:id}", HostScope::site, Method::del, this, &RolesApi::remove_profile);
    t.add(role + "/criteria", HostScope::site, Method::get, this, &RolesApi::list_criteria);
    t.add(role + "/criteria", HostScope::site, Method::post, this, &RolesApi::add_criterion);
    t.add(role + "/criteria", HostScope::site, Method::del, this, &RolesApi::remove_criteria);
    t.add(role + "/criteria/{criterionId:id}", HostScope::site, Method::get, this, &RolesApi::one_criterion);
    t.add(role + "/criteria/{criterionId:id}", HostScope::site, Method::put, this, &RolesApi::replace_criterion);
    t.add(role + "/criteria/{criterionId:id}", HostScope::site, Method::del, this, &RolesApi::remove_criterion);
    t.add(role + "/members", HostScope::site, Method::get, this, &RolesApi::members);
  }
}

RolesApi::Scope RolesApi::scope_of(const Context& ctx, const http::Request& req) {
  Scope s;
  if (req.params.get("microcosmId")) {
    const MicrocosmId id{param_id(req, "microcosmId")};
    s.microcosm = microcosms_.get(ctx.site->id, id);
    if (!s.microcosm || microcosms_.hidden(ctx.site->id, *s.microcosm)) {
      throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(id.value()) + " not found");
    }
  }
  return s;
}

void RolesApi::require_manager(const Context& ctx, const Scope& scope) {
  if (ctx.is_guest()) throw Error(ErrorKind::unauthorised, "You must be logged in to manage roles");
  const auto caller = ctx.perm_caller();
  if (perm::is_site_owner(*ctx.site, caller) && !caller.banned) return;
  if (!scope.microcosm) throw Error(ErrorKind::forbidden, "Only the site owner can manage site roles");
  if (!engine_.is_moderator(*ctx.site, caller, *scope.microcosm)) {
    throw Error(ErrorKind::forbidden, "Only a moderator of this microcosm can manage its roles");
  }
}

store::Role RolesApi::managed_role(const Context& ctx, const http::Request& req, const Scope& scope, bool writing) {
  require_manager(ctx, scope);
  const RoleId id{param_id(req, "roleId")};
  auto role = roles_.get(ctx.site->id, id);
  // A role is reached only through the microcosm it is defined on.
  if (!role || role->microcosm_id != scope.id()) {
    throw Error(ErrorKind::not_found, "Role " + std::to_string(id.value()) + " not found");
  }
  if (writing && !perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    if (scope.root()) throw Error(ErrorKind::forbidden, "Only the site owner can change the roles of the root forum");
    if (role->f.moderator) throw Error(ErrorKind::forbidden, "Only the site owner can change moderator roles");
  }
  return *role;
}

void RolesApi::require_may_grant(const Context& ctx, const store::Role& before, bool moderator_after) {
  if (moderator_after && !before.f.moderator && !perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    throw Error(ErrorKind::forbidden, "Only the site owner can create moderator roles");
  }
}

nlohmann::json RolesApi::role_with_meta(const Context& ctx, const store::Role& role, const Scope& scope) {
  std::string title;
  if (scope.microcosm && scope.microcosm->id == role.microcosm_id) {
    title = scope.microcosm->title;
  } else if (role.microcosm_id.valid()) {
    if (auto m = microcosms_.get(ctx.site->id, role.microcosm_id)) title = m->title;
  }
  return role_json(role, title, profiles_.get(ctx.site->id, role.created_by));
}

http::Response RolesApi::list(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  const auto caller = ctx.perm_caller();
  std::vector<store::Role> roles;
  bool manager = false;
  if (scope.microcosm) {
    if (!engine_.microcosm(*ctx.site, caller, *scope.microcosm).read) {
      throw Error(ErrorKind::forbidden, "You do not have permission to see this microcosm");
    }
    const auto defined = roles_.defined_on(ctx.site->id, scope.microcosm->path);
    for (const auto* r : perm::applicable_roles(scope.microcosm->path, defined)) roles.push_back(*r);
    manager = !ctx.is_guest() && engine_.is_moderator(*ctx.site, caller, *scope.microcosm);
  } else {
    require_manager(ctx, scope);
    roles = roles_.site_level(ctx.site->id);
    manager = true;
  }
  std::sort(roles.begin(), roles.end(), [](const store::Role& a, const store::Role& b) {
    auto rank = [](const store::Role& r) { return r.f.moderator ? 0 : r.f.banned ? 2 : 1; };
    if (rank(a) != rank(b)) return rank(a) < rank(b);
    if (a.f.title != b.f.title) return a.f.title < b.f.title;
    return a.id < b.id;
  });
  auto paging = parse_paging(req);
  check_offset(static_cast<std::int64_t>(roles.size()), paging);
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = static_cast<std::size_t>(paging.offset);
       i < roles.size() && items.size() < static_cast<std::size_t>(paging.limit); ++i) {
    auto j = role_with_meta(ctx, roles[i], scope);
    // Member previews are for moderators only (permissions.md §9 Decision).
    if (manager) {
      const Paging preview{5, 0};
      // Previews of criteria roles show their explicit members: computing criteria would scan the site.
      auto page = roles[i].criteria.empty() || roles[i].f.include_users
                      ? computed_members(ctx, roles[i], preview)
                      : [&] {
                          auto e = roles_.explicit_members(ctx.site->id, roles[i].id, preview.limit, 0);
                          return MemberPage{e.total, std::move(e.ids)};
                        }();
      nlohmann::json people = nlohmann::json::array();
      for (auto& p : profiles_.get_many(ctx.site->id, page.ids)) people.push_back(profile_summary(p));
      auto c = collection(page.total, preview, std::move(people), "/api/v1/profiles", req);
      c.erase("links");
      j["members"] = std::move(c);
    }
    items.push_back(std::move(j));
  }
  nlohmann::json data = {
      {"roles", collection(static_cast<std::int64_t>(roles.size()), paging, std::move(items), "/api/v1/roles", req)},
      {"meta", nlohmann::json::object()}};
  return http::Response::ok(std::move(data));
}

http::Response RolesApi::create(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  require_manager(ctx, scope);
  const bool owner = perm::is_site_owner(*ctx.site, ctx.perm_caller());
  if (scope.root() && !owner) throw Error(ErrorKind::forbidden, "Only the site owner can change the roles of the root forum");
  store::RoleFields fields;
  merge_role_fields(Body::json_object(req, config_.get()->http.max_json_depth), fields);
  require_may_grant(ctx, store::Role{}, fields.moderator);
  auto id = roles_.create(ctx.site->id, scope.id(), fields, ctx.caller);
  audit_.record(ctx.site->id, id, ctx.caller, store::AuditAction::create, req.client_ip);
  store::Role made;
  made.id = id;
  made.microcosm_id = scope.id();
  return http::Response::redirect(302, role_self(made));
}

http::Response RolesApi::one(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, false);
  auto j = role_with_meta(ctx, role, scope);
  const auto caller = ctx.perm_caller();
  j["meta"]["permissions"] = (scope.microcosm ? engine_.microcosm(*ctx.site, caller, *scope.microcosm)
                                              : perm::for_site(*ctx.site, caller))
                                 .to_json();
  return http::Response::ok(std::move(j));
}

http::Response RolesApi::replace(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  auto fields = role.f;
  merge_role_fields(body, fields);
  require_may_grant(ctx, role, fields.moderator);
  std::string reason = "No reason given";
  // A meta or edit reason of another type has always been ignored; a long reason is cut.
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto r = meta->lenient<std::string>("editReason"); r && !r->empty()) reason = std::string(utf8_prefix(*r, 150));
  }
  roles_.update(ctx.site->id, role, fields, ctx.caller, reason);
  audit_.record(ctx.site->id, role.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, role_self(role));
}

http::Response RolesApi::patch(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  auto fields = role.f;
  std::string reason;
  for (const auto& op : parse_flag_patch(body)) {
    if (op.path.empty() || op.path[0] != '/' || !set_role_flag(fields, std::string_view(op.path).substr(1), op.value)) {
      throw Error(ErrorKind::bad_request, "Unknown path '" + op.path + "'");
    }
    if (!reason.empty()) reason += ", ";
    reason += "Set " + op.path + " to " + (op.value ? "true" : "false");
  }
  if (fields.moderator && fields.banned) {
    throw Error(ErrorKind::bad_request, "A role cannot be both a moderator role and a banned role");
  }
  require_may_grant(ctx, role, fields.moderator);
  roles_.update(ctx.site->id, role, fields, ctx.caller, std::string(utf8_prefix(reason, 150)));
  audit_.record(ctx.site->id, role.id, ctx.caller, store::AuditAction::update, req.client_ip);
  return no_content();
}

http::Response RolesApi::remove(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  roles_.remove(ctx.site->id, role);
  audit_.record(ctx.site->id, role.id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return no_content();
}

http::Response RolesApi::list_profiles(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, false);
  auto paging = parse_paging(req);
  auto page = roles_.explicit_members(ctx.site->id, role.id, paging.limit, paging.offset);
  check_offset(page.total, paging);
  nlohmann::json items = nlohmann::json::array();
  for (auto& p : profiles_.get_many(ctx.site->id, page.ids)) items.push_back(profile_summary(p));
  return http::Response::ok(
      {{"profiles", collection(page.total, paging, std::move(items), role_self(role) + "/profiles", req)},
       {"meta", nlohmann::json::object()}});
}

http::Response RolesApi::add_profiles(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  const auto ids = id_list<ProfileId>(parse_json_body(req, config_.get()->http.max_json_depth));
  roles_.add_members(ctx.site->id, role, ids);
  return no_content();
}

http::Response RolesApi::remove_profiles(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  const auto ids = id_list<ProfileId>(parse_json_body(req, config_.get()->http.max_json_depth));
  if (ids.empty()) {
    roles_.remove_members(ctx.site->id, role, {});
  } else {
    roles_.remove_members(ctx.site->id, role, ids);
  }
  return no_content();
}

http::Response RolesApi::one_profile(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, false);
  const ProfileId id{param_id(req, "profileId")};
  auto p = roles_.is_explicit_member(ctx.site->id, role.id, id) ? profiles_.get(ctx.site->id, id) : std::nullopt;
  if (!p) throw Error(ErrorKind::not_found, "Profile " + std::to_string(id.value()) + " is not a member of this role");
  return http::Response::ok(profile_summary(*p));
}

http::Response RolesApi::add_profile(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  const ProfileId id{param_id(req, "profileId")};
  if (!profiles_.get(ctx.site->id, id)) throw Error(ErrorKind::not_found, "Profile " + std::to_string(id.value()) + " not found");
  roles_.add_members(ctx.site->id, role, {id});
  return http::Response::redirect(302, role_self(role) + "/profiles/" + std::to_string(id.value()));
}

http::Response RolesApi::remove_profile(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  roles_.remove_members(ctx.site->id, role, {ProfileId{param_id(req, "profileId")}});
  return no_content();
}

http::Response RolesApi::list_criteria(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, false);
  auto paging = parse_paging(req);
  const auto total = static_cast<std::int64_t>(role.criteria.size());
  check_offset(total, paging);
  nlohmann::json items = nlohmann::json::array();
  for (std::size_t i = static_cast<std::size_t>(paging.offset);
       i < role.criteria.size() && items.size() < static_cast<std::size_t>(paging.limit); ++i) {
    items.push_back(criterion_json(role.criteria[i]));
  }
  return http::Response::ok({{"criteria", collection(total, paging, std::move(items), role_self(role) + "/criteria", req)},
                             {"meta", nlohmann::json::object()}});
}

http::Response RolesApi::add_criterion(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  store::Criterion c;
  merge_criterion(Body::json_object(req, config_.get()->http.max_json_depth), c);
  auto id = roles_.add_criterion(ctx.site->id, role, c);
  return http::Response::redirect(302, role_self(role) + "/criteria/" + std::to_string(id.value()));
}

http::Response RolesApi::remove_criteria(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  const auto ids = id_list<CriterionId>(parse_json_body(req, config_.get()->http.max_json_depth));
  roles_.remove_criteria(ctx.site->id, role, ids);
  return no_content();
}

namespace {

store::Criterion find_criterion(const store::Role& role, const http::Request& req) {
  const CriterionId id{param_id(req, "criterionId")};
  for (const auto& c : role.criteria) {
    if (c.id == id) return c;
  }
  throw Error(ErrorKind::not_found, "criterion not found");
}

}  // namespace

http::Response RolesApi::one_criterion(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, false);
  return http::Response::ok(criterion_json(find_criterion(role, req)));
}

http::Response RolesApi::replace_criterion(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  auto c = find_criterion(role, req);
  merge_criterion(Body::json_object(req, config_.get()->http.max_json_depth), c);
  roles_.update_criterion(ctx.site->id, role, c);
  return http::Response::redirect(302, role_self(role) + "/criteria/" + std::to_string(c.id.value()));
}

http::Response RolesApi::remove_criterion(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, true);
  roles_.remove_criteria(ctx.site->id, role, {find_criterion(role, req).id});
  return no_content();
}

http::Response RolesApi::members(Context& ctx, const http::Request& req) {
  auto scope = scope_of(ctx, req);
  auto role = managed_role(ctx, req, scope, false);
  auto paging = parse_paging(req);
  auto page = computed_members(ctx, role, paging);
  check_offset(page.total, paging);
  nlohmann::json items = nlohmann::json::array();
  for (auto& p : profiles_.get_many(ctx.site->id, page.ids)) items.push_back(profile_summary(p));
  return http::Response::ok({{"profiles", collection(page.total, paging, std::move(items), "/api/v1/profiles", req)},
                             {"meta", nlohmann::json::object()}});
}

RolesApi::MemberPage RolesApi::computed_members(const Context& ctx, const store::Role& role, const Paging& paging) {
  MemberPage out;
  if (role.f.include_users) {
    store::ProfileStore::ListQuery q;
    q.limit = paging.limit;
    q.offset = paging.offset;
    auto page = profiles_.list(ctx.site->id, q);
    return {page.total, std::move(page.ids)};
  }
  if (role.criteria.empty()) {
    auto page = roles_.explicit_members(ctx.site->id, role.id, paging.limit, paging.offset);
    return {page.total, std::move(page.ids)};
  }
  // Criteria are evaluated in memory: a scan of the site's profiles in id order, bounded so
  // that a moderator's role list cannot tie up the server on a very large site.
  constexpr std::int64_t max_scanned = 20'000;
  std::int64_t scanned = 0;
  ProfileId after;
  for (;;) {
    if (scanned >= max_scanned) {
      throw Error(ErrorKind::bad_request, "This site has too many profiles to list a criteria role's members");
    }
    auto ids = profiles_.ids_after(ctx.site->id, after, 500);
    if (ids.empty()) break;
    scanned += static_cast<std::int64_t>(ids.size());
    for (auto& p : profiles_.get_many(ctx.site->id, ids)) {
      if (!engine_.is_member(*ctx.site, role, p, false)) continue;
      if (out.total >= paging.offset && out.ids.size() < static_cast<std::size_t>(paging.limit)) out.ids.push_back(p.id);
      ++out.total;
    }
    after = ids.back();
  }
  return out;
}

}  // namespace agora::api
