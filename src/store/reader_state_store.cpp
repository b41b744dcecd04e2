#include "agora/store/reader_state_store.hpp"

#include <pqxx/pqxx>

#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/sql_arrays.hpp"
#include "agora/store/relaxed_commit.hpp"

namespace agora::store {
namespace {

constexpr const char* insert_ignore = "ignore_insert";
constexpr const char* delete_ignore = "ignore_delete";
constexpr const char* exists_ignore = "ignore_exists";
constexpr const char* count_ignores = "ignore_count";
constexpr const char* ids_of_type = "ignore_ids_of_type";
constexpr const char* page_ignores = "ignore_page";
constexpr const char* upsert_read = "read_upsert";
constexpr const char* advance_read = "read_advance";
constexpr const char* newest_read = "read_newest";
constexpr const char* item_view_of = "read_item_view";
constexpr const char* read_of_items = "read_of_items";
constexpr const char* unread_in = "read_unread_microcosms";
constexpr const char* clear_site_reads = "read_clear_site";
constexpr const char* read_microcosms = "read_all_microcosms";
constexpr const char* read_subtree = "read_microcosm_subtree";
constexpr const char* clear_subtree_items = "read_clear_subtree_items";

}  // namespace

void ReaderStateStore::register_statements(db::Statements& st) {
  // Every statement joins the profile to its site, so another site's profile id is nobody.
  st.add(insert_ignore,
         "INSERT INTO ignores (site_id, profile_id, item_type_id, item_id)"
         " SELECT site_id, profile_id, $3, $4 FROM profiles WHERE site_id = $1 AND profile_id = $2"
         " ON CONFLICT DO NOTHING");
  st.add(delete_ignore,
         "DELETE FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4");
  st.add(exists_ignore,
         "SELECT 1 FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4");
  st.add(ids_of_type,
         "SELECT item_id FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 ORDER BY item_id");
  st.add(count_ignores, "SELECT COUNT(*) FROM ignores WHERE site_id = $1 AND profile_id = $2");
  st.add(page_ignores,
         "SELECT item_type_id, item_id FROM ignores WHERE site_id = $1 AND profile_id = $2"
         " ORDER BY item_type_id, item_id LIMIT $3 OFFSET $4");
  st.add(upsert_read,
         "INSERT INTO read_markers (profile_id, item_type_id, item_id, read)"
         " SELECT profile_id, $3, $4, now() AT TIME ZONE 'UTC' FROM profiles, " + relaxed_commit_row +
             " WHERE site_id = $1 AND profile_id = $2"
         " ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = EXCLUDED.read");
  st.add(advance_read,
         "INSERT INTO read_markers (profile_id, item_type_id, item_id, read)"
         " SELECT profile_id, $3, $4, to_timestamp($5::bigint / 1000000.0) AT TIME ZONE 'UTC' FROM profiles, " +
             relaxed_commit_row + " WHERE site_id = $1 AND profile_id = $2 ON CONFLICT (profile_id, item_type_id, item_id)"
         " DO UPDATE SET read = GREATEST(read_markers.read, EXCLUDED.read)");
  st.add(newest_read,
         "SELECT COALESCE(MAX((EXTRACT(EPOCH FROM r.read) * 1000000)::bigint), 0) FROM read_markers r"
         " JOIN profiles p ON p.profile_id = r.profile_id AND p.site_id = $1 WHERE r.profile_id = $2"
         " AND (r.item_type_id, r.item_id) IN (SELECT * FROM unnest($3::smallint[], $4::bigint[]))");
  st.add(item_view_of,
         "SELECT (SELECT COALESCE(MAX((EXTRACT(EPOCH FROM r.read) * 1000000)::bigint), 0) FROM read_markers r"
         "   JOIN profiles p ON p.profile_id = r.profile_id AND p.site_id = $1 WHERE r.profile_id = $2"
         "   AND ((r.item_type_id = $3 AND r.item_id = $4) OR (r.item_type_id = $5 AND r.item_id = $6))),"
         " ARRAY(SELECT item_id FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $7"
         "   ORDER BY item_id)::text,"
         " EXISTS(SELECT 1 FROM ignores WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4)");
  st.add(read_of_items,
         "SELECT r.item_id, (EXTRACT(EPOCH FROM r.read) * 1000000)::bigint FROM read_markers r"
         " JOIN profiles p ON p.profile_id = r.profile_id AND p.site_id = $1"
         " WHERE r.profile_id = $2 AND r.item_type_id = $3 AND r.item_id = ANY($4::bigint[])");
  // A conversation is unread when it changed after both its own and its microcosm's marker.
  st.add(unread_in,
         "SELECT s.id FROM unnest($3::bigint[]) AS s (id) WHERE EXISTS (SELECT 1 FROM conversations c"
         " JOIN microcosms m ON m.microcosm_id = c.microcosm_id AND m.path @> ARRAY[s.id]"
         " AND m.microcosm_id = ANY($4::bigint[])"
         " LEFT JOIN read_markers rc ON rc.profile_id = $2 AND rc.item_type_id = 6 AND rc.item_id = c.conversation_id"
         " LEFT JOIN read_markers rm ON rm.profile_id = $2 AND rm.item_type_id = 2 AND rm.item_id = c.microcosm_id"
         " WHERE c.site_id = $1 AND NOT c.is_deleted AND NOT c.is_moderated"
         " AND c.last_modified > GREATEST(COALESCE(rc.read, '-infinity'), COALESCE(rm.read, '-infinity')))");
  st.add(clear_site_reads,
         "DELETE FROM read_markers r USING profiles p WHERE p.profile_id = r.profile_id AND p.site_id = $1"
         " AND r.profile_id = $2 AND r.item_type_id IN (2, 6, 9, 16)");
  st.add(read_subtree,
         "INSERT INTO read_markers (profile_id, item_type_id, item_id, read)"
         " SELECT p.profile_id, 2, m.microcosm_id, now() AT TIME ZONE 'UTC' FROM microcosms m"
         " JOIN profiles p ON p.site_id = m.site_id WHERE m.site_id = $1 AND p.profile_id = $2"
         " AND m.path @> ARRAY[$3::bigint]"
         " ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = EXCLUDED.read");
  st.add(clear_subtree_items,
         "DELETE FROM read_markers r USING conversations c, microcosms m, profiles p"
         " WHERE r.profile_id = $2 AND p.profile_id = r.profile_id AND p.site_id = $1 AND r.item_type_id = 6"
         " AND c.conversation_id = r.item_id AND c.site_id = $1 AND m.microcosm_id = c.microcosm_id"
         " AND m.path @> ARRAY[$3::bigint]");
  st.add(read_microcosms,
         "INSERT INTO read_markers (profile_id, item_type_id, item_id, read)"
         " SELECT p.profile_id, 2, m.microcosm_id, now() AT TIME ZONE 'UTC' FROM microcosms m"
         " JOIN profiles p ON p.site_id = m.site_id WHERE m.site_id = $1 AND p.profile_id = $2"
         " ON CONFLICT (profile_id, item_type_id, item_id) DO UPDATE SET read = EXCLUDED.read");
}

void ReaderStateStore::add(SiteId site, ProfileId profile, ItemRef item) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(insert_ignore, site.value(), profile.value(), item_type_id(item.type), item.id);
    tx.commit();
  });
}

