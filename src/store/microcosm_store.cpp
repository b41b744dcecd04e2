#include "agora/store/microcosm_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

// The visible tree of a site, cached as one entry (v2:mtree:{site}) and flushed by every
// structural write here: create, edit or move, flags.
std::string tree_key(SiteId site) { return cache::name_key("mtree", std::to_string(site.value())); }

std::string encode_tree(const std::vector<TreeNode>& nodes) {
  auto j = nlohmann::json::array();
  for (const auto& n : nodes) {
    auto path = nlohmann::json::array();
    for (auto id : n.path) path.push_back(id.value());
    j.push_back({n.id.value(), n.parent_id.value(), std::move(path), n.title});
  }
  return j.dump();
}

std::vector<TreeNode> decode_tree(const std::string& text) {
  std::vector<TreeNode> out;
  for (const auto& e : nlohmann::json::parse(text)) {
    TreeNode n{MicrocosmId{e.at(0).get<std::int64_t>()}, MicrocosmId{e.at(1).get<std::int64_t>()}, {},
               e.at(3).get<std::string>()};
    for (const auto& id : e.at(2)) n.path.emplace_back(id.get<std::int64_t>());
    out.push_back(std::move(n));
  }
  return out;
}

constexpr db::Query kSelectMicrocosm{"microcosm_select", R"sql(
  SELECT microcosm_id, site_id, COALESCE(parent_id, 0) AS parent_id, array_to_string(path, ',') AS path_list,
         title, description, visibility, logo_url, array_to_string(item_types, ',') AS item_type_list, sequence,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         COALESCE(created_by, 0) AS created_by, COALESCE(owned_by, 0) AS owned_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason,
         is_sticky, is_open, is_deleted, is_moderated, is_visible, item_count, conversation_count, comment_count
  FROM microcosms WHERE site_id = $1 AND microcosm_id = $2)sql"};

constexpr db::Query kSelectMany{"microcosm_select_many", R"sql(
  SELECT microcosm_id, site_id, COALESCE(parent_id, 0) AS parent_id, array_to_string(path, ',') AS path_list,
         title, description, visibility, logo_url, array_to_string(item_types, ',') AS item_type_list, sequence,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros,
         COALESCE(created_by, 0) AS created_by, COALESCE(owned_by, 0) AS owned_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason,
         is_sticky, is_open, is_deleted, is_moderated, is_visible, item_count, conversation_count, comment_count
  FROM microcosms WHERE site_id = $1 AND microcosm_id = ANY($2::bigint[]))sql"};

// Visible = neither it nor an ancestor is deleted or moderated (the NOT EXISTS of this
// statement and of the next three).
constexpr db::Query kSelectChildren{"microcosm_children", R"sql(
  SELECT m.microcosm_id FROM microcosms m
  WHERE m.site_id = $1 AND m.parent_id = $2
    AND NOT EXISTS (SELECT 1 FROM microcosms a WHERE a.microcosm_id = ANY(m.path) AND (a.is_deleted OR a.is_moderated))
  ORDER BY m.is_sticky DESC, m.sequence, m.microcosm_id)sql"};

constexpr db::Query kSelectChildLinks{"microcosm_child_links", R"sql(
  SELECT m.parent_id, m.microcosm_id, m.title, m.logo_url FROM microcosms m
  WHERE m.site_id = $1 AND m.parent_id = ANY($2::bigint[])
    AND NOT EXISTS (SELECT 1 FROM microcosms a WHERE a.microcosm_id = ANY(m.path) AND (a.is_deleted OR a.is_moderated))
  ORDER BY m.parent_id, m.is_sticky DESC, m.comment_count DESC, m.title, m.microcosm_id)sql"};

