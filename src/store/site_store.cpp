#include "agora/store/site_store.hpp"

#include <algorithm>
#include <cctype>
#include <pqxx/pqxx>
#include <unordered_map>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/role_store.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

// An unknown host is remembered this long, so probing random hosts costs one query per minute.
constexpr std::chrono::seconds negative_ttl{60};

constexpr db::Query kSelectSites{"site_select_many", R"sql(
  SELECT s.site_id, s.title, s.description, s.subdomain_key, COALESCE(s.domain, '') AS domain,
         (EXTRACT(EPOCH FROM s.created) * 1000000)::bigint AS created_micros,
         COALESCE(s.created_by, 0) AS created_by, COALESCE(s.owned_by, 0) AS owned_by, s.theme_id,
         COALESCE(NULLIF(s.logo_url, ''), t.logo_url) AS logo_url,
         COALESCE(NULLIF(s.background_url, ''), t.background_url) AS background_url,
         COALESCE(NULLIF(s.favicon_url, ''), t.favicon_url) AS favicon_url,
         s.background_color, s.background_position, s.link_color, s.ga_web_property_id, s.is_deleted, s.force_ssl,
         s.auth0_domain, s.auth0_client_id,
         COALESCE(st.active_profiles, 0) AS active_profiles, COALESCE(st.online_profiles, 0) AS online_profiles,
         COALESCE(st.total_profiles, 0) AS total_profiles,
         COALESCE(st.total_conversations, 0) AS total_conversations,
         COALESCE(st.total_events, 0) AS total_events, COALESCE(st.total_comments, 0) AS total_comments
  FROM sites s JOIN themes t ON t.theme_id = s.theme_id
  LEFT JOIN site_stats st ON st.site_id = s.site_id
  WHERE s.site_id = ANY($1::bigint[]))sql"};

constexpr db::Query kSelectMenus{"site_menus_many", R"sql(
  SELECT site_id, href, COALESCE(title, '') AS title, text FROM menus WHERE site_id = ANY($1::bigint[])
  ORDER BY site_id, sequence)sql"};

constexpr db::Query kFindSubdomain{"site_find_subdomain", R"sql(
  SELECT site_id FROM sites WHERE subdomain_key = $1 AND NOT is_deleted)sql"};

constexpr db::Query kFindDomain{"site_find_domain", R"sql(
  SELECT site_id FROM sites WHERE domain = $1 AND NOT is_deleted)sql"};

constexpr db::Query kCountLive{"site_count_live", R"sql(
  SELECT COUNT(*) FROM sites WHERE NOT is_deleted AND site_id <> 1)sql"};

constexpr db::Query kPageLive{"site_page_live", R"sql(
  SELECT site_id FROM sites WHERE NOT is_deleted AND site_id <> 1 ORDER BY site_id LIMIT $1 OFFSET $2)sql"};

constexpr db::Query kCountOwned{"site_count_owned", R"sql(
  SELECT COUNT(*) FROM sites s JOIN profiles p ON p.profile_id = s.owned_by AND p.site_id = s.site_id
  WHERE NOT s.is_deleted AND s.site_id <> 1 AND p.user_id = $1)sql"};

constexpr db::Query kPageOwned{"site_page_owned", R"sql(
  SELECT s.site_id FROM sites s JOIN profiles p ON p.profile_id = s.owned_by AND p.site_id = s.site_id
  WHERE NOT s.is_deleted AND s.site_id <> 1 AND p.user_id = $1
  ORDER BY s.site_id LIMIT $2 OFFSET $3)sql"};

constexpr db::Query kSubdomainTaken{"site_subdomain_taken", R"sql(
  SELECT 1 FROM sites WHERE subdomain_key = $1 OR domain = NULLIF($2, ''))sql"};

constexpr db::Query kInsertSite{"site_insert", R"sql(
  INSERT INTO sites (title, description, subdomain_key, domain) VALUES ($1, $2, $3, NULLIF($4, ''))
  RETURNING site_id)sql"};

constexpr db::Query kInsertOptions{"site_options_insert", R"sql(
  INSERT INTO site_options (site_id) VALUES ($1))sql"};

constexpr db::Query kSetOwner{"site_set_owner", R"sql(
  UPDATE sites SET owned_by = $2, created_by = COALESCE(created_by, $2) WHERE site_id = $1
  AND EXISTS (SELECT 1 FROM profiles WHERE site_id = $1 AND profile_id = $2))sql"};

constexpr db::Query kThemeExists{"site_theme_exists", R"sql(
  SELECT 1 FROM themes WHERE theme_id = $1)sql"};

constexpr db::Query kDomainTaken{"site_domain_taken", R"sql(
  SELECT 1 FROM sites WHERE domain = $1 AND site_id <> $2)sql"};

