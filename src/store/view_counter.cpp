#include "agora/store/view_counter.hpp"

#include <pqxx/pqxx>
#include <vector>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/sql_arrays.hpp"
#include "agora/store/relaxed_commit.hpp"

namespace agora::store {
namespace {

// Rows are locked in id order first: nodes flushing at the same second never deadlock.
constexpr db::Query kLockViews{"views_lock", R"sql(
  SELECT c.conversation_id FROM conversations c JOIN unnest($1::bigint[], $2::bigint[]) AS v(site, id)
    ON c.conversation_id = v.id AND c.site_id = v.site
  ORDER BY c.conversation_id FOR UPDATE OF c)sql"};

constexpr db::Query kAddViews{"views_add", R"sql(
  UPDATE conversations c SET view_count = c.view_count + v.n
  FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(site, id, n)
  WHERE c.conversation_id = v.id AND c.site_id = v.site)sql"};

}  // namespace

void ViewCounter::register_statements(db::Statements& st) { st.add({kLockViews, kAddViews}); }

void ViewCounter::hit(SiteId site, ConversationId conversation) {
  std::lock_guard lock(mutex_);
  ++hits_[{site.value(), conversation.value()}];
}

std::size_t ViewCounter::flush(pqxx::connection& conn) {
  decltype(hits_) taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(hits_);
  }
  if (taken.empty()) return 0;
  std::vector<std::int64_t> sites, ids, counts;
  for (auto& [key, n] : taken) {
    sites.push_back(key.first);
    ids.push_back(key.second);
    counts.push_back(n);
  }
  try {
    pqxx::work tx(conn);
    relax_commit(tx);
    db::exec(tx, kLockViews, int_array_literal(sites), int_array_literal(ids));
    db::exec(tx, kAddViews, int_array_literal(sites), int_array_literal(ids), int_array_literal(counts));
    tx.commit();
  } catch (...) {
    // Put the hits back for the next flush, then let the scheduler record the failure.
    std::lock_guard lock(mutex_);
    for (auto& [key, n] : taken) hits_[key] += n;
    throw;
  }
  for (auto id : ids) conversations_.flush(ConversationId{id});
  return ids.size();
}

}  // namespace agora::store
