#pragma once
// The item cache. Backends: memcached (shared by all nodes) and an in-process LRU.
// A backend failure is counted, logged and reported as a miss: the cache can make
// Agora faster, never make a request fail.

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace agora::cache {

class Cache {
 public:
  virtual ~Cache() = default;

  virtual std::optional<std::string> get(const std::string& key) = 0;
  /// One round trip for many keys; only hits are in the result.
  virtual std::unordered_map<std::string, std::string> get_many(const std::vector<std::string>& keys) = 0;
  virtual void set(const std::string& key, std::string_view value, std::chrono::seconds ttl) = 0;
  virtual void remove(const std::string& key) = 0;
  /// True when the backend answers (for /readyz).
  virtual bool ping() = 0;
};

}  // namespace agora::cache
