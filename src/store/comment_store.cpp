#include "agora/store/comment_store.hpp"

#include <map>
#include <pqxx/pqxx>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/db/pool.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

constexpr const char* select_many = "comment_select_many";
constexpr const char* count_page = "comment_page_count";
constexpr const char* select_page = "comment_page";
constexpr const char* select_page_ids = "comment_page_ids";
constexpr const char* count_position = "comment_position";
constexpr const char* select_newest = "comment_newest";
constexpr const char* select_first_after = "comment_first_after";
constexpr const char* select_replies = "comment_replies";
constexpr const char* find_duplicate = "comment_duplicate";
constexpr const char* insert_comment = "comment_insert";
constexpr const char* counts_on_conversation = "comment_counts_conversation";
constexpr const char* insert_revision = "comment_revision_insert";
constexpr const char* retire_revisions = "comment_revisions_retire";
constexpr const char* insert_revision_links = "comment_revision_links_insert";
constexpr const char* count_on_profile = "comment_count_profile";
constexpr const char* update_flags = "comment_flags";
constexpr const char* recompute_last_modified = "comment_conversation_last_modified";

constexpr int conversation_type = 6;

// Visible on its item: the comment, and for conversations the conversation and its microcosms.
constexpr const char* visible =
    " NOT c.is_deleted AND NOT c.is_moderated AND NOT (c.profile_id = ANY($4::bigint[]))";

Comment from_row(const pqxx::row& r) {
  Comment c;
  c.id = r[0].as<std::int64_t>();
  c.site_id = SiteId{r[1].as<std::int64_t>()};
  c.item_type = r[2].as<int>();
  c.item_id = r[3].as<std::int64_t>();
  c.author = ProfileId{r[4].as<std::int64_t>()};
  c.created_micros = r[5].as<std::int64_t>();
  c.in_reply_to = r[6].as<std::int64_t>();
  c.deleted = r[7].as<bool>();
  c.moderated = r[8].as<bool>();
  c.revisions = r[9].as<std::int64_t>();
  c.markdown = r[10].as<std::string>();
  c.html = r[11].as<std::string>();
  c.revised_micros = r[12].as<std::int64_t>();
  c.revised_by = ProfileId{r[13].as<std::int64_t>()};
  return c;
}

std::string key(std::int64_t id) { return cache::item_key("comment", id); }

std::vector<std::int64_t> raw(const std::vector<ProfileId>& ids) {
  std::vector<std::int64_t> out;
  for (auto id : ids) out.push_back(id.value());
  return out;
}

}  // namespace

