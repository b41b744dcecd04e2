#pragma once
// The demo forum `seed-demo` builds: a few microcosms two levels deep, tens of
// conversations and hundreds of comments with markdown, mentions and replies written by the
// demo accounts, two upcoming events with attendees and a poll with votes. Idempotent: a site
// that already has conversations is left alone.

#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {
class MicrocosmStore;
class ConversationStore;
class CommentStore;
class ProfileStore;
class EventStore;
class PollStore;
class HuddleStore;
}  // namespace agora::store

namespace agora::app {

struct DemoForumStores {
  store::MicrocosmStore& microcosms;
  store::ConversationStore& conversations;
  store::CommentStore& comments;
  store::ProfileStore& profiles;
  store::EventStore& events;
  store::PollStore& polls;
};

/// Returns the number of comments written (0 when the forum already had content).
int seed_demo_forum(const DemoForumStores& stores, SiteId site, const std::vector<ProfileId>& authors);

/// A huddle between the first two demo accounts (the owner and a member) with a comment from
/// each, for a freshly seeded forum; returns its id (0 when there are fewer than two authors).
HuddleId seed_demo_huddle(store::HuddleStore& huddles, store::CommentStore& comments, SiteId site,
                          const std::vector<ProfileId>& authors);

}  // namespace agora::app
