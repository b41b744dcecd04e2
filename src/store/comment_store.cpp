#include "agora/store/comment_store.hpp"

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/sql_arrays.hpp"
#include "agora/store/update_store.hpp"
#include "agora/store/watcher_store.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectMany{"comment_select_many", R"sql(
  SELECT c.comment_id, c.site_id, c.item_type_id, c.item_id, c.profile_id,
         (EXTRACT(EPOCH FROM c.created) * 1000000)::bigint AS created_micros,
         COALESCE(c.in_reply_to, 0) AS in_reply_to, c.is_deleted, c.is_moderated,
         (SELECT COUNT(*) FROM revisions n WHERE n.comment_id = c.comment_id) AS revisions,
         r.raw, r.html, (EXTRACT(EPOCH FROM r.created) * 1000000)::bigint AS revised_micros,
         r.profile_id AS revised_by
  FROM comments c JOIN revisions r ON r.comment_id = c.comment_id AND r.is_current
  WHERE c.site_id = $1 AND c.comment_id = ANY($2::bigint[]))sql"};

// The visible comments of item ($2, $3) are those neither deleted nor moderated nor by an
// author the reader ignores ($4).

constexpr db::Query kCountPage{"comment_page_count", R"sql(
  SELECT COUNT(*) FROM comments c
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[])))sql"};

// The page and the total in one round trip (the window counts every row before LIMIT).
constexpr db::Query kSelectPage{"comment_page", R"sql(
  SELECT c.comment_id, COUNT(*) OVER () AS total FROM comments c
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[]))
  ORDER BY c.created, c.comment_id LIMIT $5 OFFSET $6)sql"};

constexpr db::Query kSelectPageIds{"comment_page_ids", R"sql(
  SELECT c.comment_id FROM comments c
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[]))
  ORDER BY c.created, c.comment_id LIMIT $5 OFFSET $6)sql"};

constexpr db::Query kCountPosition{"comment_position", R"sql(
  SELECT COUNT(*) FROM comments c
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[]))
    AND (c.created, c.comment_id) <= (to_timestamp($5::bigint / 1000000.0) AT TIME ZONE 'UTC', $6))sql"};

constexpr db::Query kSelectNewest{"comment_newest", R"sql(
  SELECT c.comment_id FROM comments c
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[]))
  ORDER BY c.created DESC, c.comment_id DESC LIMIT 1)sql"};

constexpr db::Query kSelectFirstAfter{"comment_first_after", R"sql(
  SELECT c.comment_id FROM comments c
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[]))
    AND c.created > to_timestamp($5::bigint / 1000000.0) AT TIME ZONE 'UTC'
  ORDER BY c.created, c.comment_id LIMIT 1)sql"};

constexpr db::Query kNewestOfItems{"comment_newest_of_items", R"sql(
  SELECT x.id AS item_id, l.comment_id, (EXTRACT(EPOCH FROM l.created) * 1000000)::bigint AS created_micros,
         l.profile_id
  FROM unnest($3::bigint[]) AS x (id)
  CROSS JOIN LATERAL (SELECT comment_id, created, profile_id FROM comments
                      WHERE site_id = $1 AND item_type_id = $2 AND item_id = x.id AND NOT is_deleted AND NOT is_moderated
                      ORDER BY created DESC, comment_id DESC LIMIT 1) l)sql"};

constexpr db::Query kSelectReplies{"comment_replies", R"sql(
  SELECT c.comment_id FROM comments c
  WHERE c.site_id = $1 AND c.in_reply_to = $2
    AND NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($3::bigint[]))
  ORDER BY c.created, c.comment_id)sql"};

constexpr db::Query kFindDuplicate{"comment_duplicate", R"sql(
  SELECT c.comment_id FROM comments c JOIN revisions r ON r.comment_id = c.comment_id AND r.is_current
  WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3 AND c.profile_id = $4 AND r.raw = $5
    AND NOT c.is_deleted AND c.created > (now() AT TIME ZONE 'UTC') - interval '5 minutes'
  ORDER BY c.comment_id DESC LIMIT 1)sql"};

