#pragma once
// Conversations and their comments (content-conversations-comments.md §1, §2, §3, §5), site hosts:
//   GET  /api/v1/conversations                  site-wide list of what the caller may read
//   POST /api/v1/conversations                  create → 302 (a duplicate within 5 min → its 302)
//   GET|PUT|PATCH|DELETE /api/v1/conversations/{id}   detail with a page of comments, edit, flags, delete
//   GET  /api/v1/conversations/{id}/lastcomment|newcomment    307 to the comment's page
//   POST /api/v1/comments                       create on a conversation → 302
//   GET|PUT|PATCH|DELETE /api/v1/comments/{id}  detail, new revision, flags, delete
//   GET  /api/v1/comments/{id}/incontext        307 to the comment's page
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
class ProfileSummaries;
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
  DiscussionApi(Stores stores, Fragments fragments, perm::Engine& engine, const ConfigHolder& config)
      : s_(stores), fragments_(fragments), engine_(engine), config_(config) {}
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
  // Comments (discussion_comments.cpp)
  http::Response create_comment(Context& ctx, const http::Request& req);
  http::Response comment(Context& ctx, const http::Request& req);
  http::Response replace_comment(Context& ctx, const http::Request& req);
  http::Response patch_comment(Context& ctx, const http::Request& req);
  http::Response remove_comment(Context& ctx, const http::Request& req);
  http::Response in_context(Context& ctx, const http::Request& req);

  /// A visible conversation and its microcosm, else 404. `itself_hidden_ok`: the
  /// conversation itself may be deleted or moderated (PATCH un-deletes by id, §F.1).
  struct Located;
  Located locate(const Context& ctx, ConversationId conversation_id, bool itself_hidden_ok = false);
  /// The conversation a comment is on; a 404 names the comment, not the conversation.
  Located locate_for_comment(const Context& ctx, const store::Comment& comment);
  perm::PermissionSet rights(const Context& ctx, const Located& at, ProfileId owner);
  /// What a comment hangs on: a visible conversation (with its forum) or a profile of this
  /// site; 404 naming the comment otherwise.
  struct Home;
  Home home_of(const Located& at);
  Home locate_home(const Context& ctx, const store::Comment& comment);
  /// The caller's rights on a comment by `author` on `home`.
  perm::PermissionSet comment_rights(const Context& ctx, const Home& home, ProfileId author);
  /// Writes the comment page of a conversation as a collection, with `unread` against `last_read`.
  /// `also`: more profiles wanted with the comments' authors (one multi-get); all their
  /// summaries land in `*people`.
  void write_comment_page(JsonWriter& w, const Context& ctx, const http::Request& req, const Located& at,
                          std::int64_t last_read, const std::vector<ProfileId>& ignored_authors,
                          std::int64_t* newest_on_page, bool* last_page, const std::vector<ProfileId>& also,
                          std::optional<ProfileSummaries>* people);
  /// Summaries of comments on one conversation as JSON text (authors, editors, reply targets
  /// fetched in one go, with `also`; every summary written lands in `*people` when given).
  std::vector<std::string> comment_summaries(const Context& ctx, const std::vector<store::Comment>& comments,
                                             const Home& home, std::int64_t last_read,
                                             const std::vector<ProfileId>& also = {},
                                             std::optional<ProfileSummaries>* people = nullptr);
  std::vector<ProfileId> ignored_authors(const Context& ctx);
  std::int64_t last_read(const Context& ctx, const Located& at);
  /// Location of the page holding comment `comment_id` (307 target), per §3 and §5: `limit`
  /// appears when it is not 25, and for incontext (`limit_only_with_offset`) only with an offset.
  std::string page_location(const Context& ctx, const http::Request& req, const Home& home, CommentId comment_id,
                            int limit, bool limit_only_with_offset);
  /// Renders markdown for this site: mentions, short links, site-relative links.
  struct Rendered;
  Rendered render(const Context& ctx, const std::string& markdown);

  Stores s_;
  Fragments fragments_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
