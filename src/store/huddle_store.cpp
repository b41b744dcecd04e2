#include "agora/store/huddle_store.hpp"

#include <algorithm>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/sql_arrays.hpp"
#include "agora/store/watcher_store.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectMany{"huddle_select_many", R"sql(
  SELECT h.huddle_id, h.site_id, h.title, (EXTRACT(EPOCH FROM h.created) * 1000000)::bigint AS created_micros,
         h.created_by, h.is_confidential, (EXTRACT(EPOCH FROM h.last_modified) * 1000000)::bigint AS last_modified_micros,
         h.comment_count,
         COALESCE((SELECT array_to_string(array_agg(p.profile_id ORDER BY p.profile_id), ',')
                   FROM huddle_profiles p WHERE p.huddle_id = h.huddle_id), '') AS participants
  FROM huddles h WHERE h.site_id = $1 AND h.huddle_id = ANY($2::bigint[]))sql"};

constexpr db::Query kIsParticipant{"huddle_is_participant", R"sql(
  SELECT EXISTS (SELECT 1 FROM huddle_profiles WHERE site_id = $1 AND huddle_id = $2 AND profile_id = $3) AS yes)sql"};

constexpr db::Query kCountOf{"huddle_count_of", R"sql(
  SELECT COUNT(*) AS n FROM huddle_profiles p JOIN huddles h ON h.huddle_id = p.huddle_id
  WHERE p.site_id = $1 AND p.profile_id = $2 AND NOT (h.created_by = ANY($3::bigint[])))sql"};

constexpr db::Query kPageOf{"huddle_page_of", R"sql(
  SELECT h.huddle_id FROM huddle_profiles p JOIN huddles h ON h.huddle_id = p.huddle_id
  WHERE p.site_id = $1 AND p.profile_id = $2 AND NOT (h.created_by = ANY($3::bigint[]))
  ORDER BY h.last_modified DESC, h.huddle_id DESC LIMIT $4 OFFSET $5)sql"};

constexpr db::Query kFindDuplicate{"huddle_duplicate", R"sql(
  SELECT huddle_id FROM huddles
  WHERE site_id = $1 AND created_by = $2 AND title = $3
    AND created > (now() AT TIME ZONE 'UTC') - interval '5 minutes'
  ORDER BY huddle_id DESC LIMIT 1)sql"};

constexpr db::Query kInsert{"huddle_insert", R"sql(
  INSERT INTO huddles (site_id, title, created_by, is_confidential, created, last_modified)
  VALUES ($1, $2, $3, $4, (now() AT TIME ZONE 'UTC'), (now() AT TIME ZONE 'UTC'))
  RETURNING huddle_id)sql"};

// Only profiles of the huddle's site join; existing participants are left as they are.
constexpr db::Query kAddParticipants{"huddle_add_participants", R"sql(
  INSERT INTO huddle_profiles (site_id, huddle_id, profile_id)
  SELECT $1, $2, pr.profile_id FROM profiles pr
  WHERE pr.site_id = $1 AND pr.profile_id = ANY($3::bigint[])
    AND EXISTS (SELECT 1 FROM huddles h WHERE h.huddle_id = $2 AND h.site_id = $1)
  ON CONFLICT DO NOTHING)sql"};

constexpr db::Query kRemoveParticipant{"huddle_remove_participant", R"sql(
  DELETE FROM huddle_profiles WHERE site_id = $1 AND huddle_id = $2 AND profile_id = $3)sql"};

// A huddle is unread (content-conversations-comments.md §6.4) when it changed after the
// newest of the profile's markers on it and on all huddles (0), or has no marker at all.
constexpr db::Query kUnreadOf{"huddle_unread_of", R"sql(
  SELECT h.huddle_id FROM huddles h
  WHERE h.site_id = $1 AND h.huddle_id = ANY($3::bigint[])
    AND h.last_modified > COALESCE((SELECT MAX(r.read) FROM read_markers r
                                    WHERE r.profile_id = $2 AND r.item_type_id = 5 AND r.item_id IN (h.huddle_id, 0)),
                                   '-infinity'::timestamp))sql"};

// The profile's huddles holding a visible comment newer than its markers, by an author it
// does not ignore, in a creator it does not ignore; newest such comment first (§H.5). The
// total is the profile's unreadHuddles (§H.10).
constexpr db::Query kUnreadPage{"huddle_unread_page", R"sql(
  SELECT u.huddle_id, COUNT(*) OVER () AS total FROM (
    SELECT h.huddle_id, MAX(c.created) AS newest
    FROM huddle_profiles p JOIN huddles h ON h.huddle_id = p.huddle_id
    JOIN comments c ON c.site_id = h.site_id AND c.item_type_id = 5 AND c.item_id = h.huddle_id
                   AND NOT c.is_deleted AND NOT c.is_moderated
    WHERE p.site_id = $1 AND p.profile_id = $2
      AND NOT EXISTS (SELECT 1 FROM ignores i WHERE i.profile_id = $2 AND i.item_type_id = 3
                        AND i.item_id IN (c.profile_id, h.created_by))
      AND c.created > COALESCE((SELECT MAX(r.read) FROM read_markers r
                                WHERE r.profile_id = $2 AND r.item_type_id = 5 AND r.item_id IN (h.huddle_id, 0)),
                               '-infinity'::timestamp)
    GROUP BY h.huddle_id) u
  ORDER BY u.newest DESC, u.huddle_id DESC LIMIT $3 OFFSET $4)sql"};

