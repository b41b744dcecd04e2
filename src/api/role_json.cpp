#include "role_json.hpp"

#include <array>
#include <cmath>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "profile_json.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/store/profile_store.hpp"

namespace agora::api {
namespace {

struct FlagField {
  const char* json;
  bool store::RoleFields::*member;
};

constexpr std::array<FlagField, 11> flag_fields{{
    {"moderator", &store::RoleFields::moderator},
    {"banned", &store::RoleFields::banned},
    {"includeGuests", &store::RoleFields::include_guests},
    {"includeUsers", &store::RoleFields::include_users},
    {"create", &store::RoleFields::create},
    {"read", &store::RoleFields::read},
    {"update", &store::RoleFields::update},
    {"delete", &store::RoleFields::del},
    {"closeOwn", &store::RoleFields::close_own},
    {"openOwn", &store::RoleFields::open_own},
    {"readOthers", &store::RoleFields::read_others},
}};

bool is_one_of(const std::string& v, std::initializer_list<const char*> allowed) {
  for (const char* a : allowed) {
    if (v == a) return true;
  }
  return false;
}

}  // namespace

std::string role_self(const store::Role& r) {
  if (!r.microcosm_id.valid()) return "/api/v1/roles/" + std::to_string(r.id.value());
  return "/api/v1/microcosms/" + std::to_string(r.microcosm_id.value()) + "/roles/" + std::to_string(r.id.value());
}

nlohmann::json role_json(const store::Role& r, const std::string& microcosm_title,
                         const std::optional<store::Profile>& creator) {
  nlohmann::json j = {{"id", r.id.value()}, {"title", r.f.title}};
  if (r.site_id.valid()) j["siteId"] = r.site_id.value();
  if (r.microcosm_id.valid()) j["microcosmId"] = r.microcosm_id.value();
  for (const auto& f : flag_fields) j[f.json] = r.f.*f.member;
  nlohmann::json links = {{{"rel", "self"}, {"href", "/api/v1/roles/" + std::to_string(r.id.value())}}};
  if (r.microcosm_id.valid()) {
    links.push_back({{"rel", "microcosm"},
                     {"href", "/api/v1/microcosms/" + std::to_string(r.microcosm_id.value())},
                     {"title", microcosm_title}});
  }
  nlohmann::json meta = {{"created", format_rfc3339_micros(r.created_micros)}, {"links", std::move(links)}};
  meta["createdBy"] = creator ? profile_summary(*creator) : nlohmann::json(nullptr);
  if (r.edited_micros) {
    meta["edited"] = format_rfc3339_micros(r.edited_micros);
    meta["editReason"] = r.edit_reason;
  }
  j["meta"] = std::move(meta);
  return j;
}

nlohmann::json criterion_json(const store::Criterion& c) {
  nlohmann::json j = {{"orGroup", c.or_group}, {"predicate", c.predicate}};
  if (c.id.valid()) j["id"] = c.id.value();
  if (!c.profile_column.empty()) j["profileColumn"] = c.profile_column;
  if (!c.attr_key.empty()) j["attrKey"] = c.attr_key;
  if (c.value_type == "boolean") {
    j["value"] = c.value == "true";
  } else if (c.value_type == "number") {
    const double v = std::strtod(c.value.c_str(), nullptr);
    if (std::floor(v) == v && std::fabs(v) < 9e15) j["value"] = static_cast<std::int64_t>(v);
    else j["value"] = v;
  } else {
    j["value"] = c.value;
  }
  return j;
}

void merge_role_fields(const Body& body, store::RoleFields& fields) {
  // The title is required and limited once cleaned, and merged over the role's own.
  if (auto t = body.optional_string("title", any_length)) fields.title = strip_tags_and_trim(*t);
  if (fields.title.empty()) throw Error(ErrorKind::bad_request, "Title is a required field");
  if (utf8_length(fields.title) > 50) throw Error(ErrorKind::bad_request, "title must be at most 50 characters");
  for (const auto& f : flag_fields) {
    if (auto v = body.optional_bool(f.json)) fields.*f.member = *v;
  }
  if (fields.moderator && fields.banned) {
    throw Error(ErrorKind::bad_request, "A role cannot be both a moderator role and a banned role");
  }
}

bool set_role_flag(store::RoleFields& fields, std::string_view json_name, bool value) {
  for (const auto& f : flag_fields) {
    if (json_name == f.json) {
      fields.*f.member = value;
      return true;
    }
  }
  return false;
}

void merge_criterion(const Body& body, store::Criterion& c) {
  c.or_group = body.optional_int("orGroup").value_or(c.or_group);
  // attrKey's limit applies to the merged criterion, where a profileColumn drops it.
  c.profile_column = body.optional_string("profileColumn", any_length).value_or(c.profile_column);
  c.attr_key = body.optional_string("attrKey", any_length).value_or(c.attr_key);
  c.predicate = body.optional_string("predicate", any_length).value_or(c.predicate);
  if (!c.profile_column.empty()) {
    c.attr_key.clear();  // the column wins
  } else if (c.attr_key.empty()) {
    throw Error(ErrorKind::bad_request, "Either profileColumn or attrKey MUST be supplied");
  }
  if (c.attr_key.size() > 50) throw Error(ErrorKind::bad_request, "attrKey must be at most 50 characters");
  // A string, number or boolean: its JSON type decides the criterion's.
  if (const auto* v = body.raw("value")) {
    if (v->is_boolean()) {
      c.value_type = "boolean";
      c.value = v->get<bool>() ? "true" : "false";
    } else if (v->is_number()) {
      c.value_type = "number";
      c.value = v->dump();
    } else if (v->is_string()) {
      c.value_type = "string";
      c.value = v->get<std::string>();
      const auto first = c.value.find_first_not_of(" \t\r\n");
      c.value = first == std::string::npos ? "" : c.value.substr(first, c.value.find_last_not_of(" \t\r\n") - first + 1);
    } else {
      throw Error(ErrorKind::bad_request, "The type of value cannot be determined or is invalid");
    }
  }
  if (c.value_type.empty()) throw Error(ErrorKind::bad_request, "The type of value cannot be determined or is invalid");
  if (c.value.size() > 250) throw Error(ErrorKind::bad_request, "value must be at most 250 characters");
  const auto& col = c.profile_column;
  std::string kind = c.value_type;
  if (!col.empty()) {
    if (is_one_of(col, {"id", "itemCount", "commentCount", "created"})) kind = "number";
    else if (is_one_of(col, {"profileName", "gender", "email"})) kind = "string";
    else if (col == "isBanned") kind = "boolean";
    else throw Error(ErrorKind::bad_request, "The profileColumn is not valid");
    if (kind != c.value_type) {
      throw Error(ErrorKind::bad_request, "The value for profileColumn " + col + " must be a " + kind);
    }
  }
  const bool ok = kind == "string"    ? is_one_of(c.predicate, {"eq", "ne", "substr", "nsubstr"})
                  : kind == "number" ? is_one_of(c.predicate, {"eq", "ne", "lt", "le", "ge", "gt"})
                                      : is_one_of(c.predicate, {"eq", "ne"});
  if (!ok) throw Error(ErrorKind::bad_request, "The predicate '" + c.predicate + "' is not valid for a " + kind + " value");
}

}  // namespace agora::api