void CommentStore::register_statements(db::Statements& st) {
  st.add(select_many,
         "SELECT c.comment_id, c.site_id, c.item_type_id, c.item_id, c.profile_id,"
         " (EXTRACT(EPOCH FROM c.created) * 1000000)::bigint, COALESCE(c.in_reply_to, 0), c.is_deleted, c.is_moderated,"
         " (SELECT COUNT(*) FROM revisions n WHERE n.comment_id = c.comment_id), r.raw, r.html,"
         " (EXTRACT(EPOCH FROM r.created) * 1000000)::bigint, r.profile_id"
         " FROM comments c JOIN revisions r ON r.comment_id = c.comment_id AND r.is_current"
         " WHERE c.site_id = $1 AND c.comment_id = ANY($2::bigint[])");
  const std::string vis = visible;
  const std::string on_item = " FROM comments c WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3 AND" + vis;
  st.add(count_page, "SELECT COUNT(*)" + on_item);
  // The page and the total in one round trip (the window counts every row before LIMIT).
  st.add(select_page,
         "SELECT c.comment_id, COUNT(*) OVER ()" + on_item + " ORDER BY c.created, c.comment_id LIMIT $5 OFFSET $6");
  st.add(select_page_ids, "SELECT c.comment_id" + on_item + " ORDER BY c.created, c.comment_id LIMIT $5 OFFSET $6");
  st.add(count_position, "SELECT COUNT(*)" + on_item +
                             " AND (c.created, c.comment_id) <= (to_timestamp($5::bigint / 1000000.0) AT TIME ZONE 'UTC', $6)");
  st.add(select_newest, "SELECT c.comment_id" + on_item + " ORDER BY c.created DESC, c.comment_id DESC LIMIT 1");
  st.add(select_first_after, "SELECT c.comment_id" + on_item +
                                 " AND c.created > to_timestamp($5::bigint / 1000000.0) AT TIME ZONE 'UTC'"
                                 " ORDER BY c.created, c.comment_id LIMIT 1");
  st.add(select_replies,
         "SELECT c.comment_id FROM comments c WHERE c.site_id = $1 AND c.in_reply_to = $2 AND NOT c.is_deleted"
         " AND NOT c.is_moderated AND NOT (c.profile_id = ANY($3::bigint[])) ORDER BY c.created, c.comment_id");
  st.add(find_duplicate,
         "SELECT c.comment_id FROM comments c JOIN revisions r ON r.comment_id = c.comment_id AND r.is_current"
         " WHERE c.site_id = $1 AND c.item_type_id = $2 AND c.item_id = $3 AND c.profile_id = $4 AND r.raw = $5"
         " AND NOT c.is_deleted AND c.created > (now() AT TIME ZONE 'UTC') - interval '5 minutes'"
         " ORDER BY c.comment_id DESC LIMIT 1");
  // The comment, its first revision, its mentions and the revision's links in one statement
  // (the foreign keys are checked at its end, when every row exists).
  st.add(insert_comment,
         "WITH c AS (INSERT INTO comments (site_id, item_type_id, item_id, profile_id, in_reply_to)"
         "  VALUES ($1::bigint, $2::int, $3::bigint, $4::bigint, NULLIF($5::bigint, 0)) RETURNING comment_id, created),"
         " r AS (INSERT INTO revisions (comment_id, profile_id, raw, html, created)"
         "  SELECT c.comment_id, $4::bigint, $6::text, $7::text, c.created FROM c RETURNING revision_id),"
         " m AS (INSERT INTO mentions (comment_id, profile_id) SELECT c.comment_id, p.profile_id FROM c, profiles p"
         "  WHERE p.site_id = $1::bigint AND p.profile_id = ANY($8::bigint[]) ON CONFLICT DO NOTHING),"
         " l AS (INSERT INTO revision_links (revision_id, link_id) SELECT r.revision_id, x FROM r, unnest($9::bigint[]) x"
         "  ON CONFLICT DO NOTHING)"
         " SELECT c.comment_id, c.created FROM c");
  // A visible comment's counters in one statement: the conversation's (its row locked first,
  // as everywhere), its microcosm's when the conversation itself is visible, the author's.
  st.add(counts_on_conversation,
         "WITH conv AS (UPDATE conversations SET comment_count = GREATEST(comment_count + $3, 0),"
         "  last_modified = CASE WHEN $3 > 0 THEN GREATEST(last_modified, $4::timestamp) ELSE last_modified END"
         "  WHERE site_id = $1 AND conversation_id = $2 RETURNING microcosm_id, NOT (is_deleted OR is_moderated) AS shown),"
         " forum AS (UPDATE microcosms m SET comment_count = GREATEST(m.comment_count + $3, 0) FROM conv"
         "  WHERE conv.shown AND m.site_id = $1 AND m.microcosm_id = conv.microcosm_id),"
         " author AS (UPDATE profiles SET comment_count = GREATEST(comment_count + $3, 0)"
         "  WHERE site_id = $1 AND profile_id = $5)"
         " SELECT microcosm_id, shown FROM conv");
  st.add(insert_revision,
         "INSERT INTO revisions (comment_id, profile_id, raw, html, created)"
         " VALUES ($1, $2, $3, $4, COALESCE($5, now() AT TIME ZONE 'UTC')) RETURNING revision_id");
  st.add(retire_revisions, "UPDATE revisions SET is_current = false WHERE comment_id = $1 AND is_current");
  st.add(insert_revision_links,
         "INSERT INTO revision_links (revision_id, link_id) SELECT $1, unnest($2::bigint[]) ON CONFLICT DO NOTHING");
  st.add(count_on_profile,
         "UPDATE profiles SET comment_count = GREATEST(comment_count + $3, 0) WHERE site_id = $1 AND profile_id = $2");
  // After a removal the conversation's activity time is its newest remaining comment (§2.7).
  st.add(recompute_last_modified,
         "UPDATE conversations c SET last_modified = COALESCE((SELECT MAX(m.created) FROM comments m"
         " WHERE m.item_type_id = 6 AND m.item_id = c.conversation_id AND NOT m.is_deleted AND NOT m.is_moderated),"
         " c.last_modified) WHERE c.site_id = $1 AND c.conversation_id = $2");
  st.add(update_flags,
         "UPDATE comments c SET is_deleted = COALESCE($3::boolean, c.is_deleted),"
         " is_moderated = COALESCE($4::boolean, c.is_moderated) FROM (SELECT comment_id AS id, is_deleted AS d,"
         " is_moderated AS m FROM comments WHERE site_id = $1 AND comment_id = $2 FOR UPDATE) o"
         " WHERE c.comment_id = o.id RETURNING NOT (o.d OR o.m), NOT (c.is_deleted OR c.is_moderated)");
}

