#include "polls_api.hpp"

#include "comment_threads.hpp"
#include "content_json.hpp"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/store/view_counter.hpp"
#include "agora/text/clean.hpp"
#include "item_flag_patch.hpp"
#include "microcosm_json.hpp"
#include "poll_body.hpp"
#include "poll_json.hpp"
#include "profile_json.hpp"
#include "readable_forums.hpp"

namespace agora::api {
namespace {

constexpr const char* no_permission = "You do not have permission to do that";

PollId poll_id(const http::Request& req) { return PollId{std::stoll(std::string(*req.params.get("pollId")))}; }

std::string location(PollId id) { return "/api/v1/polls/" + std::to_string(id.value()); }

}  // namespace

void PollsApi::add_routes(RouteTable& t) {
  t.add("/api/v1/polls", HostScope::site, Method::get, this, &PollsApi::list);
  t.add("/api/v1/polls", HostScope::site, Method::post, this, &PollsApi::create);
  const std::string one = "/api/v1/polls/{pollId:id}";
  t.add(one, HostScope::site, Method::get, this, &PollsApi::poll);
  t.add(one, HostScope::site, Method::put, this, &PollsApi::replace);
  t.add(one, HostScope::site, Method::patch, this, &PollsApi::patch);
  t.add(one, HostScope::site, Method::del, this, &PollsApi::remove);
  t.add(one + "/votes", HostScope::site, Method::put, this, &PollsApi::vote);
  t.add(one + "/lastcomment", HostScope::site, Method::get, this, &PollsApi::last_comment);
  t.add(one + "/newcomment", HostScope::site, Method::get, this, &PollsApi::new_comment);
}

PollsApi::Located PollsApi::locate(const Context& ctx, PollId id, bool itself_hidden_ok) {
  auto p = id.valid() ? s_.polls.get(ctx.site->id, id) : std::nullopt;
  auto m = p ? s_.microcosms.get(ctx.site->id, p->microcosm_id) : std::nullopt;
  auto path = m ? s_.microcosms.get_many(ctx.site->id, m->path) : std::vector<store::Microcosm>{};
  const bool itself_hidden = p && (p->deleted || p->moderated);
  if (!p || (itself_hidden && !itself_hidden_ok) || !m || store::MicrocosmStore::hidden_on(*m, path)) {
    throw Error(ErrorKind::not_found, "Poll " + std::to_string(id.value()) + " not found");
  }
  return {*p, *m, std::move(path)};
}

perm::PermissionSet PollsApi::rights(const Context& ctx, const Located& at) {
  return engine_.item(*ctx.site, ctx.perm_caller(), at.microcosm, at.poll.created_by);
}

store::Microcosm PollsApi::target(const Context& ctx, MicrocosmId id, bool move) {
  auto m = s_.microcosms.get(ctx.site->id, id);
  if (!m || s_.microcosms.hidden(ctx.site->id, *m)) {
    if (move) throw Error(ErrorKind::bad_request, "microcosmId must be a microcosm of this site");
    throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(id.value()) + " not found");
  }
  // Decision (microcosms M.1): polls are exempt from itemTypes, which no client can set for them.
  return *m;
}

