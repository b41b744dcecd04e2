#include "agora/cache/memcached_cache.hpp"

#include <libmemcached/memcached.h>
#include <spdlog/spdlog.h>

#include "agora/core/error.hpp"
#include "agora/core/metrics.hpp"

namespace agora::cache {
namespace {
// After a failure a server is skipped this long, so a dead memcached costs one timeout
// per interval instead of one per request.
constexpr int retry_after_failure_seconds = 2;
// Failure logs are rate-limited to one per this many seconds.
constexpr std::int64_t error_log_interval_seconds = 10;
}  // namespace

/// RAII checkout of one libmemcached handle.
class MemcachedCache::Handle {
 public:
  Handle(MemcachedCache& owner, memcached_st* h) : owner_(owner), h_(h) {}
  Handle(const Handle&) = delete;
  ~Handle() { owner_.checkin(h_); }
  memcached_st* get() const { return h_; }

 private:
  MemcachedCache& owner_;
  memcached_st* h_;
};

MemcachedCache::MemcachedCache(const CacheConfig& config, Metrics& metrics, Logger log)
    : prototype_(memcached_create(nullptr)), metrics_(metrics), log_(std::move(log)) {
  if (!prototype_) throw std::runtime_error("memcached_create failed");
  for (auto& server : config.servers) {
    auto colon = server.rfind(':');
    auto host = server.substr(0, colon);
    auto port = static_cast<in_port_t>(std::stoi(server.substr(colon + 1)));
    if (memcached_server_add(prototype_, host.c_str(), port) != MEMCACHED_SUCCESS) {
      memcached_free(prototype_);
      throw Error(ErrorKind::bad_request, "[cache].servers: cannot use " + server);
    }
  }
  const auto timeout_ms = static_cast<std::uint64_t>(config.timeout_ms);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_DISTRIBUTION, MEMCACHED_DISTRIBUTION_CONSISTENT);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_NO_BLOCK, 1);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_TCP_NODELAY, 1);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_CONNECT_TIMEOUT, timeout_ms);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_POLL_TIMEOUT, timeout_ms);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_SND_TIMEOUT, timeout_ms * 1000);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_RCV_TIMEOUT, timeout_ms * 1000);
  memcached_behavior_set(prototype_, MEMCACHED_BEHAVIOR_RETRY_TIMEOUT, retry_after_failure_seconds);
}

MemcachedCache::~MemcachedCache() {
  for (auto* h : idle_) memcached_free(h);
  memcached_free(prototype_);
}

MemcachedCache::Handle MemcachedCache::checkout() {
  {
    std::lock_guard lock(mutex_);
    if (!idle_.empty()) {
      auto* h = idle_.back();
      idle_.pop_back();
      return Handle(*this, h);
    }
  }
  auto* h = memcached_clone(nullptr, prototype_);
  if (!h) throw std::runtime_error("memcached_clone failed");
  return Handle(*this, h);
}

void MemcachedCache::checkin(memcached_st* h) {
  std::lock_guard lock(mutex_);
  idle_.push_back(h);
}

void MemcachedCache::failed(const char* op, const char* what) {
  ++metrics_.cache_errors;
  const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                       std::chrono::steady_clock::now().time_since_epoch()).count();
  auto last = last_error_log_.load();
  if (now - last >= error_log_interval_seconds && last_error_log_.compare_exchange_strong(last, now)) {
    log_->warn("memcached {} failed: {} (treated as a miss; further errors muted for {} s)", op, what,
               error_log_interval_seconds);
  }
}

std::optional<std::string> MemcachedCache::get(const std::string& key) {
  auto h = checkout();
  size_t len = 0;
  uint32_t flags = 0;
  memcached_return_t rc;
  char* value = memcached_get(h.get(), key.data(), key.size(), &len, &flags, &rc);
  // An empty value (a cached "none", such as no ban) comes back as NULL with MEMCACHED_SUCCESS.
  if (value || rc == MEMCACHED_SUCCESS) {
    std::string out = value ? std::string(value, len) : std::string();
    free(value);
    ++metrics_.cache_hits;
    return out;
  }
  if (rc != MEMCACHED_NOTFOUND && rc != MEMCACHED_SUCCESS) failed("get", memcached_strerror(h.get(), rc));
  ++metrics_.cache_misses;
  return std::nullopt;
}

std::unordered_map<std::string, std::string> MemcachedCache::get_many(const std::vector<std::string>& keys) {
  std::unordered_map<std::string, std::string> found;
  if (keys.empty()) return found;
  auto h = checkout();
  std::vector<const char*> ptrs;
  std::vector<size_t> lens;
  for (auto& k : keys) {
    ptrs.push_back(k.data());
    lens.push_back(k.size());
  }
  memcached_return_t rc = memcached_mget(h.get(), ptrs.data(), lens.data(), keys.size());
  if (rc != MEMCACHED_SUCCESS) {
    failed("mget", memcached_strerror(h.get(), rc));
    metrics_.cache_misses += keys.size();
    return found;
  }
  memcached_result_st* result;
  while ((result = memcached_fetch_result(h.get(), nullptr, &rc)) != nullptr) {
    found.emplace(std::string(memcached_result_key_value(result), memcached_result_key_length(result)),
                  std::string(memcached_result_value(result), memcached_result_length(result)));
    memcached_result_free(result);
  }
  if (rc != MEMCACHED_END && rc != MEMCACHED_SUCCESS && rc != MEMCACHED_NOTFOUND) {
    failed("mget", memcached_strerror(h.get(), rc));
  }
  metrics_.cache_hits += found.size();
  metrics_.cache_misses += keys.size() - found.size();
  return found;
}

void MemcachedCache::set(const std::string& key, std::string_view value, std::chrono::seconds ttl) {
  auto h = checkout();
  auto rc = memcached_set(h.get(), key.data(), key.size(), value.data(), value.size(),
                          static_cast<time_t>(ttl.count()), 0);
  if (rc != MEMCACHED_SUCCESS) failed("set", memcached_strerror(h.get(), rc));
}

void MemcachedCache::remove(const std::string& key) {
  auto h = checkout();
  auto rc = memcached_delete(h.get(), key.data(), key.size(), 0);
  if (rc != MEMCACHED_SUCCESS && rc != MEMCACHED_NOTFOUND) failed("delete", memcached_strerror(h.get(), rc));
}

bool MemcachedCache::ping() {
  auto h = checkout();
  // A version round trip to every server; any failure means "not ready".
  auto rc = memcached_version(h.get());
  if (rc != MEMCACHED_SUCCESS) {
    failed("version", memcached_strerror(h.get(), rc));
    return false;
  }
  return true;
}

}  // namespace agora::cache
