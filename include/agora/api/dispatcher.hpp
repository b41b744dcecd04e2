#pragma once
// Runs one request on a worker thread: routing, Host -> site, OPTIONS/HEAD/405, the
// handler, and the single place where exceptions become error envelopes.

#include "agora/api/route_table.hpp"
#include "agora/core/log.hpp"
#include "agora/http/server.hpp"

namespace agora {
class ConfigHolder;
}
namespace agora::store {
class SiteStore;
}

namespace agora::api {

class Authenticator;

class Dispatcher {
 public:
  Dispatcher(const RouteTable& routes, store::SiteStore& sites, const Authenticator& authenticator,
             const ConfigHolder& config, Logger log)
      : routes_(routes), sites_(sites), authenticator_(authenticator), config_(config), log_(std::move(log)) {}

  void operator()(http::Exchange& exchange) const;
  /// True when answering needs no blocking call: unknown paths (404 before any Host lookup)
  /// and routes marked never_blocks. The server then skips the hop to a worker thread.
  bool never_blocks(http::Exchange& exchange) const;

 private:
  http::Response dispatch(http::Exchange& exchange, Context& ctx) const;
  void add_common_headers(const http::Request& request, const Context& ctx, http::Response& response) const;

  const RouteTable& routes_;
  store::SiteStore& sites_;
  const Authenticator& authenticator_;
  const ConfigHolder& config_;
  Logger log_;
};

}  // namespace agora::api
