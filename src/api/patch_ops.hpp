#pragma once
// PATCH bodies of boolean flags (conventions.md PATCH rules): a non-empty array of
// {"op":"replace","path":"/name","value":bool}. Anything else is a 400 naming the problem.

#include <nlohmann/json_fwd.hpp>
#include <string>
#include <vector>

namespace agora::api {

struct FlagPatch {
  std::string path;  // as sent, with its leading '/'
  bool value = false;
};

std::vector<FlagPatch> parse_flag_patch(const nlohmann::json& body);

}  // namespace agora::api
