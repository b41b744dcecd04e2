#pragma once
// The comments of every item that takes them — conversations, events, polls, huddles and
// profiles (content-conversations-comments.md §2, §3, §5, §6): where a comment hangs, who
// may do what with it, an item's page of comments, marking it read, and the lastcomment /
// newcomment redirects. The conversation, event, poll, huddle and comment routes all use
// this one place, so an item type behaves the same wherever its comments appear.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "agora/api/context.hpp"
#include "agora/api/fragment_memo.hpp"
#include "agora/api/services.hpp"
#include "agora/http/request.hpp"
#include "agora/http/response.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/microcosm.hpp"
#include "content_json.hpp"

namespace agora {
class JsonWriter;
}  // namespace agora

namespace agora::api {

class ProfileSummaries;

class CommentThreads {
 public:
  struct Stores {
    store::CommentStore& comments;
    store::ConversationStore& conversations;
    store::EventStore& events;
    store::PollStore& polls;
    store::HuddleStore& huddles;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
  };
  CommentThreads(Stores stores, Fragments fragments, perm::Engine& engine)
      : s_(stores), fragments_(fragments), engine_(engine) {}

  /// What comments hang on: a visible item of this site, as its comments' links name it.
  struct Home {
    ItemRef item;
    CommentParent parent;
    std::optional<store::Microcosm> microcosm;  // conversations, events, polls: whose rights apply
    ProfileId owner;                            // the item's author (its "own" rights)
    bool open = true;                           // takes comments from more than moderators
    std::optional<std::int64_t> counted;        // the item's own count of its visible comments
    bool participant = false;                   // huddles: the caller is a current participant
  };
  static Home home(const store::Conversation& c, const store::Microcosm& m);
  static Home home(const store::Event& e, const store::Microcosm& m);
  static Home home(const store::Poll& p, const store::Microcosm& m);
  static Home home(const store::Huddle& h, bool participant);

  /// The item, visible to the caller's eyes (404 naming the item otherwise). A huddle the
  /// caller does not take part in is only found for `author`, who may still read their own.
  Home locate(const Context& ctx, ItemRef item, ProfileId author = {});
  /// Where a comment hangs; 404 naming the comment when that item is gone or hidden.
  Home home_of_comment(const Context& ctx, const store::Comment& c);

  /// The caller's rights on a comment by `author` under `home` (pass `home.owner` for the item's).
  perm::PermissionSet rights(const Context& ctx, const Home& home, ProfileId author);

  /// The caller's read time of the item: its marker, its microcosm's or all huddles' (0: never).
  std::int64_t last_read(const Context& ctx, const Home& home);
  std::vector<ProfileId> ignored_authors(const Context& ctx);

  /// Summaries of comments on one item as JSON text (authors, editors, reply targets fetched
  /// in one go, with `also`; every summary written lands in `*people` when given).
  std::vector<std::string> summaries(const Context& ctx, const std::vector<store::Comment>& comments,
                                     const Home& home, std::int64_t read_until, const std::vector<ProfileId>& also = {},
                                     std::optional<ProfileSummaries>* people = nullptr);

  /// What a page of comments showed, for marking the item read.
  struct Shown {
    std::int64_t newest = 0;  // creation of the newest comment on the page
    bool last_page = false;
  };
  /// The item's comment page (§3) as a collection, `unread` against `read_until`.
  Shown write_page(JsonWriter& w, const Context& ctx, const http::Request& req, const Home& home,
                   std::int64_t read_until, const std::vector<ProfileId>& ignored,
                   const std::vector<ProfileId>& also = {}, std::optional<ProfileSummaries>* people = nullptr);
  /// The same page as a JSON value, for the routes that build a DOM.
  nlohmann::json page_json(const Context& ctx, const http::Request& req, const Home& home, std::int64_t read_until,
                           const std::vector<ProfileId>& ignored, Shown* shown);
  /// Reading a page marks the item read up to its newest comment, or now on the last page
  /// (§6.2); no write when the marker already covers that (`last_modified`: the item's activity).
  void mark_read(const Context& ctx, const Home& home, std::int64_t read_until, const Shown& shown,
                 std::int64_t last_modified);

  /// Location of the page holding `comment` (§3, §5): `limit` appears when it is not 25, and
  /// for incontext (`limit_only_with_offset`) only with an offset.
  std::string page_location(const Context& ctx, const http::Request& req, const Home& home, CommentId comment,
                            int limit, bool limit_only_with_offset);
  /// GET …/lastcomment and …/newcomment (§5.2, §5.3): 307 to the page of the comment.
  http::Response last_comment(const Context& ctx, const http::Request& req, const Home& home);
  http::Response new_comment(const Context& ctx, const http::Request& req, const Home& home);

 private:
  Stores s_;
  Fragments fragments_;
  perm::Engine& engine_;
};

}  // namespace agora::api
