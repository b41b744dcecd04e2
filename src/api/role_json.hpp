#pragma once
// Role and criterion JSON (permissions.md §2.1, §3.1, §9) and their request bodies.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>

#include "agora/store/role.hpp"

namespace agora::store {
struct Profile;
}

namespace agora::api {

class Body;

/// `{roleSelf}`: /api/v1/microcosms/{mid}/roles/{rid}, or /api/v1/roles/{rid} for site-level roles.
std::string role_self(const store::Role& role);

/// The role object without `members` and `meta.permissions` (callers add them).
/// `creator` is the creating profile's summary when known.
nlohmann::json role_json(const store::Role& role, const std::string& microcosm_title,
                         const std::optional<store::Profile>& creator);

nlohmann::json criterion_json(const store::Criterion& criterion);

/// Applies a role body's fields over `fields` (PUT merges; POST starts from defaults).
/// `id`, `siteId`, `microcosmId` and `meta` are ignored. Error{bad_request} naming the field.
void merge_role_fields(const Body& body, store::RoleFields& fields);

/// Sets the flag named by its JSON key (`read`, `includeUsers`, …); false when no such flag.
bool set_role_flag(store::RoleFields& fields, std::string_view json_name, bool value);

/// A criterion body over `criterion` (permissions.md §3.1 validation). Error{bad_request}.
void merge_criterion(const Body& body, store::Criterion& criterion);

}  // namespace agora::api