void ReaderStateStore::remove(SiteId site, ProfileId profile, ItemRef item) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(delete_ignore, site.value(), profile.value(), item_type_id(item.type), item.id);
    tx.commit();
  });
}

bool ReaderStateStore::ignores(SiteId site, ProfileId profile, ItemRef item) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return !tx.exec_prepared(exists_ignore, site.value(), profile.value(), item_type_id(item.type), item.id).empty();
  });
}

std::vector<std::int64_t> ReaderStateStore::ignored_ids(SiteId site, ProfileId profile, ItemType type) {
  if (!profile.valid()) return {};
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<std::int64_t> out;
    for (const auto& r : tx.exec_prepared(ids_of_type, site.value(), profile.value(), item_type_id(type))) {
      out.push_back(r[0].as<std::int64_t>());
    }
    return out;
  });
}

ReaderStateStore::Page ReaderStateStore::list(SiteId site, ProfileId profile, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    Page page;
    pqxx::nontransaction tx(c);
    page.total = tx.exec_prepared(count_ignores, site.value(), profile.value())[0][0].as<std::int64_t>();
    for (const auto& r : tx.exec_prepared(page_ignores, site.value(), profile.value(), limit, offset)) {
      page.items.push_back({static_cast<ItemType>(r[0].as<int>()), r[1].as<std::int64_t>()});
    }
    return page;
  });
}

