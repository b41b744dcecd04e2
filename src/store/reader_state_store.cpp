#include "agora/store/reader_state_store.hpp"

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

// Every statement joins the profile to its site, so another site's profile id is nobody.

constexpr db::Query kInsertIgnore{"ignore_insert", R"sql(
  INSERT INTO ignores (site_id, profile_id, item_type_id, item_id)
  SELECT site_id, profile_id, $3, $4 FROM profiles WHERE site_id = $1 AND profile_id = $2
  ON CONFLICT DO NOTHING)sql"};

constexpr db::Query kDeleteIgnore{"ignore_delete", R"sql(
  DELETE FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4)sql"};

constexpr db::Query kIgnoreExists{"ignore_exists", R"sql(
  SELECT 1 FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4)sql"};

constexpr db::Query kIgnoredOfType{"ignore_ids_of_type", R"sql(
  SELECT item_id FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 ORDER BY item_id)sql"};

constexpr db::Query kCountIgnores{"ignore_count", R"sql(
  SELECT COUNT(*) FROM ignores WHERE site_id = $1 AND profile_id = $2)sql"};

constexpr db::Query kPageOfIgnores{"ignore_page", R"sql(
  SELECT item_type_id, item_id FROM ignores WHERE site_id = $1 AND profile_id = $2
  ORDER BY item_type_id, item_id LIMIT $3 OFFSET $4)sql"};