http::Response PollsApi::list(Context& ctx, const http::Request& req) {
  auto paging = parse_paging(req);
  const auto caller = ctx.perm_caller();
  // Decision (§P.3): readable, visible, not ignored microcosms, as the conversation list.
  const auto [all, readable] = readable_forums(ctx, s_.microcosms, s_.reader, engine_);
  const auto ignored_polls =
      ctx.is_guest() ? std::vector<PollId>{} : s_.reader.ignored<PollId>(ctx.site->id, ctx.caller);
  const auto total = s_.polls.count(ctx.site->id, readable, ignored_polls);
  check_offset(total, paging);
  const auto page = s_.polls.list(ctx.site->id, readable, ignored_polls, paging.limit, paging.offset);
  const auto polls = s_.polls.get_many(ctx.site->id, page);
  const auto last = s_.comments.newest_of(ctx.site->id, page);
  std::vector<ProfileId> people;
  for (const auto& p : polls) people.push_back(p.created_by);
  for (const auto& [id, l] : last) people.push_back(l.created_by);
  const ProfileSummaries summaries(s_.profiles.get_many(ctx.site->id, people), &fragments_.profiles);
  std::map<MicrocosmId, const store::Microcosm*> by_id;
  for (const auto& m : all) by_id[m.id] = &m;
  auto root = s_.microcosms.root_of(ctx.site->id);
  auto permissions = engine_.query(*ctx.site, caller, root.value_or(MicrocosmId{}), ItemType::poll, 0);
  const auto now = now_micros();
  JsonWriter w(16 * 1024);
  w.begin_object().key("polls");
  write_collection(w, total, paging, "/api/v1/polls", req, [&](JsonWriter& out) {
    for (const auto& p : polls) {
      std::vector<store::Microcosm> path;
      if (auto it = by_id.find(p.microcosm_id); it != by_id.end()) {
        for (auto id : it->second->path) {
          if (auto a = by_id.find(id); a != by_id.end()) path.push_back(*a->second);
        }
      }
      const auto l = last.find(p.id);
      write_poll_summary(out, p, path, summaries.of(p.created_by),
                         l == last.end() ? std::nullopt : std::optional<store::LastComment>(l->second),
                         l == last.end() ? "null" : summaries.of(l->second.created_by), now);
    }
  });
  w.key("meta").begin_object().key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/polls").end_object();
  w.end_array().key("permissions").value(permissions.to_json()).end_object().end_object();
  return http::Response::ok_serialized(w.take());
}

http::Response PollsApi::poll(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, poll_id(req));
  const auto p = rights(ctx, at);
  if (!p.read) throw Error(ErrorKind::forbidden, no_permission);
  const auto& poll = at.poll;
  s_.views.hit(ctx.site->id, poll.id);
  // The reader's marker, ignored authors and ignore flag in one round trip, as conversations.
  store::ReaderStateStore::ItemView view;
  if (!ctx.is_guest()) view = s_.reader.item_view(ctx.site->id, ctx.caller, poll.id, at.microcosm.id);
  JsonWriter w(8 * 1024);
  w.begin_object();
  write_poll_head(w, poll, at.path, now_micros());
  if (!poll.choices.empty()) {
    w.key("choices");
    write_poll_choices(w, poll);
  }
  w.field("voterCount", poll.voter_count);
  const auto home = CommentThreads::home(poll, at.microcosm);
  w.key("comments");
  std::optional<ProfileSummaries> summaries;
  const auto shown = threads_.write_page(w, ctx, req, home, view.last_read, view.ignored_authors,
                                         {poll.created_by, poll.edited_by}, &summaries);
  const auto& people = *summaries;
  w.key("meta").begin_object();
  write_authorship(w, authorship_of(poll), people);
  w.key("flags");
  write_poll_flags(w, poll, view.item_ignored, view.watch);
  w.key("links");
  write_poll_links(w, poll, at.microcosm.title);
  w.key("permissions").value(p.to_json()).end_object().end_object();
  threads_.mark_read(ctx, home, view.last_read, shown, poll.last_modified_micros);
  return http::Response::ok_serialized(w.take());
}

http::Response PollsApi::last_comment(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, poll_id(req));
  return threads_.last_comment(ctx, req, CommentThreads::home(at.poll, at.microcosm));
}

http::Response PollsApi::new_comment(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, poll_id(req));
  return threads_.new_comment(ctx, req, CommentThreads::home(at.poll, at.microcosm));
}

http::Response PollsApi::create(Context& ctx, const http::Request& req) {
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto m = target(ctx, body.required_id<MicrocosmId>("microcosmId"), false);
  auto fields = read_poll_fields(body, nullptr, now_micros());
  fields.microcosm = m.id;
  // Decision (§P.4): `create` on the target microcosm, checked after the body.
  if (ctx.is_guest() || !engine_.item(*ctx.site, ctx.perm_caller(), m, ProfileId{}).create) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  const auto id = s_.polls.create(ctx.site->id, fields, ctx.caller);
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::create, req.client_ip);
  return http::Response::redirect(302, location(id));
}

