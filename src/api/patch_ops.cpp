#include "agora/api/patch_ops.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/request_fields.hpp"
#include "agora/core/error.hpp"

namespace agora::api {

std::vector<FlagPatch> parse_flag_patch(const nlohmann::json& body) {
  if (!body.is_array() || body.empty()) throw Error(ErrorKind::bad_request, "The body must be an array of patch operations");
  std::vector<FlagPatch> out;
  for (const auto& op : body) {
    const auto* o = op.is_object() ? find_field(op, "op") : nullptr;
    const auto* path = op.is_object() ? find_field(op, "path") : nullptr;
    const auto* value = op.is_object() ? find_field(op, "value") : nullptr;
    if (!o || !o->is_string() || o->get<std::string>() != "replace") {
      throw Error(ErrorKind::bad_request, "Only the 'replace' operation is supported");
    }
    if (!path || !path->is_string() || !value || !value->is_boolean()) {
      throw Error(ErrorKind::bad_request, "Each operation needs a path and a boolean value");
    }
    out.push_back({path->get<std::string>(), value->get<bool>()});
  }
  return out;
}

}  // namespace agora::api
