#pragma once
// The outbox sender: a background thread that leases due messages, delivers them over SMTP
// and records the outcome, retrying failures with exponential back-off (30 s, 1 min, 2 min,
// … at most 1 h) until [mail].max_attempts. Nothing is lost while the SMTP server is down:
// the rows wait. wake() makes a newly queued message go out at once.

#include <condition_variable>
#include <mutex>
#include <thread>

#include "agora/core/log.hpp"

namespace agora {
class ConfigHolder;
class Metrics;
}  // namespace agora
namespace agora::store {
class OutboxStore;
}

namespace agora::mail {

class Sender {
 public:
  Sender(store::OutboxStore& outbox, const ConfigHolder& config, Metrics& metrics, Logger log);
  ~Sender();
  Sender(const Sender&) = delete;
  Sender& operator=(const Sender&) = delete;

  void start();
  void stop();
  void wake();
  /// Sends every due message now, on the calling thread; returns how many were delivered.
  int drain_once();

  /// Seconds before retry number `attempts` + 1.
  static int backoff_seconds(int attempts);

 private:
  void run();

  store::OutboxStore& outbox_;
  const ConfigHolder& config_;
  Metrics& metrics_;
  Logger log_;
  std::mutex mutex_;
  std::condition_variable cv_;
  bool stopping_ = false;
  bool woken_ = false;
  std::thread thread_;
};

}  // namespace agora::mail
