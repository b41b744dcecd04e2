#include "discussion_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "content_json.hpp"
#include "agora/api/fragment_memo.hpp"
#include "item_flag_patch.hpp"
#include "agora/api/json_body.hpp"
#include "microcosm_json.hpp"
#include "agora/api/paging.hpp"
#include "profile_json.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/link_store.hpp"
#include "agora/store/view_counter.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/text/clean.hpp"
#include "comment_threads.hpp"
#include "discussion_parts.hpp"
#include "readable_forums.hpp"

namespace agora::api {

std::int64_t path_id(const http::Request& req, const char* name) {
  return std::stoll(std::string(*req.params.get(name)));
}

namespace {

std::string clean_title(const std::string& raw) {
  auto t = text::clean_sentence(raw, true);
  if (text::trim_spaces(t).empty()) throw Error(ErrorKind::bad_request, "A title is required");
  if (utf8_length(t) > 150) throw Error(ErrorKind::bad_request, "The title must be at most 150 characters");
  return t;
}

bool allows(const store::Microcosm& m, ItemType type) {
  return m.item_types.empty() ||
         std::find(m.item_types.begin(), m.item_types.end(), item_type_id(type)) != m.item_types.end();
}

}  // namespace

void DiscussionApi::add_routes(RouteTable& t) {
  t.add("/api/v1/conversations", HostScope::site, Method::get, this, &DiscussionApi::list);
  t.add("/api/v1/conversations", HostScope::site, Method::post, this, &DiscussionApi::create_conversation);
  const std::string one = "/api/v1/conversations/{conversationId:id}";
  t.add(one, HostScope::site, Method::get, this, &DiscussionApi::conversation);
  t.add(one, HostScope::site, Method::put, this, &DiscussionApi::replace_conversation);
  t.add(one, HostScope::site, Method::patch, this, &DiscussionApi::patch_conversation);
  t.add(one, HostScope::site, Method::del, this, &DiscussionApi::remove_conversation);
  t.add(one + "/lastcomment", HostScope::site, Method::get, this, &DiscussionApi::last_comment);
  t.add(one + "/newcomment", HostScope::site, Method::get, this, &DiscussionApi::new_comment);
  t.add("/out/{code:alnum}", HostScope::root, Method::get, this, &DiscussionApi::follow_link);
  t.add("/api/v1/out/{code:alnum}", HostScope::site, Method::get, this, &DiscussionApi::follow_link);
}

DiscussionApi::Located DiscussionApi::locate(const Context& ctx, ConversationId id, bool itself_hidden_ok) {
  auto c = id.valid() ? s_.conversations.get(ctx.site->id, id) : std::nullopt;
  auto m = c ? s_.microcosms.get(ctx.site->id, c->microcosm_id) : std::nullopt;
  auto path = m ? s_.microcosms.get_many(ctx.site->id, m->path) : std::vector<store::Microcosm>{};
  const bool itself_hidden = c && (c->deleted || c->moderated);
  if (!c || (itself_hidden && !itself_hidden_ok) || !m || store::MicrocosmStore::hidden_on(*m, path)) {
    throw Error(ErrorKind::not_found, "Conversation " + std::to_string(id.value()) + " not found");
  }
  return {*c, *m, std::move(path)};
}

perm::PermissionSet DiscussionApi::rights(const Context& ctx, const Located& at, ProfileId owner) {
  return engine_.item(*ctx.site, ctx.perm_caller(), at.microcosm, owner);
}

http::Response DiscussionApi::list(Context& ctx, const http::Request& req) {
  auto paging = parse_paging(req);
  const auto caller = ctx.perm_caller();
  const auto [all, readable] = readable_forums(ctx, s_.microcosms, s_.reader, engine_);
  const auto ignored_conversations = s_.reader.ignored<ConversationId>(ctx.site->id, ctx.caller);
  // The total from the forums' conversation counts (exact: kept in the writes' transactions),
  // less the caller's ignored conversations that would otherwise be listed; no COUNT over the rows.
  std::int64_t total = 0, site_total = 0;
  for (const auto& m : all) {
    site_total += m.conversation_count;
    if (std::find(readable.begin(), readable.end(), m.id) != readable.end()) total += m.conversation_count;
  }
  for (const auto& c : s_.conversations.get_many(ctx.site->id, ignored_conversations)) {
    if (!c.deleted && !c.moderated && std::find(readable.begin(), readable.end(), c.microcosm_id) != readable.end()) {
      --total;
    }
  }
  check_offset(total, paging);
  const bool most_of_site = total * 4 >= site_total;
  const auto page =
      s_.conversations.list(ctx.site->id, readable, ignored_conversations, paging.limit, paging.offset, most_of_site);
  auto convs = s_.conversations.get_many(ctx.site->id, page);
  auto last = s_.comments.newest_of(ctx.site->id, page);
  std::vector<ProfileId> people;
  for (const auto& c : convs) people.push_back(c.created_by);
  for (const auto& [id, l] : last) people.push_back(l.created_by);
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, people), &fragments_.profiles);
  std::map<MicrocosmId, const store::Microcosm*> by_id;
  for (const auto& m : all) by_id[m.id] = &m;
  auto root = s_.microcosms.root_of(ctx.site->id);
  auto permissions = engine_.query(*ctx.site, caller, root.value_or(MicrocosmId{}), ItemType::conversation, 0);
  JsonWriter w(16 * 1024);
  w.begin_object().key("conversations");
  write_collection(w, total, paging, "/api/v1/conversations", req, [&](JsonWriter& out) {
    for (const auto& c : convs) {
      std::vector<store::Microcosm> path;
      if (auto it = by_id.find(c.microcosm_id); it != by_id.end()) {
        for (auto id : it->second->path) {
          if (auto a = by_id.find(id); a != by_id.end()) path.push_back(*a->second);
        }
      }
      auto l = last.find(c.id);
      write_conversation_summary(out, c, path, summaries.of(c.created_by),
                                 l == last.end() ? std::nullopt : std::optional<store::LastComment>(l->second),
                                 l == last.end() ? "null" : summaries.of(l->second.created_by), std::nullopt);
    }
  });
  w.key("meta").begin_object().key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/conversations").end_object();
  w.end_array().key("permissions").value(permissions.to_json()).end_object().end_object();
  return http::Response::ok_serialized(w.take());
}

