#include "agora/store/watcher_store.hpp"

#include <pqxx/pqxx>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"

namespace agora::store {
namespace {

// A profile's preference rows for one update type ($3), or all of them ($3 NULL), made where
// missing as (profile's send_email ?? site's ?? true) AND the type's default (§3.5).
constexpr db::Query kMaterialise{"update_options_materialise", R"sql(
  INSERT INTO update_options (profile_id, update_type_id, send_email, send_sms)
  SELECT p.profile_id, d.update_type_id,
         COALESCE(po.send_email, so.send_email, true) AND d.send_email,
         COALESCE(po.send_sms, so.send_sms, false) AND d.send_sms
  FROM profiles p CROSS JOIN update_options_defaults d
  LEFT JOIN profile_options po ON po.profile_id = p.profile_id
  LEFT JOIN site_options so ON so.site_id = p.site_id
  WHERE p.site_id = $1 AND p.profile_id = $2 AND ($3::smallint IS NULL OR d.update_type_id = $3)
  ON CONFLICT (profile_id, update_type_id) DO NOTHING)sql"};

constexpr db::Query kInsertWatcher{"watcher_insert", R"sql(
  INSERT INTO watchers (site_id, profile_id, item_type_id, item_id, send_email, send_sms)
  SELECT $1, o.profile_id, $3, $4, o.send_email, o.send_sms FROM update_options o
  JOIN profiles p ON p.profile_id = o.profile_id AND p.site_id = $1
  WHERE o.profile_id = $2 AND o.update_type_id = $5
  ON CONFLICT (profile_id, item_type_id, item_id) DO NOTHING)sql"};

constexpr db::Query kFind{"watcher_find", R"sql(
  SELECT watcher_id, profile_id, item_type_id, item_id,
         COALESCE((EXTRACT(EPOCH FROM last_notified) * 1000000)::bigint, 0) AS last_notified_micros, send_email, send_sms
  FROM watchers WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4)sql"};

constexpr db::Query kGet{"watcher_get", R"sql(
  SELECT watcher_id, profile_id, item_type_id, item_id,
         COALESCE((EXTRACT(EPOCH FROM last_notified) * 1000000)::bigint, 0) AS last_notified_micros, send_email, send_sms
  FROM watchers WHERE site_id = $1 AND watcher_id = $2)sql"};

constexpr db::Query kCount{"watcher_count", R"sql(
  SELECT COUNT(*) AS total FROM watchers WHERE site_id = $1 AND profile_id = $2)sql"};

constexpr db::Query kPage{"watcher_page", R"sql(
  SELECT watcher_id, profile_id, item_type_id, item_id,
         COALESCE((EXTRACT(EPOCH FROM last_notified) * 1000000)::bigint, 0) AS last_notified_micros, send_email, send_sms
  FROM watchers WHERE site_id = $1 AND profile_id = $2
  ORDER BY last_notified DESC NULLS FIRST, item_type_id, item_id DESC LIMIT $3 OFFSET $4)sql"};

constexpr db::Query kDeleteById{"watcher_delete_by_id", R"sql(
  DELETE FROM watchers WHERE site_id = $1 AND watcher_id = $2 RETURNING watcher_id)sql"};

constexpr db::Query kDeleteOnItem{"watcher_delete_on_item", R"sql(
  DELETE FROM watchers WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4
  RETURNING watcher_id)sql"};

constexpr db::Query kSetDelivery{"watcher_set_delivery", R"sql(
  UPDATE watchers SET send_email = $5, send_sms = $6
  WHERE site_id = $1 AND profile_id = $2 AND item_type_id = $3 AND item_id = $4 RETURNING watcher_id)sql"};

constexpr db::Query kFollowed{"watcher_followed_profiles", R"sql(
  SELECT item_id FROM watchers WHERE site_id = $1 AND profile_id = $2 AND item_type_id = 3 AND item_id > 0
  ORDER BY item_id)sql"};

constexpr db::Query kTypeExists{"update_type_exists", R"sql(
  SELECT EXISTS (SELECT 1 FROM update_types WHERE update_type_id = $1) AS found)sql"};

constexpr db::Query kPreferences{"update_options_of_profile", R"sql(
  SELECT o.update_type_id, t.description, o.send_email, o.send_sms
  FROM update_options o JOIN update_types t ON t.update_type_id = o.update_type_id
  JOIN profiles p ON p.profile_id = o.profile_id AND p.site_id = $1
  WHERE o.profile_id = $2 AND ($3::smallint IS NULL OR o.update_type_id = $3)
  ORDER BY o.update_type_id)sql"};

constexpr db::Query kSetPreference{"update_options_set", R"sql(
  INSERT INTO update_options (profile_id, update_type_id, send_email, send_sms)
  SELECT p.profile_id, $3, $4, $5 FROM profiles p WHERE p.site_id = $1 AND p.profile_id = $2
  ON CONFLICT (profile_id, update_type_id) DO UPDATE SET send_email = EXCLUDED.send_email,
    send_sms = EXCLUDED.send_sms)sql"};

Watcher watcher_from_row(const pqxx::row& r) {
  Watcher w;
  w.id = r["watcher_id"].as<WatcherId>();
  w.profile = r["profile_id"].as<ProfileId>();
  w.item = ItemRef(r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>());
  w.last_notified_micros = r["last_notified_micros"].as<std::int64_t>();
  w.send_email = r["send_email"].as<bool>();
  w.send_sms = r["send_sms"].as<bool>();
  return w;
}

UpdatePreference preference_from_row(const pqxx::row& r) {
  return {r["update_type_id"].as<int>(), r["description"].as<std::string>(), r["send_email"].as<bool>(),
          r["send_sms"].as<bool>()};
}

}  // namespace

void WatcherStore::register_statements(db::Statements& st) {
  st.add({kMaterialise, kInsertWatcher, kFind, kGet, kCount, kPage, kDeleteById, kDeleteOnItem, kSetDelivery,
          kFollowed, kTypeExists, kPreferences, kSetPreference});
}

void WatcherStore::watch(pqxx::transaction_base& tx, SiteId site, ProfileId profile, ItemRef item,
                         UpdateType update_type) {
  const int type = static_cast<int>(update_type);
  db::exec(tx, kMaterialise, site, profile, std::optional<int>(type));
  db::exec(tx, kInsertWatcher, site, profile, item.type, item.id, type);
}

void WatcherStore::unwatch(pqxx::transaction_base& tx, SiteId site, ProfileId profile, ItemRef item) {
  db::exec(tx, kDeleteOnItem, site, profile, item.type, item.id);
}

Watcher WatcherStore::watch(SiteId site, ProfileId profile, ItemRef item, UpdateType update_type) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    watch(tx, site, profile, item, update_type);
    auto found = db::first_row(db::exec(tx, kFind, site, profile, item.type, item.id), watcher_from_row);
    tx.commit();
    if (!found) throw std::runtime_error("watcher of a profile not on this site");
    return *found;
  });
}

