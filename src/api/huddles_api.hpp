#pragma once
// Huddles: private conversations (content-events-polls-huddles.md §H), site hosts:
//   GET|POST /api/v1/huddles                               the caller's huddles; create → 302
//   GET|DELETE /api/v1/huddles/{id}                        detail with a page of comments; leave
//   GET /api/v1/huddles/{id}/lastcomment|newcomment        307 to the comment's page
//   GET|PUT /api/v1/huddles/{id}/participants              list; invite → 302 (POST → 405)
//   GET|PUT|DELETE /api/v1/huddles/{id}/participants/{pid} one; add → 302; remove yourself (POST → 405)
// Privacy: a huddle exists only for its CURRENT participants. Everyone else – the site
// owner, and the creator after leaving – gets exactly what a missing id gets (404; 200 on
// leave), so not even existence leaks. Participation is read from the database on every
// request, also when the huddle itself comes from the cache. Guests and banned profiles are
// refused (403) on everything but the list, which is empty for guests.

#include <vector>

#include "agora/api/fragment_memo.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

class CommentThreads;
class HuddlesApi {
 public:
  struct Stores {
    store::HuddleStore& huddles;
    store::CommentStore& comments;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
    store::AuditLog& audit;
  };
  HuddlesApi(Stores stores, CommentThreads& threads, Fragments fragments, const ConfigHolder& config)
      : s_(stores), threads_(threads), fragments_(fragments), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response list(Context& ctx, const http::Request& req);
  http::Response create(Context& ctx, const http::Request& req);
  http::Response huddle(Context& ctx, const http::Request& req);
  http::Response leave(Context& ctx, const http::Request& req);
  http::Response participants(Context& ctx, const http::Request& req);
  http::Response invite(Context& ctx, const http::Request& req);
  http::Response participant(Context& ctx, const http::Request& req);
  http::Response add_participant(Context& ctx, const http::Request& req);
  http::Response remove_participant(Context& ctx, const http::Request& req);
  http::Response last_comment(Context& ctx, const http::Request& req);
  http::Response new_comment(Context& ctx, const http::Request& req);

  /// The huddle in the path when the caller currently participates; 404 otherwise (403 for
  /// guests and banned profiles, whatever the id).
  store::Huddle visible(const Context& ctx, const http::Request& req);
  /// Adds profiles of this site (404 naming the first that is not) unless the huddle is
  /// confidential (403); flushes the huddle.
  void invite_profiles(const Context& ctx, const http::Request& req, const store::Huddle& h,
                       const std::vector<ProfileId>& ids);

  Stores s_;
  CommentThreads& threads_;
  Fragments fragments_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
