#include "item_flag_patch.hpp"

#include <nlohmann/json.hpp>

#include "agora/core/error.hpp"

namespace agora::api {
namespace {
constexpr const char* no_permission = "You do not have permission to do that";
}

std::vector<FlagOp> parse_flag_ops(const nlohmann::json& body) {
  if (!body.is_array()) throw Error(ErrorKind::bad_request, "The post data is invalid: expected an array of operations");
  if (body.empty()) throw Error(ErrorKind::bad_request, "No patches were given");
  std::vector<FlagOp> ops;
  for (const auto& element : body) {
    Body op(element);
    const auto verb = op.optional_string("op", any_length).value_or("");
    const auto path = op.optional_string("path", any_length);
    if (verb == "add" || verb == "remove" || verb == "copy" || verb == "move" || verb == "test") {
      if (!path) throw Error(ErrorKind::bad_request, "The operation needs a path");
      throw Error(ErrorKind::not_implemented, "Only the replace operation is implemented");
    }
    if (verb != "replace") throw Error(ErrorKind::bad_request, "Unsupported patch operation");
    const auto* value = op.raw("value");
    if (!path || path->empty() || !value || value->is_null()) {
      throw Error(ErrorKind::bad_request, "A replace needs a path and a value");
    }
    ops.push_back({*path, std::move(op)});
  }
  return ops;
}

std::string apply_flag_ops(const std::vector<FlagOp>& ops, const perm::PermissionSet& p, FlagSet allowed,
                           bool is_root, ItemFlags& flags) {
  std::string reason;
  for (const auto& op : ops) {
    const bool v = op.operation.required_bool("value");
    const bool all = allowed == FlagSet::all;
    std::string word;
    if (all && op.path == "/meta/flags/sticky") {
      if (!p.moderator) throw Error(ErrorKind::forbidden, no_permission);
      flags.sticky = v;
      word = "sticky";
    } else if (all && op.path == "/meta/flags/open") {
      // Owners close with closeOwn and reopen with openOwn (permissions.md §2.1 Decision).
      if (!(p.moderator || (p.owner && (v ? p.open_own : p.close_own)))) {
        throw Error(ErrorKind::forbidden, no_permission);
      }
      flags.open = v;
      word = "open";
    } else if (op.path == "/meta/flags/deleted" || op.path == "/meta/flags/moderated") {
      if (!p.moderator) throw Error(ErrorKind::forbidden, no_permission);
      if (v && is_root) throw Error(ErrorKind::bad_request, "The root microcosm cannot be deleted or moderated");
      const bool deleted = op.path == "/meta/flags/deleted";
      (deleted ? flags.deleted : flags.moderated) = v;
      word = deleted ? "delete" : "moderated";
    } else {
      throw Error(ErrorKind::bad_request, "Invalid patch path: " + op.path);
    }
    if (!reason.empty()) reason += ", ";
    reason += "Set " + word + " to " + (v ? "true" : "false");
  }
  return reason;
}

}  // namespace agora::api