constexpr db::Query kUpdateSite{"site_update", R"sql(
  UPDATE sites SET title = COALESCE($2, title), description = COALESCE($3, description),
    domain = CASE WHEN $4::text IS NULL THEN domain ELSE NULLIF($4, '') END,
    theme_id = COALESCE($5, theme_id), logo_url = COALESCE($6, logo_url),
    favicon_url = COALESCE($7, favicon_url), background_url = COALESCE($8, background_url),
    background_color = COALESCE($9, background_color),
    background_position = COALESCE($10, background_position), link_color = COALESCE($11, link_color),
    ga_web_property_id = COALESCE($12, ga_web_property_id), force_ssl = COALESCE($13, force_ssl),
    is_deleted = COALESCE($14, is_deleted)
  WHERE site_id = $1)sql"};

Site site_from_row(const pqxx::row& r) {
  Site s;
  s.id = r["site_id"].as<SiteId>();
  s.title = r["title"].as<std::string>();
  s.description = r["description"].as<std::string>();
  s.subdomain_key = r["subdomain_key"].as<std::string>();
  s.domain = r["domain"].as<std::string>();
  s.created_micros = r["created_micros"].as<std::int64_t>();
  s.created_by = r["created_by"].as<ProfileId>();
  s.owned_by = r["owned_by"].as<ProfileId>();
  s.theme_id = r["theme_id"].as<std::int64_t>();
  s.logo_url = r["logo_url"].as<std::string>();
  s.background_url = r["background_url"].as<std::string>();
  s.favicon_url = r["favicon_url"].as<std::string>();
  s.background_color = r["background_color"].as<std::string>();
  s.background_position = r["background_position"].as<std::string>();
  s.link_color = r["link_color"].as<std::string>();
  s.ga_web_property_id = r["ga_web_property_id"].as<std::string>();
  s.deleted = r["is_deleted"].as<bool>();
  s.force_ssl = r["force_ssl"].as<bool>();
  s.auth0_domain = r["auth0_domain"].as<std::string>();
  s.auth0_client_id = r["auth0_client_id"].as<std::string>();
  s.stats = {r["active_profiles"].as<std::int64_t>(), r["online_profiles"].as<std::int64_t>(),
             r["total_profiles"].as<std::int64_t>(),  r["total_conversations"].as<std::int64_t>(),
             r["total_events"].as<std::int64_t>(),    r["total_comments"].as<std::int64_t>()};
  return s;
}

MenuLink menu_link_from_row(const pqxx::row& r) {
  return {r["href"].as<std::string>(), r["title"].as<std::string>(), r["text"].as<std::string>()};
}

