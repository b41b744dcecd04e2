#include "agora/core/metrics.hpp"

#include <sstream>

namespace agora {

void Metrics::record_request(const std::string& route, const std::string& method, int status, double seconds) {
  std::lock_guard lock(mutex_);
  ++requests_[{route, method, status}];
  auto& h = latency_[route];
  for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
    if (seconds <= latency_buckets[i]) ++h.counts[i];
  }
  ++h.count;
  h.sum += seconds;
}

void Metrics::count_cache_lookups(std::string_view key, std::uint64_t hits, std::uint64_t misses) {
  // Keys are `v1:{kind}:{id}`; the kind is the second segment.
  auto first = key.find(':');
  auto kind = first == std::string_view::npos ? std::string_view() : key.substr(first + 1);
  kind = kind.substr(0, kind.find(':'));
  std::size_t i = 0;
  while (i + 1 < cache_kinds.size() && cache_kinds[i] != kind) ++i;  // the last one, "other", when unknown
  cache_kind_hits_[i] += hits;
  cache_kind_misses_[i] += misses;
}

std::string Metrics::render_prometheus() const {
  std::ostringstream out;
  out << "# HELP agora_build_info Build information.\n# TYPE agora_build_info gauge\n"
      << "agora_build_info{version=\"" << AGORA_VERSION << "\"} 1\n";
  {
    std::lock_guard lock(mutex_);
    out << "# HELP agora_http_requests_total Requests by route, method and status.\n"
        << "# TYPE agora_http_requests_total counter\n";
    for (auto& [key, n] : requests_) {
      auto& [route, method, status] = key;
      out << "agora_http_requests_total{route=\"" << route << "\",method=\"" << method << "\",status=\""
          << status << "\"} " << n << "\n";
    }
    out << "# HELP agora_http_request_duration_seconds Request latency by route.\n"
        << "# TYPE agora_http_request_duration_seconds histogram\n";
    for (auto& [route, h] : latency_) {
      for (std::size_t i = 0; i < latency_buckets.size(); ++i) {
        out << "agora_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"" << latency_buckets[i]
            << "\"} " << h.counts[i] << "\n";
      }
      out << "agora_http_request_duration_seconds_bucket{route=\"" << route << "\",le=\"+Inf\"} " << h.count << "\n"
          << "agora_http_request_duration_seconds_sum{route=\"" << route << "\"} " << h.sum << "\n"
          << "agora_http_request_duration_seconds_count{route=\"" << route << "\"} " << h.count << "\n";
    }
  }
  auto gauge = [&](const char* name, const char* help, const char* type, auto value) {
    out << "# HELP " << name << " " << help << "\n# TYPE " << name << " " << type << "\n"
        << name << " " << value << "\n";
  };
  gauge("agora_db_pool_in_use", "Database connections checked out.", "gauge", db_in_use.load());
  gauge("agora_db_pool_size", "Database pool size.", "gauge", db_size.load());
  gauge("agora_db_pool_waits_total", "Connection acquisitions that waited.", "counter", db_waits.load());
  gauge("agora_db_pool_timeouts_total", "Connection acquisitions that timed out.", "counter", db_timeouts.load());
  gauge("agora_db_reconnects_total", "Database connections (re)opened.", "counter", db_reconnects.load());
  out << "# HELP agora_cache_lookups_total Cache lookups by item kind and result.\n"
      << "# TYPE agora_cache_lookups_total counter\n";
  for (std::size_t i = 0; i < cache_kinds.size(); ++i) {
    const auto hits = cache_kind_hits_[i].load(), misses = cache_kind_misses_[i].load();
    if (hits + misses == 0) continue;
    out << "agora_cache_lookups_total{kind=\"" << cache_kinds[i] << "\",result=\"hit\"} " << hits << "\n"
        << "agora_cache_lookups_total{kind=\"" << cache_kinds[i] << "\",result=\"miss\"} " << misses << "\n";
  }
  gauge("agora_db_transactions_total", "Store calls that reached the database (one transaction each).", "counter",
        db_transactions.load());
  gauge("agora_cache_hits_total", "Cache hits.", "counter", cache_hits.load());
  gauge("agora_cache_misses_total", "Cache misses.", "counter", cache_misses.load());
  gauge("agora_cache_errors_total", "Cache backend errors (treated as misses).", "counter", cache_errors.load());
  gauge("agora_fragment_hits_total", "JSON fragments reused from the in-process memo (their inputs unchanged).",
        "counter", fragment_hits.load());
  gauge("agora_fragment_misses_total", "JSON fragments written because none was kept for their inputs.", "counter",
        fragment_misses.load());
  gauge("agora_jobs_run_total", "Scheduled job runs.", "counter", jobs_run.load());
  gauge("agora_jobs_failed_total", "Scheduled job runs that failed.", "counter", jobs_failed.load());
  gauge("agora_mail_sent_total", "Messages delivered to the SMTP server.", "counter", mail_sent.load());
  gauge("agora_mail_failed_total", "Delivery attempts that failed.", "counter", mail_failed.load());
  return out.str();
}

}  // namespace agora
