#pragma once
// Updates (platform.md §3) and the durable queue they are generated from (§3.6). A write
// enqueues its trigger inside its own transaction (`enqueue`); the fan-out job claims one
// queued row at a time (FOR UPDATE SKIP LOCKED, so nodes share the queue), stores the
// updates and deletes the row in the same transaction. Every call is scoped by SiteId.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <pqxx/transaction_base>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/store/store_fwd.hpp"
#include "agora/store/watcher_store.hpp"

namespace agora::store {

/// What happened, named by the update type it starts from.
enum class UpdateTrigger : int { comment = 1, rsvp_yes = 5, new_item = 8 };

struct QueuedTrigger {
  std::int64_t id = 0;
  SiteId site;
  UpdateTrigger trigger = UpdateTrigger::comment;
  ItemRef item;  // the comment, the event, the new item
  ProfileId actor;
};

/// A watcher-based recipient (§3.5.2): one per profile, its most specific watcher.
struct WatchingRecipient {
  ProfileId profile;
  WatcherId watcher;
  bool send_email = false;
};

struct NewUpdate {
  ProfileId recipient;
  UpdateType type = UpdateType::new_comment;
  ItemRef item;    // a comment, an event (5), a new item (8)
  ItemRef parent;  // what a comment is on; none otherwise
};

/// A stored update as its recipient sees it in GET /updates (§3.3).
struct Update {
  UpdateId id;
  UpdateType type = UpdateType::new_comment;
  ItemRef item;
  ItemRef parent;  // what a comment is on; none otherwise
  ProfileId created_by;
  std::int64_t created_micros = 0;
  bool unread = false;  // changed after the recipient last read the item (or its forum)
};

class UpdateStore {
 public:
  explicit UpdateStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// Inside the triggering write's transaction.
  static void enqueue(pqxx::transaction_base& tx, SiteId site, UpdateTrigger trigger, ItemRef item, ProfileId actor);

  // The fan-out side
  /// The oldest queued trigger no other node holds and that has not failed five times; the
  /// row stays locked by `tx` until it commits or rolls back.
  static std::optional<QueuedTrigger> claim(pqxx::transaction_base& tx);
  /// Stores the updates (one statement) and deletes the trigger from the queue.
  static void complete(pqxx::transaction_base& tx, const QueuedTrigger& t, const std::vector<NewUpdate>& updates);
  /// Counts a failed attempt (in its own transaction); the trigger is retried at the next run.
  void failed(std::int64_t id, const std::string& error);

  /// Watchers of `item` (when `item_watchers`) and, when given, of `microcosm` and of the
  /// site, one per profile (the item's watcher before the microcosm's before the site's),
  /// leaving out `actor` and those who ignore the actor, the item or the microcosm.
  std::vector<WatchingRecipient> watchers_of(SiteId site, ItemRef item, bool item_watchers,
                                             std::optional<MicrocosmId> microcosm, bool site_watchers, ProfileId actor);
  /// The profiles a comment mentions.
  std::vector<ProfileId> mentioned(SiteId site, CommentId comment);

  /// How many triggers wait (for /metrics and tests).
  std::int64_t queued();

  // The recipient's side (§3.3): listed types only (1, 2, 3, 4, 8), collapsed (comments per
  // item for 1 and 4 while the item is still watched, per comment for 2 and 3, per item for
  // 8), and only what the recipient may see now: visible comments on visible items in the
  // `readable` microcosms (or huddles they take part in), not by or on what they ignore.
  struct Page {
    std::int64_t total = 0, unread = 0;
    std::vector<Update> items;
  };
  Page list(SiteId site, ProfileId profile, const std::vector<MicrocosmId>& readable, int limit, int offset);
  /// One of the profile's own updates, as stored.
  std::optional<Update> get(SiteId site, ProfileId profile, UpdateId id);

 private:
  db::Pool& pool_;
};

}  // namespace agora::store
