#include "agora/http/request.hpp"

#include "agora/core/error.hpp"
#include "agora/core/text.hpp"

namespace agora::http {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::optional<std::string_view> find(const Fields& fields, std::string_view name) {
  for (auto& [k, v] : fields) {
    if (k == name) return std::string_view(v);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string_view> PathParams::get(std::string_view name) const { return find(values, name); }

std::optional<std::string_view> Request::header(std::string_view lower_name) const {
  return find(headers, lower_name);
}

std::optional<std::string_view> Request::query_param(std::string_view name) const { return find(query, name); }

std::optional<std::string> percent_decode(std::string_view in, bool plus_is_space) {
  std::string out;
  out.reserve(in.size());
  for (std::size_t i = 0; i < in.size(); ++i) {
    char c = in[i];
    if (c == '%') {
      if (i + 2 >= in.size()) return std::nullopt;
      int hi = hex_value(in[i + 1]), lo = hex_value(in[i + 2]);
      if (hi < 0 || lo < 0) return std::nullopt;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return out;
}

std::string percent_encode(std::string_view in) {
  static constexpr char digits[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : in) {
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += digits[c >> 4];
      out += digits[c & 15];
    }
  }
  return out;
}

std::string loggable_path(std::string_view path) {
  // DELETE /api/v1/auth/{token} carries a live token in the path.
  constexpr std::string_view token_route = "/api/v1/auth/";
  if (path.substr(0, token_route.size()) == token_route && path.size() > token_route.size()) {
    return std::string(token_route) + "{token}";
  }
  return std::string(path);
}

void parse_target(std::string_view target, std::string& path, Fields& query) {
  auto q = target.find('?');
  auto raw_path = target.substr(0, q);
  if (raw_path.empty() || raw_path.front() != '/') {
    throw Error(ErrorKind::bad_request, "The request target must be an absolute path");
  }
  auto decoded = percent_decode(raw_path, false);
  if (!decoded) throw Error(ErrorKind::bad_request, "The request path has a malformed percent escape");
  if (!valid_utf8(*decoded)) throw Error(ErrorKind::bad_request, "The request path is not valid UTF-8");
  path = std::move(*decoded);
  query.clear();
  if (q == std::string_view::npos) return;
  parse_query_string(target.substr(q + 1), query);
}

void parse_query_string(std::string_view rest, Fields& query) {
  while (!rest.empty()) {
    auto amp = rest.find('&');
    auto pair = rest.substr(0, amp);
    rest = amp == std::string_view::npos ? std::string_view{} : rest.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    auto key = percent_decode(pair.substr(0, eq), true);
    auto value = percent_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), true);
    if (!key || !value) throw Error(ErrorKind::bad_request, "The query string has a malformed percent escape");
    if (!valid_utf8(*key) || !valid_utf8(*value)) {
      throw Error(ErrorKind::bad_request, "The query string or form is not valid UTF-8");
    }
    query.emplace_back(std::move(*key), std::move(*value));
  }
}

}  // namespace agora::http
