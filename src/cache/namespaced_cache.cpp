#include "agora/cache/namespaced_cache.hpp"

namespace agora::cache {

std::unordered_map<std::string, std::string> NamespacedCache::get_many(const std::vector<std::string>& keys) {
  std::vector<std::string> full;
  full.reserve(keys.size());
  for (auto& k : keys) full.push_back(prefix_ + k);
  std::unordered_map<std::string, std::string> out;
  for (auto& [k, v] : inner_->get_many(full)) out.emplace(k.substr(prefix_.size()), std::move(v));
  return out;
}

}  // namespace agora::cache
