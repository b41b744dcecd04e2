#pragma once
// Process metrics in Prometheus text format: requests by route and status, latency
// histogram, database pool, cache. Updated lock-free where hot, rendered on demand.

#include <array>
#include <atomic>
#include <cstdint>
#include <map>
#include <mutex>
#include <string>
#include <string_view>
#include <tuple>

namespace agora {

class Metrics {
 public:
  /// Upper bounds (seconds) of the request latency histogram buckets.
  static constexpr std::array<double, 12> latency_buckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025,
                                                             0.05,   0.1,   0.25,   0.5,   1.0,  5.0};

  void record_request(const std::string& route, const std::string& method, int status, double seconds);

  std::atomic<std::int64_t> db_in_use{0};
  std::atomic<std::int64_t> db_size{0};
  std::atomic<std::uint64_t> db_waits{0};          // acquisitions that had to wait
  std::atomic<std::uint64_t> db_timeouts{0};       // acquisitions that gave up (503)
  std::atomic<std::uint64_t> db_reconnects{0};
  std::atomic<std::uint64_t> db_transactions{0};   // database round trips of store calls (one transaction each)
  std::atomic<std::uint64_t> cache_hits{0};
  std::atomic<std::uint64_t> cache_misses{0};
  std::atomic<std::uint64_t> cache_errors{0};
  std::atomic<std::uint64_t> fragment_hits{0};    // JSON fragments reused from the in-process memo
  std::atomic<std::uint64_t> fragment_misses{0};
  std::atomic<std::uint64_t> jobs_run{0};
  std::atomic<std::uint64_t> jobs_failed{0};
  std::atomic<std::uint64_t> mail_sent{0};
  std::atomic<std::uint64_t> mail_failed{0};  // attempts that failed (each is retried or given up)

  /// Cache lookups by item kind (the `{kind}` of `v2:{kind}:…` keys); unknown kinds count as "other".
  void count_cache_lookups(std::string_view key, std::uint64_t hits, std::uint64_t misses);

  std::string render_prometheus() const;

 private:
  struct Histogram {
    std::array<std::uint64_t, latency_buckets.size()> counts{};
    std::uint64_t count = 0;
    double sum = 0;
  };
  static constexpr std::array<std::string_view, 14> cache_kinds = {
      "site", "sub", "dom", "prof", "su", "tok", "ban", "micro", "mroles", "prole", "attr", "conv", "comment", "other"};
  std::array<std::atomic<std::uint64_t>, cache_kinds.size()> cache_kind_hits_{};
  std::array<std::atomic<std::uint64_t>, cache_kinds.size()> cache_kind_misses_{};
  mutable std::mutex mutex_;
  std::map<std::tuple<std::string, std::string, int>, std::uint64_t> requests_;
  std::map<std::string, Histogram> latency_;
};

}  // namespace agora
