#include "agora/http/client_ip.hpp"

namespace agora::http {
namespace {
std::string trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return std::string(s);
}
}  // namespace

std::string client_ip(const std::string& peer, const Request& request, const std::set<std::string>& trusted_proxies) {
  if (!trusted_proxies.count(peer)) return peer;
  if (auto cf = request.header("cf-connecting-ip"); cf && !trim(*cf).empty()) return trim(*cf);
  if (auto xff = request.header("x-forwarded-for")) {
    auto first = trim(xff->substr(0, xff->find(',')));
    if (!first.empty()) return first;
  }
  return peer;
}

}  // namespace agora::http
