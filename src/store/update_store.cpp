#include "agora/store/update_store.hpp"

#include <pqxx/pqxx>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr db::Query kEnqueue{"update_enqueue", R"sql(
  INSERT INTO update_queue (site_id, trigger_type, item_type_id, item_id, actor_id) VALUES ($1, $2, $3, $4, $5))sql"};

constexpr db::Query kClaim{"update_claim", R"sql(
  SELECT queue_id, site_id, trigger_type, item_type_id, item_id, actor_id FROM update_queue
  WHERE attempts < 5 ORDER BY queue_id LIMIT 1 FOR UPDATE SKIP LOCKED)sql"};

constexpr db::Query kInsertUpdates{"update_insert_many", R"sql(
  INSERT INTO updates (site_id, for_profile_id, update_type_id, item_type_id, item_id, created_by, parent_item_type_id,
                       parent_item_id)
  SELECT $1, u.recipient, u.type, u.item_type, u.item_id, $2, u.parent_type, u.parent_id
  FROM unnest($3::bigint[], $4::smallint[], $5::smallint[], $6::bigint[], $7::smallint[], $8::bigint[])
       AS u(recipient, type, item_type, item_id, parent_type, parent_id)
  JOIN profiles p ON p.profile_id = u.recipient AND p.site_id = $1)sql"};

constexpr db::Query kDequeue{"update_dequeue", R"sql(DELETE FROM update_queue WHERE queue_id = $1)sql"};

constexpr db::Query kFailed{"update_failed", R"sql(
  UPDATE update_queue SET attempts = attempts + 1, last_error = $2 WHERE queue_id = $1)sql"};

// $2/$3 the item (its watchers when $7), $4 its microcosm (0: none), $5 the site's watchers
// too, $6 the actor.
constexpr db::Query kWatchersOf{"update_watchers_of", R"sql(
  SELECT DISTINCT ON (w.profile_id) w.profile_id, w.watcher_id, w.send_email
  FROM watchers w
  WHERE w.site_id = $1 AND w.profile_id <> $6
    AND (($7 AND w.item_type_id = $2 AND w.item_id = $3) OR (w.item_type_id = 2 AND w.item_id = $4 AND $4 <> 0)
         OR ($5 AND w.item_type_id = 1 AND w.item_id = $1))
    AND NOT EXISTS (SELECT 1 FROM ignores i WHERE i.site_id = $1 AND i.profile_id = w.profile_id
                    AND ((i.item_type_id = 3 AND i.item_id = $6) OR (i.item_type_id = $2 AND i.item_id = $3)
                         OR (i.item_type_id = 2 AND i.item_id = $4)))
  ORDER BY w.profile_id, (w.item_type_id = $2) DESC, (w.item_type_id = 2) DESC)sql"};

constexpr db::Query kMentioned{"update_mentioned", R"sql(
  SELECT m.profile_id FROM mentions m JOIN comments c ON c.comment_id = m.comment_id AND c.site_id = $1
  WHERE m.comment_id = $2 ORDER BY m.profile_id)sql"};

