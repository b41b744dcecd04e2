#include "agora/cache/lru_cache.hpp"

#include "agora/core/metrics.hpp"

namespace agora::cache {

std::optional<std::string> LruCache::lookup_locked(const std::string& key, Clock::time_point now) {
  auto it = index_.find(key);
  if (it == index_.end()) {
    ++metrics_.cache_misses;
    return std::nullopt;
  }
  if (it->second->expires <= now) {
    order_.erase(it->second);
    index_.erase(it);
    ++metrics_.cache_misses;
    return std::nullopt;
  }
  order_.splice(order_.begin(), order_, it->second);
  ++metrics_.cache_hits;
  return it->second->value;
}

std::optional<std::string> LruCache::get(const std::string& key) {
  std::lock_guard lock(mutex_);
  return lookup_locked(key, Clock::now());
}

std::unordered_map<std::string, std::string> LruCache::get_many(const std::vector<std::string>& keys) {
  std::unordered_map<std::string, std::string> found;
  const auto now = Clock::now();
  std::lock_guard lock(mutex_);
  for (auto& k : keys) {
    if (auto v = lookup_locked(k, now)) found.emplace(k, std::move(*v));
  }
  return found;
}

void LruCache::set(const std::string& key, std::string_view value, std::chrono::seconds ttl) {
  const auto expires = Clock::now() + ttl;
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    it->second->value.assign(value);
    it->second->expires = expires;
    order_.splice(order_.begin(), order_, it->second);
    return;
  }
  order_.push_front(Entry{key, std::string(value), expires});
  index_[key] = order_.begin();
  while (order_.size() > max_items_) {
    index_.erase(order_.back().key);
    order_.pop_back();
  }
}

void LruCache::remove(const std::string& key) {
  std::lock_guard lock(mutex_);
  if (auto it = index_.find(key); it != index_.end()) {
    order_.erase(it->second);
    index_.erase(it);
  }
}

std::size_t LruCache::size() const {
  std::lock_guard lock(mutex_);
  return order_.size();
}

}  // namespace agora::cache
