#include "agora/store/profile_store.hpp"

#include <map>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/record.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectProfile{"profile_select", R"sql(
  SELECT profile_id, site_id, user_id, profile_name, is_visible, style_id, item_count, comment_count, avatar_url,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         (EXTRACT(EPOCH FROM last_active) * 1000000)::bigint AS last_active_micros
  FROM profiles WHERE site_id = $1 AND profile_id = $2)sql"};

constexpr db::Query kSelectProfiles{"profile_select_many", R"sql(
  SELECT profile_id, site_id, user_id, profile_name, is_visible, style_id, item_count, comment_count, avatar_url,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         (EXTRACT(EPOCH FROM last_active) * 1000000)::bigint AS last_active_micros
  FROM profiles WHERE site_id = $1 AND profile_id = ANY($2::bigint[]))sql"};

constexpr db::Query kSelectForUser{"profile_for_user", R"sql(
  SELECT profile_id FROM profiles WHERE site_id = $1 AND user_id = $2)sql"};

constexpr db::Query kSelectByName{"profile_by_name", R"sql(
  SELECT profile_id FROM profiles WHERE site_id = $1 AND lower(profile_name) = lower($2)
  ORDER BY profile_id LIMIT 1)sql"};

constexpr db::Query kNameTaken{"profile_name_taken", R"sql(
  SELECT 1 FROM profiles WHERE site_id = $1 AND lower(profile_name) = lower($2) AND profile_id <> $3)sql"};

constexpr db::Query kUpdateProfile{"profile_update", R"sql(
  UPDATE profiles SET profile_name = $3, is_visible = $4, style_id = $5 WHERE site_id = $1 AND profile_id = $2)sql"};

constexpr db::Query kTouchProfile{"profile_touch", R"sql(
  UPDATE profiles SET last_active = (now() AT TIME ZONE 'UTC') WHERE site_id = $1 AND profile_id = $2)sql"};

// Options are reached through the profile, so the site scopes them too.
constexpr db::Query kSelectOptions{"profile_options_select", R"sql(
  SELECT o.show_dob, o.show_dob_year, o.send_email, o.send_sms, o.is_discouraged FROM profile_options o
  JOIN profiles p ON p.profile_id = o.profile_id WHERE p.site_id = $1 AND o.profile_id = $2)sql"};

constexpr db::Query kUpdateOptions{"profile_options_update", R"sql(
  UPDATE profile_options o SET show_dob = $3, show_dob_year = $4, send_email = $5, send_sms = $6,
    is_discouraged = $7
  FROM profiles p WHERE p.profile_id = o.profile_id AND p.site_id = $1 AND o.profile_id = $2)sql"};

// $2: LIKE prefix ('%' for all), $3: online only, $4: the viewer, whose ignored profiles are left out.
constexpr db::Query kCountList{"profile_list_count", R"sql(
  SELECT COUNT(*) FROM profiles
  WHERE site_id = $1 AND profile_name ILIKE $2 AND lower(profile_name) <> 'deleted'
    AND (NOT $3 OR last_active > (now() AT TIME ZONE 'UTC') - interval '90 minutes')
    AND NOT EXISTS (SELECT 1 FROM ignores i WHERE i.site_id = $1 AND i.item_type_id = 3
                    AND i.item_id = profiles.profile_id AND i.profile_id = $4)
    AND (NOT $5 OR EXISTS (SELECT 1 FROM watchers w WHERE w.site_id = $1 AND w.profile_id = $4
                           AND w.item_type_id = 3 AND w.item_id = profiles.profile_id)))sql"};

// The same profiles as the count: $2: LIKE prefix, $3: online only, $4: order by comment count,
// $5: the raw query for exact-match-first ordering, $8: the viewer, $9: followed by the viewer only.
constexpr db::Query kPageList{"profile_list_page", R"sql(
  SELECT profile_id FROM profiles
  WHERE site_id = $1 AND profile_name ILIKE $2 AND lower(profile_name) <> 'deleted'
    AND (NOT $3 OR last_active > (now() AT TIME ZONE 'UTC') - interval '90 minutes')
    AND NOT EXISTS (SELECT 1 FROM ignores i WHERE i.site_id = $1 AND i.item_type_id = 3
                    AND i.item_id = profiles.profile_id AND i.profile_id = $8)
    AND (NOT $9 OR EXISTS (SELECT 1 FROM watchers w WHERE w.site_id = $1 AND w.profile_id = $8
                           AND w.item_type_id = 3 AND w.item_id = profiles.profile_id))
  ORDER BY (lower(profile_name) = lower($5)) DESC,
    CASE WHEN $4 THEN comment_count END DESC NULLS LAST, lower(profile_name), profile_id
  LIMIT $6 OFFSET $7)sql"};

constexpr db::Query kIdsAfter{"profile_ids_after", R"sql(
  SELECT profile_id FROM profiles WHERE site_id = $1 AND profile_id > $2 ORDER BY profile_id LIMIT $3)sql"};

constexpr db::Query kInsertProfile{"profile_insert", R"sql(
  INSERT INTO profiles (site_id, user_id, profile_name) VALUES ($1, $2, $3)
  ON CONFLICT DO NOTHING RETURNING profile_id)sql"};

constexpr db::Query kInsertOptions{"profile_options_insert", R"sql(
  INSERT INTO profile_options (profile_id, send_email, send_sms)
  SELECT $1, COALESCE(o.send_email, true), COALESCE(o.send_sms, false)
  FROM (SELECT 1) one LEFT JOIN site_options o ON o.site_id = $2)sql"};

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

