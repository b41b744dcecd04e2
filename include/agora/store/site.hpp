#pragma once
// A site as stored (platform.md §1.1), with theme fallbacks already applied.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {

struct MenuLink {
  std::string href;
  std::string title;  // optional, "" when none
  std::string text;
};

struct SiteStats {
  std::int64_t active_profiles = 0;
  std::int64_t online_profiles = 0;
  std::int64_t total_profiles = 0;
  std::int64_t total_conversations = 0;
  std::int64_t total_events = 0;
  std::int64_t total_comments = 0;
};

struct Site {
  SiteId id;
  std::string title;
  std::string description;
  std::string subdomain_key;
  std::string domain;  // "" when none
  std::int64_t created_micros = 0;
  ProfileId created_by;
  ProfileId owned_by;
  std::int64_t theme_id = 1;
  std::string logo_url;
  std::string background_url;
  std::string favicon_url;
  std::string background_color;
  std::string background_position;
  std::string link_color;
  std::string ga_web_property_id;
  bool deleted = false;
  bool force_ssl = false;
  std::string auth0_domain;
  std::string auth0_client_id;
  SiteStats stats;
  std::vector<MenuLink> menu;
};

/// The fields an operator gives when creating a site.
struct NewSite {
  std::string subdomain_key;
  std::string title;
  std::string description;
  std::string domain;  // optional
  bool allow_reserved = false;  // operators (CLI) may take a reserved name, users may not
};

/// Changes to a site's editable fields (platform.md §1.3, §1.6 Decisions); unset = unchanged.
struct SiteEdit {
  std::optional<std::string> title, description, domain;
  std::optional<std::int64_t> theme_id;
  std::optional<std::string> logo_url, favicon_url, background_url;
  std::optional<std::string> background_color, background_position, link_color, ga_web_property_id;
  std::optional<bool> force_ssl, deleted;
};

/// Cache representation (internal JSON, not the API shape).
std::string encode_site(const Site& site);
Site decode_site(std::string_view bytes);

}  // namespace agora::store
