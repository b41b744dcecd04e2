#pragma once
// Updates (platform.md §3.3), site hosts, signed-in callers (403 for guests):
//   GET   /api/v1/updates           the caller's updates, collapsed and filtered, newest first
//   GET   /api/v1/updates/unread    {"total": n} of those listed that are unread (§3.3 Decision)
//   GET   /api/v1/updates/{id}      one of the caller's own updates (404 for anyone else's)
//   PATCH /api/v1/updates/{id}      [{"op":"replace","path":"/viewed","value":…}] marks its item read → 200

#include <optional>

#include "agora/api/fragment_memo.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"
#include "agora/store/update_store.hpp"
#include "profile_json.hpp"

namespace agora {
class JsonWriter;
}

namespace agora::api {

class CommentThreads;

class UpdatesApi {
 public:
  struct Stores {
    store::UpdateStore& updates;
    store::CommentStore& comments;
    store::ConversationStore& conversations;
    store::EventStore& events;
    store::PollStore& polls;
    store::HuddleStore& huddles;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
  };
  UpdatesApi(Stores stores, CommentThreads& threads, Fragments fragments, perm::Engine& engine,
             const ConfigHolder& config)
      : s_(stores), threads_(threads), fragments_(fragments), engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list(Context& ctx, const http::Request& req);
  http::Response unread(Context& ctx, const http::Request& req);
  http::Response one(Context& ctx, const http::Request& req);
  http::Response viewed(Context& ctx, const http::Request& req);

  /// The update as §3.3 shows it; false (nothing written) when its item cannot be shown now.
  bool write_update(JsonWriter& w, const Context& ctx, const store::Update& u, const ProfileSummaries& people);
  /// Whether the caller may read `item` now (gone, hidden, unreadable: false).
  bool readable(const Context& ctx, ItemRef item);
  /// The summaries of everyone the updates name: who caused them, who made their items.
  ProfileSummaries people_of(const Context& ctx, const std::vector<store::Update>& updates);
  /// A conversation, event, poll or huddle summary; false when it is gone or hidden.
  bool write_item(JsonWriter& w, const Context& ctx, ItemRef item, const ProfileSummaries& people);

  Stores s_;
  CommentThreads& threads_;
  Fragments fragments_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