// The comment, its first revision, its mentions and the revision's links in one statement
// (the foreign keys are checked at its end, when every row exists).
constexpr db::Query kInsertComment{"comment_insert", R"sql(
  WITH c AS (INSERT INTO comments (site_id, item_type_id, item_id, profile_id, in_reply_to)
             VALUES ($1::bigint, $2::int, $3::bigint, $4::bigint, NULLIF($5::bigint, 0)) RETURNING comment_id, created),
       r AS (INSERT INTO revisions (comment_id, profile_id, raw, html, created)
             SELECT c.comment_id, $4::bigint, $6::text, $7::text, c.created FROM c RETURNING revision_id),
       m AS (INSERT INTO mentions (comment_id, profile_id)
             SELECT c.comment_id, p.profile_id FROM c, profiles p
             WHERE p.site_id = $1::bigint AND p.profile_id = ANY($8::bigint[]) ON CONFLICT DO NOTHING),
       l AS (INSERT INTO revision_links (revision_id, link_id)
             SELECT r.revision_id, x FROM r, unnest($9::bigint[]) x ON CONFLICT DO NOTHING)
  SELECT c.comment_id, c.created FROM c)sql"};

// A visible comment's counters in one statement: its item's (the one of conversations,
// events, polls and huddles whose type is $2; its row locked first, as everywhere), the
// item's microcosm when the item itself is visible, and the author's. Huddle comments stay
// out of the author's public comment count: a private conversation is not counted for others.
constexpr db::Query kCountsOnItem{"comment_counts_item", R"sql(
  WITH conv AS (UPDATE conversations SET comment_count = GREATEST(comment_count + $4, 0),
                  last_modified = CASE WHEN $4 > 0 THEN GREATEST(last_modified, $5::timestamp) ELSE last_modified END
                WHERE $2::int = 6 AND site_id = $1 AND conversation_id = $3
                RETURNING microcosm_id, NOT (is_deleted OR is_moderated) AS shown),
       ev AS (UPDATE events SET comment_count = GREATEST(comment_count + $4, 0),
                last_modified = CASE WHEN $4 > 0 THEN GREATEST(last_modified, $5::timestamp) ELSE last_modified END
              WHERE $2::int = 9 AND site_id = $1 AND event_id = $3
              RETURNING microcosm_id, NOT (is_deleted OR is_moderated) AS shown),
       po AS (UPDATE polls SET comment_count = GREATEST(comment_count + $4, 0),
                last_modified = CASE WHEN $4 > 0 THEN GREATEST(last_modified, $5::timestamp) ELSE last_modified END
              WHERE $2::int = 7 AND site_id = $1 AND poll_id = $3
              RETURNING microcosm_id, NOT (is_deleted OR is_moderated) AS shown),
       hu AS (UPDATE huddles SET comment_count = GREATEST(comment_count + $4, 0),
                last_modified = CASE WHEN $4 > 0 THEN GREATEST(last_modified, $5::timestamp) ELSE last_modified END
              WHERE $2::int = 5 AND site_id = $1 AND huddle_id = $3
              RETURNING 0::bigint AS microcosm_id, false AS shown),
       item AS (SELECT * FROM conv UNION ALL SELECT * FROM ev UNION ALL SELECT * FROM po UNION ALL SELECT * FROM hu),
       forum AS (UPDATE microcosms m SET comment_count = GREATEST(m.comment_count + $4, 0) FROM item
                 WHERE item.shown AND m.site_id = $1 AND m.microcosm_id = item.microcosm_id),
       author AS (UPDATE profiles SET comment_count = GREATEST(comment_count + $4, 0)
                  WHERE $2::int <> 5 AND site_id = $1 AND profile_id = $6)
  SELECT microcosm_id, shown FROM item)sql"};

constexpr db::Query kInsertRevision{"comment_revision_insert", R"sql(
  INSERT INTO revisions (comment_id, profile_id, raw, html, created)
  VALUES ($1, $2, $3, $4, COALESCE($5, now() AT TIME ZONE 'UTC')) RETURNING revision_id)sql"};

