// The comment routes of DiscussionApi (content-conversations-comments.md §2, §5.1).
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "content_json.hpp"
#include "discussion_api.hpp"
#include "item_flag_patch.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/text.hpp"
#include "agora/perm/engine.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/link_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/text/clean.hpp"
#include "agora/text/markdown.hpp"
#include "discussion_parts.hpp"

namespace agora::api {
namespace {

/// The markdown of a body: present, something besides ASCII spaces, not too long.
std::string markdown_of(const Body& body, int limit) {
  auto text = body.required_string("markdown", max_chars(static_cast<std::size_t>(limit)));
  if (text::trim_spaces(text).empty()) throw Error(ErrorKind::bad_request, "markdown must not be empty");
  return text;
}

/// The comment body: a JSON object, or the form fields the web client posts (`ItemType`,
/// `ItemID`, `InReplyTo`, `Markdown`, content-microcosms.md §C.2) under their JSON names.
Body comment_body(const http::Request& req, int max_depth) {
  const auto type = to_lower(std::string(req.header("content-type").value_or("")));
  if (type.rfind("application/x-www-form-urlencoded", 0) != 0) return Body::json_object(req, max_depth);
  const Body form(req, max_depth);
  nlohmann::json body = nlohmann::json::object();
  if (auto t = form.optional_string("ItemType", any_length)) body["itemType"] = *t;
  if (auto id = form.optional_int("ItemID")) body["itemId"] = *id;
  if (auto id = form.optional_int("InReplyTo")) body["inReplyTo"] = *id;
  if (auto m = form.optional_string("Markdown", any_length)) body["markdown"] = *m;
  return Body(std::move(body));
}

}  // namespace

DiscussionApi::Located DiscussionApi::locate_for_comment(const Context& ctx, const store::Comment& c) {
  try {
    return locate(ctx, c.item.as<ConversationId>());
  } catch (const Error& e) {
    // The comment's own id, so a hidden conversation's id is not told.
    if (e.kind() == ErrorKind::not_found) throw Error(ErrorKind::not_found, "Comment " + std::to_string(c.id.value()) + " not found");
    throw;
  }
}

DiscussionApi::Rendered DiscussionApi::render(const Context& ctx, const std::string& markdown) {
  const auto config = config_.get();
  const auto& site = *ctx.site;
  text::MarkdownContext mc;
  const auto host = site.subdomain_key + "." + config->sites.domain;
  mc.site_hosts = {host};
  if (!site.domain.empty()) mc.site_hosts.push_back(site.domain);
  mc.site_url = site.domain.empty() ? "https://" + host : (site.force_ssl ? "https://" : "http://") + site.domain;
  mc.jump_url = config->sites.jump_url.empty() ? "https://" + config->sites.domain + "/out/" : config->sites.jump_url;
  Rendered out;
  mc.find_profile = [&](std::string_view name) -> std::optional<std::int64_t> {
    auto id = s_.profiles.find_by_name(site.id, name);
    if (!id) return std::nullopt;
    return id->value();
  };
  mc.shorten = [&](const std::string& url) {
    auto link = s_.links.shorten(url);
    out.link_ids.push_back(link.id);
    return link.code;
  };
  auto r = text::render_markdown(markdown, mc);
  out.html = std::move(r.html);
  for (auto id : r.mentions) out.mentions.emplace_back(id);
  return out;
}

http::Response DiscussionApi::create_comment(Context& ctx, const http::Request& req) {
  const auto config = config_.get();
  const auto body = comment_body(req, config->http.max_json_depth);
  const auto parsed = item_type_from_name(body.optional_string("itemType", any_length).value_or(""));
  if (!parsed || (*parsed != ItemType::conversation && *parsed != ItemType::event && *parsed != ItemType::poll &&
                  *parsed != ItemType::huddle && *parsed != ItemType::profile)) {
    throw Error(ErrorKind::bad_request, "itemType must be one of conversation, event, poll, huddle, profile");
  }
  if (*parsed != ItemType::conversation && *parsed != ItemType::profile) {
    throw Error(ErrorKind::bad_request, "Comments on " + std::string(item_type_name(*parsed)) + " items are not available yet");
  }
  const ItemRef item{*parsed, body.required_id("itemId")};
  const auto markdown = markdown_of(body, config->sites.max_comment_chars);
  perm::PermissionSet p;
  if (item.is<ConversationId>()) {
    const auto at = locate(ctx, item.as<ConversationId>());
    p = rights(ctx, at, at.conversation.created_by);
    if (ctx.is_guest() || !p.create) throw Error(ErrorKind::forbidden, no_permission);
    // Closed items take comments from moderators only (§2.4 Decision).
    if ((!at.conversation.open || !at.microcosm.open) && !p.moderator) {
      throw Error(ErrorKind::forbidden, "This conversation is closed to new comments");
    }
  } else {
    // A profile's "about me" comments: its owner and the site owner post them (§2.4).
    const auto profile = item.as<ProfileId>();
    if (!s_.profiles.get(ctx.site->id, profile)) {
      throw Error(ErrorKind::not_found, "Profile " + std::to_string(profile.value()) + " not found");
    }
    p = perm::for_profile(*ctx.site, ctx.perm_caller(), profile);
    if (ctx.is_guest() || !p.create) throw Error(ErrorKind::forbidden, no_permission);
  }
  CommentId in_reply_to{body.optional_int("inReplyTo").value_or(0)};
  if (in_reply_to.valid()) {
    auto target = s_.comments.get(ctx.site->id, in_reply_to);
    // Anything but a visible comment on the same item is silently dropped (§2.4).
    if (!target || !target->visible() || target->item != item) in_reply_to = CommentId{};
  } else {
    in_reply_to = CommentId{};
  }
  auto rendered = render(ctx, markdown);
  store::NewComment n{item, ctx.caller, in_reply_to, markdown, rendered.html, rendered.mentions, rendered.link_ids};
  auto made = s_.comments.create(ctx.site->id, n);
  if (!made.duplicate) {
    s_.audit.record(ctx.site->id, made.id, ctx.caller, store::AuditAction::create, req.client_ip);
  }
  return http::Response::redirect(302, "/api/v1/comments/" + std::to_string(made.id.value()));
}

http::Response DiscussionApi::comment(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c || !c->visible()) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = locate_home(ctx, *c);
  const auto p = comment_rights(ctx, home, c->author);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  auto paging = parse_paging(req);
  // Unread against the reader's marker on the parent item (§2.2); guests never.
  const auto read_until = home.conversation ? last_read(ctx, *home.conversation)
                          : ctx.is_guest()  ? 0
                                            : s_.reader.last_read(ctx.site->id, ctx.caller, {home.item});
  const auto ignored = ignored_authors(ctx);
  auto j = nlohmann::json::parse(comment_summaries(ctx, {*c}, home, read_until).front());
  // Detail extras (§2.3): always-present fields, the replied-to comment, direct replies.
  j["inReplyTo"] = c->in_reply_to.value();
  j["attachments"] = 0;
  j["firstLine"] = "";
  nlohmann::json meta;
  if (c->in_reply_to.valid()) {
    auto target = s_.comments.get(ctx.site->id, c->in_reply_to);
    if (target && target->visible() && target->item == c->item) {
      meta["inReplyTo"] = nlohmann::json::parse(comment_summaries(ctx, {*target}, home, read_until).front());
    }
  }
  auto replies = s_.comments.get_many(ctx.site->id, s_.comments.replies(ctx.site->id, c->id, ignored));
  if (!replies.empty()) {
    auto list = nlohmann::json::array();
    for (const auto& r : comment_summaries(ctx, replies, home, read_until)) list.push_back(nlohmann::json::parse(r));
    meta["replies"] = std::move(list);
  }
  for (auto& [k, v] : j["meta"].items()) meta[k] = v;
  const auto n = s_.comments.position(ctx.site->id, *c, ignored);
  const auto offset = n > 0 ? ((n + paging.limit - 1) / paging.limit - 1) * paging.limit : 0;
  std::string page = home.parent.href;
  if (offset > 0) {
    page += "?offset=" + std::to_string(offset);
    if (paging.limit != default_page_limit) page += "&limit=" + std::to_string(paging.limit);
  }
  meta["links"].push_back({{"rel", "commentPage"}, {"href", page}});
  meta["permissions"] = p.to_json();
  j["meta"] = std::move(meta);
  if (!ctx.is_guest()) s_.reader.mark_read_at(ctx.site->id, ctx.caller, home.item, c->created_micros);
  return http::Response::ok(std::move(j));
}

