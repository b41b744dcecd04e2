#pragma once
// memcached backend (libmemcached): several servers on a consistent-hash ring, short
// timeouts, one libmemcached handle per concurrent caller (handles are not thread-safe).

#include <atomic>
#include <mutex>

#include "agora/cache/cache.hpp"
#include "agora/core/config.hpp"
#include "agora/core/log.hpp"

struct memcached_st;

namespace agora {
class Metrics;
}

namespace agora::cache {

class MemcachedCache final : public Cache {
 public:
  MemcachedCache(const CacheConfig& config, Metrics& metrics, Logger log);
  ~MemcachedCache() override;
  MemcachedCache(const MemcachedCache&) = delete;
  MemcachedCache& operator=(const MemcachedCache&) = delete;

  std::optional<std::string> get(const std::string& key) override;
  std::unordered_map<std::string, std::string> get_many(const std::vector<std::string>& keys) override;
  void set(const std::string& key, std::string_view value, std::chrono::seconds ttl) override;
  void remove(const std::string& key) override;
  bool ping() override;

 private:
  class Handle;
  Handle checkout();
  void checkin(memcached_st* handle);
  void failed(const char* op, const char* what);

  memcached_st* prototype_;
  Metrics& metrics_;
  Logger log_;
  std::mutex mutex_;
  std::vector<memcached_st*> idle_;
  std::atomic<std::int64_t> last_error_log_{0};
};

}  // namespace agora::cache
