#include "agora/cache/read_through.hpp"

namespace agora::cache {

std::optional<std::string> read_through(Cache& cache, const std::string& key, std::chrono::seconds ttl,
                                        const std::function<std::optional<std::string>()>& load) {
  if (auto hit = cache.get(key)) return hit;
  auto loaded = load();
  if (loaded) cache.set(key, *loaded, ttl);
  return loaded;
}

std::unordered_map<std::string, std::string> read_through_many(
    Cache& cache, const std::vector<std::string>& keys, std::chrono::seconds ttl,
    const std::function<std::unordered_map<std::string, std::string>(const std::vector<std::string>&)>& load) {
  auto found = cache.get_many(keys);
  std::vector<std::string> missing;
  for (auto& k : keys) {
    if (!found.count(k)) missing.push_back(k);
  }
  if (missing.empty()) return found;
  for (auto& [k, v] : load(missing)) {
    cache.set(k, v, ttl);
    found.emplace(k, std::move(v));
  }
  return found;
}

}  // namespace agora::cache
