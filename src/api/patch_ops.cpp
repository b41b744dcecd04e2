#include "patch_ops.hpp"

#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/core/error.hpp"

namespace agora::api {

std::vector<FlagPatch> parse_flag_patch(const nlohmann::json& body) {
  if (!body.is_array() || body.empty()) throw Error(ErrorKind::bad_request, "The body must be an array of patch operations");
  std::vector<FlagPatch> out;
  for (const auto& element : body) {
    const Body op(element);
    if (op.optional_string("op", any_length) != "replace") {
      throw Error(ErrorKind::bad_request, "Only the 'replace' operation is supported");
    }
    out.push_back({op.required_string("path", any_length), op.required_bool("value")});
  }
  return out;
}

}  // namespace agora::api