Huddle huddle_from_row(const pqxx::row& r) {
  Huddle h;
  h.id = r["huddle_id"].as<HuddleId>();
  h.site_id = r["site_id"].as<SiteId>();
  h.title = r["title"].as<std::string>();
  h.created_micros = r["created_micros"].as<std::int64_t>();
  h.created_by = r["created_by"].as<ProfileId>();
  h.confidential = r["is_confidential"].as<bool>();
  h.last_modified_micros = r["last_modified_micros"].as<std::int64_t>();
  h.comment_count = r["comment_count"].as<std::int64_t>();
  for (auto id : parse_int_list(r["participants"].as<std::string>())) h.participants.push_back(ProfileId{id});
  return h;
}

std::string key(HuddleId id) { return cache::item_key("huddle", id.value()); }

/// Each profile once, in id order.
std::vector<ProfileId> ascending(std::vector<ProfileId> ids) {
  std::sort(ids.begin(), ids.end());
  ids.erase(std::unique(ids.begin(), ids.end()), ids.end());
  return ids;
}

}  // namespace

void HuddleStore::register_statements(db::Statements& st) {
  st.add({kSelectMany, kIsParticipant, kCountOf, kPageOf, kFindDuplicate, kInsert, kAddParticipants,
          kRemoveParticipant, kUnreadOf, kUnreadPage});
}

std::optional<Huddle> HuddleStore::get(SiteId site, HuddleId id) {
  if (!id.valid()) return std::nullopt;
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Huddle> HuddleStore::get_many(SiteId site, const std::vector<HuddleId>& ids) {
  static const ItemCodec<Huddle, HuddleId> codec{&key, &encode_huddle, &decode_huddle,
                                                 [](const Huddle& h) { return h.id; },
                                                 [](const Huddle& h) { return h.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<HuddleId>& missing) {
                        return db::map_rows(db::read(pool_, kSelectMany, site, int_array_literal(missing)),
                                            huddle_from_row);
                      });
}

bool HuddleStore::is_participant(SiteId site, HuddleId id, ProfileId profile) {
  if (!id.valid() || !profile.valid()) return false;
  return db::read(pool_, kIsParticipant, site, id, profile)[0]["yes"].as<bool>();
}

std::int64_t HuddleStore::count_of(SiteId site, ProfileId profile, const std::vector<ProfileId>& ignored) {
  if (!profile.valid()) return 0;
  return db::read(pool_, kCountOf, site, profile, int_array_literal(ignored))[0]["n"].as<std::int64_t>();
}

std::vector<HuddleId> HuddleStore::page_of(SiteId site, ProfileId profile, const std::vector<ProfileId>& ignored,
                                           int limit, int offset) {
  if (!profile.valid() || limit <= 0) return {};
  return db::column<HuddleId>(db::read(pool_, kPageOf, site, profile, int_array_literal(ignored), limit, offset));
}

HuddleStore::Created HuddleStore::create(SiteId site, const std::string& title, bool confidential, ProfileId by,
                                         const std::vector<ProfileId>& participants) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto dup = db::exec(tx, kFindDuplicate, site, by, title);
    if (!dup.empty()) return Created{dup[0]["huddle_id"].as<HuddleId>(), true};
    const auto id = db::exec(tx, kInsert, site, title, by, confidential)[0]["huddle_id"].as<HuddleId>();
    auto everyone = participants;
    everyone.push_back(by);
    db::exec(tx, kAddParticipants, site, id, int_array_literal(everyone));
    // §2.3 and §H.6 Decision: every initial participant, the creator too, watches the huddle
    // (in id order, as every writer of preference rows does, so two of them never deadlock).
    for (auto p : ascending(everyone)) WatcherStore::watch(tx, site, p, id, UpdateType::new_comment_in_huddle);
    tx.commit();
    return Created{id, false};
  });
}

int HuddleStore::add_participants(SiteId site, HuddleId id, const std::vector<ProfileId>& profiles) {
  const auto added = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto r = db::exec(tx, kAddParticipants, site, id, int_array_literal(profiles));
    for (auto p : ascending(profiles)) WatcherStore::watch(tx, site, p, id, UpdateType::new_comment_in_huddle);
    tx.commit();
    return static_cast<int>(r.affected_rows());
  });
  flush(id);
  return added;
}

bool HuddleStore::remove_participant(SiteId site, HuddleId id, ProfileId profile) {
  const auto removed = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto r = db::exec(tx, kRemoveParticipant, site, id, profile);
    WatcherStore::unwatch(tx, site, profile, id);  // nothing more of a huddle one has left
    tx.commit();
    return r.affected_rows() > 0;
  });
  flush(id);
  return removed;
}

void HuddleStore::flush(HuddleId id) { cache_.remove(key(id)); }

std::set<HuddleId> HuddleStore::unread_of(SiteId site, ProfileId profile, const std::vector<HuddleId>& ids) {
  if (!profile.valid() || ids.empty()) return {};
  const auto rows = db::column<HuddleId>(db::read(pool_, kUnreadOf, site, profile, int_array_literal(ids)));
  return {rows.begin(), rows.end()};
}

HuddleStore::UnreadPage HuddleStore::unread_page(SiteId site, ProfileId profile, int limit, int offset) {
  UnreadPage page;
  if (!profile.valid()) return page;
  for (const auto& r : db::read(pool_, kUnreadPage, site, profile, limit, offset)) {
    page.ids.push_back(r["huddle_id"].as<HuddleId>());
    page.total = r["total"].as<std::int64_t>();
  }
  // An offset past the end shows no row and so no total: count them all.
  if (page.ids.empty() && offset > 0) page.total = unread_page(site, profile, 1, 0).total;
  return page;
}

std::int64_t HuddleStore::unread_count(SiteId site, ProfileId profile) { return unread_page(site, profile, 1, 0).total; }

}  // namespace agora::store
