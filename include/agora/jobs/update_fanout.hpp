#pragma once
// The fan-out of updates (platform.md §3.5, §3.6): turns each queued trigger into the
// updates of its recipients, in the trigger's own transaction so that none is lost or made
// twice. Runs every second on every node; nodes share the queue through SKIP LOCKED.
//   comment on a conversation, event or poll → new_comment (1) to the watchers of the item,
//     its microcosm and the site; reply_to_comment (2) to the replied-to author; mentioned
//     (3) to each mentioned profile
//   comment in a huddle → new_comment_in_huddle (4) to the huddle's watchers (participants)
//   RSVP yes → new_attendee (5) to the event's watchers
//   new conversation, event or poll → new_item (8) to the watchers of its microcosm and site
// Never to the actor (content-conversations-comments.md Decision), never to someone who
// cannot read the item (§3.5 Decision), a banned profile included.

#include <cstddef>

#include <pqxx/connection>

#include "agora/core/log.hpp"
#include "agora/store/store_fwd.hpp"
#include "agora/store/update_store.hpp"

namespace agora::perm {
class Engine;
}

namespace agora::jobs {

class UpdateFanout {
 public:
  struct Stores {
    store::UpdateStore& updates;
    store::SiteStore& sites;
    store::CommentStore& comments;
    store::ConversationStore& conversations;
    store::EventStore& events;
    store::PollStore& polls;
    store::HuddleStore& huddles;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
    store::BanStore& bans;
  };
  UpdateFanout(Stores stores, perm::Engine& engine, Logger log) : s_(stores), engine_(engine), log_(std::move(log)) {}

  /// Works through the queue until it is empty or `budget` triggers are done; returns how
  /// many were done. A trigger that fails is counted and retried (five times at most).
  std::size_t run(pqxx::connection& conn, std::size_t budget = 500);

 private:
  /// What a trigger tells whom; empty when its item is gone or hidden by now.
  std::vector<store::NewUpdate> updates_for(const store::QueuedTrigger& t);

  Stores s_;
  perm::Engine& engine_;
  Logger log_;
};

}  // namespace agora::jobs
