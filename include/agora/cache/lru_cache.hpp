#pragma once
// In-process cache: bounded LRU with per-entry expiry. For a single node without memcached.

#include <list>
#include <mutex>

#include "agora/cache/cache.hpp"

namespace agora {
class Metrics;
}

namespace agora::cache {

class LruCache final : public Cache {
 public:
  LruCache(std::size_t max_items, Metrics& metrics) : max_items_(max_items), metrics_(metrics) {}

  std::optional<std::string> get(const std::string& key) override;
  std::unordered_map<std::string, std::string> get_many(const std::vector<std::string>& keys) override;
  void set(const std::string& key, std::string_view value, std::chrono::seconds ttl) override;
  void remove(const std::string& key) override;
  bool ping() override { return true; }

  std::size_t size() const;

 private:
  using Clock = std::chrono::steady_clock;
  struct Entry {
    std::string key;
    std::string value;
    Clock::time_point expires;
  };
  std::optional<std::string> lookup_locked(const std::string& key, Clock::time_point now);

  std::size_t max_items_;
  Metrics& metrics_;
  mutable std::mutex mutex_;
  std::list<Entry> order_;  // most recently used first
  std::unordered_map<std::string, std::list<Entry>::iterator> index_;
};

}  // namespace agora::cache
