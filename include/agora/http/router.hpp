#pragma once
// A static trie of path segments built once at start-up: no regex per request.
// Patterns look like `/api/v1/sites/{siteId:id}`; parameter kinds are
//   id    [0-9]+ that fits int64 (an overflow is a 400 naming the parameter)
//   host  [0-9a-zA-Z.-]+
//   alnum [0-9a-zA-Z]+
//   file  [0-9a-zA-Z]+ optionally followed by .{extension}
// Paths match exactly: no trailing slash, no prefix match.

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "agora/http/request.hpp"

namespace agora::http {

/// Which hosts a route answers on (conventions.md §2.3).
enum class HostScope { any, root, site, root_and_site };

struct RouteMatch {
  std::vector<int> routes;  // candidate route ids for the path, in registration order
  PathParams params;
};

class Router {
 public:
  Router();
  ~Router();
  Router(Router&&) noexcept;
  Router& operator=(Router&&) noexcept;

  /// Registers a pattern and returns its route id. Throws std::invalid_argument on a bad pattern.
  int add(std::string_view pattern);

  /// Matches a decoded path. No match: empty routes. Throws Error{bad_request} when an id
  /// parameter does not fit in int64.
  RouteMatch match(std::string_view path) const;

  const std::string& pattern(int route) const { return patterns_.at(static_cast<std::size_t>(route)); }

 private:
  struct Node;
  std::unique_ptr<Node> root_;
  std::vector<std::string> patterns_;
};

}  // namespace agora::http
