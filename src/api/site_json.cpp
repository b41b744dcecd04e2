#include "agora/api/site_json.hpp"

#include <nlohmann/json.hpp>

#include "agora/core/time_format.hpp"

namespace agora::api {

std::string site_url(const store::Site& s, const std::string& base_domain) {
  if (!s.domain.empty()) return (s.force_ssl ? "https://" : "http://") + s.domain;
  return "https://" + s.subdomain_key + "." + base_domain;
}

nlohmann::json site_json(const store::Site& s, const std::string& base_domain, const nlohmann::json& owner) {
  nlohmann::json j = {
      {"siteId", s.id.value()},       {"siteURL", site_url(s, base_domain)}, {"title", s.title},
      {"description", s.description}, {"subdomainKey", s.subdomain_key},    {"domain", s.domain},
      {"themeId", s.theme_id},        {"logoUrl", s.logo_url},              {"backgroundColor", s.background_color},
      {"linkColor", s.link_color},
  };
  if (!owner.is_null()) j["ownedBy"] = owner;
  if (s.force_ssl) j["forceSSL"] = true;
  if (!s.favicon_url.empty()) j["faviconUrl"] = s.favicon_url;
  if (!s.background_url.empty()) {
    j["backgroundUrl"] = s.background_url;
    if (!s.background_position.empty()) j["backgroundPosition"] = s.background_position;
  }
  if (!s.ga_web_property_id.empty()) j["gaWebPropertyId"] = s.ga_web_property_id;
  if (!s.auth0_domain.empty()) j["auth0Domain"] = s.auth0_domain;
  if (!s.auth0_client_id.empty()) j["auth0ClientId"] = s.auth0_client_id;

  nlohmann::json menu = nlohmann::json::array();
  for (auto& m : s.menu) {
    nlohmann::json link = {{"href", m.href}, {"text", m.text}};
    if (!m.title.empty()) link["title"] = m.title;
    menu.push_back(std::move(link));
  }
  j["menu"] = std::move(menu);

  auto stat = [](const char* metric, std::int64_t v) { return nlohmann::json{{"metric", metric}, {"value", v}}; };
  const std::string self = "/api/v1/sites/" + std::to_string(s.id.value());
  j["meta"] = {
      {"created", format_rfc3339_micros(s.created_micros)},
      {"flags", {{"deleted", s.deleted}}},
      {"stats",
       {stat("activeProfiles", s.stats.active_profiles), stat("onlineProfiles", s.stats.online_profiles),
        stat("totalProfiles", s.stats.total_profiles), stat("totalConversations", s.stats.total_conversations),
        stat("totalEvents", s.stats.total_events), stat("totalComments", s.stats.total_comments)}},
      {"links",
       {{{"rel", "self"}, {"href", self}},
        {{"rel", "microcosm"}, {"href", "/api/v1/microcosms"}},
        {{"rel", "profile"}, {"href", "/api/v1/profiles"}},
        {{"rel", "legal"}, {"href", "/api/v1/legal"}}}},
  };
  if (!owner.is_null()) j["meta"]["createdBy"] = owner;
  return j;
}

}  // namespace agora::api
