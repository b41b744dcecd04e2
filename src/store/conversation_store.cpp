#include "agora/store/conversation_store.hpp"

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/update_store.hpp"
#include "agora/store/watcher_store.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectMany{"conversation_select_many", R"sql(
  SELECT conversation_id, site_id, microcosm_id, title,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason, is_sticky, is_open, is_deleted, is_moderated,
         comment_count, view_count, (EXTRACT(EPOCH FROM last_modified) * 1000000)::bigint AS last_modified_micros
  FROM conversations WHERE site_id = $1 AND conversation_id = ANY($2::bigint[]))sql"};

// The site-wide order is the site index's order: walking it and filtering by microcosm (an
// index-only scan, microcosm_id is INCLUDEd) stops after offset + limit rows. `+ 0` keeps the
// planner from collecting every row of the readable forums through the per-forum index and
// sorting them (40 ms at 100,000 conversations; walking the index is a few ms).
// The caller passes only visible forums (a hidden forum hides its subtree), so the rows need
// no per-row ancestor check here.
constexpr db::Query kPageOfSite{"conversation_list_page", R"sql(
  SELECT c.conversation_id FROM conversations c
  WHERE c.site_id = $1 AND c.microcosm_id + 0 = ANY($2::bigint[])
    AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated
  ORDER BY c.is_sticky DESC, c.last_modified DESC, c.conversation_id DESC LIMIT $4 OFFSET $5)sql"};

// When the readable forums hold few of the site's conversations, walking the site index
// would pass over most of it: collect their rows through the per-forum index and sort.
constexpr db::Query kPageOfForums{"conversation_list_page_by_forum", R"sql(
  SELECT c.conversation_id FROM conversations c
  WHERE c.site_id = $1 AND c.microcosm_id = ANY($2::bigint[])
    AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated
  ORDER BY c.is_sticky DESC, c.last_modified DESC, c.conversation_id DESC LIMIT $4 OFFSET $5)sql"};

// One forum's rows come from the per-forum index; `site_id + 0` keeps generic plans from
// walking the whole site index instead (it INCLUDEs microcosm_id, so it looks cheap: 22 ms
// against 0.3 ms for a forum of 500 conversations among 100,000).
constexpr db::Query kCountInForum{"conversation_count_in", R"sql(
  SELECT COUNT(*) FILTER (WHERE c.is_sticky) AS sticky, COUNT(*) FILTER (WHERE NOT c.is_sticky) AS others
  FROM conversations c
  WHERE c.site_id + 0 = $1 AND c.microcosm_id = $2
    AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated)sql"};

constexpr db::Query kSliceInForum{"conversation_slice_in", R"sql(
  SELECT c.conversation_id FROM conversations c
  WHERE c.site_id + 0 = $1 AND c.microcosm_id = $2
    AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated
    AND c.is_sticky = $4
  ORDER BY c.last_modified DESC, c.conversation_id DESC LIMIT $5 OFFSET $6)sql"};

// One backward probe of the page index per conversation (DISTINCT ON read every comment of
// every listed conversation: 0.7 ms a page with busy threads).
constexpr db::Query kFindDuplicate{"conversation_duplicate", R"sql(
  SELECT conversation_id FROM conversations
  WHERE site_id = $1 AND microcosm_id = $2 AND created_by = $3 AND title = $4
    AND created > (now() AT TIME ZONE 'UTC') - interval '5 minutes' AND NOT is_deleted
  ORDER BY conversation_id DESC LIMIT 1)sql"};

constexpr db::Query kInsert{"conversation_insert", R"sql(
  INSERT INTO conversations (site_id, microcosm_id, title, created_by) VALUES ($1, $2, $3, $4)
  RETURNING conversation_id)sql"};

// Conversation $4 enters ($3 = 1) or leaves ($3 = -1) microcosm $2's counts with its comments. The
// conversation row is locked by the statement before, so its comment count is exact.
constexpr db::Query kAddItems{"conversation_microcosm_items", R"sql(
  UPDATE microcosms SET item_count = GREATEST(item_count + $3, 0),
    conversation_count = GREATEST(conversation_count + $3, 0),
    comment_count = GREATEST(comment_count + $3 * (SELECT comment_count FROM conversations WHERE conversation_id = $4), 0)
  WHERE site_id = $1 AND microcosm_id = $2)sql"};

