#pragma once
// Read-through helpers: ask the cache, load what is missing in one go, write it back.

#include <functional>

#include "agora/cache/cache.hpp"

namespace agora::cache {

/// Returns the cached value for key, or loads it (nullopt = does not exist, not cached).
std::optional<std::string> read_through(Cache& cache, const std::string& key, std::chrono::seconds ttl,
                                        const std::function<std::optional<std::string>()>& load);

/// Multi-key form: one multi-get, then one call of load with every missing key.
/// load returns the values it found, keyed like its input; those are written back.
std::unordered_map<std::string, std::string> read_through_many(
    Cache& cache, const std::vector<std::string>& keys, std::chrono::seconds ttl,
    const std::function<std::unordered_map<std::string, std::string>(const std::vector<std::string>&)>& load);

}  // namespace agora::cache
