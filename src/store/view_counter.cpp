#include "agora/store/view_counter.hpp"

#include <pqxx/pqxx>
#include <vector>

#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/relaxed_commit.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {
namespace {

// Each statement locks its rows in id order before adding ($1 sites, $2 ids, $3 hits), and the
// kinds are always written in the same order: nodes flushing at the same second never deadlock.
constexpr db::Query kAddConversationViews{"views_add_conversations", R"sql(
  WITH v AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(site, id, n)),
  locked AS (SELECT x.conversation_id FROM conversations x JOIN v ON x.conversation_id = v.id AND x.site_id = v.site
             ORDER BY x.conversation_id FOR UPDATE OF x)
  UPDATE conversations c SET view_count = c.view_count + v.n FROM v, locked
  WHERE c.conversation_id = locked.conversation_id AND c.conversation_id = v.id AND c.site_id = v.site)sql"};

constexpr db::Query kAddEventViews{"views_add_events", R"sql(
  WITH v AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(site, id, n)),
  locked AS (SELECT x.event_id FROM events x JOIN v ON x.event_id = v.id AND x.site_id = v.site
             ORDER BY x.event_id FOR UPDATE OF x)
  UPDATE events e SET view_count = e.view_count + v.n FROM v, locked
  WHERE e.event_id = locked.event_id AND e.event_id = v.id AND e.site_id = v.site)sql"};

constexpr db::Query kAddPollViews{"views_add_polls", R"sql(
  WITH v AS (SELECT * FROM unnest($1::bigint[], $2::bigint[], $3::bigint[]) AS v(site, id, n)),
  locked AS (SELECT x.poll_id FROM polls x JOIN v ON x.poll_id = v.id AND x.site_id = v.site
             ORDER BY x.poll_id FOR UPDATE OF x)
  UPDATE polls p SET view_count = p.view_count + v.n FROM v, locked
  WHERE p.poll_id = locked.poll_id AND p.poll_id = v.id AND p.site_id = v.site)sql"};

struct Batch {
  std::vector<std::int64_t> sites, ids, counts;
};

}  // namespace

void ViewCounter::register_statements(db::Statements& st) {
  st.add({kAddConversationViews, kAddEventViews, kAddPollViews});
}

void ViewCounter::count(SiteId site, ItemRef item) {
  std::lock_guard lock(mutex_);
  ++hits_[{item, site.value()}];
}

std::size_t ViewCounter::flush(pqxx::connection& conn) {
  decltype(hits_) taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(hits_);
  }
  if (taken.empty()) return 0;
  std::map<ItemType, Batch> batches;
  for (const auto& [key, n] : taken) {
    auto& b = batches[key.first.type];
    b.sites.push_back(key.second);
    b.ids.push_back(key.first.id);
    b.counts.push_back(n);
  }
  const std::pair<ItemType, const db::Query*> statements[] = {{ItemType::conversation, &kAddConversationViews},
                                                              {ItemType::event, &kAddEventViews},
                                                              {ItemType::poll, &kAddPollViews}};
  try {
    pqxx::work tx(conn);
    relax_commit(tx);
    for (const auto& [type, query] : statements) {
      if (auto b = batches.find(type); b != batches.end()) {
        db::exec(tx, *query, int_array_literal(b->second.sites), int_array_literal(b->second.ids),
                 int_array_literal(b->second.counts));
      }
    }
    tx.commit();
  } catch (...) {
    // Put the hits back for the next flush, then let the scheduler record the failure.
    std::lock_guard lock(mutex_);
    for (const auto& [key, n] : taken) hits_[key] += n;
    throw;
  }
  for (const auto& [key, n] : taken) {
    if (const auto c = key.first.as<ConversationId>(); c.valid()) conversations_.flush(c);
    if (const auto e = key.first.as<EventId>(); e.valid()) events_.flush(e);
    if (const auto p = key.first.as<PollId>(); p.valid()) polls_.flush(p);
  }
  return taken.size();
}

}  // namespace agora::store