// GET /updates (§3.3): the profile's listed updates, collapsed per group (newest kept), those
// it may still see ($3: readable, not ignored microcosms), newest first, with the totals.
// `home`: what a comment is on, or the item itself. Unread: created after the newest of the
// profile's markers on the home item, its forum, or all huddles.
constexpr db::Query kPage{"update_page", R"sql(
  WITH mine AS (
    SELECT u.*,
           CASE WHEN u.item_type_id = 4 THEN u.parent_item_type_id ELSE u.item_type_id END AS home_type,
           CASE WHEN u.item_type_id = 4 THEN u.parent_item_id ELSE u.item_id END AS home_id,
           CASE WHEN u.update_type_id IN (1, 4) THEN 'p' || u.parent_item_type_id || ':' || u.parent_item_id
                WHEN u.update_type_id IN (2, 3) THEN 't' || u.update_type_id || ':' || u.item_id
                ELSE 'i' || u.item_type_id || ':' || u.item_id END AS grp
    FROM updates u
    WHERE u.site_id = $1 AND u.for_profile_id = $2 AND u.update_type_id IN (1, 2, 3, 4, 8)),
  shown AS (
    SELECT DISTINCT ON (m.grp) m.update_id, m.update_type_id, m.item_type_id, m.item_id, m.parent_item_type_id,
           m.parent_item_id, m.created_by, m.created,
           m.created > COALESCE((SELECT MAX(r.read) FROM read_markers r
                                 WHERE r.profile_id = $2
                                   AND ((r.item_type_id = m.home_type AND r.item_id = m.home_id)
                                        OR (r.item_type_id = 2
                                            AND r.item_id = COALESCE(cv.microcosm_id, ev.microcosm_id, pl.microcosm_id))
                                        OR (m.home_type = 5 AND r.item_type_id = 5 AND r.item_id = 0))),
                                'epoch'::timestamp) AS unread
    FROM mine m
    LEFT JOIN comments c ON m.item_type_id = 4 AND c.comment_id = m.item_id
    LEFT JOIN conversations cv ON m.home_type = 6 AND cv.conversation_id = m.home_id
    LEFT JOIN events ev ON m.home_type = 9 AND ev.event_id = m.home_id
    LEFT JOIN polls pl ON m.home_type = 7 AND pl.poll_id = m.home_id
    WHERE (m.item_type_id <> 4 OR (NOT c.is_deleted AND NOT c.is_moderated))
      AND CASE m.home_type
            WHEN 6 THEN NOT cv.is_deleted AND NOT cv.is_moderated AND cv.microcosm_id = ANY($3::bigint[])
            WHEN 9 THEN NOT ev.is_deleted AND NOT ev.is_moderated AND ev.microcosm_id = ANY($3::bigint[])
            WHEN 7 THEN NOT pl.is_deleted AND NOT pl.is_moderated AND pl.microcosm_id = ANY($3::bigint[])
            WHEN 5 THEN EXISTS (SELECT 1 FROM huddle_profiles hp WHERE hp.huddle_id = m.home_id AND hp.profile_id = $2)
            ELSE false END
      AND NOT EXISTS (SELECT 1 FROM ignores i WHERE i.site_id = $1 AND i.profile_id = $2
                      AND ((i.item_type_id = 3 AND i.item_id = m.created_by)
                           OR (i.item_type_id = m.home_type AND i.item_id = m.home_id)))
      AND (m.update_type_id NOT IN (1, 4)
           OR EXISTS (SELECT 1 FROM watchers w WHERE w.profile_id = $2 AND w.item_type_id = m.home_type
                      AND w.item_id = m.home_id))
    ORDER BY m.grp, m.created DESC, m.update_id DESC)
  SELECT update_id, update_type_id, item_type_id, item_id, parent_item_type_id, parent_item_id, created_by,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, unread,
         COUNT(*) OVER () AS total, COUNT(*) FILTER (WHERE unread) OVER () AS unread_total
  FROM shown ORDER BY created DESC, update_id DESC LIMIT $4 OFFSET $5)sql"};

constexpr db::Query kGetOne{"update_get", R"sql(
  SELECT update_id, update_type_id, item_type_id, item_id, parent_item_type_id, parent_item_id, created_by,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, false AS unread
  FROM updates WHERE site_id = $1 AND for_profile_id = $2 AND update_id = $3)sql"};

Update update_from_row(const pqxx::row& r) {
  Update u;
  u.id = r["update_id"].as<UpdateId>();
  u.type = static_cast<UpdateType>(r["update_type_id"].as<int>());
  u.item = ItemRef(r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>());
  if (r["parent_item_id"].as<std::int64_t>() != 0) {
    u.parent = ItemRef(r["parent_item_type_id"].as<ItemType>(), r["parent_item_id"].as<std::int64_t>());
  }
  u.created_by = r["created_by"].as<ProfileId>();
  u.created_micros = r["created_micros"].as<std::int64_t>();
  u.unread = r["unread"].as<bool>();
  return u;
}

