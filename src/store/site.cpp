#include "agora/store/site.hpp"

#include <nlohmann/json.hpp>

namespace agora::store {

std::string encode_site(const Site& s) {
  nlohmann::json menu = nlohmann::json::array();
  for (auto& m : s.menu) menu.push_back({m.href, m.title, m.text});
  nlohmann::json j = {
      {"id", s.id.value()},
      {"t", s.title},
      {"d", s.description},
      {"sk", s.subdomain_key},
      {"dom", s.domain},
      {"c", s.created_micros},
      {"cb", s.created_by.value()},
      {"ob", s.owned_by.value()},
      {"th", s.theme_id},
      {"lu", s.logo_url},
      {"bu", s.background_url},
      {"fu", s.favicon_url},
      {"bc", s.background_color},
      {"bp", s.background_position},
      {"lc", s.link_color},
      {"ga", s.ga_web_property_id},
      {"del", s.deleted},
      {"ssl", s.force_ssl},
      {"a0d", s.auth0_domain},
      {"a0c", s.auth0_client_id},
      {"st",
       {s.stats.active_profiles, s.stats.online_profiles, s.stats.total_profiles, s.stats.total_conversations,
        s.stats.total_events, s.stats.total_comments}},
      {"m", std::move(menu)},
  };
  return j.dump();
}

Site decode_site(std::string_view bytes) {
  auto j = nlohmann::json::parse(bytes);
  Site s;
  s.id = SiteId{j.at("id").get<std::int64_t>()};
  s.title = j.at("t").get<std::string>();
  s.description = j.at("d").get<std::string>();
  s.subdomain_key = j.at("sk").get<std::string>();
  s.domain = j.at("dom").get<std::string>();
  s.created_micros = j.at("c").get<std::int64_t>();
  s.created_by = ProfileId{j.at("cb").get<std::int64_t>()};
  s.owned_by = ProfileId{j.at("ob").get<std::int64_t>()};
  s.theme_id = j.at("th").get<std::int64_t>();
  s.logo_url = j.at("lu").get<std::string>();
  s.background_url = j.at("bu").get<std::string>();
  s.favicon_url = j.at("fu").get<std::string>();
  s.background_color = j.at("bc").get<std::string>();
  s.background_position = j.at("bp").get<std::string>();
  s.link_color = j.at("lc").get<std::string>();
  s.ga_web_property_id = j.at("ga").get<std::string>();
  s.deleted = j.at("del").get<bool>();
  s.force_ssl = j.at("ssl").get<bool>();
  s.auth0_domain = j.at("a0d").get<std::string>();
  s.auth0_client_id = j.at("a0c").get<std::string>();
  auto& st = j.at("st");
  s.stats = {st.at(0).get<std::int64_t>(), st.at(1).get<std::int64_t>(), st.at(2).get<std::int64_t>(),
             st.at(3).get<std::int64_t>(), st.at(4).get<std::int64_t>(), st.at(5).get<std::int64_t>()};
  for (auto& m : j.at("m")) {
    s.menu.push_back({m.at(0).get<std::string>(), m.at(1).get<std::string>(), m.at(2).get<std::string>()});
  }
  return s;
}

}  // namespace agora::store
