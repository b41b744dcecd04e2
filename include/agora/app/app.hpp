#pragma once
// The composition root: builds every object from a Config and wires them together.
// main.cpp uses it for `serve`; the API tests start it in-process.

#include <chrono>
#include <functional>
#include <memory>
#include <string>

#include "agora/core/config.hpp"
#include "agora/core/log.hpp"

namespace agora::api {
class RouteTable;
}
namespace agora::db {
class Pool;
}

namespace agora {

class App {
 public:
  /// Extra routes (tests add slow or failing handlers to exercise the server).
  using RouteHook = std::function<void(api::RouteTable&, db::Pool&)>;

  App(Config config, Logger log, RouteHook extra_routes = {});
  ~App();

  /// Refuses an unmigrated database, then binds and starts serving and scheduling.
  void start();
  /// Graceful stop: finish in-flight requests for at most the configured drain time.
  void stop();

  unsigned short port() const;
  unsigned short admin_port() const;

  /// Runs one tick of a scheduled job now (tests, operators); false if another node ran it.
  bool run_job_now(const std::string& name);

  /// Applies a new configuration: live keys now, restart-only keys logged.
  void reload(Config next);
  std::shared_ptr<const Config> config() const;

 private:
  struct Parts;
  std::unique_ptr<Parts> parts_;
};

}  // namespace agora
