#pragma once
// Role routes (permissions.md §9), on site hosts, under two prefixes:
//   /api/v1/microcosms/{mid}/roles...   roles of a microcosm ("Mod" = moderator of {mid})
//   /api/v1/roles...                    legacy site-level roles (site owner only)
// With the Decisions: a role is reached only through its own microcosm (404 otherwise);
// roles of the root microcosm, moderator roles and `moderator: true` are the site owner's;
// bodies never retarget the URL's role; `members` previews only for moderators.

#include <nlohmann/json_fwd.hpp>

#include "agora/api/paging.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class RolesApi {
 public:
  RolesApi(store::MicrocosmStore& microcosms, store::RoleStore& roles, store::ProfileStore& profiles,
           perm::Engine& engine, store::AuditLog& audit, const ConfigHolder& config)
      : microcosms_(microcosms), roles_(roles), profiles_(profiles), engine_(engine), audit_(audit), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list(Context& ctx, const http::Request& req);
  http::Response create(Context& ctx, const http::Request& req);
  http::Response one(Context& ctx, const http::Request& req);
  http::Response replace(Context& ctx, const http::Request& req);
  http::Response patch(Context& ctx, const http::Request& req);
  http::Response remove(Context& ctx, const http::Request& req);
  http::Response list_profiles(Context& ctx, const http::Request& req);
  http::Response add_profiles(Context& ctx, const http::Request& req);
  http::Response remove_profiles(Context& ctx, const http::Request& req);
  http::Response one_profile(Context& ctx, const http::Request& req);
  http::Response add_profile(Context& ctx, const http::Request& req);
  http::Response remove_profile(Context& ctx, const http::Request& req);
  http::Response list_criteria(Context& ctx, const http::Request& req);
  http::Response add_criterion(Context& ctx, const http::Request& req);
  http::Response remove_criteria(Context& ctx, const http::Request& req);
  http::Response one_criterion(Context& ctx, const http::Request& req);
  http::Response replace_criterion(Context& ctx, const http::Request& req);
  http::Response remove_criterion(Context& ctx, const http::Request& req);
  http::Response members(Context& ctx, const http::Request& req);

  struct Scope;
  Scope scope_of(const Context& ctx, const http::Request& req);
  /// 401 for guests, 403 unless the caller may manage roles in the scope.
  void require_manager(const Context& ctx, const Scope& scope);
  /// The URL's role, which must belong to the scope; checks the caller may manage it.
  store::Role managed_role(const Context& ctx, const http::Request& req, const Scope& scope, bool writing);
  void require_may_grant(const Context& ctx, const store::Role& before, bool moderator_after);
  nlohmann::json role_with_meta(const Context& ctx, const store::Role& role, const Scope& scope);
  struct MemberPage {
    std::int64_t total = 0;
    std::vector<ProfileId> ids;
  };
  /// The computed membership (explicit, every profile, or criteria), guests excluded.
  MemberPage computed_members(const Context& ctx, const store::Role& role, const Paging& paging);

  store::MicrocosmStore& microcosms_;
  store::RoleStore& roles_;
  store::ProfileStore& profiles_;
  perm::Engine& engine_;
  store::AuditLog& audit_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
