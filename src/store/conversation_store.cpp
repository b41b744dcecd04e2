#include "agora/store/conversation_store.hpp"

#include <map>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr const char* select_many = "conversation_select_many";
constexpr const char* page_list = "conversation_list_page";
constexpr const char* page_list_by_forum = "conversation_list_page_by_forum";
constexpr const char* count_in_microcosm = "conversation_count_in";
constexpr const char* slice_in_microcosm = "conversation_slice_in";
constexpr const char* select_last_comments = "conversation_last_comments";
constexpr const char* select_most_recent = "conversation_most_recent_in";
constexpr const char* find_duplicate = "conversation_duplicate";
constexpr const char* insert_conversation = "conversation_insert";
constexpr const char* add_items = "conversation_microcosm_items";
constexpr const char* update_conversation = "conversation_update";
constexpr const char* update_flags = "conversation_flags";

constexpr const char* columns =
    "conversation_id, site_id, microcosm_id, title, (EXTRACT(EPOCH FROM created) * 1000000)::bigint, created_by,"
    " COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0), COALESCE(edited_by, 0), edit_reason,"
    " is_sticky, is_open, is_deleted, is_moderated, comment_count, view_count,"
    " (EXTRACT(EPOCH FROM last_modified) * 1000000)::bigint";

// Visible: neither the conversation nor its microcosm nor any ancestor deleted or moderated.
constexpr const char* visible =
    " NOT c.is_deleted AND NOT c.is_moderated AND NOT EXISTS (SELECT 1 FROM microcosms m JOIN microcosms a"
    " ON a.microcosm_id = ANY(m.path) WHERE m.microcosm_id = c.microcosm_id AND (a.is_deleted OR a.is_moderated))";

Conversation from_row(const pqxx::row& r) {
  Conversation c;
  c.id = r[0].as<std::int64_t>();
  c.site_id = SiteId{r[1].as<std::int64_t>()};
  c.microcosm_id = MicrocosmId{r[2].as<std::int64_t>()};
  c.title = r[3].as<std::string>();
  c.created_micros = r[4].as<std::int64_t>();
  c.created_by = ProfileId{r[5].as<std::int64_t>()};
  c.edited_micros = r[6].as<std::int64_t>();
  c.edited_by = ProfileId{r[7].as<std::int64_t>()};
  c.edit_reason = r[8].as<std::string>();
  c.sticky = r[9].as<bool>();
  c.open = r[10].as<bool>();
  c.deleted = r[11].as<bool>();
  c.moderated = r[12].as<bool>();
  c.comment_count = r[13].as<std::int64_t>();
  c.view_count = r[14].as<std::int64_t>();
  c.last_modified_micros = r[15].as<std::int64_t>();
  return c;
}

std::string key(std::int64_t id) { return cache::item_key("conv", id); }

}  // namespace

