#include "agora/store/microcosm_store.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr const char* select_microcosm = "microcosm_select";
constexpr const char* select_root = "microcosm_root";
constexpr const char* insert_microcosm = "microcosm_insert";
constexpr const char* select_many = "microcosm_select_many";
constexpr const char* select_children = "microcosm_children";
constexpr const char* select_child_links = "microcosm_child_links";
constexpr const char* select_totals = "microcosm_subtree_totals";
constexpr const char* select_tree = "microcosm_tree";
constexpr const char* update_fields = "microcosm_update";
constexpr const char* move_subtree = "microcosm_move_subtree";
constexpr const char* update_flags = "microcosm_set_flags";
constexpr const char* lock_tree = "microcosm_lock_tree";
constexpr const char* select_path = "microcosm_path";

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

constexpr const char* columns =
    "microcosm_id, site_id, COALESCE(parent_id, 0), array_to_string(path, ','), title, description,"
    " visibility, logo_url, array_to_string(item_types, ','), sequence,"
    " (EXTRACT(EPOCH FROM created) * 1000000)::bigint, COALESCE(created_by, 0), COALESCE(owned_by, 0),"
    " COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0), COALESCE(edited_by, 0), edit_reason,"
    " is_sticky, is_open, is_deleted, is_moderated, is_visible, item_count, comment_count";

// Visible = neither it nor an ancestor is deleted or moderated.
constexpr const char* visible_clause =
    " NOT EXISTS (SELECT 1 FROM microcosms a WHERE a.microcosm_id = ANY(m.path) AND (a.is_deleted OR a.is_moderated))";

std::vector<std::int64_t> raw_ids(const std::vector<MicrocosmId>& ids) {
  std::vector<std::int64_t> out;
  for (auto id : ids) out.push_back(id.value());
  return out;
}

// The new id is drawn first so the path can end with it in the same statement.
constexpr const char* insert_sql =
    "WITH n AS (SELECT nextval('microcosms_microcosm_id_seq') AS id)"
    " INSERT INTO microcosms (microcosm_id, site_id, parent_id, path, title, description, item_types,"
    " created_by, owned_by, visibility, logo_url)"
    " SELECT n.id, $1, NULLIF($2, 0), $3::bigint[] || n.id, $4, $5, $6::smallint[], NULLIF($7, 0), NULLIF($7, 0),"
    " $8, $9 FROM n RETURNING microcosm_id";

Microcosm from_row(const pqxx::row& r) {
  Microcosm m;
  m.id = MicrocosmId{r[0].as<std::int64_t>()};
  m.site_id = SiteId{r[1].as<std::int64_t>()};
  m.parent_id = MicrocosmId{r[2].as<std::int64_t>()};
  for (auto id : parse_int_list(r[3].as<std::string>())) m.path.emplace_back(id);
  m.title = r[4].as<std::string>();
  m.description = r[5].as<std::string>();
  m.visibility = r[6].as<std::string>();
  m.logo_url = r[7].as<std::string>();
  for (auto t : parse_int_list(r[8].as<std::string>())) m.item_types.push_back(static_cast<int>(t));
  m.sequence = r[9].as<std::int64_t>();
  m.created_micros = r[10].as<std::int64_t>();
  m.created_by = ProfileId{r[11].as<std::int64_t>()};
  m.owned_by = ProfileId{r[12].as<std::int64_t>()};
  m.edited_micros = r[13].as<std::int64_t>();
  m.edited_by = ProfileId{r[14].as<std::int64_t>()};
  m.edit_reason = r[15].as<std::string>();
  m.sticky = r[16].as<bool>();
  m.open = r[17].as<bool>();
  m.deleted = r[18].as<bool>();
  m.moderated = r[19].as<bool>();
  m.visible = r[20].as<bool>();
  m.item_count = r[21].as<std::int64_t>();
  m.comment_count = r[22].as<std::int64_t>();
  return m;
}

}  // namespace

