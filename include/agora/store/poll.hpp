#pragma once
// A poll as stored, with its choices (content-events-polls-huddles.md §P.2, §P.6).

#include <cstdint>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {

struct PollChoice {
  PollChoiceId id;
  std::string title;
  std::int64_t order = 0;  // 1-based position
  std::int64_t votes = 0;
  std::int64_t voters = 0;
};

struct Poll {
  PollId id;
  SiteId site_id;
  MicrocosmId microcosm_id;
  std::string title;
  std::string question;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  std::int64_t edited_micros = 0;
  ProfileId edited_by;
  std::string edit_reason;
  bool sticky = false, open = true, deleted = false, moderated = false;
  bool multi = false;
  bool poll_open = true;        // as stored; see voting_open()
  std::int64_t closes_micros = 0;  // 0: no end
  std::int64_t voter_count = 0;
  std::int64_t comment_count = 0;
  std::int64_t view_count = 0;
  std::int64_t last_modified_micros = 0;
  std::vector<PollChoice> choices;  // by order

  /// Voting is open: stored open and the end, if any, not reached (computed on read).
  bool voting_open(std::int64_t now) const { return poll_open && (closes_micros == 0 || closes_micros > now); }
};

std::string encode_poll(const Poll& p);
Poll decode_poll(const std::string& bytes);

}  // namespace agora::store