constexpr db::Query kRetireRevisions{"comment_revisions_retire", R"sql(
  UPDATE revisions SET is_current = false WHERE comment_id = $1 AND is_current)sql"};

constexpr db::Query kInsertRevisionLinks{"comment_revision_links_insert", R"sql(
  INSERT INTO revision_links (revision_id, link_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING)sql"};

constexpr db::Query kCountOnProfile{"comment_count_profile", R"sql(
  UPDATE profiles SET comment_count = GREATEST(comment_count + $3, 0) WHERE site_id = $1 AND profile_id = $2)sql"};

// After a removal the item's activity time is its newest remaining comment (§2.7), left
// unchanged when none remains.
constexpr db::Query kRecomputeLastModified{"comment_item_last_modified", R"sql(
  WITH newest AS (SELECT MAX(m.created) AS t FROM comments m
                  WHERE m.site_id = $1 AND m.item_type_id = $2 AND m.item_id = $3
                    AND NOT m.is_deleted AND NOT m.is_moderated),
       conv AS (UPDATE conversations c SET last_modified = COALESCE(newest.t, c.last_modified) FROM newest
                WHERE $2::int = 6 AND c.site_id = $1 AND c.conversation_id = $3),
       ev AS (UPDATE events e SET last_modified = COALESCE(newest.t, e.last_modified) FROM newest
              WHERE $2::int = 9 AND e.site_id = $1 AND e.event_id = $3),
       po AS (UPDATE polls p SET last_modified = COALESCE(newest.t, p.last_modified) FROM newest
              WHERE $2::int = 7 AND p.site_id = $1 AND p.poll_id = $3)
  SELECT 1)sql"};

// Returns whether the comment counted before (read under its row lock) and whether it does now.
constexpr db::Query kUpdateFlags{"comment_flags", R"sql(
  UPDATE comments c SET is_deleted = COALESCE($3::boolean, c.is_deleted), is_moderated = COALESCE($4::boolean, c.is_moderated)
  FROM (SELECT comment_id AS id, is_deleted AS d, is_moderated AS m FROM comments
        WHERE site_id = $1 AND comment_id = $2 FOR UPDATE) o
  WHERE c.comment_id = o.id
  RETURNING NOT (o.d OR o.m) AS counted_before, NOT (c.is_deleted OR c.is_moderated) AS counted_now)sql"};

Comment comment_from_row(const pqxx::row& r) {
  Comment c;
  c.id = r["comment_id"].as<CommentId>();
  c.site_id = r["site_id"].as<SiteId>();
  c.item = ItemRef{r["item_type_id"].as<ItemType>(), r["item_id"].as<std::int64_t>()};
  c.author = r["profile_id"].as<ProfileId>();
  c.created_micros = r["created_micros"].as<std::int64_t>();
  c.in_reply_to = r["in_reply_to"].as<CommentId>();
  c.deleted = r["is_deleted"].as<bool>();
  c.moderated = r["is_moderated"].as<bool>();
  c.revisions = r["revisions"].as<std::int64_t>();
  c.markdown = r["raw"].as<std::string>();
  c.html = r["html"].as<std::string>();
  c.revised_micros = r["revised_micros"].as<std::int64_t>();
  c.revised_by = r["revised_by"].as<ProfileId>();
  return c;
}

std::string key(CommentId id) { return cache::item_key("comment", id.value()); }

/// "Event 7 not found": how a missing item is named in errors.
std::string not_found_message(ItemRef item) {
  std::string name(item_type_name(item.type));
  if (!name.empty()) name[0] = static_cast<char>(name[0] - 'a' + 'A');
  return name + " " + std::to_string(item.id) + " not found";
}

}  // namespace

void CommentStore::register_statements(db::Statements& st) {
  st.add({kSelectMany, kCountPage, kSelectPage, kSelectPageIds, kCountPosition, kSelectNewest, kSelectFirstAfter,
          kNewestOfItems, kSelectReplies, kFindDuplicate, kInsertComment, kCountsOnItem, kInsertRevision, kRetireRevisions,
          kInsertRevisionLinks, kCountOnProfile, kRecomputeLastModified, kUpdateFlags});
}