constexpr db::Query kSelectTotals{"microcosm_subtree_totals", R"sql(
  SELECT r.id, COALESCE(SUM(m.item_count), 0)::bigint AS items, COALESCE(SUM(m.comment_count), 0)::bigint AS comments
  FROM unnest($2::bigint[]) AS r (id) JOIN microcosms m ON m.site_id = $1 AND m.path @> ARRAY[r.id]
    AND NOT EXISTS (SELECT 1 FROM microcosms a WHERE a.microcosm_id = ANY(m.path) AND (a.is_deleted OR a.is_moderated))
  GROUP BY r.id)sql"};

constexpr db::Query kSelectTree{"microcosm_tree", R"sql(
  SELECT m.microcosm_id, COALESCE(m.parent_id, 0) AS parent_id, array_to_string(m.path, ',') AS path_list, m.title
  FROM microcosms m
  WHERE m.site_id = $1
    AND NOT EXISTS (SELECT 1 FROM microcosms a WHERE a.microcosm_id = ANY(m.path) AND (a.is_deleted OR a.is_moderated))
  ORDER BY m.path::text[])sql"};

constexpr db::Query kUpdateFields{"microcosm_update", R"sql(
  UPDATE microcosms SET title = COALESCE($3, title), description = COALESCE($4, description),
    visibility = COALESCE($5, visibility), logo_url = COALESCE($6, logo_url),
    item_types = COALESCE($7::smallint[], item_types), edited = (now() AT TIME ZONE 'UTC'),
    edited_by = NULLIF($8, 0), edit_reason = $9
  WHERE site_id = $1 AND microcosm_id = $2)sql"};

// $3: the moved microcosm's new path (ending in its own id); descendants keep their tail.
constexpr db::Query kMoveSubtree{"microcosm_move_subtree", R"sql(
  UPDATE microcosms SET path = $3::bigint[] || path[array_position(path, $2::bigint) + 1:],
    parent_id = CASE WHEN microcosm_id = $2 THEN $4 ELSE parent_id END
  WHERE site_id = $1 AND path @> ARRAY[$2::bigint] RETURNING microcosm_id)sql"};

// Moves of one site's tree take turns, so two crossing moves cannot make a cycle.
constexpr db::Query kLockTree{"microcosm_lock_tree", R"sql(
  SELECT pg_advisory_xact_lock(7305, $1::int))sql"};

constexpr db::Query kSelectPath{"microcosm_path", R"sql(
  SELECT array_to_string(path, ',') AS path_list FROM microcosms WHERE site_id = $1 AND microcosm_id = $2)sql"};

constexpr db::Query kUpdateFlags{"microcosm_set_flags", R"sql(
  UPDATE microcosms SET is_sticky = COALESCE($3::boolean, is_sticky), is_open = COALESCE($4::boolean, is_open),
    is_deleted = COALESCE($5::boolean, is_deleted), is_moderated = COALESCE($6::boolean, is_moderated),
    is_visible = NOT (COALESCE($5::boolean, is_deleted) OR COALESCE($6::boolean, is_moderated)),
    edited = (now() AT TIME ZONE 'UTC'), edited_by = NULLIF($7, 0), edit_reason = $8
  WHERE site_id = $1 AND microcosm_id = $2)sql"};

constexpr db::Query kSelectRoot{"microcosm_root", R"sql(
  SELECT microcosm_id FROM microcosms WHERE site_id = $1 AND parent_id IS NULL)sql"};

// The new id is drawn first so the path can end with it in the same statement.
constexpr db::Query kInsertMicrocosm{"microcosm_insert", R"sql(
  WITH n AS (SELECT nextval('microcosms_microcosm_id_seq') AS id)
  INSERT INTO microcosms (microcosm_id, site_id, parent_id, path, title, description, item_types,
                          created_by, owned_by, visibility, logo_url)
  SELECT n.id, $1, NULLIF($2, 0), $3::bigint[] || n.id, $4, $5, $6::smallint[], NULLIF($7, 0), NULLIF($7, 0), $8, $9
  FROM n RETURNING microcosm_id)sql"};

