#pragma once
// Comments and revisions (content-conversations-comments.md §2, §3) on conversations,
// events, polls, huddles and profiles. Every call is scoped by SiteId. Cache key:
// v2:comment:{id}. Creating and deleting keep the comment counts of the item, its
// microcosm and the author exact in the same transaction.

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/store/comment.hpp"

#include "agora/store/store_fwd.hpp"

namespace agora::store {

struct NewComment {
  ItemRef item;
  ProfileId author;
  CommentId in_reply_to;
  std::string markdown;
  std::string html;
  std::vector<ProfileId> mentions;
  std::vector<std::int64_t> link_ids;
};

class CommentStore {
 public:
  CommentStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config, ConversationStore& conversations,
               EventStore& events, PollStore& polls, HuddleStore& huddles, MicrocosmStore& microcosms,
               ProfileStore& profiles)
      : pool_(pool), cache_(cache), config_(config), conversations_(conversations), events_(events), polls_(polls),
        huddles_(huddles), microcosms_(microcosms), profiles_(profiles) {}
  static void register_statements(db::Statements& statements);

  std::optional<Comment> get(SiteId site, CommentId id);
  std::vector<Comment> get_many(SiteId site, const std::vector<CommentId>& ids);

  struct Page {
    std::int64_t total = 0;
    std::vector<CommentId> ids;
  };
  /// Visible comments of an item by authors not in `ignored_authors`, oldest first (§3).
  /// `counted`: the item's own count of its visible comments, when the caller ignores no one.
  /// It saves counting every comment of a long thread on each page: one id past the page
  /// tells whether more follow; the last page's total is exact from its rows, an earlier page
  /// takes the count unless the rows prove it stale (then the comments are counted).
  Page page(SiteId site, ItemRef item, const std::vector<ProfileId>& ignored_authors, int limit, int offset,
            std::optional<std::int64_t> counted = std::nullopt);
  /// How many of those comments were posted up to and including `c` (its place on the item).
  std::int64_t position(SiteId site, const Comment& c, const std::vector<ProfileId>& ignored_authors);
  /// The newest visible comment, and the oldest one after `after_micros` (an invalid id when none).
  CommentId newest(SiteId site, ItemRef item, const std::vector<ProfileId>& ignored_authors);
  CommentId first_after(SiteId site, ItemRef item, std::int64_t after_micros,
                        const std::vector<ProfileId>& ignored_authors);
  /// The newest visible comment of each of these items (of one kind) that has one.
  template <class Id>
  std::map<Id, LastComment> newest_of(SiteId site, const std::vector<Id>& items) {
    std::vector<std::int64_t> raw;
    for (auto id : items) raw.push_back(id.value());
    std::map<Id, LastComment> out;
    for (auto& [id, last] : newest_of_type(site, item_type_of(Id{}), raw)) out.emplace(Id{id}, last);
    return out;
  }
  /// Visible direct replies, oldest first.
  std::vector<CommentId> replies(SiteId site, CommentId comment, const std::vector<ProfileId>& ignored_authors);

  struct Created {
    CommentId id;
    bool duplicate = false;  // the same author posted the same text on the item within 5 minutes
  };
  Created create(SiteId site, const NewComment& comment);
  /// A new current revision.
  void revise(SiteId site, const Comment& c, ProfileId editor, const std::string& markdown, const std::string& html,
              const std::vector<std::int64_t>& link_ids);
  /// Deleting or moderating takes the comment out of every count (and back).
  /// Unset flags keep the row's value at write time.
  void set_flags(SiteId site, const Comment& c, std::optional<bool> deleted, std::optional<bool> moderated);

  void flush(CommentId id);

 private:
  std::map<std::int64_t, LastComment> newest_of_type(SiteId site, ItemType type, const std::vector<std::int64_t>& ids);
  /// The cached item a comment is on (its counts and activity time changed).
  void flush_item(ItemRef item);

  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
  ConversationStore& conversations_;
  EventStore& events_;
  PollStore& polls_;
  HuddleStore& huddles_;
  MicrocosmStore& microcosms_;
  ProfileStore& profiles_;
};

}  // namespace agora::store
