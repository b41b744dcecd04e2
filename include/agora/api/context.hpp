#pragma once
// What a handler knows about its request besides the request itself: the site chosen by
// the Host, the caller, the request id and the deadline.

#include <chrono>
#include <optional>
#include <string>

#include "agora/core/ids.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site.hpp"

namespace agora::api {

/// Which route table a Host selects (conventions.md §2.2).
enum class HostKind { root, site };

struct Context {
  HostKind host_kind = HostKind::site;
  std::optional<store::Site> site;  // set for root and site hosts; empty on ops routes
  ProfileId caller;                 // 0 = guest
  UserId user;                      // the caller's account, when authenticated
  std::optional<store::Profile> profile;  // the caller's profile on this site
  std::string token;                // the access token presented, when authenticated
  std::optional<store::Ban> ban;    // a site ban of the caller in force
  std::string request_id;
  std::chrono::steady_clock::time_point deadline;

  SiteId site_id() const { return site ? site->id : SiteId{}; }
  bool is_guest() const { return !caller.valid(); }
  perm::Caller perm_caller() const {
    return perm::Caller{caller, ban.has_value(), user, profile ? &*profile : nullptr};
  }
};

}  // namespace agora::api
