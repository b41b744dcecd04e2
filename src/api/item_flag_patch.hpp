#pragma once
// PATCH of item flags (content-events-polls-huddles.md §F.3–F.4), shared by microcosms,
// conversations and comments: the body's shape first, then (after the caller's `update`
// check) booleans and the per-path rules.

#include <nlohmann/json_fwd.hpp>
#include <optional>
#include <string>
#include <vector>

#include "agora/api/body.hpp"
#include "agora/perm/permissions.hpp"

namespace agora::api {

struct ItemFlags {
  bool sticky = false, open = true, deleted = false, moderated = false;
};

struct FlagOp {
  std::string path;
  Body operation;  // its value is read as a boolean in step 5
};

/// Steps 1–3: a non-empty array of replace operations with a path and a value; other
/// JSON-Patch verbs are 501, anything else 400.
std::vector<FlagOp> parse_flag_ops(const nlohmann::json& body);

/// What an item allows: all four flags (microcosms, conversations) or deleted/moderated (comments).
enum class FlagSet { all, visibility_only };

/// Steps 5–6 applied to `flags`; returns the edit reason ("Set sticky to true", …).
/// `is_root`: the root microcosm can be neither deleted nor moderated.
std::string apply_flag_ops(const std::vector<FlagOp>& ops, const perm::PermissionSet& p, FlagSet allowed,
                           bool is_root, ItemFlags& flags);

/// The new value when it differs from the old one: only what a PATCH changes is written.
inline std::optional<bool> changed(bool before, bool after) {
  return before != after ? std::optional<bool>(after) : std::nullopt;
}

}  // namespace agora::api