std::optional<Comment> CommentStore::get(SiteId site, CommentId id) {
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Comment> CommentStore::get_many(SiteId site, const std::vector<CommentId>& ids) {
  static const ItemCodec<Comment, CommentId> codec{&key, &encode_comment, &decode_comment,
                                                   [](const Comment& c) { return c.id; },
                                                   [](const Comment& c) { return c.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<CommentId>& missing) {
                        return db::map_rows(db::read(pool_, kSelectMany, site, int_array_literal(missing)),
                                            comment_from_row);
                      });
}

CommentStore::Page CommentStore::page(SiteId site, ItemRef item, const std::vector<ProfileId>& ignored, int limit,
                                      int offset, std::optional<std::int64_t> counted) {
  return pool_.run([&](pqxx::connection& conn) {
    Page page;
    pqxx::nontransaction tx(conn);
    const auto authors = int_array_literal(ignored);
    const auto count = [&] {
      return db::exec(tx, kCountPage, site, item.type, item.id, authors)[0][0].as<std::int64_t>();
    };
    if (counted && ignored.empty()) {
      // One id more than the page: whether a next page exists is known from the rows, never
      // from a count that may lag a comment just posted.
      page.ids = db::column<CommentId>(db::exec(tx, kSelectPageIds, site, item.type, item.id, authors, limit + 1, offset));
      const auto shown = static_cast<std::int64_t>(page.ids.size());
      if (shown > 0 && shown <= limit) {
        page.total = offset + shown;  // the last page: exact
        return page;
      }
      if (shown > limit) {
        page.ids.pop_back();
        if (*counted > offset + limit) {
          page.total = *counted;
          return page;
        }
      }
      // None shown (an empty item, or an offset past the end) or a count the rows disprove.
      page.total = count();
      return page;
    }
    for (const auto& r : db::exec(tx, kSelectPage, site, item.type, item.id, authors, limit, offset)) {
      page.ids.push_back(r["comment_id"].as<CommentId>());
      page.total = r["total"].as<std::int64_t>();
    }
    // An empty page says nothing of the total (none at all, or an offset past the end).
    if (page.ids.empty()) page.total = count();
    return page;
  });
}

std::int64_t CommentStore::position(SiteId site, const Comment& c, const std::vector<ProfileId>& ignored) {
  return db::read(pool_, kCountPosition, site, c.item.type, c.item.id, int_array_literal(ignored), c.created_micros,
                  c.id)[0][0]
      .as<std::int64_t>();
}

CommentId CommentStore::newest(SiteId site, ItemRef item, const std::vector<ProfileId>& ignored) {
  return db::value<CommentId>(db::read(pool_, kSelectNewest, site, item.type, item.id, int_array_literal(ignored)))
      .value_or(CommentId{});
}

CommentId CommentStore::first_after(SiteId site, ItemRef item, std::int64_t after,
                                    const std::vector<ProfileId>& ignored) {
  return db::value<CommentId>(
             db::read(pool_, kSelectFirstAfter, site, item.type, item.id, int_array_literal(ignored), after))
      .value_or(CommentId{});
}

std::map<std::int64_t, LastComment> CommentStore::newest_of_type(SiteId site, ItemType type,
                                                                const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, LastComment> out;
  if (ids.empty()) return out;
  for (const auto& r : db::read(pool_, kNewestOfItems, site, type, int_array_literal(ids))) {
    out[r["item_id"].as<std::int64_t>()] = {r["comment_id"].as<CommentId>(), r["created_micros"].as<std::int64_t>(),
                                            r["profile_id"].as<ProfileId>()};
  }
  return out;
}

std::vector<CommentId> CommentStore::replies(SiteId site, CommentId comment, const std::vector<ProfileId>& ignored) {
  return db::column<CommentId>(db::read(pool_, kSelectReplies, site, comment, int_array_literal(ignored)));
}

CommentStore::Created CommentStore::create(SiteId site, const NewComment& n) {
  struct Outcome {
    Created created;
    MicrocosmId microcosm;
  };
  auto out = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto dup = db::exec(tx, kFindDuplicate, site, n.item.type, n.item.id, n.author, n.markdown);
    if (!dup.empty()) return Outcome{{dup[0]["comment_id"].as<CommentId>(), true}, {}};
    auto row = db::exec(tx, kInsertComment, site, n.item.type, n.item.id, n.author, n.in_reply_to, n.markdown, n.html,
                        int_array_literal(n.mentions), int_array_literal(n.link_ids))[0];
    const auto id = row["comment_id"].as<CommentId>();
    const auto created = row["created"].as<std::string>();
    MicrocosmId microcosm;
    if (n.item.is<ProfileId>()) {
      db::exec(tx, kCountOnProfile, site, n.author, 1);
    } else {
      auto item = db::exec(tx, kCountsOnItem, site, n.item.type, n.item.id, 1, created, n.author);
      if (item.empty()) {
        throw Error(ErrorKind::not_found, not_found_message(n.item));
      }
      microcosm = item[0]["microcosm_id"].as<MicrocosmId>();
      // §2.3: the commenter watches what they commented on (a huddle from new_comment_in_huddle).
      WatcherStore::watch(tx, site, n.author, n.item,
                          n.item.is<HuddleId>() ? UpdateType::new_comment_in_huddle : UpdateType::new_comment);
      UpdateStore::enqueue(tx, site, UpdateTrigger::comment, id, n.author);  // §3.6, fanned out after commit
    }
    tx.commit();
    return Outcome{{id, false}, microcosm};
  });
  if (!out.created.duplicate) {
    flush_item(n.item);
    if (out.microcosm.valid()) microcosms_.flush(out.microcosm);
    profiles_.flush(n.author);
  }
  return out.created;
}

