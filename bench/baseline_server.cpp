// The physical limit for Agora's server design on this machine: the same Asio/Beast HTTP/1.1
// keep-alive loop, answering every request with a fixed JSON body and doing nothing else.
// `GET /bytes/N` answers a body of exactly N bytes (so each scenario compares against a body
// the size of its own answer); anything else gets the default size.
//
//   agora_baseline_server PORT [THREADS] [DEFAULT_BYTES]
#include <boost/asio.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <charconv>
#include <cstdio>
#include <memory>
#include <string>
#include <thread>
#include <vector>

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;

namespace {

std::string body_of_size(std::size_t n) {
  const std::string head = "{\"data\":\"";
  const std::string tail = "\"}";
  if (n < head.size() + tail.size()) return std::string(n, ' ');
  return head + std::string(n - head.size() - tail.size(), 'x') + tail;
}

class Session : public std::enable_shared_from_this<Session> {
 public:
  Session(tcp::socket socket, std::size_t default_bytes) : stream_(std::move(socket)), default_bytes_(default_bytes) {}
  void start() { read(); }

 private:
  void read() {
    request_ = {};
    http::async_read(stream_, buffer_, request_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec) self->answer();
    });
  }

  void answer() {
    std::size_t bytes = default_bytes_;
    const auto target = std::string_view(request_.target().data(), request_.target().size());
    if (target.rfind("/bytes/", 0) == 0) std::from_chars(target.data() + 7, target.data() + target.size(), bytes);
    response_ = {};
    response_.version(request_.version());
    response_.result(http::status::ok);
    response_.set(http::field::content_type, "application/json");
    response_.keep_alive(request_.keep_alive());
    response_.body() = body_of_size(bytes);
    response_.prepare_payload();
    http::async_write(stream_, response_, [self = shared_from_this()](beast::error_code ec, std::size_t) {
      if (!ec && self->response_.keep_alive()) self->read();
    });
  }

  beast::tcp_stream stream_;
  beast::flat_buffer buffer_;
  http::request<http::string_body> request_;
  http::response<http::string_body> response_;
  std::size_t default_bytes_;
};

void accept(tcp::acceptor& acceptor, std::size_t default_bytes) {
  acceptor.async_accept([&acceptor, default_bytes](beast::error_code ec, tcp::socket socket) {
    if (!ec) std::make_shared<Session>(std::move(socket), default_bytes)->start();
    accept(acceptor, default_bytes);
  });
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: %s PORT [THREADS] [DEFAULT_BYTES]\n", argv[0]);
    return 2;
  }
  const auto port = static_cast<unsigned short>(std::stoi(argv[1]));
  const int threads = argc > 2 ? std::stoi(argv[2]) : static_cast<int>(std::thread::hardware_concurrency());
  const std::size_t default_bytes = argc > 3 ? std::stoul(argv[3]) : 1024;
  asio::io_context io(threads);
  tcp::acceptor acceptor(io, {asio::ip::make_address("127.0.0.1"), port});
  accept(acceptor, default_bytes);
  asio::signal_set stop(io, SIGINT, SIGTERM);
  stop.async_wait([&](beast::error_code, int) { io.stop(); });
  std::vector<std::thread> pool;
  for (int i = 1; i < threads; ++i) pool.emplace_back([&] { io.run(); });
  io.run();
  for (auto& t : pool) t.join();
  return 0;
}
