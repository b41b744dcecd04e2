#pragma once
// View hits of conversations, events and polls (content-conversations-comments.md §2 and
// content-events-polls-huddles.md §E.4, §P.2: "view hit"; platform.md jobs: a per-minute job
// adds the hits to view_count and purges the caches).
// Decision: hits are counted in memory on each node rather than written as one `views` row per
// GET, so a read stays free of writes; every node adds its own hits once a minute (and on a
// clean shutdown). A crash loses at most a minute of this node's hits.

#include <cstdint>
#include <map>
#include <mutex>
#include <utility>

#include <pqxx/connection>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::store {

class ViewCounter {
 public:
  ViewCounter(ConversationStore& conversations, EventStore& events, PollStore& polls)
      : conversations_(conversations), events_(events), polls_(polls) {}
  static void register_statements(db::Statements& statements);

  void hit(SiteId site, ConversationId id) { count(site, id); }
  void hit(SiteId site, EventId id) { count(site, id); }
  void hit(SiteId site, PollId id) { count(site, id); }
  /// Adds the hits gathered so far to view_count (one statement per kind, one transaction),
  /// then flushes those items' cache entries. Returns how many items were updated. Hits are
  /// kept if it fails.
  std::size_t flush(pqxx::connection& conn);

 private:
  void count(SiteId site, ItemRef item);

  ConversationStore& conversations_;
  EventStore& events_;
  PollStore& polls_;
  std::mutex mutex_;
  std::map<std::pair<ItemRef, std::int64_t>, std::int64_t> hits_;  // (item, site) -> hits
};

}  // namespace agora::store