void CommentStore::revise(SiteId site, const Comment& c, ProfileId editor, const std::string& markdown,
                          const std::string& html, const std::vector<std::int64_t>& link_ids) {
  pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    db::exec(tx, kRetireRevisions, c.id);
    const auto revision = db::exec(tx, kInsertRevision, c.id, editor, markdown, html,
                                   std::optional<std::string>{})[0]["revision_id"]
                              .as<std::int64_t>();
    if (!link_ids.empty()) db::exec(tx, kInsertRevisionLinks, revision, int_array_literal(link_ids));
    tx.commit();
  });
  flush(c.id);
}

void CommentStore::set_flags(SiteId site, const Comment& c, std::optional<bool> deleted,
                             std::optional<bool> moderated) {
  MicrocosmId microcosm;
  pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdateFlags, site, c.id, deleted, moderated);
    const bool counted = !r.empty() && r[0]["counted_now"].as<bool>();
    if (!r.empty() && r[0]["counted_before"].as<bool>() != counted) {
      const int delta = counted ? 1 : -1;
      if (c.item.is<ProfileId>()) {
        db::exec(tx, kCountOnProfile, site, c.author, delta);
      } else {
        auto item = db::exec(tx, kCountsOnItem, site, c.item.type, c.item.id, delta, std::optional<std::string>{},
                             c.author);
        if (!item.empty()) {
          microcosm = item[0]["microcosm_id"].as<MicrocosmId>();
          if (delta < 0) db::exec(tx, kRecomputeLastModified, site, c.item.type, c.item.id);
        }
      }
    }
    tx.commit();
  });
  flush(c.id);
  flush_item(c.item);
  if (microcosm.valid()) microcosms_.flush(microcosm);
  profiles_.flush(c.author);
}

void CommentStore::flush_item(ItemRef item) {
  if (const auto conversation = item.as<ConversationId>(); conversation.valid()) conversations_.flush(conversation);
  if (const auto event = item.as<EventId>(); event.valid()) events_.flush(event);
  if (const auto poll = item.as<PollId>(); poll.valid()) polls_.flush(poll);
  if (const auto huddle = item.as<HuddleId>(); huddle.valid()) huddles_.flush(huddle);
}

void CommentStore::flush(CommentId id) { cache_.remove(key(id)); }

}  // namespace agora::store
