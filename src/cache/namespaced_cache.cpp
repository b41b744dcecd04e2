#include "agora/cache/namespaced_cache.hpp"

#include "agora/core/metrics.hpp"

namespace agora::cache {

std::optional<std::string> NamespacedCache::get(const std::string& key) {
  auto v = inner_->get(prefix_ + key);
  metrics_.count_cache_lookups(key, v ? 1 : 0, v ? 0 : 1);
  return v;
}

std::unordered_map<std::string, std::string> NamespacedCache::get_many(const std::vector<std::string>& keys) {
  std::vector<std::string> full;
  full.reserve(keys.size());
  for (auto& k : keys) full.push_back(prefix_ + k);
  std::unordered_map<std::string, std::string> out;
  for (auto& [k, v] : inner_->get_many(full)) out.emplace(k.substr(prefix_.size()), std::move(v));
  if (!keys.empty()) {
    // A multi-get is one kind in practice (a page of comments, of profiles): counted by its first key.
    metrics_.count_cache_lookups(keys.front(), out.size(), keys.size() - out.size());
  }
  return out;
}

}  // namespace agora::cache
