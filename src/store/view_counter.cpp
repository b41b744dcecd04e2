#include "agora/store/view_counter.hpp"

#include <pqxx/pqxx>
#include <vector>

#include "agora/db/statements.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/sql_arrays.hpp"
#include "agora/store/relaxed_commit.hpp"

namespace agora::store {
namespace {
constexpr const char* add_views = "views_add";
}

void ViewCounter::register_statements(db::Statements& st) {
  st.add(add_views,
         "UPDATE conversations c SET view_count = c.view_count + v.n"
         " FROM unnest($1::bigint[], $2::bigint[]) AS v(id, n) WHERE c.conversation_id = v.id");
}

void ViewCounter::hit(std::int64_t conversation_id) {
  std::lock_guard lock(mutex_);
  ++hits_[conversation_id];
}

std::size_t ViewCounter::flush(pqxx::connection& conn) {
  std::unordered_map<std::int64_t, std::int64_t> taken;
  {
    std::lock_guard lock(mutex_);
    taken.swap(hits_);
  }
  if (taken.empty()) return 0;
  std::vector<std::int64_t> ids, counts;
  ids.reserve(taken.size());
  counts.reserve(taken.size());
  for (auto& [id, n] : taken) {
    ids.push_back(id);
    counts.push_back(n);
  }
  try {
    pqxx::work tx(conn);
    relax_commit(tx);
    tx.exec_prepared(add_views, int_array_literal(ids), int_array_literal(counts));
    tx.commit();
  } catch (...) {
    // Put the hits back for the next flush, then let the scheduler record the failure.
    std::lock_guard lock(mutex_);
    for (auto& [id, n] : taken) hits_[id] += n;
    throw;
  }
  for (auto id : ids) conversations_.flush(id);
  return ids.size();
}

}  // namespace agora::store
