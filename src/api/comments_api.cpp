#include "comments_api.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "content_json.hpp"
#include "comment_threads.hpp"
#include "item_flag_patch.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/text.hpp"
#include "agora/perm/permissions.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/link_store.hpp"
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

void CommentsApi::add_routes(RouteTable& t) {
  t.add("/api/v1/comments", HostScope::site, Method::post, this, &CommentsApi::create);
  const std::string one = "/api/v1/comments/{commentId:id}";
  t.add(one, HostScope::site, Method::get, this, &CommentsApi::comment);
  t.add(one, HostScope::site, Method::put, this, &CommentsApi::replace);
  t.add(one, HostScope::site, Method::patch, this, &CommentsApi::patch);
  t.add(one, HostScope::site, Method::del, this, &CommentsApi::remove);
  t.add(one + "/incontext", HostScope::site, Method::get, this, &CommentsApi::in_context);
}

CommentsApi::Rendered CommentsApi::render(const Context& ctx, const std::string& markdown) {
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

http::Response CommentsApi::create(Context& ctx, const http::Request& req) {
  const auto config = config_.get();
  const auto body = comment_body(req, config->http.max_json_depth);
  const auto parsed = item_type_from_name(body.optional_string("itemType", any_length).value_or(""));
  if (!parsed || (*parsed != ItemType::conversation && *parsed != ItemType::event && *parsed != ItemType::poll &&
                  *parsed != ItemType::huddle && *parsed != ItemType::profile)) {
    throw Error(ErrorKind::bad_request, "itemType must be one of conversation, event, poll, huddle, profile");
  }
  const ItemRef item{*parsed, body.required_id("itemId")};
  const auto markdown = markdown_of(body, config->sites.max_comment_chars);
  // The item must exist and be visible to the caller before permission is asked (§2.4).
  const auto home = threads_.locate(ctx, item);
  // A profile's "about me" comments: its owner and the site owner post them (§2.4).
  const auto p = item.is<ProfileId>() ? perm::for_profile(*ctx.site, ctx.perm_caller(), item.as<ProfileId>())
                                      : threads_.rights(ctx, home, home.owner);
  if (ctx.is_guest() || !p.create) throw Error(ErrorKind::forbidden, no_permission);
  // Closed items take comments from moderators only (§2.4 Decision).
  if (!home.open && !p.moderator) {
    throw Error(ErrorKind::forbidden, "This " + home.parent.type + " is closed to new comments");
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
    // The author has read their own huddle up to now (§6.2).
    if (item.is<HuddleId>()) s_.reader.mark_read(ctx.site->id, ctx.caller, item);
  }
  return http::Response::redirect(302, "/api/v1/comments/" + std::to_string(made.id.value()));
}

http::Response CommentsApi::comment(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c || !c->visible()) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = threads_.home_of_comment(ctx, *c);
  const auto p = threads_.rights(ctx, home, c->author);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  auto paging = parse_paging(req);
  // Unread against the reader's markers on the parent item (§2.2); guests never.
  const auto read_until = threads_.last_read(ctx, home);
  const auto ignored = threads_.ignored_authors(ctx);
  auto j = nlohmann::json::parse(threads_.summaries(ctx, {*c}, home, read_until).front());
  // Detail extras (§2.3): always-present fields, the replied-to comment, direct replies.
  j["inReplyTo"] = c->in_reply_to.value();
  j["attachments"] = 0;
  j["firstLine"] = "";
  nlohmann::json meta;
  if (c->in_reply_to.valid()) {
    auto target = s_.comments.get(ctx.site->id, c->in_reply_to);
    if (target && target->visible() && target->item == c->item) {
      meta["inReplyTo"] = nlohmann::json::parse(threads_.summaries(ctx, {*target}, home, read_until).front());
    }
  }
  auto replies = s_.comments.get_many(ctx.site->id, s_.comments.replies(ctx.site->id, c->id, ignored));
  if (!replies.empty()) {
    auto list = nlohmann::json::array();
    for (const auto& r : threads_.summaries(ctx, replies, home, read_until)) list.push_back(nlohmann::json::parse(r));
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

http::Response CommentsApi::replace(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c || !c->visible()) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = threads_.home_of_comment(ctx, *c);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  if (ctx.is_guest() || !threads_.rights(ctx, home, c->author).update) throw Error(ErrorKind::forbidden, no_permission);
  if (auto bid = body.optional_int("id").value_or(0); bid != 0 && bid != id.value()) {
    throw Error(ErrorKind::bad_request, "The id in the body is not the id in the URL");
  }
  const auto markdown = markdown_of(body, config_.get()->sites.max_comment_chars);
  auto rendered = render(ctx, markdown);
  s_.comments.revise(ctx.site->id, *c, ctx.caller, markdown, rendered.html, rendered.link_ids);
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, "/api/v1/comments/" + std::to_string(id.value()));
}

http::Response CommentsApi::patch(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  // A deleted or moderated comment is un-deleted by PATCH (§F.1): only its item must be visible.
  if (!c) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = threads_.home_of_comment(ctx, *c);
  const auto ops = parse_flag_ops(parse_json_body(req, config_.get()->http.max_json_depth));
  const auto p = threads_.rights(ctx, home, c->author);
  // Nobody deletes or moderates a huddle comment (§H.3).
  if (ctx.is_guest() || !p.update || home.item.is<HuddleId>()) throw Error(ErrorKind::forbidden, no_permission);
  ItemFlags f{false, true, c->deleted, c->moderated};
  apply_flag_ops(ops, p, FlagSet::visibility_only, false, f);
  s_.comments.set_flags(ctx.site->id, *c, changed(c->deleted, f.deleted), changed(c->moderated, f.moderated));
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response CommentsApi::remove(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  // Permission first, so that only those who may delete learn that it is already gone; a
  // comment whose item the caller cannot see is not theirs to delete.
  bool may = false;
  try {
    may = threads_.rights(ctx, threads_.home_of_comment(ctx, *c), c->author).del;
  } catch (const Error& e) {
    // Outsiders learn nothing of a huddle's comments, not even that one exists.
    if (e.kind() != ErrorKind::not_found || c->item.is<HuddleId>()) throw;
  }
  if (ctx.is_guest() || !may) throw Error(ErrorKind::forbidden, no_permission);
  if (c->deleted) return http::Response::ok(nullptr);
  s_.comments.set_flags(ctx.site->id, *c, true, std::nullopt);
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response CommentsApi::in_context(Context& ctx, const http::Request& req) {
  const auto id = path_id<CommentId>(req, "commentId");
  auto c = s_.comments.get(ctx.site->id, id);
  if (!c || !c->visible()) throw Error(ErrorKind::not_found, "Comment " + std::to_string(id.value()) + " not found");
  const auto home = threads_.home_of_comment(ctx, *c);
  if (!threads_.rights(ctx, home, c->author).read) throw Error(ErrorKind::forbidden, no_permission);
  return http::Response::redirect(307, threads_.page_location(ctx, req, home, id, parse_paging(req).limit, true));
}

}  // namespace agora::api
