#pragma once
// The cache a configuration asks for: memcached or the in-process LRU, behind the key namespace.

#include <memory>

#include "agora/cache/cache.hpp"
#include "agora/core/log.hpp"

namespace agora {
struct CacheConfig;
class Metrics;
}  // namespace agora

namespace agora::cache {

std::unique_ptr<Cache> make_cache(const CacheConfig& config, Metrics& metrics, const Logger& log);

}  // namespace agora::cache