bool valid_subdomain(std::string_view key) {
  if (key.empty() || key.size() > 50) return false;
  return std::all_of(key.begin(), key.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

bool valid_domain(std::string_view d) {
  if (d.empty() || d.size() > 253 || d.find('.') == std::string_view::npos) return false;
  std::size_t label = 0;
  for (char c : d) {
    if (c == '.') {
      if (label == 0) return false;
      label = 0;
    } else if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-') {
      if (++label > 63) return false;
    } else {
      return false;
    }
  }
  return label > 0 && d.front() != '-' && d.back() != '-';
}

bool valid_colour(const std::string& c) {
  if (!c.empty() && c[0] == '#') {
    const bool hex = std::all_of(c.begin() + 1, c.end(), [](char x) { return std::isxdigit(static_cast<unsigned char>(x)); });
    return hex && (c.size() == 4 || c.size() == 7);
  }
  // CSS named colours are letters only.
  return !c.empty() && c.size() <= 20 && std::all_of(c.begin(), c.end(), [](char x) { return std::isalpha(static_cast<unsigned char>(x)); });
}

/// Image URLs: http(s) or a path on this site; never javascript: or data:.
bool valid_image_url(const std::string& u) {
  if (u.empty()) return true;
  if (u.size() > 2000) return false;
  if (u[0] == '/' && (u.size() == 1 || u[1] != '/')) return true;
  return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
}

void validate_site_edit(SiteEdit& e) {
  if (e.title) {
    *e.title = strip_tags_and_trim(*e.title);
    if (e.title->empty()) throw Error(ErrorKind::bad_request, "You must specify a site title");
    if (utf8_length(*e.title) > 50) throw Error(ErrorKind::bad_request, "The site title must be at most 50 characters");
  }
  if (e.description && e.description->size() > 10'000) {
    throw Error(ErrorKind::bad_request, "The description must be at most 10000 bytes");
  }
  if (e.domain) {
    *e.domain = to_lower(strip_tags_and_trim(*e.domain));
    if (!e.domain->empty() && !valid_domain(*e.domain)) throw Error(ErrorKind::bad_request, "domain must be a host name");
  }
  for (auto* url : {&e.logo_url, &e.favicon_url, &e.background_url}) {
    if (*url && !valid_image_url(**url)) {
      throw Error(ErrorKind::bad_request, "Image URLs must be http(s) URLs or paths on this site");
    }
  }
  auto colour = [](std::optional<std::string>& c, const char* fallback, const char* name) {
    if (!c) return;
    *c = strip_tags_and_trim(*c);
    if (c->empty()) *c = fallback;
    if (!valid_colour(*c)) throw Error(ErrorKind::bad_request, std::string(name) + " must be a #RGB or #RRGGBB colour or a colour name");
  };
  colour(e.background_color, "#FFFFFF", "backgroundColor");
  colour(e.link_color, "#4082C3", "linkColor");
  if (e.background_position) {
    static const std::vector<std::string> allowed = {"cover", "tall", "wide", "left", "center", "right", "tiled"};
    *e.background_position = to_lower(*e.background_position);
    if (std::find(allowed.begin(), allowed.end(), *e.background_position) == allowed.end()) *e.background_position = "cover";
  }
  if (e.ga_web_property_id && !e.ga_web_property_id->empty() &&
      (e.ga_web_property_id->rfind("UA-", 0) != 0 || e.ga_web_property_id->size() > 15)) {
    throw Error(ErrorKind::bad_request, "gaWebPropertyId must start with UA- (at most 15 characters)");
  }
}

void apply_edit(pqxx::transaction_base& tx, SiteId site, const SiteEdit& e) {
  if (e.theme_id && db::exec(tx, kThemeExists, *e.theme_id).empty()) {
    throw Error(ErrorKind::bad_request, "themeId " + std::to_string(*e.theme_id) + " does not exist");
  }
  db::exec(tx, kUpdateSite, site, e.title, e.description, e.domain, e.theme_id, e.logo_url, e.favicon_url,
           e.background_url, e.background_color, e.background_position, e.link_color, e.ga_web_property_id,
           e.force_ssl, e.deleted);
}

}  // namespace

void SiteStore::register_statements(db::Statements& st) {
  st.add({kSelectSites, kSelectMenus, kFindSubdomain, kFindDomain, kCountLive, kPageLive, kCountOwned, kPageOwned,
          kSubdomainTaken, kInsertSite, kInsertOptions, kSetOwner, kThemeExists, kDomainTaken, kUpdateSite});
}

std::optional<Site> SiteStore::get(SiteId id) {
  auto found = get_many({id});
  if (found.empty()) return std::nullopt;
  return std::move(found.front());
}

std::vector<Site> SiteStore::get_many(const std::vector<SiteId>& ids) {
  const std::chrono::seconds ttl{config_.get()->cache.ttl_seconds};
  std::vector<std::string> keys;
  keys.reserve(ids.size());
  for (auto id : ids) keys.push_back(cache::item_key("site", id.value()));
  auto cached = cache_.get_many(keys);

  std::unordered_map<std::int64_t, Site> found;
  std::vector<SiteId> missing;
  for (std::size_t i = 0; i < ids.size(); ++i) {
    auto hit = cached.find(keys[i]);
    if (hit != cached.end()) {
      try {
        found.emplace(ids[i].value(), decode_site(hit->second));
        continue;
      } catch (const std::exception&) {
        cache_.remove(keys[i]);  // unreadable bytes: read the database copy instead
      }
    }
    missing.push_back(ids[i]);
  }
  if (!missing.empty()) {
    auto loaded = pool_.run([&](pqxx::connection& c) {
      std::unordered_map<std::int64_t, Site> rows;
      pqxx::nontransaction tx(c);
      const auto arr = int_array_literal(missing);
      for (const auto& row : db::exec(tx, kSelectSites, arr)) {
        auto s = site_from_row(row);
        rows.emplace(s.id.value(), std::move(s));
      }
      for (const auto& row : db::exec(tx, kSelectMenus, arr)) {
        auto it = rows.find(row["site_id"].as<std::int64_t>());
        if (it != rows.end()) it->second.menu.push_back(menu_link_from_row(row));
      }
      return rows;
    });
    for (auto& [id, s] : loaded) {
      cache_.set(cache::item_key("site", id), encode_site(s), ttl);
      found.emplace(id, std::move(s));
    }
  }

  std::vector<Site> out;
  out.reserve(ids.size());
  for (auto id : ids) {
    if (auto it = found.find(id.value()); it != found.end()) out.push_back(it->second);
  }
  return out;
}

