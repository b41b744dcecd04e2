#include "agora/http/method.hpp"

namespace agora::http {

std::string_view method_name(Method method) {
  switch (method) {
    case Method::get: return "GET";
    case Method::head: return "HEAD";
    case Method::post: return "POST";
    case Method::put: return "PUT";
    case Method::patch: return "PATCH";
    case Method::del: return "DELETE";
    case Method::options: return "OPTIONS";
  }
  return "";
}

std::optional<Method> parse_method(std::string_view token) {
  for (auto m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del, Method::options}) {
    if (token == method_name(m)) return m;
  }
  return std::nullopt;
}

}  // namespace agora::http
