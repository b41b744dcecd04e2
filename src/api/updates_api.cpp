#include "updates_api.hpp"

#include <limits>
#include <nlohmann/json.hpp>

#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "comment_threads.hpp"
#include "content_json.hpp"
#include "event_json.hpp"
#include "poll_json.hpp"
#include "profile_json.hpp"
#include "readable_forums.hpp"

namespace agora::api {
namespace {

void require_login(const Context& ctx) {
  if (ctx.is_guest()) throw Error(ErrorKind::forbidden, "You must be logged in to see your updates");
}

const char* type_title(store::UpdateType t) {
  switch (t) {
    case store::UpdateType::new_comment: return "new_comment";
    case store::UpdateType::reply_to_comment: return "reply_to_comment";
    case store::UpdateType::mentioned: return "mentioned";
    case store::UpdateType::new_comment_in_huddle: return "new_comment_in_huddle";
    case store::UpdateType::new_attendee: return "new_attendee";
    case store::UpdateType::new_vote: return "new_vote";
    case store::UpdateType::event_reminder: return "event_reminder";
    case store::UpdateType::new_item: return "new_item";
    case store::UpdateType::new_user: return "new_user";
  }
  return "";
}

UpdateId update_id_of(const http::Request& req) {
  return UpdateId{std::stoll(std::string(*req.params.get("updateId")))};
}

/// What the update is about: the item a comment is on, or the item itself.
ItemRef home_of(const store::Update& u) { return u.item.is<CommentId>() ? u.parent : u.item; }

}  // namespace

void UpdatesApi::add_routes(RouteTable& t) {
  t.add("/api/v1/updates", HostScope::site, Method::get, this, &UpdatesApi::list);
  t.add("/api/v1/updates/unread", HostScope::site, Method::get, this, &UpdatesApi::unread);
  t.add("/api/v1/updates/{updateId:id}", HostScope::site, Method::get, this, &UpdatesApi::one);
  t.add("/api/v1/updates/{updateId:id}", HostScope::site, Method::patch, this, &UpdatesApi::viewed);
}

bool UpdatesApi::readable(const Context& ctx, ItemRef item) {
  try {
    const auto home = threads_.locate(ctx, item);  // a huddle only for its participants
    return threads_.rights(ctx, home, home.owner).read;
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::not_found) return false;
    throw;
  }
}

bool UpdatesApi::write_item(JsonWriter& w, const Context& ctx, ItemRef item, const ProfileSummaries& people) {
  const auto site = ctx.site->id;
  auto path_of = [&](MicrocosmId id) {
    auto m = s_.microcosms.get_many(site, std::vector<MicrocosmId>{id});
    return m.empty() ? std::vector<store::Microcosm>{} : s_.microcosms.get_many(site, m.front().path);
  };
  switch (item.type) {
    case ItemType::conversation: {
      auto c = s_.conversations.get(site, item.as<ConversationId>());
      if (!c || c->deleted || c->moderated) return false;
      write_conversation_summary(w, *c, path_of(c->microcosm_id), people.of(c->created_by), std::nullopt, "null",
                                 std::nullopt);
      return true;
    }
    case ItemType::event: {
      auto e = s_.events.get(site, item.as<EventId>());
      if (!e || e->deleted || e->moderated) return false;
      write_event_summary(w, *e, path_of(e->microcosm_id), EventSummaryParts(people.of(e->created_by)));
      return true;
    }
    case ItemType::poll: {
      auto p = s_.polls.get(site, item.as<PollId>());
      if (!p || p->deleted || p->moderated) return false;
      write_poll_summary(w, *p, path_of(p->microcosm_id), people.of(p->created_by), std::nullopt, "null", now_micros());
      return true;
    }
    case ItemType::huddle: {
      auto h = s_.huddles.get(site, item.as<HuddleId>());
      if (!h) return false;
      const auto self = "/api/v1/huddles/" + std::to_string(h->id.value());
      w.begin_object().field("id", h->id).field("title", h->title).key("meta").begin_object();
      w.key("createdBy").raw(people.of(h->created_by));
      w.key("links").begin_array().begin_object().field("rel", "self").field("href", self).end_object().end_array();
      w.end_object().end_object();
      return true;
    }
    default:
      return false;
  }
}