std::optional<Watcher> WatcherStore::find(SiteId site, ProfileId profile, ItemRef item) {
  return db::first_row(db::read(pool_, kFind, site, profile, item.type, item.id), watcher_from_row);
}

std::optional<Watcher> WatcherStore::get(SiteId site, WatcherId id) {
  return db::first_row(db::read(pool_, kGet, site, id), watcher_from_row);
}

WatcherStore::Page WatcherStore::list(SiteId site, ProfileId profile, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    Page p;
    p.total = db::read(c, kCount, site, profile)[0]["total"].as<std::int64_t>();
    p.items = db::map_rows(db::read(c, kPage, site, profile, limit, offset), watcher_from_row);
    return p;
  });
}

bool WatcherStore::remove(SiteId site, WatcherId id) { return !db::write(pool_, kDeleteById, site, id).empty(); }

bool WatcherStore::remove(SiteId site, ProfileId profile, ItemRef item) {
  return !db::write(pool_, kDeleteOnItem, site, profile, item.type, item.id).empty();
}

bool WatcherStore::set_delivery(SiteId site, ProfileId profile, ItemRef item, bool send_email, bool send_sms) {
  return !db::write(pool_, kSetDelivery, site, profile, item.type, item.id, send_email, send_sms).empty();
}

std::vector<ProfileId> WatcherStore::followed(SiteId site, ProfileId profile) {
  return db::column<ProfileId>(db::read(pool_, kFollowed, site, profile));
}

bool WatcherStore::update_type_exists(int update_type) {
  return db::read(pool_, kTypeExists, update_type)[0]["found"].as<bool>();
}

std::vector<UpdatePreference> WatcherStore::preferences(SiteId site, ProfileId profile) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    db::exec(tx, kMaterialise, site, profile, std::optional<int>());
    auto rows = db::map_rows(db::exec(tx, kPreferences, site, profile, std::optional<int>()), preference_from_row);
    tx.commit();
    return rows;
  });
}

std::optional<UpdatePreference> WatcherStore::preference(SiteId site, ProfileId profile, int update_type) {
  return db::first_row(db::read(pool_, kPreferences, site, profile, std::optional<int>(update_type)),
                       preference_from_row);
}

void WatcherStore::set_preference(SiteId site, ProfileId profile, int update_type, bool send_email, bool send_sms) {
  db::write(pool_, kSetPreference, site, profile, update_type, send_email, send_sms);
}

}  // namespace agora::store
