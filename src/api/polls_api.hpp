#pragma once
// Polls (content-events-polls-huddles.md §P), site hosts:
//   GET  /api/v1/polls                   site-wide list of what the caller may read
//   POST /api/v1/polls                   create → 302
//   GET|PUT|PATCH|DELETE /api/v1/polls/{id}   detail, edit (the choice list is the new set), flags, delete
//   PUT  /api/v1/polls/{id}/votes        the caller's (user's) vote set → 302 (§P.5 Decision)
//   GET  /api/v1/polls/{id}/lastcomment|newcomment   307 to the comment's page
// Existence before permission: anything deleted, moderated or under a hidden microcosm is 404.

#include <vector>

#include "agora/api/fragment_memo.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"
#include "agora/store/microcosm.hpp"
#include "agora/store/poll.hpp"

namespace agora::api {

class CommentThreads;
class PollsApi {
 public:
  struct Stores {
    store::PollStore& polls;
    store::CommentStore& comments;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
    store::ViewCounter& views;
    store::AuditLog& audit;
  };
  PollsApi(Stores stores, CommentThreads& threads, Fragments fragments, perm::Engine& engine,
           const ConfigHolder& config)
      : s_(stores), threads_(threads), fragments_(fragments), engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list(Context& ctx, const http::Request& req);
  http::Response create(Context& ctx, const http::Request& req);
  http::Response poll(Context& ctx, const http::Request& req);
  http::Response replace(Context& ctx, const http::Request& req);
  http::Response patch(Context& ctx, const http::Request& req);
  http::Response remove(Context& ctx, const http::Request& req);
  http::Response vote(Context& ctx, const http::Request& req);
  http::Response last_comment(Context& ctx, const http::Request& req);
  http::Response new_comment(Context& ctx, const http::Request& req);

  struct Located {
    store::Poll poll;
    store::Microcosm microcosm;
    std::vector<store::Microcosm> path;  // the microcosm's ancestors and itself, root first
  };
  /// A visible poll and its microcosm, else 404. `itself_hidden_ok`: the poll itself may be
  /// deleted or moderated (PATCH un-deletes by id).
  Located locate(const Context& ctx, PollId id, bool itself_hidden_ok = false);
  perm::PermissionSet rights(const Context& ctx, const Located& at);
  /// A visible microcosm of this site that takes polls; 404 / 400 (`move`: 400 for both).
  store::Microcosm target(const Context& ctx, MicrocosmId id, bool move);

  Stores s_;
  CommentThreads& threads_;
  Fragments fragments_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
