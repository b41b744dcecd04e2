#include "comment_threads.hpp"

#include <map>
#include <nlohmann/json.hpp>

#include "agora/api/paging.hpp"
#include "agora/core/error.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "profile_json.hpp"

namespace agora::api {
namespace {

std::string href(std::string_view plural, std::int64_t id) {
  return "/api/v1/" + std::string(plural) + "/" + std::to_string(id);
}

[[noreturn]] void not_found(std::string_view what, std::int64_t id) {
  throw Error(ErrorKind::not_found, std::string(what) + " " + std::to_string(id) + " not found");
}

/// The request's query without the keys in `drop`, re-encoded with sorted keys, plus `extra`.
std::string query_with(const http::Request& req, std::vector<std::string> drop,
                       std::vector<std::pair<std::string, std::string>> extra) {
  drop.push_back("access_token");
  std::map<std::string, std::string> q;
  for (const auto& [k, v] : req.query) {
    if (std::find(drop.begin(), drop.end(), k) == drop.end()) q[k] = v;
  }
  for (auto& [k, v] : extra) q[k] = v;
  std::string out;
  for (const auto& [k, v] : q) out += (out.empty() ? "?" : "&") + http::percent_encode(k) + "=" + http::percent_encode(v);
  return out;
}

}  // namespace

CommentThreads::Home CommentThreads::home(const store::Conversation& c, const store::Microcosm& m) {
  return {c.id, {"conversation", href("conversations", c.id.value()), c.title}, m, c.created_by, c.open && m.open,
          c.comment_count, false};
}

CommentThreads::Home CommentThreads::home(const store::Event& e, const store::Microcosm& m) {
  return {e.id, {"event", href("events", e.id.value()), e.title}, m, e.created_by, e.open && m.open, e.comment_count,
          false};
}

CommentThreads::Home CommentThreads::home(const store::Poll& p, const store::Microcosm& m) {
  return {p.id, {"poll", href("polls", p.id.value()), p.title}, m, p.created_by, p.open && m.open, p.comment_count,
          false};
}

CommentThreads::Home CommentThreads::home(const store::Huddle& h, bool participant) {
  return {h.id, {"huddle", href("huddles", h.id.value()), h.title}, std::nullopt, h.created_by, true, h.comment_count,
          participant};
}

CommentThreads::Home CommentThreads::locate(const Context& ctx, ItemRef item, ProfileId author) {
  const auto site = ctx.site->id;
  // An item under a microcosm: itself visible, and its microcosm and every ancestor too.
  auto under = [&](auto found, const char* what) -> Home {
    auto m = found ? s_.microcosms.get(site, found->microcosm_id) : std::nullopt;
    if (!found || found->deleted || found->moderated || !m || s_.microcosms.hidden(site, *m)) not_found(what, item.id);
    return home(*found, *m);
  };
  switch (item.type) {
    case ItemType::conversation:
      return under(s_.conversations.get(site, ConversationId{item.id}), "Conversation");
    case ItemType::event:
      return under(s_.events.get(site, EventId{item.id}), "Event");
    case ItemType::poll:
      return under(s_.polls.get(site, PollId{item.id}), "Poll");
    case ItemType::huddle: {
      auto h = s_.huddles.get(site, HuddleId{item.id});
      if (!h) not_found("Huddle", item.id);
      // Participation from the database, never from the cached huddle (§H.10 Decision).
      auto at = home(*h, !ctx.is_guest() && s_.huddles.is_participant(site, h->id, ctx.caller));
      // Outsiders learn nothing of a huddle, not even that it exists (§H.3).
      if (!at.participant && (ctx.is_guest() || author != ctx.caller)) not_found("Huddle", item.id);
      return at;
    }
    case ItemType::profile: {
      auto p = s_.profiles.get(site, ProfileId{item.id});
      if (!p) not_found("Profile", item.id);
      return {item, {"profile", href("profiles", item.id), p->name}, std::nullopt, p->id, true, std::nullopt, false};
    }
    default:
      throw Error(ErrorKind::bad_request, "itemType must be one of conversation, event, poll, huddle, profile");
  }
}

CommentThreads::Home CommentThreads::home_of_comment(const Context& ctx, const store::Comment& c) {
  try {
    return locate(ctx, c.item, c.author);
  } catch (const Error& e) {
    // The comment's own id, so that a hidden item's id is not told.
    if (e.kind() == ErrorKind::not_found) not_found("Comment", c.id.value());
    throw;
  }
}

perm::PermissionSet CommentThreads::rights(const Context& ctx, const Home& home, ProfileId author) {
  if (home.microcosm) return engine_.item(*ctx.site, ctx.perm_caller(), *home.microcosm, author);
  if (home.item.is<HuddleId>()) {
    // §H.3: participants read and comment; an author edits their own; nobody deletes. A
    // banned profile does nothing with huddles, as on the huddle routes.
    perm::PermissionSet p;
    if (ctx.ban) return p;
    const bool own = !ctx.is_guest() && author == ctx.caller;
    p.read = home.participant || own;
    p.create = home.participant && !ctx.ban;
    p.update = own;
    p.owner = own;
    return p;
  }
  return perm::for_profile_comment(*ctx.site, ctx.perm_caller(), home.item.as<ProfileId>(), author);
}

std::vector<ProfileId> CommentThreads::ignored_authors(const Context& ctx) {
  if (ctx.is_guest()) return {};
  return s_.reader.ignored<ProfileId>(ctx.site->id, ctx.caller);
}

std::int64_t CommentThreads::last_read(const Context& ctx, const Home& home) {
  if (ctx.is_guest()) return 0;
  std::vector<ItemRef> markers{home.item};
  if (home.microcosm) markers.emplace_back(home.microcosm->id);
  if (home.item.is<HuddleId>()) markers.emplace_back(HuddleId{0});
  return s_.reader.last_read(ctx.site->id, ctx.caller, markers);
}

std::vector<std::string> CommentThreads::summaries(const Context& ctx, const std::vector<store::Comment>& comments,
                                                   const Home& home, std::int64_t read_until,
                                                   const std::vector<ProfileId>& also,
                                                   std::optional<ProfileSummaries>* people_out) {
  // Reply targets on the same item that are still visible; most are on the page already,
  // the others are fetched (in one multi-get, and none at all when there are none).
  std::map<CommentId, store::Comment> targets;
  auto consider = [&](const store::Comment& t) {
    if (t.visible() && t.item == home.item) targets.emplace(t.id, t);
  };
  std::map<CommentId, const store::Comment*> on_page;
  for (const auto& c : comments) on_page.emplace(c.id, &c);
  std::vector<CommentId> elsewhere;
  for (const auto& c : comments) {
    if (!c.in_reply_to.valid()) continue;
    if (auto it = on_page.find(c.in_reply_to); it != on_page.end()) {
      consider(*it->second);
    } else {
      elsewhere.push_back(c.in_reply_to);
    }
  }
  if (!elsewhere.empty()) {
    for (const auto& t : s_.comments.get_many(ctx.site->id, elsewhere)) consider(t);
  }
  std::vector<ProfileId> people;
  for (const auto& c : comments) {
    people.push_back(c.author);
    people.push_back(c.revised_by);
  }
  for (const auto& [id, t] : targets) people.push_back(t.author);
  people.insert(people.end(), also.begin(), also.end());
  const auto found = s_.profiles.get_many(ctx.site->id, people);
  std::map<ProfileId, const store::Profile*> profiles;
  for (const auto& p : found) profiles.emplace(p.id, &p);
  // Each author's summary is written once per page (a page often names one author many times).
  std::optional<ProfileSummaries> local;
  auto& written = people_out ? *people_out : local;
  const auto& summaries = written.emplace(found, &fragments_.profiles);
  const auto& parent = home.parent;
  std::vector<std::string> out;
  out.reserve(comments.size());
  for (const auto& c : comments) {
    std::optional<ReplyTarget> reply;
    if (auto it = targets.find(c.in_reply_to); it != targets.end()) {
      auto author = profiles.find(it->second.author);
      reply = ReplyTarget{it->first, it->second.author, author == profiles.end() ? "" : author->second->name};
    }
    const bool unread = !ctx.is_guest() && c.created_micros > read_until;
    const auto author = summaries.of(c.author), editor = summaries.of(c.revised_by);
    out.push_back(fragments_.comments.get(c.id.value() * 2 + unread,
                                          comment_summary_inputs(c, parent, author, editor, reply, unread), [&] {
                                            JsonWriter w(c.markdown.size() + c.html.size() + 1200);
                                            write_comment_summary(w, c, parent, author, editor, reply, unread);
                                            return w.take();
                                          }));
  }
  return out;
}

CommentThreads::Shown CommentThreads::write_page(JsonWriter& w, const Context& ctx, const http::Request& req,
                                                 const Home& home, std::int64_t read_until,
                                                 const std::vector<ProfileId>& ignored,
                                                 const std::vector<ProfileId>& also,
                                                 std::optional<ProfileSummaries>* people) {
  const auto paging = parse_paging(req);
  const auto page = s_.comments.page(ctx.site->id, home.item, ignored, paging.limit, paging.offset, home.counted);
  check_offset(page.total, paging);
  const auto comments = s_.comments.get_many(ctx.site->id, page.ids);
  Shown shown;
  shown.newest = comments.empty() ? 0 : comments.back().created_micros;
  const auto maths = page_maths(page.total, paging);
  shown.last_page = maths.page >= maths.total_pages;
  const auto items = summaries(ctx, comments, home, read_until, also, people);
  write_collection(w, page.total, paging, "/api/v1/comments", req, [&](JsonWriter& out) {
    for (const auto& item : items) out.raw(item);
  });
  return shown;
}

nlohmann::json CommentThreads::page_json(const Context& ctx, const http::Request& req, const Home& home,
                                         std::int64_t read_until, const std::vector<ProfileId>& ignored,
                                         Shown* shown) {
  JsonWriter w(16 * 1024);
  *shown = write_page(w, ctx, req, home, read_until, ignored);
  return nlohmann::json::parse(w.take());
}

void CommentThreads::mark_read(const Context& ctx, const Home& home, std::int64_t read_until, const Shown& shown,
                               std::int64_t last_modified) {
  if (ctx.is_guest()) return;
  const auto until = shown.last_page ? now_micros() : shown.newest;
  const auto covered = shown.last_page ? std::max(shown.newest, last_modified) : shown.newest;
  if (until > 0 && read_until < covered) s_.reader.mark_read_at(ctx.site->id, ctx.caller, home.item, until);
}

std::string CommentThreads::page_location(const Context& ctx, const http::Request& req, const Home& home,
                                          CommentId comment, int limit, bool limit_only_with_offset) {
  std::vector<std::pair<std::string, std::string>> extra;
  if (comment.valid()) {
    if (auto c = s_.comments.get(ctx.site->id, comment)) {
      const auto n = s_.comments.position(ctx.site->id, *c, ignored_authors(ctx));
      const auto offset = n > 0 ? ((n + limit - 1) / limit - 1) * limit : 0;
      extra.emplace_back("comment_id", std::to_string(comment.value()));
      if (offset > 0) extra.emplace_back("offset", std::to_string(offset));
      if (limit != default_page_limit && (offset > 0 || !limit_only_with_offset)) {
        extra.emplace_back("limit", std::to_string(limit));
      }
    }
  }
  if (extra.empty() && limit != default_page_limit && !limit_only_with_offset) {
    extra.emplace_back("limit", std::to_string(limit));
  }
  return home.parent.href + query_with(req, {"comment_id", "offset", "limit"}, extra);
}

http::Response CommentThreads::last_comment(const Context& ctx, const http::Request& req, const Home& home) {
  if (!rights(ctx, home, home.owner).read) throw Error(ErrorKind::forbidden, "You do not have permission to do that");
  const auto paging = parse_paging(req);
  const auto newest = s_.comments.newest(ctx.site->id, home.item, ignored_authors(ctx));
  return http::Response::redirect(307, page_location(ctx, req, home, newest, paging.limit, false));
}

http::Response CommentThreads::new_comment(const Context& ctx, const http::Request& req, const Home& home) {
  if (!rights(ctx, home, home.owner).read) throw Error(ErrorKind::forbidden, "You do not have permission to do that");
  const auto paging = parse_paging(req);
  const auto ignored = ignored_authors(ctx);
  auto target = s_.comments.first_after(ctx.site->id, home.item, last_read(ctx, home), ignored);
  if (!target.valid()) target = s_.comments.newest(ctx.site->id, home.item, ignored);
  return http::Response::redirect(307, page_location(ctx, req, home, target, paging.limit, false));
}

}  // namespace agora::api
