#pragma once
// The v1 site object (platform.md §1.2).

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "agora/store/site.hpp"

namespace agora::api {

/// `https://{sub}.{base}`, or the custom domain (https only with forceSSL).
std::string site_url(const store::Site& site, const std::string& base_domain);

/// The site object without `meta.permissions`; `owner` is the owner's profile summary
/// (`ownedBy` and `meta.createdBy`), null when the site has no owner profile.
nlohmann::json site_json(const store::Site& site, const std::string& base_domain, const nlohmann::json& owner);

}  // namespace agora::api
