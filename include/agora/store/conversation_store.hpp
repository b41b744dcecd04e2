#pragma once
// Conversations (content-conversations-comments.md §1). Every call is scoped by SiteId.
// Cache key: v2:conv:{id}. Writes keep the microcosm's and the author's item_count exact in
// the same transaction and flush the conversation, its microcosm and its author.

#include <map>
#include <optional>
#include <utility>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/comment.hpp"
#include "agora/store/conversation.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

class MicrocosmStore;

/// Flags to write; unset ones keep whatever the row holds when the write happens, so two
/// PATCHes of different flags never undo each other.
struct ConversationFlags {
  std::optional<bool> sticky, open, deleted, moderated;
};

class ConversationStore {
 public:
  ConversationStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config, MicrocosmStore& microcosms,
                    ProfileStore& profiles)
      : pool_(pool), cache_(cache), config_(config), microcosms_(microcosms), profiles_(profiles) {}
  static void register_statements(db::Statements& statements);

  std::optional<Conversation> get(SiteId site, ConversationId id);
  /// In the order asked; missing ones skipped. One multi-get, one query for the misses.
  std::vector<Conversation> get_many(SiteId site, const std::vector<ConversationId>& ids);

  /// A page of the visible conversations in these microcosms (which must all be visible
  /// forums), not in `ignored`: sticky first, newest activity first. (Their number comes from
  /// the microcosms' exact item counts.) `most_of_site`: these forums hold most of the site's
  /// conversations, so the page is read walking the site index; otherwise through each forum's.
  std::vector<ConversationId> list(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                   const std::vector<ConversationId>& ignored, int limit, int offset, bool most_of_site);
  /// Counts of visible conversations of one microcosm, sticky and not, without `ignored`.
  std::pair<std::int64_t, std::int64_t> count_in(SiteId site, MicrocosmId microcosm,
                                                 const std::vector<ConversationId>& ignored);
  /// A slice of one microcosm's sticky (or non-sticky) visible conversations.
  std::vector<ConversationId> slice_in(SiteId site, MicrocosmId microcosm, bool sticky,
                                       const std::vector<ConversationId>& ignored, int limit, int offset);

  struct Created {
    ConversationId id;
    bool duplicate = false;  // the same author posted the same title here within 5 minutes
  };
  Created create(SiteId site, MicrocosmId microcosm, const std::string& title, ProfileId by);
  /// Title and microcosm (a move carries the item count to the new microcosm).
  void update(SiteId site, const Conversation& c, const std::string& title, MicrocosmId microcosm, ProfileId by,
              const std::string& reason);
  /// Flags; deleting or moderating counts like removing the item (and back).
  void set_flags(SiteId site, const Conversation& c, const ConversationFlags& flags, ProfileId by,
                 const std::string& reason);

  void flush(ConversationId id);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
  MicrocosmStore& microcosms_;
  ProfileStore& profiles_;
};

}  // namespace agora::store
