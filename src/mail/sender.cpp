#include "agora/mail/sender.hpp"

#include <algorithm>
#include <curl/curl.h>
#include <spdlog/spdlog.h>

#include "agora/core/config.hpp"
#include "agora/core/metrics.hpp"
#include "agora/core/time_format.hpp"
#include "agora/mail/message.hpp"
#include "agora/mail/smtp.hpp"
#include "agora/store/outbox_store.hpp"

namespace agora::mail {
namespace {
constexpr int batch_size = 20;
constexpr int lease_seconds = 300;  // a crashed sender's rows are picked up again after this
}  // namespace

Sender::Sender(store::OutboxStore& outbox, const ConfigHolder& config, Metrics& metrics, Logger log)
    : outbox_(outbox), config_(config), metrics_(metrics), log_(std::move(log)) {
  // Process-wide libcurl set-up; thread-safe and idempotent in the curl Debian 12 ships.
  curl_global_init(CURL_GLOBAL_DEFAULT);
}

Sender::~Sender() { stop(); }

int Sender::backoff_seconds(int attempts) {
  const int shift = std::clamp(attempts - 1, 0, 7);
  return std::min(3600, 30 << shift);
}

void Sender::start() {
  std::lock_guard lock(mutex_);
  if (thread_.joinable()) return;
  stopping_ = false;
  thread_ = std::thread([this] { run(); });
}

void Sender::stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  cv_.notify_all();
  if (thread_.joinable()) thread_.join();
}

void Sender::wake() {
  {
    std::lock_guard lock(mutex_);
    woken_ = true;
  }
  cv_.notify_all();
}

int Sender::drain_once() {
  const auto config = config_.get();
  if (!config->mail.enabled) return 0;
  int delivered = 0;
  for (;;) {
    // The lease outlasts the slowest possible batch, so no other sender re-sends a message.
    const int lease = std::max(lease_seconds, 2 * batch_size * (config->mail.timeout_ms / 1000 + 1));
    auto batch = outbox_.claim(batch_size, lease);
    for (const auto& m : batch) {
      const auto text = format_message(config->mail.from, m.to, m.subject, m.body, now_micros() / 1'000'000,
                                       std::to_string(m.id) + "." + std::to_string(now_micros()) + "@agora");
      std::string failure;
      try {
        send_smtp(config->mail, m.to, text);
      } catch (const std::runtime_error& e) {
        failure = e.what();
      }
      // Only the SMTP call decides: a database error below is not a failed delivery.
      if (failure.empty()) {
        outbox_.mark_sent(m.id);
        ++metrics_.mail_sent;
        ++delivered;
        continue;
      }
      ++metrics_.mail_failed;
      const bool give_up = m.attempts >= config->mail.max_attempts;
      outbox_.mark_failed(m.id, failure, backoff_seconds(m.attempts), give_up);
      log_->warn("mail {}: attempt {} failed{}: {}", m.id, m.attempts, give_up ? ", giving up" : "", failure);
    }
    if (batch.size() < static_cast<std::size_t>(batch_size)) return delivered;
  }
}

void Sender::run() {
  for (;;) {
    try {
      drain_once();
    } catch (const std::exception& e) {
      log_->warn("mail sender: {}", e.what());  // database trouble: try again next round
    }
    std::unique_lock lock(mutex_);
    const auto wait = std::chrono::milliseconds(config_.get()->mail.poll_interval_ms);
    cv_.wait_for(lock, wait, [this] { return stopping_ || woken_; });
    if (stopping_) return;
    woken_ = false;
  }
}

}  // namespace agora::mail
