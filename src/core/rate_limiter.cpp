#include "agora/core/rate_limiter.hpp"

#include <algorithm>

namespace agora {

int RateLimiter::hit(const std::string& key, int limit, std::chrono::seconds window, Clock::time_point now) {
  std::lock_guard lock(mutex_);
  auto it = windows_.find(key);
  if (it == windows_.end()) {
    if (windows_.size() >= max_keys_) make_room(now, window);
    it = windows_.emplace(key, Window{now, 0}).first;
  } else if (now - it->second.start >= window) {
    it->second = Window{now, 0};
  }
  if (it->second.count >= limit) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(it->second.start + window - now).count();
    return static_cast<int>(std::max<long long>(1, left + 1));
  }
  ++it->second.count;
  return 0;
}

void RateLimiter::reset(const std::string& key) {
  std::lock_guard lock(mutex_);
  windows_.erase(key);
}

void RateLimiter::make_room(Clock::time_point now, std::chrono::seconds window) {
  for (auto it = windows_.begin(); it != windows_.end();) {
    it = now - it->second.start >= window ? windows_.erase(it) : std::next(it);
  }
  while (windows_.size() >= max_keys_) {
    auto oldest = std::min_element(windows_.begin(), windows_.end(),
                                   [](auto& a, auto& b) { return a.second.start < b.second.start; });
    windows_.erase(oldest);
  }
}

}  // namespace agora