void ConversationStore::register_statements(db::Statements& st) {
  const std::string cols = columns;
  const std::string vis = visible;
  st.add(select_many, "SELECT " + cols + " FROM conversations WHERE site_id = $1 AND conversation_id = ANY($2::bigint[])");
  // The site-wide order is the site index's order: walking it and filtering by microcosm (an
  // index-only scan, microcosm_id is INCLUDEd) stops after offset + limit rows. `+ 0` keeps the
  // planner from collecting every row of the readable forums through the per-forum index and
  // sorting them (40 ms at 100,000 conversations; walking the index is a few ms).
  // The caller passes only visible forums (a hidden forum hides its subtree), so the rows need
  // no per-row ancestor check here.
  const std::string walked = " FROM conversations c WHERE c.site_id = $1 AND c.microcosm_id + 0 = ANY($2::bigint[])"
                             " AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated";
  st.add(page_list, "SELECT c.conversation_id" + walked +
                        " ORDER BY c.is_sticky DESC, c.last_modified DESC, c.conversation_id DESC LIMIT $4 OFFSET $5");
  // When the readable forums hold few of the site's conversations, walking the site index
  // would pass over most of it: collect their rows through the per-forum index and sort.
  st.add(page_list_by_forum,
         "SELECT c.conversation_id FROM conversations c WHERE c.site_id = $1 AND c.microcosm_id = ANY($2::bigint[])"
         " AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated"
         " ORDER BY c.is_sticky DESC, c.last_modified DESC, c.conversation_id DESC LIMIT $4 OFFSET $5");
  // One forum's rows come from the per-forum index; `site_id + 0` keeps generic plans from
  // walking the whole site index instead (it INCLUDEs microcosm_id, so it looks cheap: 22 ms
  // against 0.3 ms for a forum of 500 conversations among 100,000).
  const std::string in = " FROM conversations c WHERE c.site_id + 0 = $1 AND c.microcosm_id = $2"
                         " AND NOT (c.conversation_id = ANY($3::bigint[])) AND NOT c.is_deleted AND NOT c.is_moderated";
  st.add(count_in_microcosm, "SELECT COUNT(*) FILTER (WHERE c.is_sticky), COUNT(*) FILTER (WHERE NOT c.is_sticky)" + in);
  st.add(slice_in_microcosm, "SELECT c.conversation_id" + in +
                                 " AND c.is_sticky = $4 ORDER BY c.last_modified DESC, c.conversation_id DESC"
                                 " LIMIT $5 OFFSET $6");
  st.add(select_last_comments,
         // One backward probe of the page index per conversation (DISTINCT ON read every
         // comment of every listed conversation: 0.7 ms a page with busy threads).
         "SELECT x.id, l.comment_id, (EXTRACT(EPOCH FROM l.created) * 1000000)::bigint, l.profile_id"
         " FROM unnest($2::bigint[]) AS x (id) CROSS JOIN LATERAL (SELECT comment_id, created, profile_id FROM comments"
         "  WHERE item_type_id = 6 AND item_id = x.id AND site_id = $1 AND NOT is_deleted AND NOT is_moderated"
         "  ORDER BY created DESC, comment_id DESC LIMIT 1) l");
  st.add(select_most_recent,
         "SELECT DISTINCT ON (s.id) s.id, c.conversation_id FROM unnest($2::bigint[]) AS s (id)"
         " JOIN microcosms sub ON sub.site_id = $1 AND sub.path @> ARRAY[s.id] AND sub.microcosm_id = ANY($3::bigint[])"
         " JOIN conversations c ON c.microcosm_id = sub.microcosm_id AND" + vis +
             " ORDER BY s.id, c.last_modified DESC, c.conversation_id DESC");
  st.add(find_duplicate,
         "SELECT conversation_id FROM conversations WHERE site_id = $1 AND microcosm_id = $2 AND created_by = $3"
         " AND title = $4 AND created > (now() AT TIME ZONE 'UTC') - interval '5 minutes' AND NOT is_deleted"
         " ORDER BY conversation_id DESC LIMIT 1");
  st.add(insert_conversation,
         "INSERT INTO conversations (site_id, microcosm_id, title, created_by) VALUES ($1, $2, $3, $4)"
         " RETURNING conversation_id");
  // Conversation $4 enters ($3 = 1) or leaves ($3 = -1) microcosm $2's counts with its comments. The
  // conversation row is locked by the statement before, so its comment count is exact.
  st.add(add_items,
         "UPDATE microcosms SET item_count = GREATEST(item_count + $3, 0), comment_count = GREATEST(comment_count"
         " + $3 * (SELECT comment_count FROM conversations WHERE conversation_id = $4), 0)"
         " WHERE site_id = $1 AND microcosm_id = $2");
  // Both return the row's state before the change, read under the row lock, so that
  // concurrent writers adjust the counters exactly once.
  const std::string before =
      " FROM (SELECT conversation_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted,"
      " is_moderated AS was_moderated FROM conversations WHERE site_id = $1 AND conversation_id = $2 FOR UPDATE) o"
      " WHERE c.conversation_id = o.id RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated),"
      " NOT (c.is_deleted OR c.is_moderated)";
  st.add(update_conversation,
         "UPDATE conversations c SET title = $3, microcosm_id = $4, edited = (now() AT TIME ZONE 'UTC'),"
         " edited_by = $5, edit_reason = $6" + before);
  st.add(update_flags,
         "UPDATE conversations c SET is_sticky = COALESCE($3::boolean, c.is_sticky), is_open = COALESCE($4::boolean, c.is_open),"
         " is_deleted = COALESCE($5::boolean, c.is_deleted), is_moderated = COALESCE($6::boolean, c.is_moderated),"
         " edited = (now() AT TIME ZONE 'UTC'), edited_by = $7, edit_reason = $8" + before);
}

std::optional<Conversation> ConversationStore::get(SiteId site, std::int64_t id) {
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Conversation> ConversationStore::get_many(SiteId site, const std::vector<std::int64_t>& ids) {
  static const ItemCodec<Conversation, std::int64_t> codec{
      &key, &encode_conversation, &decode_conversation, [](const Conversation& c) { return c.id; },
      [](const Conversation& c) { return c.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<std::int64_t>& missing) {
                        return pool_.run([&](pqxx::connection& c) {
                          pqxx::nontransaction tx(c);
                          std::vector<Conversation> out;
                          for (const auto& r : tx.exec_prepared(select_many, site.value(), int_array_literal(missing))) {
                            out.push_back(from_row(r));
                          }
                          return out;
                        });
                      });
}

std::vector<std::int64_t> ConversationStore::list(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                                  const std::vector<std::int64_t>& ignored, int limit, int offset,
                                                  bool most_of_site) {
  std::vector<std::int64_t> ms;
  for (auto m : microcosms) ms.push_back(m.value());
  return pool_.run([&](pqxx::connection& c) {
    std::vector<std::int64_t> ids;
    pqxx::nontransaction tx(c);
    for (const auto& r : tx.exec_prepared(most_of_site ? page_list : page_list_by_forum, site.value(),
                                          int_array_literal(ms), int_array_literal(ignored), limit, offset)) {
      ids.push_back(r[0].as<std::int64_t>());
    }
    return ids;
  });
}

std::pair<std::int64_t, std::int64_t> ConversationStore::count_in(SiteId site, MicrocosmId microcosm,
                                                                  const std::vector<std::int64_t>& ignored) {
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    auto r = tx.exec_prepared(count_in_microcosm, site.value(), microcosm.value(), int_array_literal(ignored));
    return std::pair<std::int64_t, std::int64_t>{r[0][0].as<std::int64_t>(), r[0][1].as<std::int64_t>()};
  });
}

