#include "microcosms_api.hpp"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "content_json.hpp"
#include "item_flag_patch.hpp"
#include "agora/api/json_body.hpp"
#include "event_json.hpp"
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
#include "agora/store/event_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/reader_state_store.hpp"
#include "agora/text/clean.hpp"

namespace agora::api {
namespace {

constexpr const char* no_permission = "You do not have permission to do that";

bool on_ignored_path(const std::vector<MicrocosmId>& path, const std::vector<MicrocosmId>& ignored) {
  return std::any_of(path.begin(), path.end(), [&](MicrocosmId id) {
    return std::binary_search(ignored.begin(), ignored.end(), id);
  });
}

/// http(s) absolute URLs or paths on this site (M.7 Decision).
bool valid_logo_url(const std::string& u) {
  if (!u.empty() && u[0] == '/' && (u.size() == 1 || u[1] != '/')) return true;
  return u.rfind("https://", 0) == 0 || u.rfind("http://", 0) == 0;
}

std::string clean_title(const std::string& raw) {
  auto title = text::clean_sentence(raw, false);
  if (text::trim_spaces(title).empty()) throw Error(ErrorKind::bad_request, "A title is required");
  if (utf8_length(title) > 50) throw Error(ErrorKind::bad_request, "The title must be at most 50 characters");
  return title;
}

std::string clean_description(const std::string& raw) {
  auto d = text::clean_block(raw);
  if (text::trim_spaces(d).empty()) throw Error(ErrorKind::bad_request, "A description is required");
  if (d.size() > 50'000) throw Error(ErrorKind::bad_request, "The description must be at most 50000 bytes");
  return d;
}

std::string visibility_of(const std::string& v) {
  return v == "public" || v == "protected" || v == "private" ? v : "public";
}

/// The body's itemTypes, an array of item type names; nullopt when absent or null.
std::optional<std::vector<int>> item_types_of(const Body& body) {
  const auto* value = body.raw("itemTypes");
  if (!value || value->is_null()) return std::nullopt;
  if (!value->is_array()) throw Error(ErrorKind::bad_request, "itemTypes must be an array of item type names");
  std::vector<int> out;
  for (const auto& v : *value) {
    if (!v.is_string()) throw Error(ErrorKind::bad_request, "itemTypes must be an array of item type names");
    if (auto t = item_type_from_name(v.get<std::string>())) {  // unknown names are dropped (M.7)
      const int id = item_type_id(*t);
      if (std::find(out.begin(), out.end(), id) == out.end()) out.push_back(id);
    }
  }
  return out;
}

std::optional<std::string> logo_of(const Body& body) {
  // Anything but true in removeLogo has always been ignored.
  if (body.lenient<bool>("removeLogo") == true) return std::string();
  auto url = body.optional_string("logoUrl", max_bytes(2000));
  if (!url || url->empty()) return std::nullopt;  // an empty logoUrl alone does not clear the logo
  if (!valid_logo_url(*url)) throw Error(ErrorKind::bad_request, "logoUrl must be an http(s) URL or a path on this site");
  return url;
}

/// The path of items directly in `m`: its ancestors, then m itself.
std::vector<store::Microcosm> ancestors_with(std::vector<store::Microcosm> ancestors, const store::Microcosm& m) {
  if (ancestors.empty() || ancestors.back().id != m.id) ancestors.push_back(m);
  return ancestors;
}

bool allows(const store::Microcosm& parent, ItemType type) {
  return parent.item_types.empty() ||
         std::find(parent.item_types.begin(), parent.item_types.end(), item_type_id(type)) != parent.item_types.end();
}

}  // namespace

void MicrocosmsApi::add_routes(RouteTable& t) {
  t.add("/api/v1/microcosms", HostScope::site, Method::get, this, &MicrocosmsApi::root);
  t.add("/api/v1/microcosms", HostScope::site, Method::post, this, &MicrocosmsApi::create);
  t.add("/api/v1/microcosms/tree", HostScope::site, Method::get, this, &MicrocosmsApi::tree);
  t.add("/api/v1/microcosms/{microcosmId:id}", HostScope::site, Method::get, this, &MicrocosmsApi::one);
  t.add("/api/v1/microcosms/{microcosmId:id}", HostScope::site, Method::put, this, &MicrocosmsApi::replace);
  t.add("/api/v1/microcosms/{microcosmId:id}", HostScope::site, Method::patch, this, &MicrocosmsApi::patch);
  t.add("/api/v1/microcosms/{microcosmId:id}", HostScope::site, Method::del, this, &MicrocosmsApi::remove);
}

std::vector<MicrocosmId> MicrocosmsApi::ignored(const Context& ctx) {
  return reader_.ignored<MicrocosmId>(ctx.site->id, ctx.caller);
}

std::vector<MicrocosmId> MicrocosmsApi::readable_ids(const Context& ctx, const std::vector<MicrocosmId>& ignored_ids) {
  std::vector<MicrocosmId> ids;
  for (const auto& n : microcosms_.tree(ctx.site->id)) ids.push_back(n.id);
  const auto all = store::without_hidden(microcosms_.get_many(ctx.site->id, ids));
  std::vector<const store::Microcosm*> ms;
  for (const auto& m : all) ms.push_back(&m);
  const auto rights = engine_.microcosms(*ctx.site, ctx.perm_caller(), ms);
  std::vector<MicrocosmId> out;
  for (std::size_t i = 0; i < ms.size(); ++i) {
    if (rights[i].read && !on_ignored_path(ms[i]->path, ignored_ids)) out.push_back(ms[i]->id);
  }
  std::sort(out.begin(), out.end());
  return out;
}

store::Microcosm MicrocosmsApi::visible(const Context& ctx, const http::Request& req) {
  const MicrocosmId id{std::stoll(std::string(*req.params.get("microcosmId")))};
  auto m = microcosms_.get(ctx.site->id, id);
  if (!m || microcosms_.hidden(ctx.site->id, *m)) {
    throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(id.value()) + " not found");
  }
  return *m;
}

http::Response MicrocosmsApi::root(Context& ctx, const http::Request& req) {
  auto id = microcosms_.root_of(ctx.site->id);
  auto m = id ? microcosms_.get(ctx.site->id, *id) : std::nullopt;
  if (!m) throw Error(ErrorKind::not_found, "This site has no forums");
  return detail(ctx, req, *m);
}

http::Response MicrocosmsApi::one(Context& ctx, const http::Request& req) { return detail(ctx, req, visible(ctx, req)); }

http::Response MicrocosmsApi::detail(Context& ctx, const http::Request& req, const store::Microcosm& m) {
  const auto caller = ctx.perm_caller();
  const auto permissions = engine_.microcosm(*ctx.site, caller, m);
  if (!permissions.read) throw Error(ErrorKind::forbidden, no_permission);
  auto paging = parse_paging(req);

  // Children the caller may see: visible, readable, not ignored (M.4).
  const auto ignored_ids = ignored(ctx);
  // Everything a listing says about what lies below (children links, most recent update,
  // unread) is limited to the forums this caller may read and has not ignored.
  const auto readable = readable_ids(ctx, ignored_ids);
  auto children = microcosms_.get_many(ctx.site->id, microcosms_.children(ctx.site->id, m.id));
  std::vector<const store::Microcosm*> candidates;
  for (const auto& c : children) {
    if (!on_ignored_path(c.path, ignored_ids)) candidates.push_back(&c);
  }
  const auto rights = engine_.microcosms(*ctx.site, caller, candidates);
  std::vector<const store::Microcosm*> listed;
  for (std::size_t i = 0; i < candidates.size(); ++i) {
    if (rights[i].read) listed.push_back(candidates[i]);
  }
  // M.4 order: sticky forums, sticky conversations, forums, conversations (newest activity first).
  std::vector<const store::Microcosm*> sticky_forums, forums;
  for (const auto* c : listed) (c->sticky ? sticky_forums : forums).push_back(c);
  // Events share the conversations' segments (polls are never listed, M.4). A forum holding
  // nothing else (its item count is its conversation count) keeps the conversation-only
  // statements: the hot path.
  const bool mixed = m.item_count != m.conversation_count;
  store::IgnoredItems ignored_items;
  ignored_items.conversations = reader_.ignored<ConversationId>(ctx.site->id, ctx.caller);
  if (mixed && !ctx.is_guest()) {
    ignored_items.events = reader_.ignored<EventId>(ctx.site->id, ctx.caller);
  }
  const auto& ignored_conversations = ignored_items.conversations;
  const auto [sticky_count, plain_count] = mixed ? microcosms_.items_count_in(ctx.site->id, m.id, ignored_items)
                                                 : conversations_.count_in(ctx.site->id, m.id, ignored_conversations);
  const std::int64_t segment_sizes[4] = {static_cast<std::int64_t>(sticky_forums.size()), sticky_count,
                                         static_cast<std::int64_t>(forums.size()), plain_count};
  const auto total = segment_sizes[0] + segment_sizes[1] + segment_sizes[2] + segment_sizes[3];
  check_offset(total, paging);
  struct Entry {
    const store::Microcosm* forum = nullptr;
    ItemRef item;
  };
  std::vector<Entry> page;
  std::int64_t start = paging.offset, left = paging.limit, base = 0;
  for (int seg = 0; seg < 4 && left > 0; base += segment_sizes[seg], ++seg) {
    const auto from = std::max<std::int64_t>(start - base, 0);
    if (from >= segment_sizes[seg]) continue;
    const auto take = std::min(left, segment_sizes[seg] - from);
    if (seg == 0 || seg == 2) {
      const auto& v = seg == 0 ? sticky_forums : forums;
      for (auto i = from; i < from + take; ++i) page.push_back({v[static_cast<std::size_t>(i)], {}});
    } else if (mixed) {
      for (auto ref : microcosms_.items_slice_in(ctx.site->id, m.id, seg == 1, ignored_items, static_cast<int>(take),
                                                 static_cast<int>(from))) {
        page.push_back({nullptr, ref});
      }
    } else {
      for (auto id : conversations_.slice_in(ctx.site->id, m.id, seg == 1, ignored_conversations,
                                             static_cast<int>(take), static_cast<int>(from))) {
        page.push_back({nullptr, id});
      }
    }
    left -= take;
  }
  std::vector<MicrocosmId> page_ids;
  std::vector<ConversationId> conversation_ids;
  std::vector<EventId> event_ids;
  std::vector<ProfileId> creators{m.created_by};
  for (const auto& e : page) {
    if (e.forum) {
      page_ids.push_back(e.forum->id);
      creators.push_back(e.forum->created_by);
    } else if (e.item.is<ConversationId>()) {
      conversation_ids.push_back(e.item.as<ConversationId>());
    } else if (e.item.is<EventId>()) {
      event_ids.push_back(e.item.as<EventId>());
    }
  }
  // The forums' most recent conversations and events are summarised with the listed ones.
  const auto most_recent = microcosms_.most_recent_in(ctx.site->id, page_ids, readable);
  std::vector<ConversationId> wanted = conversation_ids;
  std::vector<EventId> wanted_events = event_ids;
  for (const auto& [forum, ref] : most_recent) {
    if (ref.is<ConversationId>()) wanted.push_back(ref.as<ConversationId>());
    if (ref.is<EventId>()) wanted_events.push_back(ref.as<EventId>());
  }
  std::map<EventId, store::Event> events;
  for (auto& e : events_.get_many(ctx.site->id, wanted_events)) {
    creators.push_back(e.created_by);
    events.emplace(e.id, std::move(e));
  }
  const auto fetched = conversations_.get_many(ctx.site->id, wanted);
  std::map<ConversationId, store::Conversation> by_id;
  for (const auto& c : fetched) by_id.emplace(c.id, c);
  std::vector<store::Conversation> convs;
  for (auto id : conversation_ids) {
    if (auto it = by_id.find(id); it != by_id.end()) convs.push_back(it->second);
  }
  const auto last_comments = comments_.newest_of(ctx.site->id, conversation_ids);
  const auto last_event_comments = comments_.newest_of(ctx.site->id, event_ids);
  const auto attending = events_.attending(ctx.site->id, ctx.caller, event_ids);
  for (const auto& [id, c] : by_id) creators.push_back(c.created_by);
  for (const auto& [id, l] : last_comments) creators.push_back(l.created_by);
  for (const auto& [id, l] : last_event_comments) creators.push_back(l.created_by);
  const auto ancestors = microcosms_.get_many(ctx.site->id, m.path);
  auto links = microcosms_.child_links(ctx.site->id, page_ids);
  for (auto& [parent, refs] : links) {
    std::erase_if(refs, [&](const store::ChildRef& r) { return !std::binary_search(readable.begin(), readable.end(), r.id); });
  }
  const auto totals = microcosms_.subtree_totals(ctx.site->id, page_ids);
  const auto found_people = profiles_.get_many(ctx.site->id, creators);
  std::map<ProfileId, store::Profile> people;
  for (const auto& p : found_people) people.emplace(p.id, p);
  const ProfileSummaries summaries(found_people, &fragments_.profiles);
  auto person = [&](ProfileId id) -> std::optional<store::Profile> {
    auto it = people.find(id);
    return it == people.end() ? std::nullopt : std::optional<store::Profile>(it->second);
  };
  // Unread (§6.4): guests never; conversations against their own and this microcosm's
  // markers; forums when anything below them is unread.
  auto probe = page_ids;
  probe.push_back(m.id);
  const auto unread_forums = reader_.unread_microcosms(ctx.site->id, ctx.caller, probe, readable);
  auto forum_unread = [&](MicrocosmId id) {
    return std::find(unread_forums.begin(), unread_forums.end(), id) != unread_forums.end();
  };
  const auto read = reader_.read_times(ctx.site->id, ctx.caller, conversation_ids);
  const auto here = reader_.read_times(ctx.site->id, ctx.caller, std::vector<MicrocosmId>{m.id});
  const std::int64_t microcosm_read = here.count(m.id) ? here.at(m.id) : 0;
  const auto events_read = reader_.read_times(ctx.site->id, ctx.caller, event_ids);
  // An event is unread as a conversation is (§6.4): changed after its marker and this forum's.
  auto unread_item = [&](const auto& read_times, auto id, std::int64_t last_modified) {
    const auto r = read_times.count(id) ? read_times.at(id) : 0;
    return !ctx.is_guest() && last_modified > std::max(r, microcosm_read);
  };
  // M.5 mostRecentUpdate: an ItemContainer of the item's summary (no per-caller flags).
  auto most_recent_update = [&](ItemRef ref) -> std::optional<nlohmann::json> {
    auto path_to = [&](MicrocosmId home) {
      auto found = microcosms_.get_many(ctx.site->id, std::vector<MicrocosmId>{home});
      return found.empty() ? std::vector<store::Microcosm>{} : microcosms_.get_many(ctx.site->id, found.front().path);
    };
    JsonWriter item;
    if (auto c = by_id.find(ref.as<ConversationId>()); c != by_id.end()) {
      write_conversation_summary(item, c->second, path_to(c->second.microcosm_id), summaries.of(c->second.created_by),
                                 std::nullopt, "null", std::nullopt);
      return nlohmann::json{{"itemType", "conversation"}, {"item", nlohmann::json::parse(item.str())}};
    }
    if (auto e = events.find(ref.as<EventId>()); e != events.end()) {
      write_event_summary(item, e->second, path_to(e->second.microcosm_id),
                          EventSummaryParts(summaries.of(e->second.created_by)));
      return nlohmann::json{{"itemType", "event"}, {"item", nlohmann::json::parse(item.str())}};
    }
    return std::nullopt;
  };

  JsonWriter w(16 * 1024);
  w.begin_object();
  const auto fields = microcosm_fields(m, ancestors);
  for (const auto& [key, value] : fields.items()) w.key(key).value(value);
  w.key("items");
  write_collection(w, total, paging, "/api/v1/comments", req, [&](JsonWriter& out) {
    std::size_t next_conversation = 0;
    for (const auto& e : page) {
      if (e.forum) {
        const auto* c = e.forum;
        auto path_of_child = ancestors;
        path_of_child.push_back(*c);
        auto it = links.find(c->id);
        auto summary = microcosm_summary(*c, path_of_child,
                                         it == links.end() ? std::vector<store::ChildRef>{} : it->second,
                                         totals.count(c->id) ? totals.at(c->id) : store::SubtreeTotals{},
                                         person(c->created_by));
        summary["meta"]["flags"]["unread"] = forum_unread(c->id);
        if (auto recent = most_recent.find(c->id); recent != most_recent.end()) {
          if (auto item = most_recent_update(recent->second)) summary["mostRecentUpdate"] = std::move(*item);
        }
        out.begin_object().field("itemType", "microcosm").key("item").value(summary).end_object();
        continue;
      }
      if (const auto ev = events.find(e.item.as<EventId>()); ev != events.end()) {
        const auto& event = ev->second;
        EventSummaryParts parts(summaries.of(event.created_by));
        if (auto l = last_event_comments.find(event.id); l != last_event_comments.end()) {
          parts.last = l->second;
          parts.last_author_json = summaries.of(l->second.created_by);
        }
        parts.attending = attending.count(event.id) > 0;  // M.3: always present here, false for guests
        parts.unread = unread_item(events_read, event.id, event.last_modified_micros);
        out.begin_object().field("itemType", "event").key("item");
        write_event_summary(out, event, ancestors_with(ancestors, m), parts);
        out.end_object();
        continue;
      }
      if (next_conversation >= convs.size() || convs[next_conversation].id != e.item.as<ConversationId>()) continue;
      const auto& c = convs[next_conversation++];
      auto l = last_comments.find(c.id);
      const auto r = read.count(c.id) ? read.at(c.id) : 0;
      out.begin_object().field("itemType", "conversation").key("item");
      write_conversation_summary(out, c, ancestors_with(ancestors, m), summaries.of(c.created_by),
                                 l == last_comments.end() ? std::nullopt : std::optional<store::LastComment>(l->second),
                                 l == last_comments.end() ? "null" : summaries.of(l->second.created_by),
                                 !ctx.is_guest() && c.last_modified_micros > std::max(r, microcosm_read));
      out.end_object();
    }
  });
  nlohmann::json meta = {{"created", format_rfc3339_micros(m.created_micros)}};
  auto creator = person(m.created_by);
  meta["createdBy"] = creator ? profile_summary(*creator) : nlohmann::json(nullptr);
  if (m.edited_micros) {
    meta["edited"] = format_rfc3339_micros(m.edited_micros);
    if (auto editor = profiles_.get(ctx.site->id, m.edited_by)) meta["editedBy"] = profile_summary(*editor);
    meta["editReason"] = m.edit_reason;
  }
  auto flags = microcosm_flags(m);
  flags["unread"] = forum_unread(m.id);
  if (std::binary_search(ignored_ids.begin(), ignored_ids.end(), m.id)) flags["ignored"] = true;
  if (!ctx.is_guest()) {
    if (const auto watch = reader_.item_view(ctx.site->id, ctx.caller, m.id, MicrocosmId{}).watch) {
      flags["watched"] = true;
      flags["sendEmail"] = watch->send_email;
      flags["sendSMS"] = watch->send_sms;
    }
  }
  meta["flags"] = std::move(flags);
  meta["links"] = {{{"rel", "self"}, {"href", "/api/v1/microcosms/" + std::to_string(m.id.value())}},
                   {{"rel", "site"}, {"href", "/api/v1/sites/" + std::to_string(m.site_id.value())}}};
  meta["permissions"] = permissions.to_json();
  w.key("meta").value(meta).end_object();
  return http::Response::ok_serialized(w.take());
}

http::Response MicrocosmsApi::tree(Context& ctx, const http::Request&) {
  const auto nodes = microcosms_.tree(ctx.site->id);
  std::vector<MicrocosmId> ids;
  for (const auto& n : nodes) ids.push_back(n.id);
  const auto all = store::without_hidden(microcosms_.get_many(ctx.site->id, ids));
  std::vector<const store::Microcosm*> ms;
  for (const auto& m : all) ms.push_back(&m);
  const auto rights = engine_.microcosms(*ctx.site, ctx.perm_caller(), ms);
  std::map<MicrocosmId, bool> readable;  // hidden forums are absent: not readable
  for (std::size_t i = 0; i < ms.size(); ++i) readable[ms[i]->id] = rights[i].read;
  const auto ignored_ids = ignored(ctx);
  auto out = nlohmann::json::array();
  for (const auto& n : nodes) {
    if (readable[n.id] && !on_ignored_path(n.path, ignored_ids)) out.push_back(tree_link(n));
  }
  return http::Response::ok(std::move(out));
}

http::Response MicrocosmsApi::create(Context& ctx, const http::Request& req) {
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto caller = ctx.perm_caller();
  if (!perm::for_site(*ctx.site, caller).create) throw Error(ErrorKind::forbidden, no_permission);

  store::NewMicrocosm n;
  const auto parent_id = body.optional_int("parentId").value_or(0);  // 0: the root
  std::optional<store::Microcosm> parent;
  if (parent_id == 0) {
    if (auto root = microcosms_.root_of(ctx.site->id)) parent = microcosms_.get(ctx.site->id, *root);
  } else {
    parent = microcosms_.get(ctx.site->id, MicrocosmId{parent_id});
  }
  if (!parent || microcosms_.hidden(ctx.site->id, *parent)) {
    throw Error(ErrorKind::bad_request, "parentId must be a microcosm of this site");
  }
  if (!allows(*parent, ItemType::microcosm)) {
    throw Error(ErrorKind::bad_request, "Microcosms are not allowed inside microcosm " + std::to_string(parent->id.value()));
  }
  if (!engine_.microcosm(*ctx.site, caller, *parent).read) throw Error(ErrorKind::forbidden, no_permission);
  n.parent_id = parent->id;
  // Titles and descriptions are limited once cleaned.
  n.title = clean_title(body.optional_string("title", any_length).value_or(""));
  n.description = clean_description(body.optional_string("description", any_length).value_or(""));
  n.visibility = visibility_of(body.optional_string("visibility", any_length).value_or("public"));
  if (auto types = item_types_of(body)) n.item_types = std::move(*types);
  n.logo_url = logo_of(body).value_or("");
  auto id = microcosms_.create(ctx.site->id, n, ctx.caller);
  audit_.record(ctx.site->id, id, ctx.caller, store::AuditAction::create, req.client_ip);
  return http::Response::redirect(302, "/api/v1/microcosms/" + std::to_string(id.value()));
}

http::Response MicrocosmsApi::replace(Context& ctx, const http::Request& req) {
  auto m = visible(ctx, req);
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto caller = ctx.perm_caller();
  if (!engine_.microcosm(*ctx.site, caller, m).update) throw Error(ErrorKind::forbidden, no_permission);
  // An id or meta of another type has always been ignored.
  if (auto id = body.lenient<std::int64_t>("id"); id && *id != 0 && *id != m.id.value()) {
    throw Error(ErrorKind::bad_request, "The id in the body is not the id in the URL");
  }
  std::string reason;
  if (auto meta = body.lenient<Body>("meta")) {
    if (auto r = meta->optional_string("editReason", any_length)) reason = text::clean_sentence(*r, false);
  }
  if (text::trim_spaces(reason).empty()) throw Error(ErrorKind::bad_request, "An edit reason is required");
  if (utf8_length(reason) > 150) throw Error(ErrorKind::bad_request, "The edit reason must be at most 150 characters");

  store::MicrocosmEdit e;
  if (auto t = body.optional_string("title", any_length)) e.title = clean_title(*t);
  if (auto d = body.optional_string("description", any_length)) e.description = clean_description(*d);
  if (auto v = body.optional_string("visibility", any_length)) e.visibility = visibility_of(*v);
  e.item_types = item_types_of(body);
  e.logo_url = logo_of(body);
  if (auto p = body.optional_int("parentId")) {
    const MicrocosmId to{*p};
    if (m.is_root()) {
      if (to.valid()) throw Error(ErrorKind::bad_request, "The root microcosm cannot be given a parent");
    } else if (to != m.parent_id) {
      auto target = microcosms_.get(ctx.site->id, to);
      if (!target || microcosms_.hidden(ctx.site->id, *target)) {
        throw Error(ErrorKind::bad_request, "parentId must be a microcosm of this site");
      }
      if (std::find(target->path.begin(), target->path.end(), m.id) != target->path.end()) {
        throw Error(ErrorKind::bad_request, "A microcosm cannot be moved into itself or its own descendants");
      }
      if (!engine_.microcosm(*ctx.site, caller, *target).update) throw Error(ErrorKind::forbidden, no_permission);
      e.parent_id = to;
    }
  }
  microcosms_.update(ctx.site->id, m, e, ctx.caller, reason);
  audit_.record(ctx.site->id, m.id, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, "/api/v1/microcosms/" + std::to_string(m.id.value()));
}

http::Response MicrocosmsApi::patch(Context& ctx, const http::Request& req) {
  // A deleted or moderated forum is un-deleted by PATCH (§F.1): only its ancestors must be visible.
  const MicrocosmId id{std::stoll(std::string(*req.params.get("microcosmId")))};
  auto found = microcosms_.get(ctx.site->id, id);
  std::optional<store::Microcosm> parent;
  if (found && !found->is_root()) parent = microcosms_.get(ctx.site->id, found->parent_id);
  if (!found || (parent && microcosms_.hidden(ctx.site->id, *parent)) || (!parent && !found->is_root())) {
    throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(id.value()) + " not found");
  }
  const auto& m = *found;
  const auto ops = parse_flag_ops(parse_json_body(req, config_.get()->http.max_json_depth));
  const auto p = engine_.microcosm(*ctx.site, ctx.perm_caller(), m);
  if (!p.update) throw Error(ErrorKind::forbidden, no_permission);
  ItemFlags f{m.sticky, m.open, m.deleted, m.moderated};
  const auto reason = apply_flag_ops(ops, p, FlagSet::all, m.is_root(), f);
  const store::MicrocosmFlags flags{changed(m.sticky, f.sticky), changed(m.open, f.open), changed(m.deleted, f.deleted),
                                    changed(m.moderated, f.moderated)};
  microcosms_.set_flags(ctx.site->id, m, flags, ctx.caller, std::string(utf8_prefix(reason, 150)));
  audit_.record(ctx.site->id, m.id, ctx.caller, store::AuditAction::update, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response MicrocosmsApi::remove(Context& ctx, const http::Request& req) {
  const MicrocosmId id{std::stoll(std::string(*req.params.get("microcosmId")))};
  auto m = microcosms_.get(ctx.site->id, id);
  // Unknown ids (and other sites' ids) are 404; deleting what is already deleted is 200.
  if (!m) throw Error(ErrorKind::not_found, "Microcosm " + std::to_string(id.value()) + " not found");
  if (m->is_root()) throw Error(ErrorKind::bad_request, "The root microcosm cannot be deleted");
  // Permission first, so that only those who may delete learn that it is already gone.
  if (!engine_.microcosm(*ctx.site, ctx.perm_caller(), *m).del) throw Error(ErrorKind::forbidden, no_permission);
  if (microcosms_.hidden(ctx.site->id, *m)) return http::Response::ok(nullptr);
  microcosms_.set_flags(ctx.site->id, *m, {std::nullopt, std::nullopt, true, std::nullopt}, ctx.caller,
                        "Set delete to true");
  audit_.record(ctx.site->id, id, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