constexpr db::Query kQueued{"update_queued", R"sql(SELECT COUNT(*) AS n FROM update_queue WHERE attempts < 5)sql"};

}  // namespace

void UpdateStore::register_statements(db::Statements& st) {
  st.add({kEnqueue, kClaim, kInsertUpdates, kDequeue, kFailed, kWatchersOf, kMentioned, kQueued, kPage, kGetOne});
}

void UpdateStore::enqueue(pqxx::transaction_base& tx, SiteId site, UpdateTrigger trigger, ItemRef item,
                          ProfileId actor) {
  db::exec(tx, kEnqueue, site, static_cast<int>(trigger), item.type, item.id, actor);
}

std::optional<QueuedTrigger> UpdateStore::claim(pqxx::transaction_base& tx) {
  return db::first_row(db::exec(tx, kClaim), [](const pqxx::row& r) {
    return QueuedTrigger{r["queue_id"].as<std::int64_t>(), r["site_id"].as<SiteId>(),
                         static_cast<UpdateTrigger>(r["trigger_type"].as<int>()),
                         ItemRef(r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>()),
                         r["actor_id"].as<ProfileId>()};
  });
}

void UpdateStore::complete(pqxx::transaction_base& tx, const QueuedTrigger& t, const std::vector<NewUpdate>& updates) {
  if (!updates.empty()) {
    std::vector<std::int64_t> recipients, types, item_types, items, parent_types, parents;
    for (const auto& u : updates) {
      recipients.push_back(u.recipient.value());
      types.push_back(static_cast<int>(u.type));
      item_types.push_back(item_type_id(u.item.type));
      items.push_back(u.item.id);
      parent_types.push_back(u.parent.id ? item_type_id(u.parent.type) : 0);
      parents.push_back(u.parent.id);
    }
    db::exec(tx, kInsertUpdates, t.site, t.actor, int_array_literal(recipients), int_array_literal(types),
             int_array_literal(item_types), int_array_literal(items), int_array_literal(parent_types),
             int_array_literal(parents));
  }
  db::exec(tx, kDequeue, t.id);
}

void UpdateStore::failed(std::int64_t id, const std::string& error) { db::write(pool_, kFailed, id, error); }

std::vector<WatchingRecipient> UpdateStore::watchers_of(SiteId site, ItemRef item, bool item_watchers,
                                                        std::optional<MicrocosmId> microcosm, bool site_watchers,
                                                        ProfileId actor) {
  return db::map_rows(db::read(pool_, kWatchersOf, site, item.type, item.id, microcosm.value_or(MicrocosmId{}).value(),
                               site_watchers, actor, item_watchers),
                      [](const pqxx::row& r) {
                        return WatchingRecipient{r["profile_id"].as<ProfileId>(), r["watcher_id"].as<WatcherId>(),
                                                 r["send_email"].as<bool>()};
                      });
}

std::vector<ProfileId> UpdateStore::mentioned(SiteId site, CommentId comment) {
  return db::column<ProfileId>(db::read(pool_, kMentioned, site, comment));
}

std::int64_t UpdateStore::queued() { return db::read(pool_, kQueued)[0]["n"].as<std::int64_t>(); }

UpdateStore::Page UpdateStore::list(SiteId site, ProfileId profile, const std::vector<MicrocosmId>& readable, int limit,
                                    int offset) {
  Page p;
  auto rows = db::read(pool_, kPage, site, profile, int_array_literal(readable), limit, offset);
  if (rows.empty() && offset > 0) {
    rows = db::read(pool_, kPage, site, profile, int_array_literal(readable), 1, 0);  // the totals only
  } else {
    p.items = db::map_rows(rows, update_from_row);
  }
  if (!rows.empty()) {
    p.total = rows[0]["total"].as<std::int64_t>();
    p.unread = rows[0]["unread_total"].as<std::int64_t>();
  }
  return p;
}

std::optional<Update> UpdateStore::get(SiteId site, ProfileId profile, UpdateId id) {
  return db::first_row(db::read(pool_, kGetOne, site, profile, id), update_from_row);
}

}  // namespace agora::store