// The two writes return the row's state before the change, read under the row lock, so that
// concurrent writers adjust the counters exactly once.
constexpr db::Query kUpdate{"conversation_update", R"sql(
  UPDATE conversations c SET title = $3, microcosm_id = $4, edited = (now() AT TIME ZONE 'UTC'), edited_by = $5,
    edit_reason = $6
  FROM (SELECT conversation_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted,
               is_moderated AS was_moderated
        FROM conversations WHERE site_id = $1 AND conversation_id = $2 FOR UPDATE) o
  WHERE c.conversation_id = o.id
  RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated) AS counted_before,
            NOT (c.is_deleted OR c.is_moderated) AS counted_now)sql"};

constexpr db::Query kUpdateFlags{"conversation_flags", R"sql(
  UPDATE conversations c SET is_sticky = COALESCE($3::boolean, c.is_sticky), is_open = COALESCE($4::boolean, c.is_open),
    is_deleted = COALESCE($5::boolean, c.is_deleted), is_moderated = COALESCE($6::boolean, c.is_moderated),
    edited = (now() AT TIME ZONE 'UTC'), edited_by = $7, edit_reason = $8
  FROM (SELECT conversation_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted,
               is_moderated AS was_moderated
        FROM conversations WHERE site_id = $1 AND conversation_id = $2 FOR UPDATE) o
  WHERE c.conversation_id = o.id
  RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated) AS counted_before,
            NOT (c.is_deleted OR c.is_moderated) AS counted_now)sql"};

Conversation conversation_from_row(const pqxx::row& r) {
  Conversation c;
  c.id = r["conversation_id"].as<ConversationId>();
  c.site_id = r["site_id"].as<SiteId>();
  c.microcosm_id = r["microcosm_id"].as<MicrocosmId>();
  c.title = r["title"].as<std::string>();
  c.created_micros = r["created_micros"].as<std::int64_t>();
  c.created_by = r["created_by"].as<ProfileId>();
  c.edited_micros = r["edited_micros"].as<std::int64_t>();
  c.edited_by = r["edited_by"].as<ProfileId>();
  c.edit_reason = r["edit_reason"].as<std::string>();
  c.sticky = r["is_sticky"].as<bool>();
  c.open = r["is_open"].as<bool>();
  c.deleted = r["is_deleted"].as<bool>();
  c.moderated = r["is_moderated"].as<bool>();
  c.comment_count = r["comment_count"].as<std::int64_t>();
  c.view_count = r["view_count"].as<std::int64_t>();
  c.last_modified_micros = r["last_modified_micros"].as<std::int64_t>();
  return c;
}

std::string key(ConversationId id) { return cache::item_key("conv", id.value()); }

}  // namespace

void ConversationStore::register_statements(db::Statements& st) {
  st.add({kSelectMany, kPageOfSite, kPageOfForums, kCountInForum, kSliceInForum, kFindDuplicate, kInsert, kAddItems,
          kUpdate, kUpdateFlags});
}

