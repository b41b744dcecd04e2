#pragma once
// Profile summary and full profile (identity.md §6.1, §6.2).

#include <nlohmann/json_fwd.hpp>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "agora/store/profile_store.hpp"

namespace agora {
class JsonWriter;
}  // namespace agora

namespace agora::api {

/// The summary written straight as JSON text: the one definition of its shape.
void write_profile_summary(JsonWriter& w, const store::Profile& profile);
std::string profile_summary_json(const store::Profile& profile);
class FragmentMemo;

/// The summaries of the profiles a page names, each written once ("null" for an id not found),
/// or taken from `memo` when the profile is as it was when the memo's copy was written.
class ProfileSummaries {
 public:
  explicit ProfileSummaries(const std::vector<store::Profile>& profiles, FragmentMemo* memo = nullptr);
  std::string_view of(ProfileId id) const;

 private:
  std::map<ProfileId, std::string> json_;
};

/// The same as a DOM, for the routes that still build one.
nlohmann::json profile_summary(const store::Profile& profile);

struct FullProfileExtras {
  std::string email;     // "" unless the viewer may see it
  bool member = false;
  bool site_owner = false;  // the profile owns the site (`admin`)
  bool own_view = false;    // whoami or one's own profile: adds meta.stats
  std::int64_t unread_huddles = 0;  // meta.stats, with own_view
};

/// The full profile without meta.permissions (the caller adds it).
nlohmann::json full_profile(const store::Profile& profile, const FullProfileExtras& extras);

}  // namespace agora::api