void ReaderStateStore::mark_read(SiteId site, ProfileId profile, ItemRef item) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement, relaxed: set by viewing a page
    tx.exec_prepared(upsert_read, site.value(), profile.value(), item_type_id(item.type), item.id);
  });
}

void ReaderStateStore::mark_read_at(SiteId site, ProfileId profile, ItemRef item, std::int64_t micros) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);  // one statement, relaxed: set by viewing a page
    tx.exec_prepared(advance_read, site.value(), profile.value(), item_type_id(item.type), item.id, micros);
  });
}

std::int64_t ReaderStateStore::last_read(SiteId site, ProfileId profile, const std::vector<ItemRef>& items) {
  if (!profile.valid() || items.empty()) return 0;
  std::vector<std::int64_t> types, ids;
  for (const auto& i : items) {
    types.push_back(item_type_id(i.type));
    ids.push_back(i.id);
  }
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    return tx.exec_prepared(newest_read, site.value(), profile.value(), int_array_literal(types),
                            int_array_literal(ids))[0][0]
        .as<std::int64_t>();
  });
}

ReaderStateStore::ItemView ReaderStateStore::item_view(SiteId site, ProfileId profile, ItemRef item,
                                                       MicrocosmId microcosm) {
  ItemView view;
  if (!profile.valid()) return view;
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(item_view_of, site.value(), profile.value(), item_type_id(item.type), item.id,
                              item_type_id(ItemType::microcosm), microcosm.value(), item_type_id(ItemType::profile))[0];
    view.last_read = r[0].as<std::int64_t>();
    auto list = r[1].as<std::string>();  // "{1,2,3}"
    for (auto id : parse_int_list(list.substr(1, list.size() - 2))) view.ignored_authors.push_back(id);
    view.item_ignored = r[2].as<bool>();
    return view;
  });
}

std::map<std::int64_t, std::int64_t> ReaderStateStore::read_times(SiteId site, ProfileId profile, ItemType type,
                                                                  const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, std::int64_t> out;
  if (!profile.valid() || ids.empty()) return out;
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& r : tx.exec_prepared(read_of_items, site.value(), profile.value(), item_type_id(type),
                                          int_array_literal(ids))) {
      out[r[0].as<std::int64_t>()] = r[1].as<std::int64_t>();
    }
    return out;
  });
}

std::vector<std::int64_t> ReaderStateStore::unread_microcosms(SiteId site, ProfileId profile,
                                                              const std::vector<std::int64_t>& ids,
                                                              const std::vector<MicrocosmId>& allowed) {
  if (!profile.valid() || ids.empty()) return {};
  std::vector<std::int64_t> allowed_ids;
  for (auto m : allowed) allowed_ids.push_back(m.value());
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<std::int64_t> out;
    for (const auto& r : tx.exec_prepared(unread_in, site.value(), profile.value(), int_array_literal(ids),
                                          int_array_literal(allowed_ids))) {
      out.push_back(r[0].as<std::int64_t>());
    }
    return out;
  });
}

void ReaderStateStore::mark_microcosm_read(SiteId site, ProfileId profile, MicrocosmId microcosm) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(clear_subtree_items, site.value(), profile.value(), microcosm.value());
    tx.exec_prepared(read_subtree, site.value(), profile.value(), microcosm.value());
    tx.commit();
  });
}

void ReaderStateStore::mark_site_read(SiteId site, ProfileId profile) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(clear_site_reads, site.value(), profile.value());
    tx.exec_prepared(read_microcosms, site.value(), profile.value());
    tx.commit();
  });
}

}  // namespace agora::store
