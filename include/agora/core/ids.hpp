#pragma once
// Strong id types: a SiteId is not a ProfileId is not an int64, so passing the wrong
// id to a store function is a compile error.

#include <cstdint>
#include <functional>
#include <vector>

namespace agora {

template <class Tag>
class StrongId {
 public:
  constexpr StrongId() = default;
  constexpr explicit StrongId(std::int64_t v) : value_(v) {}
  constexpr std::int64_t value() const noexcept { return value_; }
  constexpr bool valid() const noexcept { return value_ > 0; }
  friend constexpr auto operator<=>(StrongId, StrongId) = default;

 private:
  std::int64_t value_ = 0;
};

using SiteId = StrongId<struct SiteTag>;
using ProfileId = StrongId<struct ProfileTag>;
using UserId = StrongId<struct UserTag>;
using MicrocosmId = StrongId<struct MicrocosmTag>;
using RoleId = StrongId<struct RoleTag>;
using CriterionId = StrongId<struct CriterionTag>;
using ConversationId = StrongId<struct ConversationTag>;
using CommentId = StrongId<struct CommentTag>;
using EventId = StrongId<struct EventTag>;
using PollId = StrongId<struct PollTag>;
using HuddleId = StrongId<struct HuddleTag>;
using PollChoiceId = StrongId<struct PollChoiceTag>;
using LinkId = StrongId<struct LinkTag>;
using WatcherId = StrongId<struct WatcherTag>;
using UpdateId = StrongId<struct UpdateTag>;

/// The raw values of a list of ids, for a SQL array parameter or a log line.
template <class Tag>
std::vector<std::int64_t> raw_ids(const std::vector<StrongId<Tag>>& ids) {
  std::vector<std::int64_t> out;
  out.reserve(ids.size());
  for (auto id : ids) out.push_back(id.value());
  return out;
}

/// The mandatory root (management) site.
inline constexpr SiteId root_site_id{1};

}  // namespace agora

template <class Tag>
struct std::hash<agora::StrongId<Tag>> {
  std::size_t operator()(agora::StrongId<Tag> id) const noexcept {
    return std::hash<std::int64_t>{}(id.value());
  }
};