std::optional<Comment> CommentStore::get(SiteId site, std::int64_t id) {
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Comment> CommentStore::get_many(SiteId site, const std::vector<std::int64_t>& ids) {
  static const ItemCodec<Comment, std::int64_t> codec{&key, &encode_comment, &decode_comment,
                                                       [](const Comment& c) { return c.id; },
                                                       [](const Comment& c) { return c.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<std::int64_t>& missing) {
                        return pool_.run([&](pqxx::connection& conn) {
                          pqxx::nontransaction tx(conn);
                          std::vector<Comment> out;
                          for (const auto& r : tx.exec_prepared(select_many, site.value(), int_array_literal(missing))) {
                            out.push_back(from_row(r));
                          }
                          return out;
                        });
                      });
}

CommentStore::Page CommentStore::page(SiteId site, int item_type, std::int64_t item_id,
                                      const std::vector<std::int64_t>& ignored, int limit, int offset,
                                      std::optional<std::int64_t> counted) {
  return pool_.run([&](pqxx::connection& conn) {
    Page page;
    pqxx::nontransaction tx(conn);
    const auto authors = int_array_literal(ignored);
    if (counted && ignored.empty()) {
      // One id more than the page: whether a next page exists is known from the rows, never
      // from a count that may lag a comment just posted.
      for (const auto& r :
           tx.exec_prepared(select_page_ids, site.value(), item_type, item_id, authors, limit + 1, offset)) {
        page.ids.push_back(r[0].as<std::int64_t>());
      }
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
      page.total = tx.exec_prepared(count_page, site.value(), item_type, item_id, authors)[0][0].as<std::int64_t>();
      return page;
    }
    for (const auto& r : tx.exec_prepared(select_page, site.value(), item_type, item_id, authors, limit, offset)) {
      page.ids.push_back(r[0].as<std::int64_t>());
      page.total = r[1].as<std::int64_t>();
    }
    // An empty page says nothing of the total (none at all, or an offset past the end).
    if (page.ids.empty()) {
      page.total = tx.exec_prepared(count_page, site.value(), item_type, item_id, authors)[0][0].as<std::int64_t>();
    }
    return page;
  });
}

std::int64_t CommentStore::position(SiteId site, const Comment& c, const std::vector<std::int64_t>& ignored) {
  return pool_.run([&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    return tx.exec_prepared(count_position, site.value(), c.item_type, c.item_id, int_array_literal(ignored),
                            c.created_micros, c.id)[0][0]
        .as<std::int64_t>();
  });
}

std::int64_t CommentStore::newest(SiteId site, int item_type, std::int64_t item_id,
                                  const std::vector<std::int64_t>& ignored) {
  return pool_.run([&](pqxx::connection& conn) -> std::int64_t {
    pqxx::nontransaction tx(conn);
    auto r = tx.exec_prepared(select_newest, site.value(), item_type, item_id, int_array_literal(ignored));
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
}

std::int64_t CommentStore::first_after(SiteId site, int item_type, std::int64_t item_id, std::int64_t after,
                                       const std::vector<std::int64_t>& ignored) {
  return pool_.run([&](pqxx::connection& conn) -> std::int64_t {
    pqxx::nontransaction tx(conn);
    auto r = tx.exec_prepared(select_first_after, site.value(), item_type, item_id, int_array_literal(ignored), after);
    return r.empty() ? 0 : r[0][0].as<std::int64_t>();
  });
}

std::vector<std::int64_t> CommentStore::replies(SiteId site, std::int64_t comment,
                                                const std::vector<std::int64_t>& ignored) {
  return pool_.run([&](pqxx::connection& conn) {
    pqxx::nontransaction tx(conn);
    std::vector<std::int64_t> out;
    for (const auto& r : tx.exec_prepared(select_replies, site.value(), comment, int_array_literal(ignored))) {
      out.push_back(r[0].as<std::int64_t>());
    }
    return out;
  });
}

CommentStore::Created CommentStore::create(SiteId site, const NewComment& n) {
  struct Outcome {
    Created created;
    MicrocosmId microcosm;
  };
  auto out = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto dup = tx.exec_prepared(find_duplicate, site.value(), n.item_type, n.item_id, n.author.value(), n.markdown);
    if (!dup.empty()) return Outcome{{dup[0][0].as<std::int64_t>(), true}, {}};
    auto row = tx.exec_prepared(insert_comment, site.value(), n.item_type, n.item_id, n.author.value(), n.in_reply_to,
                                n.markdown, n.html, int_array_literal(raw(n.mentions)), int_array_literal(n.link_ids));
    const auto id = row[0][0].as<std::int64_t>();
    const auto created = row[0][1].as<std::string>();
    MicrocosmId microcosm;
    if (n.item_type == conversation_type) {
      auto conv = tx.exec_prepared(counts_on_conversation, site.value(), n.item_id, 1, created, n.author.value());
      if (conv.empty()) throw Error(ErrorKind::not_found, "Conversation " + std::to_string(n.item_id) + " not found");
      microcosm = MicrocosmId{conv[0][0].as<std::int64_t>()};
    } else {
      tx.exec_prepared(count_on_profile, site.value(), n.author.value(), 1);
    }
    tx.commit();
    return Outcome{{id, false}, microcosm};
  });
  if (!out.created.duplicate) {
    if (n.item_type == conversation_type) conversations_.flush(n.item_id);
    if (out.microcosm.valid()) microcosms_.flush(out.microcosm);
    profiles_.flush(n.author);
  }
  return out.created;
}

void CommentStore::revise(SiteId site, const Comment& c, ProfileId editor, const std::string& markdown,
                          const std::string& html, const std::vector<std::int64_t>& link_ids) {
  pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    tx.exec_prepared(retire_revisions, c.id);
    const auto revision = tx.exec_prepared(insert_revision, c.id, editor.value(), markdown, html,
                                           std::optional<std::string>{})[0][0]
                              .as<std::int64_t>();
    if (!link_ids.empty()) tx.exec_prepared(insert_revision_links, revision, int_array_literal(link_ids));
    tx.commit();
  });
  flush(c.id);
}