void MicrocosmStore::register_statements(db::Statements& st) {
  const std::string cols = columns;
  const std::string visible = visible_clause;
  st.add(select_microcosm, "SELECT " + cols + " FROM microcosms WHERE site_id = $1 AND microcosm_id = $2");
  st.add(select_many, "SELECT " + cols + " FROM microcosms WHERE site_id = $1 AND microcosm_id = ANY($2::bigint[])");
  st.add(select_children,
         "SELECT m.microcosm_id FROM microcosms m WHERE m.site_id = $1 AND m.parent_id = $2 AND" + visible +
             " ORDER BY m.is_sticky DESC, m.sequence, m.microcosm_id");
  st.add(select_child_links,
         "SELECT m.parent_id, m.microcosm_id, m.title, m.logo_url FROM microcosms m"
         " WHERE m.site_id = $1 AND m.parent_id = ANY($2::bigint[]) AND" + visible +
             " ORDER BY m.parent_id, m.is_sticky DESC, m.comment_count DESC, m.title, m.microcosm_id");
  st.add(select_totals,
         "SELECT r.id, COALESCE(SUM(m.item_count), 0)::bigint, COALESCE(SUM(m.comment_count), 0)::bigint"
         " FROM unnest($2::bigint[]) AS r (id) JOIN microcosms m ON m.site_id = $1 AND m.path @> ARRAY[r.id]"
         " AND" + visible + " GROUP BY r.id");
  st.add(select_tree,
         "SELECT m.microcosm_id, COALESCE(m.parent_id, 0), array_to_string(m.path, ','), m.title FROM microcosms m"
         " WHERE m.site_id = $1 AND" + visible + " ORDER BY m.path::text[]");
  st.add(update_fields,
         "UPDATE microcosms SET title = COALESCE($3, title), description = COALESCE($4, description),"
         " visibility = COALESCE($5, visibility), logo_url = COALESCE($6, logo_url),"
         " item_types = COALESCE($7::smallint[], item_types), edited = (now() AT TIME ZONE 'UTC'),"
         " edited_by = NULLIF($8, 0), edit_reason = $9 WHERE site_id = $1 AND microcosm_id = $2");
  // $3: the moved microcosm's new path (ending in its own id); descendants keep their tail.
  st.add(move_subtree,
         "UPDATE microcosms SET path = $3::bigint[] || path[array_position(path, $2::bigint) + 1:],"
         " parent_id = CASE WHEN microcosm_id = $2 THEN $4 ELSE parent_id END"
         " WHERE site_id = $1 AND path @> ARRAY[$2::bigint] RETURNING microcosm_id");
  // Moves of one site's tree take turns, so two crossing moves cannot make a cycle.
  st.add(lock_tree, "SELECT pg_advisory_xact_lock(7305, $1::int)");
  st.add(select_path, "SELECT array_to_string(path, ',') FROM microcosms WHERE site_id = $1 AND microcosm_id = $2");
  st.add(update_flags,
         "UPDATE microcosms SET is_sticky = COALESCE($3::boolean, is_sticky), is_open = COALESCE($4::boolean, is_open),"
         " is_deleted = COALESCE($5::boolean, is_deleted), is_moderated = COALESCE($6::boolean, is_moderated),"
         " is_visible = NOT (COALESCE($5::boolean, is_deleted) OR COALESCE($6::boolean, is_moderated)),"
         " edited = (now() AT TIME ZONE 'UTC'), edited_by = NULLIF($7, 0),"
         " edit_reason = $8 WHERE site_id = $1 AND microcosm_id = $2");
  st.add(select_root, "SELECT microcosm_id FROM microcosms WHERE site_id = $1 AND parent_id IS NULL");
  st.add(insert_microcosm, insert_sql);
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
  auto found = pool_.run([&](pqxx::connection& c) -> std::optional<Microcosm> {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_microcosm, site.value(), id.value());
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
  });
  if (found) cache_.set(key, encode_microcosm(*found), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return found;
}

std::vector<Microcosm> MicrocosmStore::get_many(SiteId site, const std::vector<MicrocosmId>& ids) {
  static const ItemCodec<Microcosm, MicrocosmId> codec{
      [](MicrocosmId id) { return cache::item_key("micro", id.value()); }, &encode_microcosm, &decode_microcosm,
      [](const Microcosm& m) { return m.id; }, [](const Microcosm& m) { return m.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<MicrocosmId>& missing) {
                        return pool_.run([&](pqxx::connection& c) {
                          pqxx::nontransaction tx(c);
                          std::vector<Microcosm> out;
                          for (const auto& r : tx.exec_prepared(select_many, site.value(),
                                                                int_array_literal(raw_ids(missing)))) {
                            out.push_back(from_row(r));
                          }
                          return out;
                        });
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
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<MicrocosmId> out;
    for (const auto& r : tx.exec_prepared(select_children, site.value(), parent.value())) {
      out.emplace_back(r[0].as<std::int64_t>());
    }
    return out;
  });
}

std::map<MicrocosmId, std::vector<ChildRef>> MicrocosmStore::child_links(SiteId site,
                                                                         const std::vector<MicrocosmId>& parents) {
  std::map<MicrocosmId, std::vector<ChildRef>> out;
  if (parents.empty()) return out;
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& r : tx.exec_prepared(select_child_links, site.value(), int_array_literal(raw_ids(parents)))) {
      out[MicrocosmId{r[0].as<std::int64_t>()}].push_back(
          {MicrocosmId{r[1].as<std::int64_t>()}, r[2].as<std::string>(), r[3].as<std::string>()});
    }
    return out;
  });
}

