#include "agora/store/microcosm_store.hpp"

#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr const char* select_microcosm = "microcosm_select";
constexpr const char* select_root = "microcosm_root";
constexpr const char* insert_microcosm = "microcosm_insert";

// The new id is drawn first so the path can end with it in the same statement.
constexpr const char* insert_sql =
    "WITH n AS (SELECT nextval('microcosms_microcosm_id_seq') AS id)"
    " INSERT INTO microcosms (microcosm_id, site_id, parent_id, path, title, description, item_types,"
    " created_by, owned_by)"
    " SELECT n.id, $1, NULLIF($2, 0), $3::bigint[] || n.id, $4, $5, $6::smallint[], NULLIF($7, 0), NULLIF($7, 0)"
    " FROM n RETURNING microcosm_id";

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
  st.add(select_microcosm,
         "SELECT microcosm_id, site_id, COALESCE(parent_id, 0), array_to_string(path, ','), title, description,"
         " visibility, logo_url, array_to_string(item_types, ','), sequence,"
         " (EXTRACT(EPOCH FROM created) * 1000000)::bigint, COALESCE(created_by, 0), COALESCE(owned_by, 0),"
         " COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0), COALESCE(edited_by, 0), edit_reason,"
         " is_sticky, is_open, is_deleted, is_moderated, is_visible, item_count, comment_count"
         " FROM microcosms WHERE site_id = $1 AND microcosm_id = $2");
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
    pqxx::read_transaction tx(c);
    auto r = tx.exec_prepared(select_microcosm, site.value(), id.value());
    if (r.empty()) return std::nullopt;
    return from_row(r[0]);
  });
  if (found) cache_.set(key, encode_microcosm(*found), std::chrono::seconds{config_.get()->cache.ttl_seconds});
  return found;
}

std::optional<MicrocosmId> MicrocosmStore::root_of(SiteId site) {
  auto id = pool_.run([&](pqxx::connection& c) -> std::int64_t {
    pqxx::read_transaction tx(c);
    auto r = tx.exec_prepared(select_root, site.value());
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
  if (id == 0) return std::nullopt;
  return MicrocosmId{id};
}

MicrocosmId MicrocosmStore::create(SiteId site, const NewMicrocosm& f, ProfileId by) {
  auto parent = get(site, f.parent_id);
  if (!parent) throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(f.parent_id.value()) + " not found");
  std::vector<std::int64_t> path;
  for (auto id : parent->path) path.push_back(id.value());
  std::vector<std::int64_t> types(f.item_types.begin(), f.item_types.end());
  auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto r = tx.exec_prepared(insert_microcosm, site.value(), parent->id.value(), int_array_literal(path), f.title,
                              f.description, int_array_literal(types), by.value());
    tx.commit();
    return r[0][0].as<std::int64_t>();
  });
  return MicrocosmId{id};
}

MicrocosmId MicrocosmStore::insert_root(pqxx::transaction_base& tx, SiteId site, const std::string& description,
                                        ProfileId owner) {
  auto r = tx.exec_prepared(insert_microcosm, site.value(), 0, "{}", "Forums", description, "{2,6,9}",
                            owner.value());
  return MicrocosmId{r[0][0].as<std::int64_t>()};
}

void MicrocosmStore::flush(MicrocosmId id) { cache_.remove(cache::item_key("micro", id.value())); }

}  // namespace agora::store