http::Response DiscussionApi::conversation(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, path_id<ConversationId>(req, "conversationId"));
  const auto p = rights(ctx, at, at.conversation.created_by);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  s_.views.hit(ctx.site->id, at.conversation.id);
  // The reader's marker, ignored authors and ignore flag in one round trip.
  store::ReaderStateStore::ItemView view;
  if (!ctx.is_guest()) {
    view = s_.reader.item_view(ctx.site->id, ctx.caller, at.conversation.id, at.microcosm.id);
  }
  const auto read_until = view.last_read;
  const auto& c = at.conversation;
  const auto home = CommentThreads::home(c, at.microcosm);
  JsonWriter w(32 * 1024);
  w.begin_object().field("id", c.id).field("title", c.title).field("microcosmId", c.microcosm_id.value());
  w.key("breadcrumb").value(path_breadcrumb(at.path));
  w.key("comments");
  // The conversation's creator and editor come with the comments' authors.
  std::optional<ProfileSummaries> people;
  const auto shown =
      threads_.write_page(w, ctx, req, home, read_until, view.ignored_authors, {c.created_by, c.edited_by}, &people);
  const auto& summaries = *people;
  w.key("meta").begin_object();
  write_authorship(w, authorship_of(c), summaries);
  w.key("flags");
  write_conversation_flags(w, c, std::nullopt, view.item_ignored, view.watch);
  w.key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/conversations/" + std::to_string(c.id.value())).end_object();
  w.begin_object()
      .field("rel", "microcosm")
      .field("href", "/api/v1/microcosms/" + std::to_string(c.microcosm_id.value()))
      .field("title", at.microcosm.title)
      .end_object();
  w.end_array().key("permissions").value(p.to_json()).end_object().end_object();
  threads_.mark_read(ctx, home, read_until, shown, c.last_modified_micros);
  return http::Response::ok_serialized(w.take());
}

http::Response DiscussionApi::create_conversation(Context& ctx, const http::Request& req) {
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto mid = body.required_id<MicrocosmId>("microcosmId");
  auto m = s_.microcosms.get(ctx.site->id, mid);
  if (!m || s_.microcosms.hidden(ctx.site->id, *m)) {
    throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(mid.value()) + " not found");
  }
  if (!allows(*m, ItemType::conversation)) throw Error(ErrorKind::bad_request, "Conversations are not allowed in this microcosm");
  // The title is limited once cleaned.
  const auto title = clean_title(body.optional_string("title", any_length).value_or(""));
  if (!engine_.item(*ctx.site, ctx.perm_caller(), *m, ProfileId{}).create || ctx.is_guest()) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  auto made = s_.conversations.create(ctx.site->id, m->id, title, ctx.caller);
  if (!made.duplicate) {
    s_.audit.record(ctx.site->id, made.id, ctx.caller, store::AuditAction::create, req.client_ip);
  }
  return http::Response::redirect(302, "/api/v1/conversations/" + std::to_string(made.id.value()));
}