std::map<MicrocosmId, SubtreeTotals> MicrocosmStore::subtree_totals(SiteId site, const std::vector<MicrocosmId>& ids) {
  std::map<MicrocosmId, SubtreeTotals> out;
  if (ids.empty()) return out;
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& r : tx.exec_prepared(select_totals, site.value(), int_array_literal(raw_ids(ids)))) {
      out[MicrocosmId{r[0].as<std::int64_t>()}] = {r[1].as<std::int64_t>(), r[2].as<std::int64_t>()};
    }
    return out;
  });
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
  auto out = pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<TreeNode> nodes;
    for (const auto& r : tx.exec_prepared(select_tree, site.value())) {
      TreeNode n{MicrocosmId{r[0].as<std::int64_t>()}, MicrocosmId{r[1].as<std::int64_t>()}, {}, r[3].as<std::string>()};
      for (auto id : parse_int_list(r[2].as<std::string>())) n.path.emplace_back(id);
      nodes.push_back(std::move(n));
    }
    return nodes;
  });
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
      tx.exec_prepared(lock_tree, static_cast<int>(site.value() & 0x7fffffff));
      // The parent's path is read again under the lock: the cached one may be stale.
      auto current = tx.exec_prepared(select_path, site.value(), e.parent_id->value());
      if (current.empty()) throw Error(ErrorKind::bad_request, "The new parent microcosm does not exist");
      auto path = parse_int_list(current[0][0].as<std::string>());
      if (std::find(path.begin(), path.end(), m.id.value()) != path.end()) {
        throw Error(ErrorKind::bad_request, "A microcosm cannot be moved into itself or its own descendants");
      }
      path.push_back(m.id.value());
      tx.exec_prepared(update_fields, site.value(), m.id.value(), e.title, e.description, e.visibility, e.logo_url,
                       types, by.value(), reason);
      std::vector<MicrocosmId> ids;
      for (const auto& r : tx.exec_prepared(move_subtree, site.value(), m.id.value(), int_array_literal(path),
                                            e.parent_id->value())) {
        ids.emplace_back(r[0].as<std::int64_t>());
      }
      tx.commit();
      return ids;
    });
  } else {
    pool_.run([&](pqxx::connection& c) {
      pqxx::work tx(c);
      tx.exec_prepared(update_fields, site.value(), m.id.value(), e.title, e.description, e.visibility, e.logo_url,
                       types, by.value(), reason);
      tx.commit();
    });
  }
  flush(m.id);
  for (auto id : moved) flush(id);
  cache_.remove(tree_key(site));
}

void MicrocosmStore::set_flags(SiteId site, const Microcosm& m, const MicrocosmFlags& f, ProfileId by,
                               const std::string& reason) {
  pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    tx.exec_prepared(update_flags, site.value(), m.id.value(), f.sticky, f.open, f.deleted, f.moderated, by.value(),
                     reason);
    tx.commit();
  });
  flush(m.id);
  cache_.remove(tree_key(site));
}

std::optional<MicrocosmId> MicrocosmStore::root_of(SiteId site) {
  // A site's root is made with the site and never moves or goes: cached without flushes.
  const auto key = cache::name_key("mroot", std::to_string(site.value()));
  if (auto hit = cache_.get(key)) return MicrocosmId{std::stoll(*hit)};
  auto id = pool_.run([&](pqxx::connection& c) -> std::int64_t {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(select_root, site.value());
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
  if (id == 0) return std::nullopt;
  cache_.set(key, std::to_string(id), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return MicrocosmId{id};
}

MicrocosmId MicrocosmStore::create(SiteId site, const NewMicrocosm& f, ProfileId by) {
  std::vector<std::int64_t> types(f.item_types.begin(), f.item_types.end());
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    // Under the tree lock the parent's path is current: a concurrent move cannot leave the
    // new forum with a stale path (and roles inherited from the old place).
    tx.exec_prepared(lock_tree, static_cast<int>(site.value() & 0x7fffffff));
    auto parent = tx.exec_prepared(select_path, site.value(), f.parent_id.value());
    if (parent.empty()) throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(f.parent_id.value()) + " not found");
    auto r = tx.exec_prepared(insert_microcosm, site.value(), f.parent_id.value(), "{" + parent[0][0].as<std::string>() + "}",
                              f.title, f.description, int_array_literal(types), by.value(), f.visibility, f.logo_url);
    tx.commit();
    return r[0][0].as<std::int64_t>();
  });
  cache_.remove(tree_key(site));
  return MicrocosmId{id};
}

MicrocosmId MicrocosmStore::insert_root(pqxx::transaction_base& tx, SiteId site, const std::string& description,
                                        ProfileId owner) {
  auto r = tx.exec_prepared(insert_microcosm, site.value(), 0, "{}", "Forums", description, "{2,6,9}",
                            owner.value(), "public", "");
  return MicrocosmId{r[0][0].as<std::int64_t>()};
}

void MicrocosmStore::flush(MicrocosmId id) { cache_.remove(cache::item_key("micro", id.value())); }

}  // namespace agora::store
