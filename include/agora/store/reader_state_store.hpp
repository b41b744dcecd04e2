#pragma once
// What a profile ignores (identity.md §8) and what it has read (§6.8). Both are per profile,
// and every call is scoped by the profile's site.

#include <map>
#include <optional>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

class ReaderStateStore {
 public:
  explicit ReaderStateStore(db::Pool& pool) : pool_(pool) {}
  static void register_statements(db::Statements& statements);

  /// Idempotent.
  void add(SiteId site, ProfileId profile, ItemRef item);
  void remove(SiteId site, ProfileId profile, ItemRef item);
  bool ignores(SiteId site, ProfileId profile, ItemRef item);
  /// Every item of this kind the profile ignores (`ignored<ProfileId>`: the people it ignores).
  template <class Id>
  std::vector<Id> ignored(SiteId site, ProfileId profile) {
    std::vector<Id> out;
    for (auto id : ignored_of_type(site, profile, item_type_of(Id{}))) out.push_back(Id{id});
    return out;
  }

  struct Page {
    std::int64_t total = 0;
    std::vector<ItemRef> items;
  };
  /// By item type, then id.
  Page list(SiteId site, ProfileId profile, int limit, int offset);

  /// Marks one item read now (item id 0: every item of the type, e.g. all huddles).
  void mark_read(SiteId site, ProfileId profile, ItemRef item);
  /// Moves the item's marker forward to `micros` (never backwards).
  void mark_read_at(SiteId site, ProfileId profile, ItemRef item, std::int64_t micros);
  /// The profile's marker of each of these items of one kind (absent: never read).
  template <class Id>
  std::map<Id, std::int64_t> read_times(SiteId site, ProfileId profile, const std::vector<Id>& ids) {
    std::map<Id, std::int64_t> out;
    for (auto [id, micros] : read_times_of_type(site, profile, item_type_of(Id{}), raw_ids(ids))) out[Id{id}] = micros;
    return out;
  }
  /// Those microcosms whose subtree holds a visible conversation the profile has not read
  /// since it last changed (content-conversations-comments.md §6.4).
  /// Only conversations in `allowed` microcosms count (readable and not ignored).
  std::vector<MicrocosmId> unread_microcosms(SiteId site, ProfileId profile, const std::vector<MicrocosmId>& ids,
                                             const std::vector<MicrocosmId>& allowed);
  /// The newest of the profile's markers on these items, 0 when none.
  std::int64_t last_read(SiteId site, ProfileId profile, const std::vector<ItemRef>& items);

  /// A reader's watcher on an item: its delivery settings (conventions §10 `watched`).
  struct WatchFlags {
    bool send_email = false, send_sms = false;
  };
  /// What a signed-in reader's view of one item depends on, in one round trip.
  struct ItemView {
    std::int64_t last_read = 0;                // newest marker on the item or its microcosm
    std::vector<ProfileId> ignored_authors;  // ignored profiles, ascending
    bool item_ignored = false;
    std::optional<WatchFlags> watch;         // when the reader watches the item
  };
  ItemView item_view(SiteId site, ProfileId profile, ItemRef item, MicrocosmId microcosm);
  /// The microcosm and its subtree as read now; conversation markers inside are dropped.
  void mark_microcosm_read(SiteId site, ProfileId profile, MicrocosmId microcosm);
  /// The site as read: read markers of microcosms, conversations, events and updates are
  /// replaced by "read now" on every microcosm of the site.
  void mark_site_read(SiteId site, ProfileId profile);

 private:
  std::vector<std::int64_t> ignored_of_type(SiteId site, ProfileId profile, ItemType type);
  std::map<std::int64_t, std::int64_t> read_times_of_type(SiteId site, ProfileId profile, ItemType type,
                                                          const std::vector<std::int64_t>& ids);

  db::Pool& pool_;
};

}  // namespace agora::store
