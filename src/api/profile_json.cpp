#include "profile_json.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/fragment_memo.hpp"
#include "agora/core/json_writer.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/record.hpp"

namespace agora::api {
namespace {

nlohmann::json links(const store::Profile& p) {
  return {{{"rel", "self"}, {"href", "/api/v1/profiles/" + std::to_string(p.id.value())}},
          {{"rel", "site"}, {"href", "/api/v1/sites/" + std::to_string(p.site_id.value())}}};
}

}  // namespace

void write_profile_summary(JsonWriter& w, const store::Profile& p) {
  const auto self = "/api/v1/profiles/" + std::to_string(p.id.value());
  const auto site = "/api/v1/sites/" + std::to_string(p.site_id.value());
  w.begin_object().field("id", p.id.value());
  if (p.site_id.valid()) w.field("siteId", p.site_id.value());
  w.field("userId", p.user_id.value()).field("profileName", p.name).field("visible", p.visible).field("avatar", p.avatar_url);
  w.key("meta").begin_object().key("flags").begin_object().end_object();
  w.key("links").begin_array();
  w.begin_object().field("rel", "self").field("href", self).end_object();
  w.begin_object().field("rel", "site").field("href", site).end_object();
  w.end_array().end_object().end_object();
}

std::string profile_summary_json(const store::Profile& p) {
  JsonWriter w(320);
  write_profile_summary(w, p);
  return w.take();
}

namespace {

/// Everything write_profile_summary reads: the memo reuses a summary only while these bytes
/// are unchanged. Keep the two together.
std::string summary_inputs(const store::Profile& p) {
  store::RecordWriter in('p', 32 + p.name.size() + p.avatar_url.size());
  in.add(p.id.value()).add(p.site_id.value()).add(p.user_id.value()).add(p.name).add(p.visible).add(p.avatar_url);
  return in.take();
}

}  // namespace

ProfileSummaries::ProfileSummaries(const std::vector<store::Profile>& profiles, FragmentMemo* memo) {
  for (const auto& p : profiles) {
    if (json_.count(p.id)) continue;
    json_.emplace(p.id, memo ? memo->get(p.id.value(), summary_inputs(p), [&] { return profile_summary_json(p); })
                             : profile_summary_json(p));
  }
}

std::string_view ProfileSummaries::of(ProfileId id) const {
  auto it = json_.find(id);
  return it == json_.end() ? std::string_view("null") : std::string_view(it->second);
}

nlohmann::json profile_summary(const store::Profile& p) { return nlohmann::json::parse(profile_summary_json(p)); }

nlohmann::json full_profile(const store::Profile& p, const FullProfileExtras& x) {
  nlohmann::json j = {
      {"id", p.id.value()},
      {"siteId", p.site_id.value()},
      {"userId", p.user_id.value()},
      {"profileName", p.name},
      {"visible", p.visible},
      {"avatar", p.avatar_url},
      {"styleId", p.style_id},
      {"itemCount", p.item_count},
      {"commentCount", p.comment_count},
      {"profileComment", nullptr},
      {"created", format_rfc3339_micros(p.created_micros)},
      {"lastActive", format_rfc3339_micros(p.last_active_micros)},
      {"banned", false},
      {"admin", x.site_owner},
  };
  if (!x.email.empty()) j["email"] = x.email;
  if (x.member) j["member"] = true;
  nlohmann::json meta = {{"flags", nlohmann::json::object()}, {"links", links(p)}};
  if (x.own_view) {
    meta["stats"] = {{{"metric", "unreadHuddles"}, {"value", x.unread_huddles}}, {{"metric", "unreadUpdates"}, {"value", 0}}};
  }
  j["meta"] = std::move(meta);
  return j;
}

}  // namespace agora::api
