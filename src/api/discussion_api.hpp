#pragma once
// Conversations and their comments (content-conversations-comments.md §1, §2, §3, §5), site hosts:
//   GET  /api/v1/conversations                  site-wide list of what the caller may read
//   POST /api/v1/conversations                  create → 302 (a duplicate within 5 min → its 302)
//   GET|PUT|PATCH|DELETE /api/v1/conversations/{id}   detail with a page of comments, edit, flags, delete
//   GET  /api/v1/conversations/{id}/lastcomment|newcomment    307 to the comment's page
//   GET  /out/{code} (root), /api/v1/out/{code} short links → 307
// Existence before permission: anything deleted, moderated or under a hidden microcosm is 404.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <vector>

#include "agora/api/fragment_memo.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora {
class JsonWriter;
namespace api {
class CommentThreads;
}
}  // namespace agora

namespace agora::api {

class DiscussionApi {
 public:
  struct Stores {
    store::ConversationStore& conversations;
    store::CommentStore& comments;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
    store::LinkStore& links;
    store::ViewCounter& views;
    store::AuditLog& audit;
  };
  DiscussionApi(Stores stores, CommentThreads& threads, Fragments fragments, perm::Engine& engine,
                const ConfigHolder& config)
      : s_(stores), threads_(threads), fragments_(fragments), engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  // Conversations (discussion_api.cpp)
  http::Response list(Context& ctx, const http::Request& req);
  http::Response create_conversation(Context& ctx, const http::Request& req);
  http::Response conversation(Context& ctx, const http::Request& req);
  http::Response replace_conversation(Context& ctx, const http::Request& req);
  http::Response patch_conversation(Context& ctx, const http::Request& req);
  http::Response remove_conversation(Context& ctx, const http::Request& req);
  http::Response last_comment(Context& ctx, const http::Request& req);
  http::Response new_comment(Context& ctx, const http::Request& req);
  http::Response follow_link(Context& ctx, const http::Request& req);

  /// A visible conversation and its microcosm, else 404. `itself_hidden_ok`: the
  /// conversation itself may be deleted or moderated (PATCH un-deletes by id, §F.1).
  struct Located;
  Located locate(const Context& ctx, ConversationId conversation_id, bool itself_hidden_ok = false);
  perm::PermissionSet rights(const Context& ctx, const Located& at, ProfileId owner);

  Stores s_;
  CommentThreads& threads_;
  Fragments fragments_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
