#pragma once
// Polls and their votes (content-events-polls-huddles.md §P). Every call is scoped by SiteId.
// Cache key: v2:poll:{id}, the poll with its choices. Writes lock the poll row first, keep the
// microcosm's item_count and the vote counters exact in the same transaction, and flush the
// poll and its microcosm after commit.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"
#include "agora/store/poll.hpp"
#include "agora/store/store_fwd.hpp"

namespace agora::store {

/// Flags to write; unset ones keep what the row holds.
struct PollFlags {
  std::optional<bool> sticky, open, deleted, moderated;
};

/// A choice as submitted: an existing choice's id (PUT), or none for a new one.
struct ChoiceInput {
  PollChoiceId id;
  std::string title;
};

/// What POST and PUT write; the choices are the complete set, in order.
struct PollFields {
  MicrocosmId microcosm;
  std::string title;
  std::string question;
  bool multi = false;
  bool poll_open = true;
  std::int64_t closes_micros = 0;  // 0: no end
  std::vector<ChoiceInput> choices;
};

class PollStore {
 public:
  PollStore(db::Pool& pool, cache::Cache& cache, const ConfigHolder& config, MicrocosmStore& microcosms)
      : pool_(pool), cache_(cache), config_(config), microcosms_(microcosms) {}
  static void register_statements(db::Statements& statements);

  std::optional<Poll> get(SiteId site, PollId id);
  std::vector<Poll> get_many(SiteId site, const std::vector<PollId>& ids);

  /// Visible polls in these (visible, readable) microcosms, not in `ignored`: sticky first,
  /// newest activity first; and how many there are.
  std::vector<PollId> list(SiteId site, const std::vector<MicrocosmId>& microcosms, const std::vector<PollId>& ignored,
                           int limit, int offset);
  std::int64_t count(SiteId site, const std::vector<MicrocosmId>& microcosms, const std::vector<PollId>& ignored);

  PollId create(SiteId site, const PollFields& fields, ProfileId by);
  /// Replaces the poll's fields and its choice set: listed ids must be this poll's
  /// (Error{bad_request} otherwise, nothing written); unlisted choices go with their votes.
  void update(SiteId site, const Poll& p, const PollFields& fields, ProfileId by, const std::string& reason);
  /// Flags; deleting or moderating counts like removing the item (and back).
  void set_flags(SiteId site, const Poll& p, const PollFlags& flags, ProfileId by, const std::string& reason);
  /// Replaces `user`'s vote set with `choices` (distinct). Under the poll's row lock: the
  /// poll must be visible and open for voting (Error{forbidden}), the choices its own
  /// (Error{bad_request}), one choice unless multiple choice (Error{bad_request}).
  void vote(SiteId site, PollId poll, UserId user, const std::vector<PollChoiceId>& choices);

  void flush(PollId id);

 private:
  db::Pool& pool_;
  cache::Cache& cache_;
  const ConfigHolder& config_;
  MicrocosmStore& microcosms_;
};

}  // namespace agora::store