http::Response DiscussionApi::replace_conversation(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, path_id<ConversationId>(req, "conversationId"));
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  if (!rights(ctx, at, at.conversation.created_by).update || ctx.is_guest()) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  // An id, meta or edit reason of another type has always been ignored.
  if (auto id = body.lenient<std::int64_t>("id"); id && *id != 0 && *id != at.conversation.id.value()) {
    throw Error(ErrorKind::bad_request, "The id in the body is not the id in the URL");
  }
  std::string reason;
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto r = meta->lenient<std::string>("editReason")) reason = text::clean_sentence(*r, true);
  }
  if (text::trim_spaces(reason).empty()) throw Error(ErrorKind::bad_request, "An edit reason is required");
  if (utf8_length(reason) > 150) throw Error(ErrorKind::bad_request, "The edit reason must be at most 150 characters");
  auto title = at.conversation.title;
  if (auto t = body.optional_string("title", any_length)) title = clean_title(*t);
  auto target = at.microcosm.id;
  if (auto to = body.optional_id<MicrocosmId>("microcosmId"); to && *to != target) {
    auto m = s_.microcosms.get(ctx.site->id, *to);
    if (!m || s_.microcosms.hidden(ctx.site->id, *m)) throw Error(ErrorKind::bad_request, "microcosmId must be a microcosm of this site");
    if (!allows(*m, ItemType::conversation)) throw Error(ErrorKind::bad_request, "Conversations are not allowed in that microcosm");
    if (!engine_.item(*ctx.site, ctx.perm_caller(), *m, ProfileId{}).create) throw Error(ErrorKind::forbidden, no_permission);
    target = *to;
  }
  s_.conversations.update(ctx.site->id, at.conversation, title, target, ctx.caller, reason);
  s_.audit.record(ctx.site->id, at.conversation.id, ctx.caller, store::AuditAction::replace,
                  req.client_ip);
  return http::Response::redirect(302, "/api/v1/conversations/" + std::to_string(at.conversation.id.value()));
}

http::Response DiscussionApi::patch_conversation(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, path_id<ConversationId>(req, "conversationId"), true);
  const auto ops = parse_flag_ops(parse_json_body(req, config_.get()->http.max_json_depth));
  const auto p = rights(ctx, at, at.conversation.created_by);
  if (!p.update || ctx.is_guest()) throw Error(ErrorKind::forbidden, no_permission);
  const auto& c = at.conversation;
  ItemFlags f{c.sticky, c.open, c.deleted, c.moderated};
  const auto reason = apply_flag_ops(ops, p, FlagSet::all, false, f);
  s_.conversations.set_flags(ctx.site->id, c, {changed(c.sticky, f.sticky), changed(c.open, f.open),
                                                changed(c.deleted, f.deleted), changed(c.moderated, f.moderated)},
                             ctx.caller,
                             std::string(utf8_prefix(reason, 150)));
  s_.audit.record(ctx.site->id, c.id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response DiscussionApi::remove_conversation(Context& ctx, const http::Request& req) {
  const auto id = path_id<ConversationId>(req, "conversationId");
  auto c = s_.conversations.get(ctx.site->id, id);
  if (!c) throw Error(ErrorKind::not_found, "Conversation " + std::to_string(id.value()) + " not found");
  auto m = s_.microcosms.get(ctx.site->id, c->microcosm_id);
  // Permission first, so that only those who may delete learn that it is already gone.
  if (!m || ctx.is_guest() || !engine_.item(*ctx.site, ctx.perm_caller(), *m, c->created_by).del) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  if (c->deleted) return http::Response::ok(nullptr);
  s_.conversations.set_flags(ctx.site->id, *c, {std::nullopt, std::nullopt, true, std::nullopt}, ctx.caller,
                             "Set delete to true");
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response DiscussionApi::last_comment(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, path_id<ConversationId>(req, "conversationId"));
  return threads_.last_comment(ctx, req, CommentThreads::home(at.conversation, at.microcosm));
}

http::Response DiscussionApi::new_comment(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, path_id<ConversationId>(req, "conversationId"));
  return threads_.new_comment(ctx, req, CommentThreads::home(at.conversation, at.microcosm));
}

http::Response DiscussionApi::follow_link(Context&, const http::Request& req) {
  const std::string code(*req.params.get("code"));
  auto url = s_.links.follow(code);
  if (!url) throw Error(ErrorKind::not_found, "URL /out/" + code + " not found");
  return http::Response::redirect(307, *url);
}

}  // namespace agora::api
