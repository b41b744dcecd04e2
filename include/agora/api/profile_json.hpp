#pragma once
// Profile summary and full profile (identity.md §6.1, §6.2).

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "agora/store/profile_store.hpp"

namespace agora::api {

nlohmann::json profile_summary(const store::Profile& profile);

struct FullProfileExtras {
  std::string email;     // "" unless the viewer may see it
  bool member = false;
  bool site_owner = false;  // the profile owns the site (`admin`)
  bool own_view = false;    // whoami or one's own profile: adds meta.stats
};

/// The full profile without meta.permissions (the caller adds it).
nlohmann::json full_profile(const store::Profile& profile, const FullProfileExtras& extras);

}  // namespace agora::api
