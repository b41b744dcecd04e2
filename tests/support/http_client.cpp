#include "http_client.hpp"

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>
#include <poll.h>

namespace agora::test {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;

std::string HttpResponse::header(const std::string& name) const {
  for (auto& [k, v] : headers) {
    if (k == name) return v;
  }
  return "";
}

bool HttpResponse::has_header(const std::string& name) const {
  for (auto& [k, v] : headers) {
    if (k == name) return true;
  }
  return false;
}

struct Connection::Impl {
  asio::io_context io;
  tcp::socket socket{io};
  beast::flat_buffer buffer;
  std::string last_method;
};

Connection::Connection(unsigned short port) : impl_(std::make_unique<Impl>()) {
  impl_->socket.connect({asio::ip::make_address("127.0.0.1"), port});
}

Connection::~Connection() {
  beast::error_code ec;
  impl_->socket.close(ec);
}

void Connection::write_raw(const std::string& bytes) { asio::write(impl_->socket, asio::buffer(bytes)); }

HttpResponse Connection::read() {
  bhttp::response_parser<bhttp::string_body> parser;
  parser.body_limit(64 * 1024 * 1024);
  if (impl_->last_method == "HEAD") parser.skip(true);
  bhttp::read(impl_->socket, impl_->buffer, parser);
  auto res = parser.release();
  HttpResponse out;
  out.status = static_cast<int>(res.result_int());
  for (auto& f : res.base()) {
    std::string name(f.name_string());
    for (auto& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out.headers.emplace_back(name, std::string(f.value()));
  }
  out.body = std::move(res.body());
  return out;
}

HttpResponse Connection::send(const std::string& method, const std::string& target, const Headers& headers,
                              const std::string& body) {
  bhttp::request<bhttp::string_body> req;
  req.method_string(method);
  req.target(target);
  req.version(11);
  bool has_host = false;
  for (auto& [k, v] : headers) {
    req.set(k, v);
    has_host = has_host || k == "Host";
  }
  if (!has_host) req.set(bhttp::field::host, "demo.localhost");
  req.body() = body;
  if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") req.prepare_payload();
  impl_->last_method = method;
  bhttp::write(impl_->socket, req);
  return read();
}

bool Connection::closed_within(std::chrono::milliseconds timeout) {
  pollfd pfd{impl_->socket.native_handle(), POLLIN, 0};
  if (::poll(&pfd, 1, static_cast<int>(timeout.count())) <= 0) return false;
  char c;
  beast::error_code ec;
  impl_->socket.read_some(asio::buffer(&c, 1), ec);
  return ec == asio::error::eof || ec == asio::error::connection_reset;
}

HttpResponse request(unsigned short port, const std::string& method, const std::string& target,
                     const Headers& headers, const std::string& body) {
  Connection c(port);
  return c.send(method, target, headers, body);
}

RawResult raw_exchange(unsigned short port, const std::string& bytes, std::chrono::milliseconds timeout) {
  asio::io_context io;
  tcp::socket socket(io);
  socket.connect({asio::ip::make_address("127.0.0.1"), port});
  beast::error_code ec;
  asio::write(socket, asio::buffer(bytes), ec);
  RawResult result;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  char buf[4096];
  while (std::chrono::steady_clock::now() < deadline) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    pollfd pfd{socket.native_handle(), POLLIN, 0};
    if (::poll(&pfd, 1, static_cast<int>(std::max<long>(1, left.count()))) <= 0) break;
    auto n = socket.read_some(asio::buffer(buf), ec);
    if (ec) {
      result.closed_by_server = ec == asio::error::eof || ec == asio::error::connection_reset;
      break;
    }
    result.data.append(buf, n);
  }
  return result;
}

HttpResponse call(unsigned short port, const std::string& token, const std::string& method, const std::string& target,
                  const std::string& body, const std::string& host) {
  Headers h = {{"Host", host}};
  if (!token.empty()) h.emplace_back("Authorization", "Bearer " + token);
  if (!body.empty()) h.emplace_back("Content-Type", "application/json");
  return request(port, method, target, h, body);
}

std::string password_login(unsigned short port, const std::string& email, const std::string& password,
                           const std::string& host) {
  auto r = request(port, "POST", "/api/v1/auth", {{"Host", host}, {"Content-Type", "application/json"}},
                   nlohmann::json{{"email", email}, {"password", password}}.dump());
  EXPECT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  return j["data"].is_string() ? j["data"].get<std::string>() : std::string();
}

}  // namespace agora::test
