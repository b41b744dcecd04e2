#pragma once
// The HTTP/1.1 server (Boost.Beast): I/O threads parse, apply limits and timeouts and
// write; handlers run on a separate worker pool so a blocking handler never stalls I/O.
// Beast types stay in src/http/server.cpp.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "agora/core/log.hpp"
#include "agora/http/envelope.hpp"
#include "agora/http/request.hpp"

namespace agora {
class Metrics;
class ConfigHolder;
}  // namespace agora

namespace agora::http {

/// One request/response as it passes through the worker pool.
struct Exchange {
  Request request;
  WireResponse response;
  std::string route;  // route pattern for metrics; "unmatched" when none
  bool admin_listener = false;
  std::chrono::steady_clock::time_point deadline;  // past it, the dispatcher answers 503
};

using Handler = std::function<void(Exchange&)>;
/// Whether the handler will answer this request without blocking (no database, no cache):
/// such requests are handled on the I/O thread instead of hopping to a worker and back.
using InlineProbe = std::function<bool(Exchange&)>;

struct ServerOptions {
  std::string listen;        // host:port; port 0 picks a free one
  std::string admin_listen;  // empty: none
  int io_threads = 1;
  int worker_threads = 4;
  std::size_t max_body_bytes = 1 << 20;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};
  std::chrono::milliseconds request_timeout{30'000};
  std::chrono::milliseconds idle_timeout{60'000};
  std::vector<std::string> trusted_proxies;
};

class Server {
 public:
  Server(ServerOptions options, Handler handler, Metrics& metrics, const ConfigHolder& config, Logger log,
         InlineProbe runs_inline = {});
  ~Server();
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds the listeners and starts the I/O and worker threads. Throws on bind failure.
  void start();
  unsigned short port() const;
  unsigned short admin_port() const;

  /// Graceful stop: stop accepting, close idle keep-alive connections, let in-flight
  /// requests finish for at most `drain`, then close everything and join the threads.
  void stop(std::chrono::milliseconds drain);

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agora::http
