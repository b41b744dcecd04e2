#include "agora/store/poll_store.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/sql_arrays.hpp"
#include "agora/store/update_store.hpp"
#include "agora/store/watcher_store.hpp"

namespace agora::store {
namespace {

constexpr db::Query kSelectMany{"poll_select_many", R"sql(
  SELECT poll_id, site_id, microcosm_id, title, question,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason, is_sticky, is_open, is_deleted, is_moderated,
         is_multiple_choice, is_poll_open, COALESCE((EXTRACT(EPOCH FROM voting_ends) * 1000000)::bigint, 0) AS closes_micros,
         voter_count, comment_count, view_count, (EXTRACT(EPOCH FROM last_modified) * 1000000)::bigint AS last_modified_micros
  FROM polls WHERE site_id = $1 AND poll_id = ANY($2::bigint[]))sql"};

constexpr db::Query kSelectChoices{"poll_select_choices", R"sql(
  SELECT poll_id, choice_id, title, sequence, vote_count, voter_count FROM choices
  WHERE site_id = $1 AND poll_id = ANY($2::bigint[]) ORDER BY poll_id, sequence, choice_id)sql"};

constexpr db::Query kPage{"poll_list_page", R"sql(
  SELECT p.poll_id FROM polls p
  WHERE p.site_id = $1 AND p.microcosm_id = ANY($2::bigint[])
    AND NOT (p.poll_id = ANY($3::bigint[])) AND NOT p.is_deleted AND NOT p.is_moderated
  ORDER BY p.is_sticky DESC, p.last_modified DESC, p.poll_id DESC LIMIT $4 OFFSET $5)sql"};

constexpr db::Query kCount{"poll_list_count", R"sql(
  SELECT COUNT(*) AS n FROM polls p
  WHERE p.site_id = $1 AND p.microcosm_id = ANY($2::bigint[])
    AND NOT (p.poll_id = ANY($3::bigint[])) AND NOT p.is_deleted AND NOT p.is_moderated)sql"};

// $7: microseconds since the epoch, 0 for no end.
constexpr db::Query kInsert{"poll_insert", R"sql(
  INSERT INTO polls (site_id, microcosm_id, title, question, created_by, is_multiple_choice, is_poll_open, voting_ends)
  VALUES ($1, $2, $3, $4, $5, $6, $7, to_timestamp(NULLIF($8::bigint, 0) / 1000000.0) AT TIME ZONE 'UTC')
  RETURNING poll_id)sql"};

constexpr db::Query kInsertChoice{"poll_insert_choice", R"sql(
  INSERT INTO choices (site_id, poll_id, title, sequence) VALUES ($1, $2, $3, $4))sql"};

constexpr db::Query kUpdateChoice{"poll_update_choice", R"sql(
  UPDATE choices SET title = $4, sequence = $5 WHERE site_id = $1 AND poll_id = $2 AND choice_id = $3)sql"};

constexpr db::Query kChoiceIds{"poll_choice_ids", R"sql(
  SELECT choice_id FROM choices WHERE site_id = $1 AND poll_id = $2)sql"};

// Unlisted choices go, their votes first; the poll's distinct voters are then recounted.
constexpr db::Query kDropVotesOfOthers{"poll_drop_votes_of_others", R"sql(
  DELETE FROM votes WHERE site_id = $1 AND poll_id = $2 AND NOT (choice_id = ANY($3::bigint[])))sql"};
constexpr db::Query kDropOtherChoices{"poll_drop_other_choices", R"sql(
  DELETE FROM choices WHERE site_id = $1 AND poll_id = $2 AND NOT (choice_id = ANY($3::bigint[])))sql"};
constexpr db::Query kRecountVoters{"poll_recount_voters", R"sql(
  UPDATE polls SET voter_count = (SELECT COUNT(DISTINCT user_id) FROM votes WHERE site_id = $1 AND poll_id = $2)
  WHERE site_id = $1 AND poll_id = $2)sql"};

// Poll $4 enters ($3 = 1) or leaves ($3 = -1) microcosm $2's counts with its comments.
constexpr db::Query kAddItems{"poll_microcosm_items", R"sql(
  UPDATE microcosms SET item_count = GREATEST(item_count + $3, 0),
    comment_count = GREATEST(comment_count + $3 * (SELECT comment_count FROM polls WHERE poll_id = $4), 0)
  WHERE site_id = $1 AND microcosm_id = $2)sql"};

// The writes return the row's state before the change, read under the row lock.
constexpr db::Query kUpdate{"poll_update", R"sql(
  UPDATE polls p SET microcosm_id = $3, title = $4, question = $5, is_multiple_choice = $6, is_poll_open = $7,
    voting_ends = to_timestamp(NULLIF($8::bigint, 0) / 1000000.0) AT TIME ZONE 'UTC',
    edited = (now() AT TIME ZONE 'UTC'), edited_by = $9, edit_reason = $10
  FROM (SELECT poll_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted, is_moderated AS was_moderated
        FROM polls WHERE site_id = $1 AND poll_id = $2 FOR UPDATE) o
  WHERE p.poll_id = o.id
  RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated) AS counted_before,
            NOT (p.is_deleted OR p.is_moderated) AS counted_now)sql"};

constexpr db::Query kUpdateFlags{"poll_flags", R"sql(
  UPDATE polls p SET is_sticky = COALESCE($3::boolean, p.is_sticky), is_open = COALESCE($4::boolean, p.is_open),
    is_deleted = COALESCE($5::boolean, p.is_deleted), is_moderated = COALESCE($6::boolean, p.is_moderated),
    edited = (now() AT TIME ZONE 'UTC'), edited_by = $7, edit_reason = $8
  FROM (SELECT poll_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted, is_moderated AS was_moderated
        FROM polls WHERE site_id = $1 AND poll_id = $2 FOR UPDATE) o
  WHERE p.poll_id = o.id
  RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated) AS counted_before,
            NOT (p.is_deleted OR p.is_moderated) AS counted_now)sql"};

