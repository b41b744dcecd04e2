#include "agora/http/router.hpp"

#include <charconv>
#include <map>
#include <stdexcept>

#include "agora/core/error.hpp"

namespace agora::http {
namespace {

enum class ParamKind { id, host, alnum, key, file };

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alnum(char c) { return is_digit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

bool accepts(ParamKind kind, std::string_view s) {
  if (s.empty()) return false;
  switch (kind) {
    case ParamKind::id:
      for (char c : s) if (!is_digit(c)) return false;
      return true;
    case ParamKind::host:
      for (char c : s) if (!is_alnum(c) && c != '.' && c != '-') return false;
      return true;
    case ParamKind::alnum:
      for (char c : s) if (!is_alnum(c)) return false;
      return true;
    case ParamKind::key:  // attribute keys: [0-9a-zA-Z_-]+
      for (char c : s) if (!is_alnum(c) && c != '_' && c != '-') return false;
      return s.size() <= 100;
    case ParamKind::file: {
      auto dot = s.find('.');
      auto hash = s.substr(0, dot);
      if (hash.empty()) return false;
      for (char c : hash) if (!is_alnum(c)) return false;
      if (dot == std::string_view::npos) return true;
      auto ext = s.substr(dot + 1);
      if (ext.empty()) return false;
      for (char c : ext) if (!is_alnum(c)) return false;
      return true;
    }
  }
  return false;
}

std::vector<std::string_view> split(std::string_view path) {
  std::vector<std::string_view> parts;
  if (path == "/") return parts;
  std::size_t start = 1;
  while (true) {
    auto slash = path.find('/', start);
    parts.push_back(path.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  return parts;
}

}  // namespace

struct Router::Node {
  std::map<std::string, std::unique_ptr<Node>, std::less<>> literal;
  struct Param {
    std::string name;
    ParamKind kind;
    std::unique_ptr<Node> next;
  };
  std::vector<Param> params;
  std::vector<int> routes;
};

Router::Router() : root_(std::make_unique<Node>()) {}
Router::~Router() = default;
Router::Router(Router&&) noexcept = default;
Router& Router::operator=(Router&&) noexcept = default;

int Router::add(std::string_view pattern) {
  if (pattern.empty() || pattern.front() != '/') throw std::invalid_argument("route must start with /");
  Node* node = root_.get();
  for (auto seg : split(pattern)) {
    if (seg.empty()) throw std::invalid_argument("empty segment in route " + std::string(pattern));
    if (seg.front() == '{') {
      auto colon = seg.find(':');
      if (seg.back() != '}' || colon == std::string_view::npos) {
        throw std::invalid_argument("bad parameter in route " + std::string(pattern));
      }
      std::string name(seg.substr(1, colon - 1));
      auto kind_name = seg.substr(colon + 1, seg.size() - colon - 2);
      ParamKind kind;
      if (kind_name == "id") kind = ParamKind::id;
      else if (kind_name == "host") kind = ParamKind::host;
      else if (kind_name == "alnum") kind = ParamKind::alnum;
      else if (kind_name == "key") kind = ParamKind::key;
      else if (kind_name == "file") kind = ParamKind::file;
      else throw std::invalid_argument("unknown parameter kind in route " + std::string(pattern));
      Node* next = nullptr;
      for (auto& p : node->params) {
        if (p.name == name && p.kind == kind) next = p.next.get();
      }
      if (!next) {
        node->params.push_back({name, kind, std::make_unique<Node>()});
        next = node->params.back().next.get();
      }
      node = next;
    } else {
      auto& child = node->literal[std::string(seg)];
      if (!child) child = std::make_unique<Node>();
      node = child.get();
    }
  }
  int id = static_cast<int>(patterns_.size());
  patterns_.emplace_back(pattern);
  node->routes.push_back(id);
  return id;
}

RouteMatch Router::match(std::string_view path) const {
  RouteMatch result;
  if (path.empty() || path.front() != '/') return result;
  auto segments = split(path);
  // Depth-first: literals before parameters, so /sites/menu beats /sites/{id}.
  std::vector<std::pair<std::string, std::string>> bound;
  auto walk = [&](auto&& self, const Node* node, std::size_t depth) -> bool {
    if (depth == segments.size()) {
      if (node->routes.empty()) return false;
      result.routes = node->routes;
      return true;
    }
    auto seg = segments[depth];
    if (seg.empty()) return false;
    if (auto it = node->literal.find(seg); it != node->literal.end()) {
      if (self(self, it->second.get(), depth + 1)) return true;
    }
    for (auto& p : node->params) {
      if (!accepts(p.kind, seg)) continue;
      bound.emplace_back(p.name, std::string(seg));
      if (self(self, p.next.get(), depth + 1)) {
        if (p.kind == ParamKind::id) {
          std::int64_t value;
          auto [ptr, ec] = std::from_chars(seg.data(), seg.data() + seg.size(), value);
          if (ec != std::errc()) {
            throw Error(ErrorKind::bad_request,
                        "The supplied " + p.name + " ('" + std::string(seg) + "') is not a number");
          }
        }
        return true;
      }
      bound.pop_back();
    }
    return false;
  };
  if (walk(walk, root_.get(), 0)) result.params.values = std::move(bound);
  return result;
}

}  // namespace agora::http
