#pragma once
// The v1 site object (platform.md §1.2).

#include <nlohmann/json_fwd.hpp>
#include <string>

#include "agora/store/site.hpp"

namespace agora::api {

/// `https://{sub}.{base}`, or the custom domain (https only with forceSSL).
std::string site_url(const store::Site& site, const std::string& base_domain);

/// The site object without `meta.permissions`.
nlohmann::json site_json(const store::Site& site, const std::string& base_domain);

/// The permission object a guest gets on a site: read and guest only (permissions.md §6 step 1).
nlohmann::json guest_site_permissions();

}  // namespace agora::api