std::optional<SiteId> SiteStore::find_by(std::string_view kind, std::string_view name, const db::Query& query) {
  const auto key = cache::name_key(kind, name);
  if (auto hit = cache_.get(key)) {
    auto id = std::stoll(*hit);
    if (id > 0) return SiteId{id};
    return std::nullopt;
  }
  auto id = db::value<SiteId>(db::read(pool_, query, std::string(name)));
  cache_.set(key, std::to_string(id ? id->value() : 0),
             id ? std::chrono::seconds{config_.get()->cache.ttl_seconds} : negative_ttl);
  return id;
}

std::optional<SiteId> SiteStore::find_by_subdomain(std::string_view key) {
  if (!valid_subdomain(key)) return std::nullopt;
  return find_by("sub", key, kFindSubdomain);
}

std::optional<SiteId> SiteStore::find_by_domain(std::string_view domain) {
  if (!valid_domain(domain)) return std::nullopt;
  return find_by("dom", domain, kFindDomain);
}

SiteStore::Page SiteStore::list_live(int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return Page{db::value<std::int64_t>(db::exec(tx, kCountLive)).value_or(0),
                db::column<SiteId>(db::exec(tx, kPageLive, limit, offset))};
  });
}

SiteStore::Page SiteStore::list_owned_by(UserId user, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return Page{db::value<std::int64_t>(db::exec(tx, kCountOwned, user)).value_or(0),
                db::column<SiteId>(db::exec(tx, kPageOwned, user, limit, offset))};
  });
}

SiteId SiteStore::create(const NewSite& site, UserId owner, const SiteEdit& appearance) {
  auto edit = appearance;
  validate_site_edit(edit);
  if (site.title.empty()) throw Error(ErrorKind::bad_request, "You must specify a site title");
  if (site.title.size() > 50) throw Error(ErrorKind::bad_request, "The site title must be at most 50 characters");
  if (!valid_subdomain(site.subdomain_key)) {
    throw Error(ErrorKind::bad_request, "subdomainKey must match ^[a-z0-9]{1,50}$");
  }
  const auto reserved = config_.get()->sites.reserved;
  if (!site.allow_reserved && std::find(reserved.begin(), reserved.end(), site.subdomain_key) != reserved.end()) {
    throw Error(ErrorKind::bad_request, "The subdomain '" + site.subdomain_key + "' is reserved");
  }
  if (!site.domain.empty() && !valid_domain(site.domain)) {
    throw Error(ErrorKind::bad_request, "domain must be a lower-case host name");
  }
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (!db::exec(tx, kSubdomainTaken, site.subdomain_key, site.domain).empty()) {
      throw Error(ErrorKind::bad_request, "The subdomain or domain is already in use");
    }
    const auto id =
        db::exec(tx, kInsertSite, site.title, site.description, site.subdomain_key, site.domain)[0]["site_id"]
            .as<SiteId>();
    db::exec(tx, kInsertOptions, id);
    apply_edit(tx, id, edit);
    // platform.md §1.5: the owner's profile, the root microcosm and the default roles commit
    // with the site or not at all.
    ProfileId owner_profile;
    if (owner.valid()) {
      owner_profile = ProfileStore::insert_in(tx, id, owner);
      db::exec(tx, kSetOwner, id, owner_profile);
    }
    auto root = MicrocosmStore::insert_root(tx, id, site.description, owner_profile);
    RoleStore::insert_defaults(tx, id, root, owner_profile);
    tx.commit();
    return id;
  });
  // Unknown-host answers may be cached for these names.
  cache_.remove(cache::name_key("sub", site.subdomain_key));
  if (!site.domain.empty()) cache_.remove(cache::name_key("dom", site.domain));
  return id;
}

void SiteStore::update(const Site& site, const SiteEdit& in) {
  auto edit = in;
  validate_site_edit(edit);
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (edit.domain && !edit.domain->empty() && !db::exec(tx, kDomainTaken, *edit.domain, site.id).empty()) {
      throw Error(ErrorKind::bad_request, "The domain is already in use");
    }
    apply_edit(tx, site.id, edit);
    tx.commit();
  });
  flush(site);
  if (edit.domain && !edit.domain->empty()) cache_.remove(cache::name_key("dom", *edit.domain));
}

void SiteStore::set_owner(SiteId site, ProfileId owner) {
  if (db::write(pool_, kSetOwner, site, owner).affected_rows() == 0) {
    throw Error(ErrorKind::not_found, "No such profile on site " + std::to_string(site.value()));
  }
  cache_.remove(cache::item_key("site", site.value()));
}

void SiteStore::flush(const Site& site) {
  cache_.remove(cache::item_key("site", site.id.value()));
  cache_.remove(cache::name_key("sub", site.subdomain_key));
  if (!site.domain.empty()) cache_.remove(cache::name_key("dom", site.domain));
}

}  // namespace agora::store
