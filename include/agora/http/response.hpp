#pragma once
// What a handler returns. Enveloped responses carry `data` and are wrapped in the v1
// envelope by http/envelope; raw responses carry their own body and content type.

#include <nlohmann/json_fwd.hpp>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "agora/http/request.hpp"

namespace agora::http {

struct Response {
  int status = 200;
  std::shared_ptr<const nlohmann::json> data;  // null pointer = JSON null
  std::string data_json;                       // or the data already serialised (wins when set)
  std::vector<std::string> errors;             // empty on success
  std::optional<int> error_code;               // v1 errorCode; adds the error-detail object
  bool enveloped = true;
  std::string body;                            // raw responses only
  std::string content_type = "application/json";
  Fields headers;
  bool suppress_body = false;                  // OPTIONS: headers only

  /// Success envelope with data.
  static Response ok(nlohmann::json data);
  /// Success envelope around data that is already JSON text (written by a JsonWriter).
  static Response ok_serialized(std::string data_json);
  /// A raw (non-enveloped) body.
  static Response raw(int status, std::string body, std::string content_type);
  /// Redirect envelope (302 create/replace, 307 redirects) with Location.
  static Response redirect(int status, std::string location);
};

}  // namespace agora::http
