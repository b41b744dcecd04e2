#pragma once
// Fixed-window counters per key (an IP address, an e-mail), in process memory. Bounded:
// when full, expired windows are swept and, if still full, the oldest keys dropped, so a
// flood of distinct keys cannot grow memory without limit. In a cluster each node counts
// on its own, so the effective limit is the per-node limit times the node count.

#include <chrono>
#include <cstddef>
#include <mutex>
#include <string>
#include <unordered_map>

namespace agora {

class RateLimiter {
 public:
  using Clock = std::chrono::steady_clock;

  explicit RateLimiter(std::size_t max_keys = 100'000) : max_keys_(max_keys) {}

  /// Counts one attempt for key. Returns 0 when allowed, else the whole seconds until the
  /// key's window ends (for Retry-After).
  int hit(const std::string& key, int limit, std::chrono::seconds window, Clock::time_point now = Clock::now());

  /// Forgets a key (e.g. after a successful login).
  void reset(const std::string& key);

 private:
  struct Window {
    Clock::time_point start;
    int count = 0;
  };
  void make_room(Clock::time_point now, std::chrono::seconds window);

  std::size_t max_keys_;
  std::mutex mutex_;
  std::unordered_map<std::string, Window> windows_;
};

}  // namespace agora