http::Response DiscussionApi::replace_comment(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c || !c->visible()) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = locate_home(ctx, *c);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  if (ctx.is_guest() || !comment_rights(ctx, home, c->author).update) throw Error(ErrorKind::forbidden, no_permission);
  if (auto bid = body.optional_int("id").value_or(0); bid != 0 && bid != id.value()) {
    throw Error(ErrorKind::bad_request, "The id in the body is not the id in the URL");
  }
  const auto markdown = markdown_of(body, config_.get()->sites.max_comment_chars);
  auto rendered = render(ctx, markdown);
  s_.comments.revise(ctx.site->id, *c, ctx.caller, markdown, rendered.html, rendered.link_ids);
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, "/api/v1/comments/" + std::to_string(id.value()));
}

http::Response DiscussionApi::patch_comment(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  // A deleted or moderated comment is un-deleted by PATCH (§F.1): only its item must be visible.
  if (!c) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = locate_home(ctx, *c);
  const auto ops = parse_flag_ops(parse_json_body(req, config_.get()->http.max_json_depth));
  const auto p = comment_rights(ctx, home, c->author);
  if (ctx.is_guest() || !p.update) throw Error(ErrorKind::forbidden, no_permission);
  ItemFlags f{false, true, c->deleted, c->moderated};
  apply_flag_ops(ops, p, FlagSet::visibility_only, false, f);
  s_.comments.set_flags(ctx.site->id, *c, changed(c->deleted, f.deleted), changed(c->moderated, f.moderated));
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response DiscussionApi::remove_comment(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  // Permission first, so that only those who may delete learn that it is already gone.
  bool may = false;
  if (const auto conversation = c->item.as<ConversationId>(); conversation.valid()) {
    auto conv = s_.conversations.get(ctx.site->id, conversation);
    auto m = conv ? s_.microcosms.get(ctx.site->id, conv->microcosm_id) : std::nullopt;
    may = m && engine_.item(*ctx.site, ctx.perm_caller(), *m, c->author).del;
  } else if (const auto profile = c->item.as<ProfileId>(); profile.valid()) {
    may = perm::for_profile_comment(*ctx.site, ctx.perm_caller(), profile, c->author).del;
  }
  if (ctx.is_guest() || !may) throw Error(ErrorKind::forbidden, no_permission);
  if (c->deleted) return http::Response::ok(nullptr);
  s_.comments.set_flags(ctx.site->id, *c, true, std::nullopt);
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response DiscussionApi::in_context(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c || !c->visible()) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = locate_home(ctx, *c);
  if (!comment_rights(ctx, home, c->author).read) throw Error(ErrorKind::forbidden, no_permission);
  return http::Response::redirect(307, page_location(ctx, req, home, id, parse_paging(req).limit, true));
}

}  // namespace agora::api
