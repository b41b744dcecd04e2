#pragma once
// View hits of conversations (content-conversations-comments.md §2: "one view hit recorded";
// platform.md jobs: a per-minute job adds the hits to view_count and purges the caches).
// Decision: hits are counted in memory on each node rather than written as one `views` row per
// GET, so a read stays free of writes; every node adds its own hits once a minute (and on a
// clean shutdown). A crash loses at most a minute of this node's hits.

#include <cstdint>
#include <mutex>
#include <map>
#include <utility>

#include <pqxx/connection>

#include "agora/core/ids.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::store {

class ConversationStore;

class ViewCounter {
 public:
  explicit ViewCounter(ConversationStore& conversations) : conversations_(conversations) {}
  static void register_statements(db::Statements& statements);

  void hit(SiteId site, ConversationId conversation);
  /// Adds the hits gathered so far to view_count in one statement, then flushes those items'
  /// cache entries. Returns how many conversations were updated. Hits are kept if it fails.
  std::size_t flush(pqxx::connection& conn);

 private:
  ConversationStore& conversations_;
  std::mutex mutex_;
  std::map<std::pair<std::int64_t, std::int64_t>, std::int64_t> hits_;  // (site, conversation) -> hits
};

}  // namespace agora::store