std::vector<std::int64_t> ConversationStore::slice_in(SiteId site, MicrocosmId microcosm, bool sticky,
                                                      const std::vector<std::int64_t>& ignored, int limit, int offset) {
  if (limit <= 0) return {};
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    std::vector<std::int64_t> out;
    for (const auto& r : tx.exec_prepared(slice_in_microcosm, site.value(), microcosm.value(), int_array_literal(ignored),
                                          sticky, limit, offset)) {
      out.push_back(r[0].as<std::int64_t>());
    }
    return out;
  });
}

std::map<std::int64_t, LastComment> ConversationStore::last_comments(SiteId site, const std::vector<std::int64_t>& ids) {
  std::map<std::int64_t, LastComment> out;
  if (ids.empty()) return out;
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& r : tx.exec_prepared(select_last_comments, site.value(), int_array_literal(ids))) {
      out[r[0].as<std::int64_t>()] = {r[1].as<std::int64_t>(), r[2].as<std::int64_t>(),
                                      ProfileId{r[3].as<std::int64_t>()}};
    }
    return out;
  });
}

std::map<MicrocosmId, std::int64_t> ConversationStore::most_recent_in(SiteId site,
                                                                      const std::vector<MicrocosmId>& microcosms,
                                                                      const std::vector<MicrocosmId>& allowed) {
  std::map<MicrocosmId, std::int64_t> out;
  if (microcosms.empty()) return out;
  std::vector<std::int64_t> ids, allowed_ids;
  for (auto m : microcosms) ids.push_back(m.value());
  for (auto m : allowed) allowed_ids.push_back(m.value());
  return pool_.run([&](pqxx::connection& c) {
    pqxx::nontransaction tx(c);
    for (const auto& r : tx.exec_prepared(select_most_recent, site.value(), int_array_literal(ids),
                                          int_array_literal(allowed_ids))) {
      out[MicrocosmId{r[0].as<std::int64_t>()}] = r[1].as<std::int64_t>();
    }
    return out;
  });
}

ConversationStore::Created ConversationStore::create(SiteId site, MicrocosmId microcosm, const std::string& title,
                                                     ProfileId by) {
  auto made = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto dup = tx.exec_prepared(find_duplicate, site.value(), microcosm.value(), by.value(), title);
    if (!dup.empty()) return Created{dup[0][0].as<std::int64_t>(), true};
    auto id = tx.exec_prepared(insert_conversation, site.value(), microcosm.value(), title, by.value())[0][0]
                  .as<std::int64_t>();
    tx.exec_prepared(add_items, site.value(), microcosm.value(), 1, id);
    tx.commit();
    return Created{id, false};
  });
  if (!made.duplicate) microcosms_.flush(microcosm);
  return made;
}

void ConversationStore::update(SiteId site, const Conversation& c, const std::string& title, MicrocosmId microcosm,
                               ProfileId by, const std::string& reason) {
  auto old = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = tx.exec_prepared(update_conversation, site.value(), c.id, title, microcosm.value(), by.value(), reason);
    if (r.empty()) throw Error(ErrorKind::not_found, "Conversation " + std::to_string(c.id) + " not found");
    const MicrocosmId from{r[0][0].as<std::int64_t>()};
    if (from != microcosm && r[0][1].as<bool>()) {
      // Both forums' rows are locked in id order, so crossing moves cannot deadlock.
      if (from < microcosm) {
        tx.exec_prepared(add_items, site.value(), from.value(), -1, c.id);
        tx.exec_prepared(add_items, site.value(), microcosm.value(), 1, c.id);
      } else {
        tx.exec_prepared(add_items, site.value(), microcosm.value(), 1, c.id);
        tx.exec_prepared(add_items, site.value(), from.value(), -1, c.id);
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
    auto r = tx.exec_prepared(update_flags, site.value(), c.id, f.sticky, f.open, f.deleted, f.moderated, by.value(),
                              reason);
    const MicrocosmId locked{r.empty() ? c.microcosm_id.value() : r[0][0].as<std::int64_t>()};
    // Whether the item counts is decided from the row before and after, under its lock.
    if (!r.empty() && r[0][1].as<bool>() != r[0][2].as<bool>()) {
      tx.exec_prepared(add_items, site.value(), locked.value(), r[0][2].as<bool>() ? 1 : -1, c.id);
    }
    tx.commit();
    return locked;
  });
  flush(c.id);
  microcosms_.flush(home);
}

void ConversationStore::flush(std::int64_t id) { cache_.remove(key(id)); }

}  // namespace agora::store
