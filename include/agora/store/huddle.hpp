#pragma once
// A huddle as stored (content-events-polls-huddles.md §H.1, §H.11), with its current
// participants. Cached by huddle (never per user); every participant change flushes it.

#include <cstdint>
#include <string>
#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {

struct Huddle {
  HuddleId id;
  SiteId site_id;
  std::string title;
  std::int64_t created_micros = 0;
  ProfileId created_by;
  bool confidential = false;
  std::int64_t last_modified_micros = 0;
  std::int64_t comment_count = 0;
  std::vector<ProfileId> participants;  // ascending

  bool has_participant(ProfileId p) const;
};

std::string encode_huddle(const Huddle& h);
Huddle decode_huddle(const std::string& bytes);

}  // namespace agora::store