std::optional<Conversation> ConversationStore::get(SiteId site, ConversationId id) {
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Conversation> ConversationStore::get_many(SiteId site, const std::vector<ConversationId>& ids) {
  static const ItemCodec<Conversation, ConversationId> codec{
      &key, &encode_conversation, &decode_conversation, [](const Conversation& c) { return c.id; },
      [](const Conversation& c) { return c.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<ConversationId>& missing) {
                        return db::map_rows(db::read(pool_, kSelectMany, site, int_array_literal(missing)),
                                            conversation_from_row);
                      });
}

std::vector<ConversationId> ConversationStore::list(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                                    const std::vector<ConversationId>& ignored, int limit, int offset,
                                                    bool most_of_site) {
  return db::column<ConversationId>(db::read(pool_, most_of_site ? kPageOfSite : kPageOfForums, site,
                                             int_array_literal(microcosms), int_array_literal(ignored), limit, offset));
}

std::pair<std::int64_t, std::int64_t> ConversationStore::count_in(SiteId site, MicrocosmId microcosm,
                                                                  const std::vector<ConversationId>& ignored) {
  const auto r = db::read(pool_, kCountInForum, site, microcosm, int_array_literal(ignored))[0];
  return {r["sticky"].as<std::int64_t>(), r["others"].as<std::int64_t>()};
}

std::vector<ConversationId> ConversationStore::slice_in(SiteId site, MicrocosmId microcosm, bool sticky,
                                                        const std::vector<ConversationId>& ignored, int limit,
                                                        int offset) {
  if (limit <= 0) return {};
  return db::column<ConversationId>(
      db::read(pool_, kSliceInForum, site, microcosm, int_array_literal(ignored), sticky, limit, offset));
}



ConversationStore::Created ConversationStore::create(SiteId site, MicrocosmId microcosm, const std::string& title,
                                                     ProfileId by) {
  auto made = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto dup = db::exec(tx, kFindDuplicate, site, microcosm, by, title);
    if (!dup.empty()) return Created{dup[0]["conversation_id"].as<ConversationId>(), true};
    const auto id = db::exec(tx, kInsert, site, microcosm, title, by)[0]["conversation_id"].as<ConversationId>();
    db::exec(tx, kAddItems, site, microcosm, 1, id);
    ProfileStore::add_items(tx, site, by, 1);
    WatcherStore::watch(tx, site, by, id, UpdateType::new_comment);  // §2.3 auto-watch
    UpdateStore::enqueue(tx, site, UpdateTrigger::new_item, id, by);
    tx.commit();
    return Created{id, false};
  });
  if (!made.duplicate) {
    microcosms_.flush(microcosm);
    profiles_.flush(by);
  }
  return made;
}

void ConversationStore::update(SiteId site, const Conversation& c, const std::string& title, MicrocosmId microcosm,
                               ProfileId by, const std::string& reason) {
  auto old = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdate, site, c.id, title, microcosm, by, reason);
    if (r.empty()) throw Error(ErrorKind::not_found, "Conversation " + std::to_string(c.id.value()) + " not found");
    const auto from = r[0]["old_microcosm"].as<MicrocosmId>();
    if (from != microcosm && r[0]["counted_before"].as<bool>()) {
      // Both forums' rows are locked in id order, so crossing moves cannot deadlock.
      if (from < microcosm) {
        db::exec(tx, kAddItems, site, from, -1, c.id);
        db::exec(tx, kAddItems, site, microcosm, 1, c.id);
      } else {
        db::exec(tx, kAddItems, site, microcosm, 1, c.id);
        db::exec(tx, kAddItems, site, from, -1, c.id);
      }
    }
    tx.commit();
    return from;
  });
  flush(c.id);
  microcosms_.flush(old);
  microcosms_.flush(microcosm);
}

void ConversationStore::set_flags(SiteId site, const Conversation& c, const ConversationFlags& f, ProfileId by,
                                  const std::string& reason) {
  auto home = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdateFlags, site, c.id, f.sticky, f.open, f.deleted, f.moderated, by, reason);
    const auto locked = r.empty() ? c.microcosm_id : r[0]["old_microcosm"].as<MicrocosmId>();
    // Whether the item counts is decided from the row before and after, under its lock.
    if (!r.empty() && r[0]["counted_before"].as<bool>() != r[0]["counted_now"].as<bool>()) {
      const int delta = r[0]["counted_now"].as<bool>() ? 1 : -1;
      db::exec(tx, kAddItems, site, locked, delta, c.id);
      ProfileStore::add_items(tx, site, c.created_by, delta);
    }
    tx.commit();
    return locked;
  });
  flush(c.id);
  microcosms_.flush(home);
  profiles_.flush(c.created_by);
}

void ConversationStore::flush(ConversationId id) { cache_.remove(key(id)); }

}  // namespace agora::store