std::vector<MicrocosmId> microcosm_ids(std::string_view comma_separated) {
  std::vector<MicrocosmId> out;
  for (auto id : parse_int_list(comma_separated)) out.emplace_back(id);
  return out;
}

Microcosm microcosm_from_row(const pqxx::row& r) {
  Microcosm m;
  m.id = r["microcosm_id"].as<MicrocosmId>();
  m.site_id = r["site_id"].as<SiteId>();
  m.parent_id = r["parent_id"].as<MicrocosmId>();
  m.path = microcosm_ids(r["path_list"].as<std::string>());
  m.title = r["title"].as<std::string>();
  m.description = r["description"].as<std::string>();
  m.visibility = r["visibility"].as<std::string>();
  m.logo_url = r["logo_url"].as<std::string>();
  for (auto t : parse_int_list(r["item_type_list"].as<std::string>())) m.item_types.push_back(static_cast<int>(t));
  m.sequence = r["sequence"].as<std::int64_t>();
  m.created_micros = r["created_micros"].as<std::int64_t>();
  m.created_by = r["created_by"].as<ProfileId>();
  m.owned_by = r["owned_by"].as<ProfileId>();
  m.edited_micros = r["edited_micros"].as<std::int64_t>();
  m.edited_by = r["edited_by"].as<ProfileId>();
  m.edit_reason = r["edit_reason"].as<std::string>();
  m.sticky = r["is_sticky"].as<bool>();
  m.open = r["is_open"].as<bool>();
  m.deleted = r["is_deleted"].as<bool>();
  m.moderated = r["is_moderated"].as<bool>();
  m.visible = r["is_visible"].as<bool>();
  m.item_count = r["item_count"].as<std::int64_t>();
  m.conversation_count = r["conversation_count"].as<std::int64_t>();
  m.comment_count = r["comment_count"].as<std::int64_t>();
  return m;
}

TreeNode tree_node_from_row(const pqxx::row& r) {
  return {r["microcosm_id"].as<MicrocosmId>(), r["parent_id"].as<MicrocosmId>(),
          microcosm_ids(r["path_list"].as<std::string>()), r["title"].as<std::string>()};
}

ChildRef child_from_row(const pqxx::row& r) {
  return {r["microcosm_id"].as<MicrocosmId>(), r["title"].as<std::string>(), r["logo_url"].as<std::string>()};
}

SubtreeTotals totals_from_row(const pqxx::row& r) {
  return {r["items"].as<std::int64_t>(), r["comments"].as<std::int64_t>()};
}

/// Takes the site's tree lock, then reads the microcosm's path under it (comma-separated ids;
/// nullopt when the microcosm is not there).
std::optional<std::string> path_under_tree_lock(pqxx::transaction_base& tx, SiteId site, MicrocosmId id) {
  db::exec(tx, kLockTree, static_cast<int>(site.value() & 0x7fffffff));
  return db::value<std::string>(db::exec(tx, kSelectPath, site, id));
}

// The items a microcosm lists (M.4): its visible conversations and events ($3, $4: the ignored
// ids of each kind). Polls are never listed (M.4 Decision).
constexpr db::Query kItemsCountIn{"microcosm_items_count_in", R"sql(
  SELECT COUNT(*) FILTER (WHERE x.is_sticky) AS sticky, COUNT(*) FILTER (WHERE NOT x.is_sticky) AS others FROM (
    SELECT c.is_sticky FROM conversations c
    WHERE c.site_id + 0 = $1 AND c.microcosm_id = $2 AND NOT (c.conversation_id = ANY($3::bigint[]))
      AND NOT c.is_deleted AND NOT c.is_moderated
    UNION ALL
    SELECT e.is_sticky FROM events e
    WHERE e.site_id = $1 AND e.microcosm_id = $2 AND NOT (e.event_id = ANY($4::bigint[]))
      AND NOT e.is_deleted AND NOT e.is_moderated) x)sql"};

