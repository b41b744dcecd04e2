#pragma once
// A reader's own state (identity.md §6.8, §8), logged-in callers only:
//   GET    /api/v1/ignored           what the caller ignores, items it can still see
//   PUT    /api/v1/ignored           {"itemType","itemId"} ignore (idempotent)
//   DELETE /api/v1/ignored           {"itemType","itemId"} stop ignoring
//   PUT    /api/v1/profiles/read     {"itemType","itemId"} mark read ("site" = everything)
// Items that exist so far are profiles, microcosms and conversations; other content types
// are refused with 400 until their resources exist. Marking a microcosm read marks its whole
// subtree and drops the item markers inside it (content-conversations-comments.md §6.3).

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"
#include "agora/core/item_ref.hpp"


namespace agora::api {

class CommentThreads;

class ReaderApi {
 public:
  ReaderApi(store::ReaderStateStore& state, store::ProfileStore& profiles, store::MicrocosmStore& microcosms,
            store::ConversationStore& conversations, CommentThreads& threads, perm::Engine& engine,
            const ConfigHolder& config)
      : state_(state), profiles_(profiles), microcosms_(microcosms), conversations_(conversations), threads_(threads),
        engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list_ignored(Context& ctx, const http::Request& req);
  http::Response ignore(Context& ctx, const http::Request& req);
  http::Response unignore(Context& ctx, const http::Request& req);
  http::Response mark_read(Context& ctx, const http::Request& req);
  /// Error{not_found} unless the item exists on this site and the caller may see it.
  void require_visible(const Context& ctx, const ItemRef& item);

  store::ReaderStateStore& state_;
  store::ProfileStore& profiles_;
  store::MicrocosmStore& microcosms_;
  store::ConversationStore& conversations_;
  CommentThreads& threads_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