bool UpdatesApi::write_update(JsonWriter& w, const Context& ctx, const store::Update& u, const ProfileSummaries& people) {
  w.begin_object().field("id", u.id).field("updateType", type_title(u.type));
  w.field("itemType", item_type_name(u.item.type)).key("item");
  if (u.item.is<CommentId>()) {
    const auto c = s_.comments.get(ctx.site->id, u.item.as<CommentId>());
    if (!c || !c->visible()) return false;
    CommentThreads::Home home;
    try {
      home = threads_.locate(ctx, u.parent);
    } catch (const Error& e) {
      if (e.kind() == ErrorKind::not_found) return false;  // hidden since the update was made
      throw;
    }
    const auto read_until = u.unread ? 0 : std::numeric_limits<std::int64_t>::max();
    w.raw(threads_.summaries(ctx, {*c}, home, read_until).front());
    w.field("parentItemType", item_type_name(u.parent.type)).key("parentItem");
    if (!write_item(w, ctx, u.parent, people)) return false;
  } else if (!write_item(w, ctx, u.item, people)) {
    return false;
  }
  w.key("meta").begin_object().field("created", format_rfc3339_micros(u.created_micros));
  w.key("createdBy").raw(people.of(u.created_by));
  w.key("flags").begin_object().field("unread", u.unread).end_object();
  w.end_object().end_object();
  return true;
}

http::Response UpdatesApi::list(Context& ctx, const http::Request& req) {
  require_login(ctx);
  auto paging = parse_paging(req);
  const auto forums = readable_forums(ctx, s_.microcosms, s_.reader, engine_);
  const auto page = s_.updates.list(ctx.site->id, ctx.caller, forums.readable, paging.limit, paging.offset);
  check_offset(page.total, paging);
  const auto people = people_of(ctx, page.items);
  JsonWriter w(16 * 1024);
  w.begin_object().key("updates");
  write_collection(w, page.total, paging, "/api/v1/updates", req, [&](JsonWriter& out) {
    for (const auto& u : page.items) {
      JsonWriter one;
      if (write_update(one, ctx, u, people)) out.raw(one.str());
    }
  });
  w.key("meta").begin_object().key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", "/api/v1/updates").end_object();
  w.end_array().end_object().end_object();
  return http::Response::ok_serialized(w.take());
}

ProfileSummaries UpdatesApi::people_of(const Context& ctx, const std::vector<store::Update>& updates) {
  // Who caused each update and who made the items shown, in one multi-get.
  std::vector<ProfileId> ids;
  for (const auto& u : updates) {
    ids.push_back(u.created_by);
    for (auto item : {u.item, u.parent}) {
      if (auto c = item.as<ConversationId>(); c.valid()) {
        if (auto found = s_.conversations.get(ctx.site->id, c)) ids.push_back(found->created_by);
      } else if (auto e = item.as<EventId>(); e.valid()) {
        if (auto found = s_.events.get(ctx.site->id, e)) ids.push_back(found->created_by);
      } else if (auto p = item.as<PollId>(); p.valid()) {
        if (auto found = s_.polls.get(ctx.site->id, p)) ids.push_back(found->created_by);
      } else if (auto h = item.as<HuddleId>(); h.valid()) {
        if (auto found = s_.huddles.get(ctx.site->id, h)) ids.push_back(found->created_by);
      }
    }
  }
  return ProfileSummaries(s_.profiles.get_many(ctx.site->id, ids), &fragments_.profiles);
}

http::Response UpdatesApi::unread(Context& ctx, const http::Request&) {
  require_login(ctx);
  const auto forums = readable_forums(ctx, s_.microcosms, s_.reader, engine_);
  const auto page = s_.updates.list(ctx.site->id, ctx.caller, forums.readable, 1, 0);
  return http::Response::ok({{"total", page.unread}});
}

http::Response UpdatesApi::one(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto id = update_id_of(req);
  const auto u = s_.updates.get(ctx.site->id, ctx.caller, id);
  const auto missing = Error(ErrorKind::not_found, "Update " + std::to_string(id.value()) + " not found");
  // The list filters by what the caller may read now; so does one update.
  if (!u || !readable(ctx, home_of(*u))) throw missing;
  const auto people = people_of(ctx, {*u});
  JsonWriter w(4 * 1024);
  if (!write_update(w, ctx, *u, people)) throw missing;
  return http::Response::ok_serialized(w.take());
}

http::Response UpdatesApi::viewed(Context& ctx, const http::Request& req) {
  require_login(ctx);
  const auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  auto is = [](const nlohmann::json& op, const char* key, const char* want) {
    return op.contains(key) && op[key].is_string() && op[key].get<std::string>() == want;
  };
  const bool ok = body.is_array() && body.size() == 1 && body[0].is_object() && is(body[0], "op", "replace") &&
                  is(body[0], "path", "/viewed") && body[0].contains("value");
  if (!ok) throw Error(ErrorKind::bad_request, R"(The body must be [{"op":"replace","path":"/viewed","value":<time>}])");
  const auto id = update_id_of(req);
  const auto u = s_.updates.get(ctx.site->id, ctx.caller, id);
  if (!u) throw Error(ErrorKind::not_found, "Update " + std::to_string(id.value()) + " not found");
  const auto home = home_of(*u);
  if (!readable(ctx, home)) throw Error(ErrorKind::not_found, "Update " + std::to_string(id.value()) + " not found");
  s_.reader.mark_read(ctx.site->id, ctx.caller, home);
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