// Voting: the poll row is locked first, so that vote sets and counters change one voter at a time.
constexpr db::Query kLockForVote{"poll_lock_for_vote", R"sql(
  SELECT is_multiple_choice,
         is_poll_open AND is_open AND NOT is_deleted AND NOT is_moderated
           AND (voting_ends IS NULL OR voting_ends > (now() AT TIME ZONE 'UTC')) AS accepting
  FROM polls WHERE site_id = $1 AND poll_id = $2 FOR UPDATE)sql"};

constexpr db::Query kCountOwnChoices{"poll_count_own_choices", R"sql(
  SELECT COUNT(*) AS n FROM choices WHERE site_id = $1 AND poll_id = $2 AND choice_id = ANY($3::bigint[]))sql"};

constexpr db::Query kDropVotes{"poll_drop_votes", R"sql(
  DELETE FROM votes WHERE site_id = $1 AND poll_id = $2 AND user_id = $3 RETURNING choice_id)sql"};

constexpr db::Query kInsertVotes{"poll_insert_votes", R"sql(
  INSERT INTO votes (site_id, poll_id, user_id, choice_id) SELECT $1, $2, $3, unnest($4::bigint[]))sql"};

// One user votes a choice at most once, so a choice's votes and voters move together.
constexpr db::Query kMoveChoiceCounts{"poll_move_choice_counts", R"sql(
  UPDATE choices SET vote_count = GREATEST(vote_count + $4, 0), voter_count = GREATEST(voter_count + $4, 0)
  WHERE site_id = $1 AND poll_id = $2 AND choice_id = ANY($3::bigint[]))sql"};

constexpr db::Query kAddVoter{"poll_add_voter", R"sql(
  UPDATE polls SET voter_count = voter_count + 1 WHERE site_id = $1 AND poll_id = $2)sql"};

Poll poll_from_row(const pqxx::row& r) {
  Poll p;
  p.id = r["poll_id"].as<PollId>();
  p.site_id = r["site_id"].as<SiteId>();
  p.microcosm_id = r["microcosm_id"].as<MicrocosmId>();
  p.title = r["title"].as<std::string>();
  p.question = r["question"].as<std::string>();
  p.created_micros = r["created_micros"].as<std::int64_t>();
  p.created_by = r["created_by"].as<ProfileId>();
  p.edited_micros = r["edited_micros"].as<std::int64_t>();
  p.edited_by = r["edited_by"].as<ProfileId>();
  p.edit_reason = r["edit_reason"].as<std::string>();
  p.sticky = r["is_sticky"].as<bool>();
  p.open = r["is_open"].as<bool>();
  p.deleted = r["is_deleted"].as<bool>();
  p.moderated = r["is_moderated"].as<bool>();
  p.multi = r["is_multiple_choice"].as<bool>();
  p.poll_open = r["is_poll_open"].as<bool>();
  p.closes_micros = r["closes_micros"].as<std::int64_t>();
  p.voter_count = r["voter_count"].as<std::int64_t>();
  p.comment_count = r["comment_count"].as<std::int64_t>();
  p.view_count = r["view_count"].as<std::int64_t>();
  p.last_modified_micros = r["last_modified_micros"].as<std::int64_t>();
  return p;
}

