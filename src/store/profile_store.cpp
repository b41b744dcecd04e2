#include "agora/store/profile_store.hpp"

#include <map>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/record.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr const char* select_profile = "profile_select";
constexpr const char* select_profiles = "profile_select_many";
constexpr const char* select_by_name = "profile_by_name";
constexpr const char* select_for_user = "profile_for_user";
constexpr const char* insert_profile = "profile_insert";
constexpr const char* insert_options = "profile_options_insert";
constexpr const char* update_profile = "profile_update";
constexpr const char* select_options = "profile_options_select";
constexpr const char* touch_profile = "profile_touch";
constexpr const char* update_options = "profile_options_update";
constexpr const char* name_taken = "profile_name_taken";
constexpr const char* count_list = "profile_list_count";
constexpr const char* page_list = "profile_list_page";
constexpr const char* ids_after_sql = "profile_ids_after";

/// LIKE pattern for a literal prefix: %, _ and \ escaped (identity.md §6.3 Decision).
std::string like_prefix(const std::string& prefix) {
  std::string out;
  for (char c : prefix) {
    if (c == '%' || c == '_' || c == '\\') out += '\\';
    out += c;
  }
  return out + "%";
}

// identity.md §4: suggested names are `user{userId + 5830}`.
constexpr std::int64_t suggested_name_offset = 5830;

std::string encode(const Profile& p) {
  RecordWriter w('P', 64 + p.name.size() + p.avatar_url.size());
  w.add(p.id.value()).add(p.site_id.value()).add(p.user_id.value()).add(p.name).add(p.visible).add(p.style_id);
  w.add(p.item_count).add(p.comment_count).add(p.avatar_url).add(p.created_micros).add(p.last_active_micros);
  return w.take();
}

Profile decode(const std::string& bytes) {
  RecordReader r(bytes, 'P');
  Profile p;
  p.id = ProfileId{r.integer()};
  p.site_id = SiteId{r.integer()};
  p.user_id = UserId{r.integer()};
  p.name = r.text();
  p.visible = r.boolean();
  p.style_id = r.integer();
  p.item_count = r.integer();
  p.comment_count = r.integer();
  p.avatar_url = r.text();
  p.created_micros = r.integer();
  p.last_active_micros = r.integer();
  r.finish();
  return p;
}

Profile from_row(const pqxx::row& row) {
  return Profile{ProfileId{row[0].as<std::int64_t>()}, SiteId{row[1].as<std::int64_t>()},
                 UserId{row[2].as<std::int64_t>()},     row[3].as<std::string>(),
                 row[4].as<bool>(),                     row[5].as<std::int64_t>(),
                 row[6].as<std::int64_t>(),             row[7].as<std::int64_t>(),
                 row[8].as<std::string>(),              row[9].as<std::int64_t>(),
                 row[10].as<std::int64_t>()};
}

std::string user_key(SiteId site, UserId user) {
  return cache::name_key("su", std::to_string(site.value()) + ":" + std::to_string(user.value()));
}

}  // namespace