constexpr db::Query kItemsSliceIn{"microcosm_items_slice_in", R"sql(
  SELECT x.item_type_id, x.item_id FROM (
    SELECT 6::smallint AS item_type_id, c.conversation_id AS item_id, c.last_modified FROM conversations c
    WHERE c.site_id + 0 = $1 AND c.microcosm_id = $2 AND NOT (c.conversation_id = ANY($3::bigint[]))
      AND NOT c.is_deleted AND NOT c.is_moderated AND c.is_sticky = $5
    UNION ALL
    SELECT 9::smallint, e.event_id, e.last_modified FROM events e
    WHERE e.site_id = $1 AND e.microcosm_id = $2 AND NOT (e.event_id = ANY($4::bigint[]))
      AND NOT e.is_deleted AND NOT e.is_moderated AND e.is_sticky = $5) x
  ORDER BY x.last_modified DESC, x.item_id DESC, x.item_type_id LIMIT $6 OFFSET $7)sql"};

// M.5 mostRecentUpdate: for each microcosm $2, the most recently active visible conversation or
// event of its subtree among the microcosms $3 (those the caller reads and has not ignored);
// visible: neither the item nor its microcosm nor any ancestor deleted or moderated.
constexpr db::Query kMostRecentIn{"microcosm_most_recent_in", R"sql(
  SELECT DISTINCT ON (s.id) s.id AS microcosm_id, x.item_type_id, x.item_id
  FROM unnest($2::bigint[]) AS s (id)
  JOIN microcosms sub ON sub.site_id = $1 AND sub.path @> ARRAY[s.id] AND sub.microcosm_id = ANY($3::bigint[])
  CROSS JOIN LATERAL (
    (SELECT 6::smallint AS item_type_id, c.conversation_id AS item_id, c.last_modified FROM conversations c
      WHERE c.microcosm_id = sub.microcosm_id AND NOT c.is_deleted AND NOT c.is_moderated
      ORDER BY c.last_modified DESC, c.conversation_id DESC LIMIT 1)
    UNION ALL
    (SELECT 9::smallint, e.event_id, e.last_modified FROM events e
      WHERE e.microcosm_id = sub.microcosm_id AND NOT e.is_deleted AND NOT e.is_moderated
      ORDER BY e.last_modified DESC, e.event_id DESC LIMIT 1)) x
  WHERE NOT EXISTS (SELECT 1 FROM microcosms a WHERE a.microcosm_id = ANY(sub.path) AND (a.is_deleted OR a.is_moderated))
  ORDER BY s.id, x.last_modified DESC, x.item_id DESC, x.item_type_id)sql"};

}  // namespace

void MicrocosmStore::register_statements(db::Statements& st) {
  st.add({kSelectMicrocosm, kSelectMany, kSelectChildren, kSelectChildLinks, kSelectTotals, kSelectTree, kUpdateFields,
          kMoveSubtree, kLockTree, kSelectPath, kUpdateFlags, kSelectRoot, kInsertMicrocosm, kItemsCountIn,
          kItemsSliceIn, kMostRecentIn});
}

std::pair<std::int64_t, std::int64_t> MicrocosmStore::items_count_in(SiteId site, MicrocosmId microcosm,
                                                                     const IgnoredItems& ignored) {
  const auto r = db::read(pool_, kItemsCountIn, site, microcosm, int_array_literal(ignored.conversations),
                          int_array_literal(ignored.events))[0];
  return {r["sticky"].as<std::int64_t>(), r["others"].as<std::int64_t>()};
}

std::map<MicrocosmId, ItemRef> MicrocosmStore::most_recent_in(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                                              const std::vector<MicrocosmId>& allowed) {
  std::map<MicrocosmId, ItemRef> out;
  if (microcosms.empty()) return out;
  for (const auto& r :
       db::read(pool_, kMostRecentIn, site, int_array_literal(microcosms), int_array_literal(allowed))) {
    out[r["microcosm_id"].as<MicrocosmId>()] = ItemRef(r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>());
  }
  return out;
}