PollChoice choice_from_row(const pqxx::row& r) {
  PollChoice c;
  c.id = r["choice_id"].as<PollChoiceId>();
  c.title = r["title"].as<std::string>();
  c.order = r["sequence"].as<std::int64_t>();
  c.votes = r["vote_count"].as<std::int64_t>();
  c.voters = r["voter_count"].as<std::int64_t>();
  return c;
}

std::string key(PollId id) { return cache::item_key("poll", id.value()); }

void insert_choices(pqxx::work& tx, SiteId site, PollId poll, const std::vector<ChoiceInput>& choices) {
  std::int64_t order = 0;
  for (const auto& c : choices) {
    ++order;
    if (c.id.valid()) {
      db::exec(tx, kUpdateChoice, site, poll, c.id, c.title, order);
    } else {
      db::exec(tx, kInsertChoice, site, poll, c.title, order);
    }
  }
}

}  // namespace

void PollStore::register_statements(db::Statements& st) {
  st.add({kSelectMany, kSelectChoices, kPage, kCount, kInsert, kInsertChoice, kUpdateChoice, kChoiceIds,
          kDropVotesOfOthers, kDropOtherChoices, kRecountVoters, kAddItems, kUpdate, kUpdateFlags, kLockForVote,
          kCountOwnChoices, kDropVotes, kInsertVotes, kMoveChoiceCounts, kAddVoter});
}

std::optional<Poll> PollStore::get(SiteId site, PollId id) {
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Poll> PollStore::get_many(SiteId site, const std::vector<PollId>& ids) {
  static const ItemCodec<Poll, PollId> codec{&key, &encode_poll, &decode_poll, [](const Poll& p) { return p.id; },
                                             [](const Poll& p) { return p.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<PollId>& missing) {
                        return pool_.run([&](pqxx::connection& conn) {
                          auto polls = db::map_rows(db::read(conn, kSelectMany, site, int_array_literal(missing)),
                                                    poll_from_row);
                          std::map<PollId, Poll*> by_id;
                          for (auto& p : polls) by_id[p.id] = &p;
                          for (const auto& r : db::read(conn, kSelectChoices, site, int_array_literal(missing))) {
                            if (auto it = by_id.find(r["poll_id"].as<PollId>()); it != by_id.end()) {
                              it->second->choices.push_back(choice_from_row(r));
                            }
                          }
                          return polls;
                        });
                      });
}

std::vector<PollId> PollStore::list(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                    const std::vector<PollId>& ignored, int limit, int offset) {
  return db::column<PollId>(
      db::read(pool_, kPage, site, int_array_literal(microcosms), int_array_literal(ignored), limit, offset));
}

std::int64_t PollStore::count(SiteId site, const std::vector<MicrocosmId>& microcosms,
                              const std::vector<PollId>& ignored) {
  return db::read(pool_, kCount, site, int_array_literal(microcosms), int_array_literal(ignored))[0]["n"]
      .as<std::int64_t>();
}

PollId PollStore::create(SiteId site, const PollFields& f, ProfileId by) {
  const auto id = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    const auto id = db::exec(tx, kInsert, site, f.microcosm, f.title, f.question, by, f.multi, f.poll_open,
                             f.closes_micros)[0]["poll_id"]
                        .as<PollId>();
    insert_choices(tx, site, id, f.choices);
    db::exec(tx, kAddItems, site, f.microcosm, 1, id);
    WatcherStore::watch(tx, site, by, id, UpdateType::new_comment);  // §2.3 auto-watch
    UpdateStore::enqueue(tx, site, UpdateTrigger::new_item, id, by);
    tx.commit();
    return id;
  });
  microcosms_.flush(f.microcosm);
  return id;
}