void ProfileStore::register_statements(db::Statements& st) {
  st.add(select_profile,
         "SELECT profile_id, site_id, user_id, profile_name, is_visible, style_id, item_count, comment_count,"
         " avatar_url, (EXTRACT(EPOCH FROM created) * 1000000)::bigint,"
         " (EXTRACT(EPOCH FROM last_active) * 1000000)::bigint"
         " FROM profiles WHERE site_id = $1 AND profile_id = $2");
  st.add(select_profiles,
         "SELECT profile_id, site_id, user_id, profile_name, is_visible, style_id, item_count, comment_count,"
         " avatar_url, (EXTRACT(EPOCH FROM created) * 1000000)::bigint,"
         " (EXTRACT(EPOCH FROM last_active) * 1000000)::bigint"
         " FROM profiles WHERE site_id = $1 AND profile_id = ANY($2::bigint[])");
  st.add(select_by_name,
         "SELECT profile_id FROM profiles WHERE site_id = $1 AND lower(profile_name) = lower($2)"
         " ORDER BY profile_id LIMIT 1");
  st.add(select_for_user, "SELECT profile_id FROM profiles WHERE site_id = $1 AND user_id = $2");
  st.add(touch_profile,
         "UPDATE profiles SET last_active = (now() AT TIME ZONE 'UTC') WHERE site_id = $1 AND profile_id = $2");
  // Options are reached through the profile, so the site scopes them too.
  st.add(select_options,
         "SELECT o.show_dob, o.show_dob_year, o.send_email, o.send_sms, o.is_discouraged FROM profile_options o"
         " JOIN profiles p ON p.profile_id = o.profile_id WHERE p.site_id = $1 AND o.profile_id = $2");
  st.add(update_options,
         "UPDATE profile_options o SET show_dob = $3, show_dob_year = $4, send_email = $5, send_sms = $6,"
         " is_discouraged = $7 FROM profiles p WHERE p.profile_id = o.profile_id AND p.site_id = $1"
         " AND o.profile_id = $2");
  st.add(update_profile,
         "UPDATE profiles SET profile_name = $3, is_visible = $4, style_id = $5 WHERE site_id = $1 AND profile_id = $2");
  st.add(name_taken,
         "SELECT 1 FROM profiles WHERE site_id = $1 AND lower(profile_name) = lower($2) AND profile_id <> $3");
  // $2: LIKE prefix ('%' for all), $3: online only, $4: order by comment count, $5: the raw
  // query for exact-match-first ordering.
  // `viewer` is the parameter holding the viewer's profile id (their ignores are left out).
  auto where = [](const char* viewer) {
    return std::string(
               " FROM profiles WHERE site_id = $1 AND profile_name ILIKE $2 AND lower(profile_name) <> 'deleted'"
               " AND (NOT $3 OR last_active > (now() AT TIME ZONE 'UTC') - interval '90 minutes')"
               " AND NOT EXISTS (SELECT 1 FROM ignores i WHERE i.site_id = $1 AND i.item_type_id = 3"
               " AND i.item_id = profiles.profile_id AND i.profile_id = ") +
           viewer + ")";
  };
  st.add(count_list, "SELECT COUNT(*)" + where("$4"));
  st.add(page_list, "SELECT profile_id" + where("$8") +
                        " ORDER BY (lower(profile_name) = lower($5)) DESC,"
                        " CASE WHEN $4 THEN comment_count END DESC NULLS LAST, lower(profile_name), profile_id"
                        " LIMIT $6 OFFSET $7");
  st.add(ids_after_sql,
         "SELECT profile_id FROM profiles WHERE site_id = $1 AND profile_id > $2 ORDER BY profile_id LIMIT $3");
  st.add(insert_profile,
         "INSERT INTO profiles (site_id, user_id, profile_name) VALUES ($1, $2, $3)"
         " ON CONFLICT DO NOTHING RETURNING profile_id");
  st.add(insert_options,
         "INSERT INTO profile_options (profile_id, send_email, send_sms)"
         " SELECT $1, COALESCE(o.send_email, true), COALESCE(o.send_sms, false)"
         " FROM (SELECT 1) one LEFT JOIN site_options o ON o.site_id = $2");
}

std::optional<Profile> ProfileStore::get(SiteId site, ProfileId id) {
  const auto key = cache::item_key("prof", id.value());
  if (auto hit = cache_.get(key)) {
    try {
      auto p = decode(*hit);
      if (p.site_id != site) return std::nullopt;  // another site's profile does not exist here
      return p;
    } catch (const std::exception&) {
      cache_.remove(key);
    }
  }
  auto found = pool_.run([&](pqxx::connection& c) -> std::optional<Profile> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_profile, site.value(), id.value());
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
  });
  if (found) cache_.set(key, encode(*found), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return found;
}

std::optional<ProfileId> ProfileStore::find_for_user(SiteId site, UserId user) {
  const auto key = user_key(site, user);
  if (auto hit = cache_.get(key)) return ProfileId{std::stoll(*hit)};
  auto id = pool_.run([&](pqxx::connection& c) -> std::int64_t {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_for_user, site.value(), user.value());
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
  if (id == 0) return std::nullopt;
  cache_.set(key, std::to_string(id), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return ProfileId{id};
}

std::optional<ProfileId> ProfileStore::find_by_name(SiteId site, std::string_view name) {
  if (name.empty() || name.size() > 100) return std::nullopt;
  return pool_.run([&](pqxx::connection& c) -> std::optional<ProfileId> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_by_name, site.value(), std::string(name));
    if (r.empty()) return std::nullopt;
    return ProfileId{r[0][0].as<std::int64_t>()};
  });
}

