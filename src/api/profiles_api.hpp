#pragma once
// Profile routes (identity.md §6.3, §6.6):
//   GET    /api/v1/profiles            list (site hosts): q, top, online, paging; ignored left out
//   POST   /api/v1/profiles            401 for guests, else 400: sign-in already made the profile
//   GET    /api/v1/whoami              the caller's full profile (§7), 200, never a redirect
//   GET    /api/v1/profiles/{id}       full profile (root and site hosts; on the root only one's own)
//   PATCH  /api/v1/profiles/{id}       `/member` only, by the site owner (§6.6, §10)
//   PUT    /api/v1/profiles/{id}       profileName, visible, styleId only; 302
//   DELETE /api/v1/profiles/{id}       501: profiles are never deleted
//   GET    /api/v1/profiles/options    the caller's options (§6.7)
//   PUT    /api/v1/profiles/options    changes the fields given; isDiscouraged only by the site owner
//   PUT    /api/v1/profiles/{id}/ban   site owner bans the profile's user from the site
//   DELETE /api/v1/profiles/{id}/ban   site owner lifts it (identity.md §9 extension)

#include <nlohmann/json_fwd.hpp>

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class ProfilesApi {
 public:
  ProfilesApi(store::ProfileStore& profiles, store::UserStore& users, store::BanStore& bans,
              store::AttributeStore& attributes, store::AuditLog& audit, store::ReaderStateStore& reader,
              store::CommentStore& comments, store::HuddleStore& huddles, const ConfigHolder& config)
      : profiles_(profiles), users_(users), bans_(bans), attributes_(attributes), audit_(audit), reader_(reader),
        comments_(comments), huddles_(huddles), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list(Context& ctx, const http::Request& req);
  http::Response one(Context& ctx, const http::Request& req);
  http::Response create(Context& ctx, const http::Request& req);
  http::Response whoami(Context& ctx, const http::Request& req);
  http::Response replace(Context& ctx, const http::Request& req);
  http::Response patch(Context& ctx, const http::Request& req);
  http::Response remove(Context& ctx, const http::Request& req);
  http::Response ban(Context& ctx, const http::Request& req);
  http::Response get_options(Context& ctx, const http::Request& req);
  http::Response put_options(Context& ctx, const http::Request& req);
  http::Response unban(Context& ctx, const http::Request& req);
  store::Profile load_for_site_owner(const Context& ctx, const http::Request& req);
  store::Profile load(const Context& ctx, const http::Request& req);
  /// `profileComment`: the newest visible comment on the profile as a summary, or null.
  nlohmann::json profile_comment(const Context& ctx, const store::Profile& profile);

  store::ProfileStore& profiles_;
  store::UserStore& users_;
  store::BanStore& bans_;
  store::AttributeStore& attributes_;
  store::AuditLog& audit_;
  store::ReaderStateStore& reader_;
  store::CommentStore& comments_;
  store::HuddleStore& huddles_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