// Markers set by viewing are side records: the relaxed_commit FROM item (store/relaxed_commit.hpp)
// lets this one statement commit without waiting for the disk.
constexpr db::Query kUpsertRead{"read_upsert", R"sql(
  INSERT INTO read_markers (profile_id, item_type_id, item_id, read)
  SELECT profile_id, $3, $4, now() AT TIME ZONE 'UTC'
  FROM profiles, (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit
  WHERE site_id = $1 AND profile_id = $2
  ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = EXCLUDED.read)sql"};

constexpr db::Query kAdvanceRead{"read_advance", R"sql(
  INSERT INTO read_markers (profile_id, item_type_id, item_id, read)
  SELECT profile_id, $3, $4, to_timestamp($5::bigint / 1000000.0) AT TIME ZONE 'UTC'
  FROM profiles, (SELECT set_config('synchronous_commit', 'off', true)) AS relaxed_commit
  WHERE site_id = $1 AND profile_id = $2
  ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = GREATEST(read_markers.read, EXCLUDED.read))sql"};

constexpr db::Query kNewestRead{"read_newest", R"sql(
  SELECT COALESCE(MAX((EXTRACT(EPOCH FROM r.read) * 1000000)::bigint), 0) FROM read_markers r
  JOIN profiles p ON p.profile_id = r.profile_id AND p.site_id = $1
  WHERE r.profile_id = $2 AND (r.item_type_id, r.item_id) IN (SELECT * FROM unnest($3::smallint[], $4::bigint[])))sql"};

// The marker on the item or its microcosm ($5, $6), the ignored profiles ($7), and whether the
// item itself is ignored.
constexpr db::Query kItemView{"read_item_view", R"sql(
  SELECT (SELECT COALESCE(MAX((EXTRACT(EPOCH FROM r.read) * 1000000)::bigint), 0) FROM read_markers r
          JOIN profiles p ON p.profile_id = r.profile_id AND p.site_id = $1
          WHERE r.profile_id = $2
            AND ((r.item_type_id = $3 AND r.item_id = $4) OR (r.item_type_id = $5 AND r.item_id = $6))) AS last_read,
         ARRAY(SELECT item_id FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $7
               ORDER BY item_id)::text AS ignored_authors,
         EXISTS(SELECT 1 FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4)
           AS item_ignored,
         w.watcher_id IS NOT NULL AS watched, COALESCE(w.send_email, false) AS watch_email,
         COALESCE(w.send_sms, false) AS watch_sms
  FROM (SELECT 1) AS one
  LEFT JOIN watchers w ON w.site_id = $1 AND w.profile_id = $2 AND w.item_type_id = $3 AND w.item_id = $4)sql"};

constexpr db::Query kReadOfItems{"read_of_items", R"sql(
  SELECT r.item_id, (EXTRACT(EPOCH FROM r.read) * 1000000)::bigint AS read_micros FROM read_markers r
  JOIN profiles p ON p.profile_id = r.profile_id AND p.site_id = $1
  WHERE r.profile_id = $2 AND r.item_type_id = $3 AND r.item_id = ANY($4::bigint[]))sql"};

// A conversation is unread when it changed after both its own and its microcosm's marker.
constexpr db::Query kUnreadMicrocosms{"read_unread_microcosms", R"sql(
  SELECT s.id FROM unnest($3::bigint[]) AS s (id)
  WHERE EXISTS (
    SELECT 1 FROM conversations c
    JOIN microcosms m ON m.microcosm_id = c.microcosm_id AND m.path @> ARRAY[s.id] AND m.microcosm_id = ANY($4::bigint[])
    LEFT JOIN read_markers rc ON rc.profile_id = $2 AND rc.item_type_id = 6 AND rc.item_id = c.conversation_id
    LEFT JOIN read_markers rm ON rm.profile_id = $2 AND rm.item_type_id = 2 AND rm.item_id = c.microcosm_id
    WHERE c.site_id = $1 AND NOT c.is_deleted AND NOT c.is_moderated
      AND c.last_modified > GREATEST(COALESCE(rc.read, '-infinity'), COALESCE(rm.read, '-infinity'))))sql"};

// Item types 2, 6, 9, 16: microcosms, conversations, events, updates.
constexpr db::Query kClearSiteReads{"read_clear_site", R"sql(
  DELETE FROM read_markers r USING profiles p
  WHERE p.profile_id = r.profile_id AND p.site_id = $1 AND r.profile_id = $2 AND r.item_type_id IN (2, 6, 9, 16))sql"};

constexpr db::Query kReadSubtree{"read_microcosm_subtree", R"sql(
  INSERT INTO read_markers (profile_id, item_type_id, item_id, read)
  SELECT p.profile_id, 2, m.microcosm_id, now() AT TIME ZONE 'UTC' FROM microcosms m
  JOIN profiles p ON p.site_id = m.site_id
  WHERE m.site_id = $1 AND p.profile_id = $2 AND m.path @> ARRAY[$3::bigint]
  ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = EXCLUDED.read)sql"};

constexpr db::Query kClearSubtreeItems{"read_clear_subtree_items", R"sql(
  DELETE FROM read_markers r USING conversations c, microcosms m, profiles p
  WHERE r.profile_id = $2 AND p.profile_id = r.profile_id AND p.site_id = $1 AND r.item_type_id = 6
    AND c.conversation_id = r.item_id AND c.site_id = $1 AND m.microcosm_id = c.microcosm_id
    AND m.path @> ARRAY[$3::bigint])sql"};

constexpr db::Query kReadAllMicrocosms{"read_all_microcosms", R"sql(
  INSERT INTO read_markers (profile_id, item_type_id, item_id, read)
  SELECT p.profile_id, 2, m.microcosm_id, now() AT TIME ZONE 'UTC' FROM microcosms m
  JOIN profiles p ON p.site_id = m.site_id
  WHERE m.site_id = $1 AND p.profile_id = $2
  ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = EXCLUDED.read)sql"};

}  // namespace

void ReaderStateStore::register_statements(db::Statements& st) {
  st.add({kInsertIgnore, kDeleteIgnore, kIgnoreExists, kIgnoredOfType, kCountIgnores, kPageOfIgnores, kUpsertRead,
          kAdvanceRead, kNewestRead, kItemView, kReadOfItems, kUnreadMicrocosms, kClearSiteReads, kReadSubtree,
          kClearSubtreeItems, kReadAllMicrocosms});
}

void ReaderStateStore::add(SiteId site, ProfileId profile, ItemRef item) {
  db::write(pool_, kInsertIgnore, site, profile, item.type, item.id);
}

void ReaderStateStore::remove(SiteId site, ProfileId profile, ItemRef item) {
  db::write(pool_, kDeleteIgnore, site, profile, item.type, item.id);
}

bool ReaderStateStore::ignores(SiteId site, ProfileId profile, ItemRef item) {
  return !db::read(pool_, kIgnoreExists, site, profile, item.type, item.id).empty();
}

