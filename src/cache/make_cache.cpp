#include "agora/cache/make_cache.hpp"

#include "agora/cache/lru_cache.hpp"
#include "agora/cache/memcached_cache.hpp"
#include "agora/cache/namespaced_cache.hpp"
#include "agora/core/config.hpp"

namespace agora::cache {

std::unique_ptr<Cache> make_cache(const CacheConfig& c, Metrics& metrics, const Logger& log) {
  std::unique_ptr<Cache> backend;
  if (c.backend == "memcached") {
    backend = std::make_unique<MemcachedCache>(c, metrics, log);
  } else {
    backend = std::make_unique<LruCache>(c.memory_max_items, metrics);
  }
  return std::make_unique<NamespacedCache>(c.key_namespace, std::move(backend), metrics);
}

}  // namespace agora::cache