http::Response PollsApi::replace(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, poll_id(req));
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  if (ctx.is_guest() || !rights(ctx, at).update) throw Error(ErrorKind::forbidden, no_permission);
  if (auto id = body.lenient<std::int64_t>("id"); id && *id != 0 && *id != at.poll.id.value()) {
    throw Error(ErrorKind::bad_request, "The id in the body is not the id in the URL");
  }
  std::string reason;
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto r = meta->lenient<std::string>("editReason")) reason = text::clean_sentence(*r, true);
  }
  if (text::trim_spaces(reason).empty()) throw Error(ErrorKind::bad_request, "An edit reason (meta.editReason) is required");
  if (utf8_length(reason) > 150) throw Error(ErrorKind::bad_request, "meta.editReason must be at most 150 characters");
  auto fields = read_poll_fields(body, &at.poll, now_micros());
  if (auto to = body.optional_id<MicrocosmId>("microcosmId"); to && *to != at.microcosm.id) {
    const auto m = target(ctx, *to, true);
    if (!engine_.item(*ctx.site, ctx.perm_caller(), m, ProfileId{}).create) throw Error(ErrorKind::forbidden, no_permission);
    fields.microcosm = m.id;
  }
  s_.polls.update(ctx.site->id, at.poll, fields, ctx.caller, reason);
  s_.audit.record(ctx.site->id, at.poll.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, location(at.poll.id));
}

http::Response PollsApi::patch(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, poll_id(req), true);
  const auto ops = parse_flag_ops(parse_json_body(req, config_.get()->http.max_json_depth));
  const auto p = rights(ctx, at);
  if (!p.update || ctx.is_guest()) throw Error(ErrorKind::forbidden, no_permission);
  const auto& poll = at.poll;
  ItemFlags f{poll.sticky, poll.open, poll.deleted, poll.moderated};
  const auto reason = apply_flag_ops(ops, p, FlagSet::all, false, f);
  s_.polls.set_flags(ctx.site->id, poll,
                     {changed(poll.sticky, f.sticky), changed(poll.open, f.open), changed(poll.deleted, f.deleted),
                      changed(poll.moderated, f.moderated)},
                     ctx.caller, std::string(utf8_prefix(reason, 150)));
  s_.audit.record(ctx.site->id, poll.id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response PollsApi::remove(Context& ctx, const http::Request& req) {
  const auto id = poll_id(req);
  auto poll = s_.polls.get(ctx.site->id, id);
  if (!poll) throw Error(ErrorKind::not_found, "Poll " + std::to_string(id.value()) + " not found");
  auto m = s_.microcosms.get(ctx.site->id, poll->microcosm_id);
  // Permission first, so that only those who may delete learn that it is already gone.
  if (!m || ctx.is_guest() || !engine_.item(*ctx.site, ctx.perm_caller(), *m, poll->created_by).del) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  if (poll->deleted) return http::Response::ok(nullptr);
  s_.polls.set_flags(ctx.site->id, *poll, {std::nullopt, std::nullopt, true, std::nullopt}, ctx.caller,
                     "Set delete to true");
  s_.audit.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response PollsApi::vote(Context& ctx, const http::Request& req) {
  const auto at = locate(ctx, poll_id(req));
  if (ctx.is_guest() || !ctx.user.valid() || ctx.ban || !rights(ctx, at).read) {
    throw Error(ErrorKind::forbidden, no_permission);
  }
  const auto choices = read_vote(parse_json_body(req, config_.get()->http.max_json_depth));
  // Checked again under the poll's row lock by the store; these answer from the cached poll.
  const auto& poll = at.poll;
  if (!poll.voting_open(now_micros()) || !poll.open) throw Error(ErrorKind::forbidden, "This poll is closed for voting");
  if (choices.size() != 1 && !poll.multi) {
    throw Error(ErrorKind::bad_request, "The post data is invalid: exactly one choice is allowed in this poll");
  }
  s_.polls.vote(ctx.site->id, poll.id, ctx.user, choices);
  return http::Response::redirect(302, location(poll.id));
}

}  // namespace agora::api
