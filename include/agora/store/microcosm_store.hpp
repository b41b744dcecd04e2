#pragma once
// Microcosms: the forum tree of a site, one root each (content-microcosms.md §M.1).
// Every call is scoped by SiteId. Cache key: v2:micro:{id} -> the Microcosm.

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/store/microcosm.hpp"

#include "agora/store/store_fwd.hpp"

namespace pqxx {
class transaction_base;
}

namespace agora::store {

struct NewMicrocosm {
  MicrocosmId parent_id;
  std::string title;
  std::string description;
  std::vector<int> item_types = {2, 6, 9};
  std::string visibility = "public";
  std::string logo_url;
};

/// A PUT's changes; unset = unchanged. `parent_id` set = a move.
struct MicrocosmEdit {
  std::optional<std::string> title, description, visibility, logo_url;
  std::optional<std::vector<int>> item_types;
  std::optional<MicrocosmId> parent_id;
};

/// The four PATCHable flags (content-events-polls-huddles.md §F) to write; unset ones keep
/// the row's value at write time.
struct MicrocosmFlags {
  std::optional<bool> sticky, open, deleted, moderated;
};

/// A microcosm as the tree route lists it.
struct TreeNode {
  MicrocosmId id;
  MicrocosmId parent_id;
  std::vector<MicrocosmId> path;
  std::string title;
};

/// A child as a summary's `children` links show it.
struct ChildRef {
  MicrocosmId id;
  std::string title;
  std::string logo_url;
};

struct SubtreeTotals {
  std::int64_t items = 0;
  std::int64_t comments = 0;
};

/// What a reader ignores among the items a microcosm lists.
struct IgnoredItems {
  std::vector<ConversationId> conversations;
  std::vector<EventId> events;
};

class MicrocosmStore {
 public:
  MicrocosmStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config)
      : pool_(pool), cache_(cache), config_(config) {}
  static void register_statements(db::Statements& statements);

  /// The microcosm if it exists on this site (deleted ones included: callers decide).
  std::optional<Microcosm> get(SiteId site, MicrocosmId id);
  /// Microcosms by id in the order asked, missing ones skipped: one multi-get, one query.
  std::vector<Microcosm> get_many(SiteId site, const std::vector<MicrocosmId>& ids);
  /// The site's root microcosm.
  std::optional<MicrocosmId> root_of(SiteId site);
  /// True when the microcosm or an ancestor is deleted or moderated (M.10 Decision).
  bool hidden(SiteId site, const Microcosm& m);
  /// The same, from the forum's path already fetched (`path` = get_many(site, m.path)).
  static bool hidden_on(const Microcosm& m, const std::vector<Microcosm>& path);

  /// Visible direct children: sticky first, then `sequence`, then id.
  std::vector<MicrocosmId> children(SiteId site, MicrocosmId parent);
  /// For each parent, its visible children ordered sticky, comment count desc, title.
  std::map<MicrocosmId, std::vector<ChildRef>> child_links(SiteId site, const std::vector<MicrocosmId>& parents);
  /// Item and comment counts summed over each microcosm's visible subtree.
  std::map<MicrocosmId, SubtreeTotals> subtree_totals(SiteId site, const std::vector<MicrocosmId>& ids);
  /// The visible conversations and events directly in a microcosm (never polls), less those ignored
  /// (M.4): how many are sticky and how many not, and one slice of either, newest activity
  /// first. For forums that hold more than conversations; ConversationStore lists the rest.
  std::pair<std::int64_t, std::int64_t> items_count_in(SiteId site, MicrocosmId microcosm, const IgnoredItems& ignored);
  std::vector<ItemRef> items_slice_in(SiteId site, MicrocosmId microcosm, bool sticky, const IgnoredItems& ignored,
                                      int limit, int offset);
  /// For each microcosm, its subtree's most recently active visible conversation or event among
  /// the `allowed` microcosms (M.5 mostRecentUpdate: what the caller may read and has not ignored).
  std::map<MicrocosmId, ItemRef> most_recent_in(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                                const std::vector<MicrocosmId>& allowed);
  /// Every visible microcosm of the site (no hidden ancestor), in depth-first pre-order by
  /// the path compared label by label as text (M.6).
  std::vector<TreeNode> tree(SiteId site);

  /// Creates a child of an existing microcosm of the site; Error{not_found} when the parent
  /// is not there.
  MicrocosmId create(SiteId site, const NewMicrocosm& fields, ProfileId by);

  /// Applies a PUT; a move rewrites the paths of the whole subtree. Validation is the caller's.
  void update(SiteId site, const Microcosm& m, const MicrocosmEdit& edit, ProfileId by, const std::string& reason);
  /// Writes the flags with the PATCH edit reason.
  void set_flags(SiteId site, const Microcosm& m, const MicrocosmFlags& flags, ProfileId by, const std::string& reason);

  /// Inserts the root microcosm "Forums" inside the site-creation transaction.
  static MicrocosmId insert_root(pqxx::transaction_base& tx, SiteId site, const std::string& description,
                                 ProfileId owner);

  void flush(MicrocosmId id);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
};

}  // namespace agora::store