std::vector<std::int64_t> ReaderStateStore::ignored_of_type(SiteId site, ProfileId profile, ItemType type) {
  if (!profile.valid()) return {};
  return db::column<std::int64_t>(db::read(pool_, kIgnoredOfType, site, profile, type));
}

ReaderStateStore::Page ReaderStateStore::list(SiteId site, ProfileId profile, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    Page page;
    pqxx::nontransaction tx(c);
    page.total = db::exec(tx, kCountIgnores, site, profile)[0][0].as<std::int64_t>();
    page.items = db::map_rows(db::exec(tx, kPageOfIgnores, site, profile, limit, offset), [](const pqxx::row& r) {
      return ItemRef{r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>()};
    });
    return page;
  });
}

// One statement each, relaxed: set by viewing a page.
void ReaderStateStore::mark_read(SiteId site, ProfileId profile, ItemRef item) {
  db::read(pool_, kUpsertRead, site, profile, item.type, item.id);
}

void ReaderStateStore::mark_read_at(SiteId site, ProfileId profile, ItemRef item, std::int64_t micros) {
  db::read(pool_, kAdvanceRead, site, profile, item.type, item.id, micros);
}

std::int64_t ReaderStateStore::last_read(SiteId site, ProfileId profile, const std::vector<ItemRef>& items) {
  if (!profile.valid() || items.empty()) return 0;
  std::vector<std::int64_t> types, ids;
  for (const auto& i : items) {
    types.push_back(item_type_id(i.type));
    ids.push_back(i.id);
  }
  return db::read(pool_, kNewestRead, site, profile, int_array_literal(types), int_array_literal(ids))[0][0]
      .as<std::int64_t>();
}

ReaderStateStore::ItemView ReaderStateStore::item_view(SiteId site, ProfileId profile, ItemRef item,
                                                       MicrocosmId microcosm) {
  ItemView view;
  if (!profile.valid()) return view;
  const auto r = db::read(pool_, kItemView, site, profile, item.type, item.id, ItemType::microcosm, microcosm,
                          ItemType::profile)[0];
  view.last_read = r["last_read"].as<std::int64_t>();
  const auto list = r["ignored_authors"].as<std::string>();  // "{1,2,3}"
  for (auto id : parse_int_list(list.substr(1, list.size() - 2))) view.ignored_authors.push_back(ProfileId{id});
  view.item_ignored = r["item_ignored"].as<bool>();
  if (r["watched"].as<bool>()) view.watch = WatchFlags{r["watch_email"].as<bool>(), r["watch_sms"].as<bool>()};
  return view;
}

std::map<std::int64_t, std::int64_t> ReaderStateStore::read_times_of_type(SiteId site, ProfileId profile,
                                                                          ItemType type,
                                                                          const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::int64_t> out;
  if (!profile.valid() || ids.empty()) return out;
  for (const auto& r : db::read(pool_, kReadOfItems, site, profile, type, int_array_literal(ids))) {
    out[r["item_id"].as<std::int64_t>()] = r["read_micros"].as<std::int64_t>();
  }
  return out;
}

std::vector<MicrocosmId> ReaderStateStore::unread_microcosms(SiteId site, ProfileId profile,
                                                             const std::vector<MicrocosmId>& ids,
                                                             const std::vector<MicrocosmId>& allowed) {
  if (!profile.valid() || ids.empty()) return {};
  return db::column<MicrocosmId>(
      db::read(pool_, kUnreadMicrocosms, site, profile, int_array_literal(ids), int_array_literal(allowed)));
}

void ReaderStateStore::mark_microcosm_read(SiteId site, ProfileId profile, MicrocosmId microcosm) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    db::exec(tx, kClearSubtreeItems, site, profile, microcosm);
    db::exec(tx, kReadSubtree, site, profile, microcosm);
    tx.commit();
  });
}

void ReaderStateStore::mark_site_read(SiteId site, ProfileId profile) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    db::exec(tx, kClearSiteReads, site, profile);
    db::exec(tx, kReadAllMicrocosms, site, profile);
    tx.commit();
  });
}

}  // namespace agora::store