void PollStore::update(SiteId site, const Poll& p, const PollFields& f, ProfileId by, const std::string& reason) {
  auto old = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdate, site, p.id, f.microcosm, f.title, f.question, f.multi, f.poll_open, f.closes_micros,
                      by, reason);
    if (r.empty()) throw Error(ErrorKind::not_found, "Poll " + std::to_string(p.id.value()) + " not found");
    // The submitted list is the complete new set (§P.4 Decision): listed ids must be this poll's.
    const auto own = db::column<PollChoiceId>(db::exec(tx, kChoiceIds, site, p.id));
    const std::set<PollChoiceId> mine(own.begin(), own.end());
    std::vector<PollChoiceId> keep;
    for (const auto& c : f.choices) {
      if (!c.id.valid()) continue;
      if (!mine.count(c.id)) {
        throw Error(ErrorKind::bad_request, "The post data is invalid: choices: choice " +
                                                std::to_string(c.id.value()) + " is not a choice of this poll");
      }
      keep.push_back(c.id);
    }
    if (keep.size() != mine.size()) {
      db::exec(tx, kDropVotesOfOthers, site, p.id, int_array_literal(keep));
      db::exec(tx, kDropOtherChoices, site, p.id, int_array_literal(keep));
      db::exec(tx, kRecountVoters, site, p.id);
    }
    insert_choices(tx, site, p.id, f.choices);
    const auto from = r[0]["old_microcosm"].as<MicrocosmId>();
    if (from != f.microcosm && r[0]["counted_before"].as<bool>()) {
      // Both forums' rows are locked in id order, so crossing moves cannot deadlock.
      const auto first = std::min(from, f.microcosm), second = std::max(from, f.microcosm);
      db::exec(tx, kAddItems, site, first, first == from ? -1 : 1, p.id);
      db::exec(tx, kAddItems, site, second, second == from ? -1 : 1, p.id);
    }
    tx.commit();
    return from;
  });
  flush(p.id);
  microcosms_.flush(old);
  microcosms_.flush(f.microcosm);
}

void PollStore::set_flags(SiteId site, const Poll& p, const PollFlags& f, ProfileId by, const std::string& reason) {
  auto home = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdateFlags, site, p.id, f.sticky, f.open, f.deleted, f.moderated, by, reason);
    const auto locked = r.empty() ? p.microcosm_id : r[0]["old_microcosm"].as<MicrocosmId>();
    if (!r.empty() && r[0]["counted_before"].as<bool>() != r[0]["counted_now"].as<bool>()) {
      db::exec(tx, kAddItems, site, locked, r[0]["counted_now"].as<bool>() ? 1 : -1, p.id);
    }
    tx.commit();
    return locked;
  });
  // Decision (§F.5): the poll itself is purged, not a conversation with its id.
  flush(p.id);
  microcosms_.flush(home);
}

void PollStore::vote(SiteId site, PollId poll, UserId user, const std::vector<PollChoiceId>& choices) {
  pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto lock = db::exec(tx, kLockForVote, site, poll);
    if (lock.empty()) throw Error(ErrorKind::not_found, "Poll " + std::to_string(poll.value()) + " not found");
    if (!lock[0]["accepting"].as<bool>()) throw Error(ErrorKind::forbidden, "This poll is closed for voting");
    if (choices.size() != 1 && !lock[0]["is_multiple_choice"].as<bool>()) {
      throw Error(ErrorKind::bad_request, "The post data is invalid: exactly one choice is allowed in this poll");
    }
    const auto wanted = int_array_literal(choices);
    if (db::exec(tx, kCountOwnChoices, site, poll, wanted)[0]["n"].as<std::size_t>() != choices.size()) {
      throw Error(ErrorKind::bad_request, "The post data is invalid: every choice must be a choice of this poll");
    }
    const auto before = db::column<PollChoiceId>(db::exec(tx, kDropVotes, site, poll, user));
    if (!before.empty()) db::exec(tx, kMoveChoiceCounts, site, poll, int_array_literal(before), -1);
    db::exec(tx, kInsertVotes, site, poll, user, wanted);
    db::exec(tx, kMoveChoiceCounts, site, poll, wanted, 1);
    if (before.empty()) db::exec(tx, kAddVoter, site, poll);
    tx.commit();
  });
  flush(poll);
}

void PollStore::flush(PollId id) { cache_.remove(key(id)); }

}  // namespace agora::store