Profile profile_from_row(const pqxx::row& r) {
  Profile p;
  p.id = r["profile_id"].as<ProfileId>();
  p.site_id = r["site_id"].as<SiteId>();
  p.user_id = r["user_id"].as<UserId>();
  p.name = r["profile_name"].as<std::string>();
  p.visible = r["is_visible"].as<bool>();
  p.style_id = r["style_id"].as<std::int64_t>();
  p.item_count = r["item_count"].as<std::int64_t>();
  p.comment_count = r["comment_count"].as<std::int64_t>();
  p.avatar_url = r["avatar_url"].as<std::string>();
  p.created_micros = r["created_micros"].as<std::int64_t>();
  p.last_active_micros = r["last_active_micros"].as<std::int64_t>();
  return p;
}

ProfileOptions options_from_row(const pqxx::row& r) {
  return {r["show_dob"].as<bool>(), r["show_dob_year"].as<bool>(), r["send_email"].as<bool>(),
          r["send_sms"].as<bool>(), r["is_discouraged"].as<bool>()};
}

std::string user_key(SiteId site, UserId user) {
  return cache::name_key("su", std::to_string(site.value()) + ":" + std::to_string(user.value()));
}

constexpr db::Query kAddItems{"profile_add_items", R"sql(
  UPDATE profiles SET item_count = GREATEST(item_count + $3, 0) WHERE site_id = $1 AND profile_id = $2)sql"};

}  // namespace

void ProfileStore::register_statements(db::Statements& st) {
  st.add({kSelectProfile, kSelectProfiles, kSelectForUser, kSelectByName, kNameTaken, kUpdateProfile, kTouchProfile,
          kSelectOptions, kUpdateOptions, kCountList, kPageList, kIdsAfter, kInsertProfile, kInsertOptions, kAddItems});
}

void ProfileStore::add_items(pqxx::transaction_base& tx, SiteId site, ProfileId author, int delta) {
  db::exec(tx, kAddItems, site, author, delta);
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
  auto found = db::first_row(db::read(pool_, kSelectProfile, site, id), profile_from_row);
  if (found) cache_.set(key, encode(*found), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return found;
}

std::optional<ProfileId> ProfileStore::find_for_user(SiteId site, UserId user) {
  const auto key = user_key(site, user);
  if (auto hit = cache_.get(key)) return ProfileId{std::stoll(*hit)};
  auto id = db::value<ProfileId>(db::read(pool_, kSelectForUser, site, user));
  if (id) cache_.set(key, std::to_string(id->value()), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return id;
}

std::optional<ProfileId> ProfileStore::find_by_name(SiteId site, std::string_view name) {
  if (name.empty() || name.size() > 100) return std::nullopt;
  return db::value<ProfileId>(db::read(pool_, kSelectByName, site, std::string(name)));
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
                        return db::map_rows(db::read(pool_, kSelectProfiles, site, int_array_literal(missing)),
                                            profile_from_row);
                      });
}

void ProfileStore::update(SiteId site, ProfileId id, const std::string& name, bool visible, std::int64_t style_id) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    if (!db::exec(tx, kNameTaken, site, name, id).empty()) {
      throw Error(ErrorKind::bad_request, "Profile name is already taken");
    }
    db::exec(tx, kUpdateProfile, site, id, name, visible, style_id);
    tx.commit();
  });
  cache_.remove(cache::item_key("prof", id.value()));
}

void ProfileStore::flush(ProfileId id) { cache_.remove(cache::item_key("prof", id.value())); }

void ProfileStore::touch(SiteId site, ProfileId id) {
  db::write(pool_, kTouchProfile, site, id);
  cache_.remove(cache::item_key("prof", id.value()));
}

std::optional<ProfileOptions> ProfileStore::options(SiteId site, ProfileId id) {
  return db::first_row(db::read(pool_, kSelectOptions, site, id), options_from_row);
}

void ProfileStore::set_options(SiteId site, ProfileId id, const ProfileOptions& o) {
  db::write(pool_, kUpdateOptions, site, id, o.show_dob, o.show_dob_year, o.send_email, o.send_sms,
            o.is_discouraged);
}

ProfileStore::Page ProfileStore::list(SiteId site, const ListQuery& q) {
  const auto pattern = like_prefix(q.prefix);
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return Page{
        db::value<std::int64_t>(db::exec(tx, kCountList, site, pattern, q.online, q.viewer, q.following)).value_or(0),
        db::column<ProfileId>(db::exec(tx, kPageList, site, pattern, q.online, q.top, q.prefix, q.limit, q.offset,
                                       q.viewer, q.following))};
  });
}

ProfileId ProfileStore::insert_in(pqxx::transaction_base& tx, SiteId site, UserId user) {
  const std::string base = "user" + std::to_string(user.value() + suggested_name_offset);
  // The suggested name may already be taken by someone who chose it: add a suffix.
  for (int attempt = 0; attempt < 20; ++attempt) {
    const auto name = attempt == 0 ? base : base + "_" + std::to_string(attempt);
    if (auto id = db::value<ProfileId>(db::exec(tx, kInsertProfile, site, user, name))) {
      db::exec(tx, kInsertOptions, *id, site);
      return *id;
    }
    // No row: either the user got a profile concurrently, or the name is taken.
    if (auto existing = db::value<ProfileId>(db::exec(tx, kSelectForUser, site, user))) return *existing;
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
  return db::column<ProfileId>(db::read(pool_, kIdsAfter, site, after, limit));
}

}  // namespace agora::store