std::vector<Profile> ProfileStore::get_many(SiteId site, const std::vector<ProfileId>& ids) {
  static const ItemCodec<Profile, ProfileId> codec{
      [](ProfileId id) { return cache::item_key("prof", id.value()); }, &encode, &decode,
      [](const Profile& p) { return p.id; }, [](const Profile& p) { return p.site_id; }};
  // Id 0 (nobody: a never-edited item's editor) is never looked up.
  std::vector<ProfileId> wanted;
  for (auto id : ids) {
    if (id.valid()) wanted.push_back(id);
  }
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, wanted, codec,
                      [&](const std::vector<ProfileId>& missing) {
                        std::vector<std::int64_t> raw;
                        for (auto id : missing) raw.push_back(id.value());
                        return pool_.run([&](pqxx::connection& c) {
                          pqxx::nontransaction tx(c);
                          std::vector<Profile> out;
                          for (const auto& row : tx.exec_prepared(select_profiles, site.value(), int_array_literal(raw))) {
                            out.push_back(from_row(row));
                          }
                          return out;
                        });
                      });
}

void ProfileStore::update(SiteId site, ProfileId id, const std::string& name, bool visible, std::int64_t style_id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (!tx.exec_prepared(name_taken, site.value(), name, id.value()).empty()) {
      throw Error(ErrorKind::bad_request, "Profile name is already taken");
    }
    tx.exec_prepared(update_profile, site.value(), id.value(), name, visible, style_id);
    tx.commit();
  });
  cache_.remove(cache::item_key("prof", id.value()));
}

void ProfileStore::flush(ProfileId id) { cache_.remove(cache::item_key("prof", id.value())); }

void ProfileStore::touch(SiteId site, ProfileId id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(touch_profile, site.value(), id.value());
    tx.commit();
  });
  cache_.remove(cache::item_key("prof", id.value()));
}

std::optional<ProfileOptions> ProfileStore::options(SiteId site, ProfileId id) {
  return pool_.run([&](pqxx::connection& c) -> std::optional<ProfileOptions> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_options, site.value(), id.value());
    if (r.empty()) return std::nullopt;
    return ProfileOptions{r[0][0].as<bool>(), r[0][1].as<bool>(), r[0][2].as<bool>(), r[0][3].as<bool>(),
                          r[0][4].as<bool>()};
  });
}

void ProfileStore::set_options(SiteId site, ProfileId id, const ProfileOptions& o) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(update_options, site.value(), id.value(), o.show_dob, o.show_dob_year, o.send_email, o.send_sms,
                     o.is_discouraged);
    tx.commit();
  });
}

ProfileStore::Page ProfileStore::list(SiteId site, const ListQuery& q) {
  const auto pattern = like_prefix(q.prefix);
  return pool_.run([&](pqxx::connection& c) {
    Page page;
    pqxx::nontransaction tx(c);
    page.total = tx.exec_prepared(count_list, site.value(), pattern, q.online, q.viewer.value())[0][0]
                     .as<std::int64_t>();
    for (const auto& row : tx.exec_prepared(page_list, site.value(), pattern, q.online, q.top, q.prefix, q.limit,
                                            q.offset, q.viewer.value())) {
      page.ids.emplace_back(row[0].as<std::int64_t>());
    }
    return page;
  });
}

ProfileId ProfileStore::insert_in(pqxx::transaction_base& tx, SiteId site, UserId user) {
  const std::string base = "user" + std::to_string(user.value() + suggested_name_offset);
  // The suggested name may already be taken by someone who chose it: add a suffix.
  for (int attempt = 0; attempt < 20; ++attempt) {
    const auto name = attempt == 0 ? base : base + "_" + std::to_string(attempt);
    auto r = tx.exec_prepared(insert_profile, site.value(), user.value(), name);
    if (!r.empty()) {
      const auto id = r[0][0].as<std::int64_t>();
      tx.exec_prepared(insert_options, id, site.value());
      return ProfileId{id};
    }
    // No row: either the user got a profile concurrently, or the name is taken.
    auto existing = tx.exec_prepared(select_for_user, site.value(), user.value());
    if (!existing.empty()) return ProfileId{existing[0][0].as<std::int64_t>()};
  }
  throw Error(ErrorKind::internal, "could not find a free profile name for user " + std::to_string(user.value()));
}

Profile ProfileStore::get_or_create(SiteId site, UserId user) {
  if (auto id = find_for_user(site, user)) {
    if (auto p = get(site, *id)) return *p;
  }
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto id = insert_in(tx, site, user);
    tx.commit();
    return id;
  });
  auto p = get(site, id);
  if (!p) throw Error(ErrorKind::internal, "could not create a profile for user " + std::to_string(user.value()));
  return *p;
}

std::vector<ProfileId> ProfileStore::ids_after(SiteId site, ProfileId after, int limit) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<ProfileId> ids;
    for (const auto& row : tx.exec_prepared(ids_after_sql, site.value(), after.value(), limit)) {
      ids.emplace_back(row[0].as<std::int64_t>());
    }
    return ids;
  });
}

}  // namespace agora::store
