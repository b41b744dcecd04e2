#include "agora/http/envelope.hpp"

#include <nlohmann/json.hpp>

namespace agora::http {

Response Response::ok(nlohmann::json data) {
  Response r;
  r.data = std::make_shared<const nlohmann::json>(std::move(data));
  return r;
}

Response Response::ok_serialized(std::string data_json) {
  Response r;
  r.data_json = std::move(data_json);
  return r;
}

Response Response::raw(int status, std::string body, std::string content_type) {
  Response r;
  r.status = status;
  r.enveloped = false;
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  return r;
}

Response Response::redirect(int status, std::string location) {
  Response r;
  r.status = status;
  r.headers.emplace_back("Location", std::move(location));
  return r;
}

bool valid_callback_name(std::string_view name) {
  if (name.empty() || name.size() > 64) return false;
  auto first = [](char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '_' || c == '$'; };
  if (!first(name[0])) return false;
  for (char c : name.substr(1)) {
    if (!first(c) && !(c >= '0' && c <= '9') && c != '.') return false;
  }
  return true;
}

EnvelopeOptions envelope_options(const Request& request) {
  EnvelopeOptions o;
  if (auto c = request.query_param("context")) o.context = std::string(*c);
  o.always200 = request.has_query_param("always200") || request.header("x-always-200").has_value();
  o.disable_boiler = request.has_query_param("disableBoiler") || request.header("x-disable-boiler").has_value();
  if (auto cb = request.query_param("callback")) {
    if (!valid_callback_name(*cb)) {
      throw Error(ErrorKind::bad_request,
                  "The callback parameter must match ^[A-Za-z_$][0-9A-Za-z_$.]{0,63}$");
    }
    o.callback = std::string(*cb);
  }
  return o;
}

Response error_response(int status, std::string message, std::optional<int> error_code) {
  Response r;
  r.status = status;
  r.errors.push_back(std::move(message));
  r.error_code = error_code;
  return r;
}

Response error_response(const Error& error) {
  auto r = error_response(http_status(error.kind()), error.what(), error.code());
  if (int secs = error.retry_after_seconds(); secs > 0) r.headers.emplace_back("Retry-After", std::to_string(secs));
  return r;
}

namespace {
// Invalid UTF-8 that slipped into a value becomes U+FFFD instead of an exception mid-write.
std::string to_text(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace

WireResponse render(const Response& response, const EnvelopeOptions& options) {
  WireResponse out;
  out.status = response.status;
  out.headers = response.headers;
  if (!response.enveloped) {
    out.headers.emplace_back("Content-Type", response.content_type);
    if (!response.suppress_body) out.body = response.body;
    return out;
  }

  // The data is serialised where it lies (never copied) and the envelope written around it,
  // keys in the order nlohmann's sorted objects would give: context, data, error, status.
  nlohmann::json error_detail;
  const nlohmann::json* data = response.data.get();
  if (response.error_code && !response.errors.empty()) {
    error_detail = nlohmann::json::object();
    error_detail["siteId"] = options.site_id;
    if (options.profile_id != 0) error_detail["profileId"] = options.profile_id;
    error_detail["errorCode"] = *response.error_code;
    error_detail["errorDetail"] = response.errors.front();
    data = &error_detail;
  }
  std::string serialised;
  std::string_view data_text = "null";
  if (data == response.data.get() && !response.data_json.empty()) {
    data_text = response.data_json;
  } else if (data) {
    serialised = to_text(*data);
    data_text = serialised;
  }

  std::string json;
  if (options.disable_boiler) {
    json = std::string(data_text);
  } else {
    const auto context = to_text(nlohmann::json(options.context));
    const auto error = response.errors.empty() ? std::string("null") : to_text(nlohmann::json(response.errors));
    json.reserve(data_text.size() + context.size() + error.size() + 48);
    json.append("{\"context\":").append(context);
    json.append(",\"data\":").append(data_text);
    json.append(",\"error\":").append(error);
    json.append(",\"status\":").append(std::to_string(response.status)).append("}");
  }

  if (!options.callback.empty()) {
    out.body = options.callback + "(" + json;
    if (!options.context.empty()) out.body += ", " + to_text(nlohmann::json(options.context));
    out.body += ")";
  } else {
    out.body = std::move(json);
  }
  if (options.always200) out.status = 200;
  out.headers.emplace_back("Content-Type", "application/json");
  out.headers.emplace_back("X-Content-Type-Options", "nosniff");
  return out;
}

}  // namespace agora::http