std::vector<ItemRef> MicrocosmStore::items_slice_in(SiteId site, MicrocosmId microcosm, bool sticky,
                                                    const IgnoredItems& ignored, int limit, int offset) {
  std::vector<ItemRef> out;
  if (limit <= 0) return out;
  for (const auto& r : db::read(pool_, kItemsSliceIn, site, microcosm, int_array_literal(ignored.conversations),
                                int_array_literal(ignored.events), sticky, limit, offset)) {
    out.emplace_back(r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>());
  }
  return out;
}

std::optional<Microcosm> MicrocosmStore::get(SiteId site, MicrocosmId id) {
  const auto key = cache::item_key("micro", id.value());
  if (auto hit = cache_.get(key)) {
    try {
      auto m = decode_microcosm(*hit);
      if (m.site_id != site) return std::nullopt;
      return m;
    } catch (const std::exception&) {
      cache_.remove(key);
    }
  }
  auto found = db::first_row(db::read(pool_, kSelectMicrocosm, site, id), microcosm_from_row);
  if (found) cache_.set(key, encode_microcosm(*found), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return found;
}

std::vector<Microcosm> MicrocosmStore::get_many(SiteId site, const std::vector<MicrocosmId>& ids) {
  static const ItemCodec<Microcosm, MicrocosmId> codec{
      [](MicrocosmId id) { return cache::item_key("micro", id.value()); }, &encode_microcosm, &decode_microcosm,
      [](const Microcosm& m) { return m.id; }, [](const Microcosm& m) { return m.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<MicrocosmId>& missing) {
                        return db::map_rows(db::read(pool_, kSelectMany, site, int_array_literal(missing)),
                                            microcosm_from_row);
                      });
}

bool MicrocosmStore::hidden(SiteId site, const Microcosm& m) {
  return m.deleted || m.moderated || hidden_on(m, get_many(site, m.path));
}

bool MicrocosmStore::hidden_on(const Microcosm& m, const std::vector<Microcosm>& path) {
  if (m.deleted || m.moderated) return true;
  return std::any_of(path.begin(), path.end(), [](const Microcosm& a) { return a.deleted || a.moderated; });
}

std::vector<MicrocosmId> MicrocosmStore::children(SiteId site, MicrocosmId parent) {
  return db::column<MicrocosmId>(db::read(pool_, kSelectChildren, site, parent));
}

std::map<MicrocosmId, std::vector<ChildRef>> MicrocosmStore::child_links(SiteId site,
                                                                         const std::vector<MicrocosmId>& parents) {
  std::map<MicrocosmId, std::vector<ChildRef>> out;
  if (parents.empty()) return out;
  for (const auto& r : db::read(pool_, kSelectChildLinks, site, int_array_literal(parents))) {
    out[r["parent_id"].as<MicrocosmId>()].push_back(child_from_row(r));
  }
  return out;
}

std::map<MicrocosmId, SubtreeTotals> MicrocosmStore::subtree_totals(SiteId site, const std::vector<MicrocosmId>& ids) {
  std::map<MicrocosmId, SubtreeTotals> out;
  if (ids.empty()) return out;
  for (const auto& r : db::read(pool_, kSelectTotals, site, int_array_literal(ids))) {
    out[r["id"].as<MicrocosmId>()] = totals_from_row(r);
  }
  return out;
}

std::vector<TreeNode> MicrocosmStore::tree(SiteId site) {
  const auto key = tree_key(site);
  if (auto hit = cache_.get(key)) {
    try {
      return decode_tree(*hit);
    } catch (const std::exception&) {
      cache_.remove(key);  // an entry this binary cannot read: reload it
    }
  }
  auto out = db::map_rows(db::read(pool_, kSelectTree, site), tree_node_from_row);
  // A short life bounds a refill that raced a structural write (callers also drop hidden
  // forums by their own cached flags: store::without_hidden).
  constexpr std::chrono::seconds tree_ttl{60};
  cache_.set(key, encode_tree(out), std::min(tree_ttl, std::chrono::seconds{config_.get()->cache.ttl_seconds}));
  return out;
}

void MicrocosmStore::update(SiteId site, const Microcosm& m, const MicrocosmEdit& e, ProfileId by,
                            const std::string& reason) {
  std::optional<std::string> types;
  if (e.item_types) types = int_array_literal(std::vector<std::int64_t>(e.item_types->begin(), e.item_types->end()));
  std::vector<MicrocosmId> moved;
  if (e.parent_id && *e.parent_id != m.parent_id) {
    moved = pool_.run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      // The parent's path is read again under the lock: the cached one may be stale.
      auto current = path_under_tree_lock(tx, site, *e.parent_id);
      if (!current) throw Error(ErrorKind::bad_request, "The new parent microcosm does not exist");
      auto path = microcosm_ids(*current);
      if (std::find(path.begin(), path.end(), m.id) != path.end()) {
        throw Error(ErrorKind::bad_request, "A microcosm cannot be moved into itself or its own descendants");
      }
      path.push_back(m.id);
      db::exec(tx, kUpdateFields, site, m.id, e.title, e.description, e.visibility, e.logo_url, types, by, reason);
      auto ids = db::column<MicrocosmId>(db::exec(tx, kMoveSubtree, site, m.id, int_array_literal(path), *e.parent_id));
      tx.commit();
      return ids;
    });
  } else {
    db::write(pool_, kUpdateFields, site, m.id, e.title, e.description, e.visibility, e.logo_url, types, by, reason);
  }
  flush(m.id);
  for (auto id : moved) flush(id);
  cache_.remove(tree_key(site));
}

