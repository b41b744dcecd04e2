#pragma once
// A small blocking HTTP/1.1 client (Beast) for the API tests, plus a raw-bytes helper for
// malformed and slow requests.

#include <chrono>
#include <nlohmann/json.hpp>
#include <string>
#include <utility>
#include <vector>

namespace agora::test {

struct HttpResponse {
  int status = 0;
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;

  /// The header's value, or "" when absent.
  std::string header(const std::string& lower_name) const;
  bool has_header(const std::string& lower_name) const;
  nlohmann::json json() const { return nlohmann::json::parse(body); }
};

using Headers = std::vector<std::pair<std::string, std::string>>;

/// One request on a fresh connection. Host defaults to demo.localhost unless given.
HttpResponse request(unsigned short port, const std::string& method, const std::string& target,
                     const Headers& headers = {}, const std::string& body = "");

/// A request with a bearer token (none when empty) and a JSON body (none when empty).
HttpResponse call(unsigned short port, const std::string& token, const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& host = "demo.localhost");

/// Signs in with a password and returns the access token (a test failure when refused).
std::string password_login(unsigned short port, const std::string& email, const std::string& password,
                           const std::string& host = "demo.localhost");

inline HttpResponse get(unsigned short port, const std::string& target, const std::string& host = "demo.localhost") {
  return request(port, "GET", target, {{"Host", host}});
}

/// Writes raw bytes, then reads until the server closes or `timeout` passes.
/// Returns what was read ("" if nothing) and whether the server closed the connection.
struct RawResult {
  std::string data;
  bool closed_by_server = false;
};
RawResult raw_exchange(unsigned short port, const std::string& bytes,
                       std::chrono::milliseconds timeout = std::chrono::milliseconds(3000));

/// Connects and keeps one connection for several requests (keep-alive, pipelining).
class Connection {
 public:
  explicit Connection(unsigned short port);
  ~Connection();
  HttpResponse send(const std::string& method, const std::string& target, const Headers& headers = {},
                    const std::string& body = "");
  /// Writes raw bytes without reading.
  void write_raw(const std::string& bytes);
  /// Reads one response.
  HttpResponse read();
  /// True when the server has closed the connection (reads EOF within timeout).
  bool closed_within(std::chrono::milliseconds timeout);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace agora::test