void CommentStore::set_flags(SiteId site, const Comment& c, std::optional<bool> deleted,
                             std::optional<bool> moderated) {
  MicrocosmId microcosm;
  pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = tx.exec_prepared(update_flags, site.value(), c.id, deleted, moderated);
    const bool counted = !r.empty() && r[0][1].as<bool>();
    if (!r.empty() && r[0][0].as<bool>() != counted) {
      const int delta = counted ? 1 : -1;
      if (c.item_type == conversation_type) {
        auto conv = tx.exec_prepared(counts_on_conversation, site.value(), c.item_id, delta,
                                     std::optional<std::string>{}, c.author.value());
        if (!conv.empty()) {
          microcosm = MicrocosmId{conv[0][0].as<std::int64_t>()};
          if (delta < 0) tx.exec_prepared(recompute_last_modified, site.value(), c.item_id);
        }
      } else {
        tx.exec_prepared(count_on_profile, site.value(), c.author.value(), delta);
      }
    }
    tx.commit();
  });
  flush(c.id);
  if (c.item_type == conversation_type) conversations_.flush(c.item_id);
  if (microcosm.valid()) microcosms_.flush(microcosm);
  profiles_.flush(c.author);
}

void CommentStore::flush(std::int64_t id) { cache_.remove(key(id)); }

}  // namespace agora::store
