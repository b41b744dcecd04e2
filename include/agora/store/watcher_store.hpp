#pragma once
// Watchers (platform.md §2) and the update delivery preferences they start from (§3.4, §3.5).
// Every call is scoped by SiteId: a profile of another site has no watchers or preferences
// here. Not cached: a watcher is read per caller, beside the shared cached item.

#include <cstdint>
#include <optional>
#include <vector>

#include <pqxx/transaction_base>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::store {

/// platform.md §3.2; the id is the update_type_id.
enum class UpdateType : int {
  new_comment = 1, reply_to_comment = 2, mentioned = 3, new_comment_in_huddle = 4, new_attendee = 5,
  new_vote = 6, event_reminder = 7, new_item = 8, new_user = 9,
};

struct Watcher {
  WatcherId id;
  ProfileId profile;
  ItemRef item;
  std::int64_t last_notified_micros = 0;  // 0: never notified
  bool send_email = false, send_sms = false;
};

/// One update type's delivery choice of a profile (§3.4).
struct UpdatePreference {
  int update_type = 0;
  std::string description;
  bool send_email = false, send_sms = false;
};

class WatcherStore {
 public:
  explicit WatcherStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// The profile's watcher on `item`, made when absent with the delivery flags of its
  /// preference for `update_type` (materialised from the defaults when missing, §3.5). An
  /// existing watcher is left as it is. Returns the watcher either way.
  Watcher watch(SiteId site, ProfileId profile, ItemRef item, UpdateType update_type);
  /// The same inside another write's transaction (auto-watch, §2.3: the watcher comes with
  /// the item, comment, answer or participant that makes it, or not at all).
  static void watch(pqxx::transaction_base& tx, SiteId site, ProfileId profile, ItemRef item,
                    UpdateType update_type);
  /// Inside a write's transaction: the profile stops watching `item` (leaving a huddle).
  static void unwatch(pqxx::transaction_base& tx, SiteId site, ProfileId profile, ItemRef item);
  std::optional<Watcher> find(SiteId site, ProfileId profile, ItemRef item);
  std::optional<Watcher> get(SiteId site, WatcherId id);

  struct Page {
    std::int64_t total = 0;
    std::vector<Watcher> items;
  };
  /// Never notified first, then last notified newest first, then type, then item id desc.
  Page list(SiteId site, ProfileId profile, int limit, int offset);

  /// False when there was no such watcher.
  bool remove(SiteId site, WatcherId id);
  bool remove(SiteId site, ProfileId profile, ItemRef item);
  bool set_delivery(SiteId site, ProfileId profile, ItemRef item, bool send_email, bool send_sms);

  /// The profiles `profile` follows (its watchers of profiles), ascending.
  std::vector<ProfileId> followed(SiteId site, ProfileId profile);

  // Preferences (§3.4)
  bool update_type_exists(int update_type);
  /// All nine, made from the defaults where missing.
  std::vector<UpdatePreference> preferences(SiteId site, ProfileId profile);
  /// The stored one only (no row yet: nullopt).
  std::optional<UpdatePreference> preference(SiteId site, ProfileId profile, int update_type);
  void set_preference(SiteId site, ProfileId profile, int update_type, bool send_email, bool send_sms);

 private:
  db::Pool& pool_;
};

}  // namespace agora::store
