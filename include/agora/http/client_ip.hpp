#pragma once
// The client's address (conventions.md §3.4): forwarding headers are believed only when
// the socket peer is a configured proxy (nginx); otherwise the peer address is the client.

#include <set>
#include <string>

#include "agora/http/request.hpp"

namespace agora::http {

/// CF-Connecting-IP, else the left-most X-Forwarded-For entry, when peer is trusted; else peer.
std::string client_ip(const std::string& peer, const Request& request, const std::set<std::string>& trusted_proxies);

}  // namespace agora::http
