#include "attributes_api.hpp"

#include "comment_threads.hpp"

#include <algorithm>
#include <chrono>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/api/json_body.hpp"
#include "agora/api/paging.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/core/text.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/attribute_store.hpp"
#include "agora/store/audit_log.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/text/clean.hpp"

namespace agora::api {

struct AttributesApi::Parent {
  ItemRef item;
  perm::PermissionSet rights;
  std::string href;  // /api/v1/{plural}/{id}
};

namespace {

constexpr const char* no_permission = "You do not have permission to do that";

struct Kind {
  const char* segment;  // route segment before the id
  ItemType type;
  const char* param;
  http::HostScope scope;
};

constexpr Kind kinds[] = {
    {"profiles", ItemType::profile, "profileId", http::HostScope::root_and_site},
    {"microcosms", ItemType::microcosm, "microcosmId", http::HostScope::site},
    {"conversations", ItemType::conversation, "conversationId", http::HostScope::site},
    {"events", ItemType::event, "eventId", http::HostScope::site},
    {"polls", ItemType::poll, "pollId", http::HostScope::site},
    {"comments", ItemType::comment, "commentId", http::HostScope::site},
    {"site", ItemType::site, "siteId", http::HostScope::site},
};

bool is_date(const std::string& s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (s[i] < '0' || s[i] > '9') return false;
  }
  // A real calendar day (2024-02-30 is a string, not a date).
  const std::chrono::year_month_day d{std::chrono::year{std::stoi(s.substr(0, 4))},
                                      std::chrono::month{static_cast<unsigned>(std::stoi(s.substr(5, 2)))},
                                      std::chrono::day{static_cast<unsigned>(std::stoi(s.substr(8, 2)))}};
  return d.ok();
}

std::string clean_key(const std::string& raw) {
  auto key = text::clean_word(raw);
  if (key.empty()) throw Error(ErrorKind::bad_request, "An attribute needs a key");
  if (utf8_length(key) > 50) throw Error(ErrorKind::bad_request, "An attribute key can be at most 50 characters");
  return key;
}

/// The value rules of §A.4.
store::Attribute attribute_of(const std::string& key, const nlohmann::json* value) {
  store::Attribute a;
  a.key = key;
  if (!value || value->is_null() || value->is_array() || value->is_object()) {
    throw Error(ErrorKind::bad_request, "The type of value cannot be determined: use a string, number or boolean");
  }
  if (value->is_boolean()) {
    a.type = "boolean";
    a.boolean = value->get<bool>();
  } else if (value->is_number()) {
    a.type = "number";
    a.number = value->get<double>();
  } else {
    a.text = std::string(text::trim_spaces(text::clean_sentence(value->get<std::string>(), true)));
    if (a.text.empty()) throw Error(ErrorKind::bad_request, "The value of " + key + " is empty");
    if (a.text.size() > 10'000) throw Error(ErrorKind::bad_request, "The value of " + key + " is too long");
    a.type = is_date(a.text) ? "date" : "string";
  }
  return a;
}

nlohmann::json attribute_json(const store::Attribute& a) {
  nlohmann::json value;
  if (a.type == "boolean") value = a.boolean;
  else if (a.type == "number") value = a.number;
  else value = a.text;
  return {{"key", a.key}, {"value", std::move(value)}};
}

}  // namespace

void AttributesApi::add_routes(RouteTable& t) {
  for (const auto& k : kinds) {
    const auto base = std::string("/api/v1/") + k.segment + "/{" + k.param + ":id}/attributes";
    t.add(base, k.scope, Method::get, this, &AttributesApi::list);
    t.add(base, k.scope, Method::put, this, &AttributesApi::put_many);
    t.add(base, k.scope, Method::del, this, &AttributesApi::delete_many);
    t.add(base + "/{key:key}", k.scope, Method::get, this, &AttributesApi::one);
    t.add(base + "/{key:key}", k.scope, Method::put, this, &AttributesApi::put_one);
    t.add(base + "/{key:key}", k.scope, Method::del, this, &AttributesApi::delete_one);
  }
}

AttributesApi::Parent AttributesApi::parent_of(const Context& ctx, const http::Request& req) {
  const auto caller = ctx.perm_caller();
  const auto& site = *ctx.site;
  for (const auto& k : kinds) {
    auto raw = req.params.get(k.param);
    if (!raw || req.path.find(std::string("/") + k.segment + "/") == std::string::npos) continue;
    const auto id = std::stoll(std::string(*raw));
    const auto missing = Error(ErrorKind::not_found, std::string(item_type_name(k.type)) + " " + std::to_string(id) + " not found");
    Parent p{ItemRef{k.type, id}, {}, std::string("/api/v1/") + k.segment + "/" + std::to_string(id)};
    switch (k.type) {
      case ItemType::profile: {
        if (!s_.profiles.get(site.id, ProfileId{id})) throw missing;
        p.rights = perm::for_profile(site, caller, ProfileId{id});
        return p;
      }
      case ItemType::microcosm: {
        auto m = s_.microcosms.get(site.id, MicrocosmId{id});
        if (!m || s_.microcosms.hidden(site.id, *m)) throw missing;
        p.rights = engine_.microcosm(site, caller, *m);
        return p;
      }
      case ItemType::conversation:
      case ItemType::event:
      case ItemType::poll:
      case ItemType::comment: {
        // Items and comments are seen as their comments are (a huddle's by its participants).
        try {
          if (k.type != ItemType::comment) {
            const auto home = threads_.locate(ctx, p.item);
            p.rights = threads_.rights(ctx, home, home.owner);
            return p;
          }
          auto c = s_.comments.get(site.id, CommentId{id});
          if (!c || !c->visible()) throw missing;
          p.rights = threads_.rights(ctx, threads_.home_of_comment(ctx, *c), c->author);
          return p;
        } catch (const Error& e) {
          if (e.kind() == ErrorKind::not_found) throw missing;
          throw;
        }
      }
      case ItemType::site:
        if (id != site.id.value()) throw missing;
        p.rights = perm::for_site(site, caller);
        return p;
      default:
        break;
    }
  }
  throw Error(ErrorKind::not_found, "Not Found");
}

http::Response AttributesApi::list(Context& ctx, const http::Request& req) {
  const auto parent = parent_of(ctx, req);
  if (!parent.rights.read) throw Error(ErrorKind::forbidden, no_permission);
  auto paging = parse_paging(req);
  const auto all = s_.attributes.of(ctx.site->id, parent.item);
  check_offset(static_cast<std::int64_t>(all.size()), paging);
  auto items = nlohmann::json::array();
  for (auto i = static_cast<std::size_t>(paging.offset); i < all.size() && items.size() < static_cast<std::size_t>(paging.limit); ++i) {
    items.push_back(attribute_json(all[i]));
  }
  return http::Response::ok({{"attributes", collection(static_cast<std::int64_t>(all.size()), paging, std::move(items),
                                                       parent.href + "/attributes", req)}});
}

namespace {

/// An element's key. An empty key is refused by clean_key, after the permission check (§A.5).
std::string key_of(const Body& element) {
  auto key = element.optional_string("key", any_length);
  if (!key) throw Error(ErrorKind::bad_request, "Every attribute needs a key");
  return std::move(*key);
}

/// The protected membership attribute: only the site owner writes it.
void check_protected(const Context& ctx, ItemType type, const std::string& key) {
  if (type == ItemType::profile && key == store::member_attribute && !perm::is_site_owner(*ctx.site, ctx.perm_caller())) {
    throw Error(ErrorKind::forbidden, "Only the site owner can change " + key);
  }
}

}  // namespace

http::Response AttributesApi::put_many(Context& ctx, const http::Request& req) {
  auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The body must be an array of {\"key\", \"value\"}");
  // Keys are checked before permission (§A.5), values after.
  std::vector<Body> elements;
  for (const auto& e : body) {
    elements.emplace_back(e);
    key_of(elements.back());
  }
  const auto parent = parent_of(ctx, req);
  if (ctx.is_guest() || !parent.rights.update) throw Error(ErrorKind::forbidden, no_permission);
  std::vector<store::Attribute> all;
  for (const auto& e : elements) {
    auto a = attribute_of(clean_key(key_of(e)), e.raw("value"));
    check_protected(ctx, parent.item.type, a.key);
    all.push_back(std::move(a));
  }
  s_.attributes.set_many(ctx.site->id, parent.item, all);
  for (std::size_t i = 0; i < all.size(); ++i) {
    s_.audit.record(ctx.site->id, ItemRef{ItemType::attribute, parent.item.id}, ctx.caller, store::AuditAction::replace, req.client_ip);
  }
  return http::Response::ok(nullptr);
}

http::Response AttributesApi::delete_many(Context& ctx, const http::Request& req) {
  auto body = parse_json_body(req, config_.get()->http.max_json_depth);
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The body must be an array of {\"key\"}");
  std::vector<std::string> keys;
  for (const auto& e : body) keys.push_back(key_of(Body(e)));
  std::sort(keys.begin(), keys.end());
  keys.erase(std::unique(keys.begin(), keys.end()), keys.end());
  const auto parent = parent_of(ctx, req);
  if (ctx.is_guest() || !parent.rights.del) throw Error(ErrorKind::forbidden, no_permission);
  for (const auto& k : keys) check_protected(ctx, parent.item.type, k);
  if (!s_.attributes.remove_all(ctx.site->id, parent.item, keys)) {
    throw Error(ErrorKind::not_found, "One of the attributes does not exist; nothing was deleted");
  }
  s_.audit.record(ctx.site->id, ItemRef{ItemType::attribute, parent.item.id}, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

http::Response AttributesApi::one(Context& ctx, const http::Request& req) {
  const auto parent = parent_of(ctx, req);
  if (!parent.rights.read) throw Error(ErrorKind::forbidden, no_permission);
  const std::string key(*req.params.get("key"));
  auto a = s_.attributes.get(ctx.site->id, parent.item, key);
  if (!a) throw Error(ErrorKind::not_found, "Attribute " + key + " not found");
  return http::Response::ok(attribute_json(*a));
}

http::Response AttributesApi::put_one(Context& ctx, const http::Request& req) {
  const auto body = Body::json_object(req, config_.get()->http.max_json_depth);
  const auto parent = parent_of(ctx, req);
  if (ctx.is_guest() || !parent.rights.update) throw Error(ErrorKind::forbidden, no_permission);
  // The URL's key wins over one in the body (§A.5 Decision).
  const auto key = clean_key(std::string(*req.params.get("key")));
  check_protected(ctx, parent.item.type, key);
  s_.attributes.set(ctx.site->id, parent.item, attribute_of(key, body.raw("value")));
  s_.audit.record(ctx.site->id, ItemRef{ItemType::attribute, parent.item.id}, ctx.caller, store::AuditAction::replace, req.client_ip);
  return http::Response::redirect(302, parent.href + "/attributes/" + key);
}

http::Response AttributesApi::delete_one(Context& ctx, const http::Request& req) {
  const auto parent = parent_of(ctx, req);
  // The original let anyone delete; the Decision asks for update or delete on the parent.
  if (ctx.is_guest() || !(parent.rights.update || parent.rights.del)) throw Error(ErrorKind::forbidden, no_permission);
  const std::string key(*req.params.get("key"));
  check_protected(ctx, parent.item.type, key);
  if (!s_.attributes.remove(ctx.site->id, parent.item, key)) {
    throw Error(ErrorKind::not_found, "Attribute " + key + " not found");
  }
  s_.audit.record(ctx.site->id, ItemRef{ItemType::attribute, parent.item.id}, ctx.caller, store::AuditAction::remove, req.client_ip);
  return http::Response::ok(nullptr);
}

}  // namespace agora::api