void MicrocosmStore::set_flags(SiteId site, const Microcosm& m, const MicrocosmFlags& f, ProfileId by,
                               const std::string& reason) {
  db::write(pool_, kUpdateFlags, site, m.id, f.sticky, f.open, f.deleted, f.moderated, by, reason);
  flush(m.id);
  cache_.remove(tree_key(site));
}

std::optional<MicrocosmId> MicrocosmStore::root_of(SiteId site) {
  // A site's root is made with the site and never moves or goes: cached without flushes.
  const auto key = cache::name_key("mroot", std::to_string(site.value()));
  if (auto hit = cache_.get(key)) return MicrocosmId{std::stoll(*hit)};
  auto id = db::value<MicrocosmId>(db::read(pool_, kSelectRoot, site));
  if (id) cache_.set(key, std::to_string(id->value()), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return id;
}

MicrocosmId MicrocosmStore::create(SiteId site, const NewMicrocosm& f, ProfileId by) {
  std::vector<std::int64_t> types(f.item_types.begin(), f.item_types.end());
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // Under the tree lock the parent's path is current: a concurrent move cannot leave the
    // new forum with a stale path (and roles inherited from the old place).
    auto parent = path_under_tree_lock(tx, site, f.parent_id);
    if (!parent) throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(f.parent_id.value()) + " not found");
    auto r = db::exec(tx, kInsertMicrocosm, site, f.parent_id, "{" + *parent + "}", f.title, f.description,
                      int_array_literal(types), by, f.visibility, f.logo_url);
    tx.commit();
    return r[0]["microcosm_id"].as<MicrocosmId>();
  });
  cache_.remove(tree_key(site));
  return id;
}

MicrocosmId MicrocosmStore::insert_root(pqxx::transaction_base& tx, SiteId site, const std::string& description,
                                        ProfileId owner) {
  auto r = db::exec(tx, kInsertMicrocosm, site, 0, "{}", "Forums", description, "{2,6,9}", owner, "public", "");
  return r[0]["microcosm_id"].as<MicrocosmId>();
}

void MicrocosmStore::flush(MicrocosmId id) { cache_.remove(cache::item_key("micro", id.value())); }

}  // namespace agora::store
