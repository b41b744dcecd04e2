#pragma once
// Comments on conversations, events, polls, huddles and profiles
// (content-conversations-comments.md §2, §5.1), site hosts:
//   POST /api/v1/comments                       create → 302 (a duplicate within 5 min → its 302)
//   GET|PUT|PATCH|DELETE /api/v1/comments/{id}  detail, new revision, flags, delete
//   GET  /api/v1/comments/{id}/incontext        307 to the comment's page
// Existence before permission: a comment that is gone, or whose item is hidden from the
// caller (a huddle they are not in included), is 404 naming the comment.

#include <string>
#include <vector>

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

class CommentThreads;

class CommentsApi {
 public:
  struct Stores {
    store::CommentStore& comments;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
    store::LinkStore& links;
    store::AuditLog& audit;
  };
  CommentsApi(Stores stores, CommentThreads& threads, const ConfigHolder& config)
      : s_(stores), threads_(threads), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response create(Context& ctx, const http::Request& req);
  http::Response comment(Context& ctx, const http::Request& req);
  http::Response replace(Context& ctx, const http::Request& req);
  http::Response patch(Context& ctx, const http::Request& req);
  http::Response remove(Context& ctx, const http::Request& req);
  http::Response in_context(Context& ctx, const http::Request& req);

  /// Markdown rendered for this site: mentions, short links, site-relative links.
  struct Rendered {
    std::string html;
    std::vector<ProfileId> mentions;
    std::vector<std::int64_t> link_ids;
  };
  Rendered render(const Context& ctx, const std::string& markdown);

  Stores s_;
  CommentThreads& threads_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
