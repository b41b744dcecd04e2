#include "agora/http/server.hpp"

#include <atomic>
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <array>
#include <mutex>
#include <random>
#include <set>
#include <spdlog/spdlog.h>
#include <thread>

#include "agora/core/config.hpp"
#include "agora/core/metrics.hpp"
#include "agora/core/text.hpp"
#include "agora/http/client_ip.hpp"
#include "agora/http/method.hpp"

namespace agora::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = beast::http;
using tcp = asio::ip::tcp;
using asio::awaitable;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

// After refusing a request, how long and how much of the client's remaining upload we
// read and discard before closing (see Server::Impl::linger).
constexpr std::chrono::seconds linger_time{2};
constexpr std::size_t linger_max_bytes = 64 * 1024 * 1024;

// Longest X-Request-Id we accept from a client; longer ones are replaced by our own.
constexpr std::size_t max_request_id_length = 128;

bool acceptable_request_id(std::string_view id) {
  if (id.empty() || id.size() > max_request_id_length) return false;
  for (char c : id) {
    bool ok = (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '-' || c == '_' ||
              c == '.' || c == ':';
    if (!ok) return false;
  }
  return true;
}

/// Host header without port, lower-cased. IPv6 literals keep their brackets.
std::string host_without_port(std::string_view host) {
  if (!host.empty() && host.front() == '[') {
    auto close = host.find(']');
    return to_lower(host.substr(0, close == std::string_view::npos ? host.size() : close + 1));
  }
  return to_lower(host.substr(0, host.find(':')));
}

/// Method override (conventions.md §3.2): only for POST; the query wins over the header.
std::string effective_method(const Request& r) {
  if (parse_method(r.original_method) != Method::post) return r.original_method;
  std::optional<std::string_view> wanted = r.query_param("method");
  if (!wanted) wanted = r.header("x-http-method-override");
  if (!wanted) return r.original_method;
  std::string m = to_lower(*wanted);
  for (auto& c : m) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const auto method = parse_method(m);
  if (method == Method::del || method == Method::patch || method == Method::put || method == Method::get ||
      method == Method::head) {
    return m;
  }
  return r.original_method;
}

/// Metric label for a method: clients may send any token, so unknown ones share one label
/// instead of growing the metrics without bound.
std::string method_label(const std::string& method) { return parse_method(method) ? method : "OTHER"; }

tcp::endpoint parse_endpoint(const std::string& host_port) {
  auto colon = host_port.rfind(':');
  auto host = host_port.substr(0, colon);
  if (host.size() >= 2 && host.front() == '[') host = host.substr(1, host.size() - 2);
  auto port = static_cast<unsigned short>(std::stoi(host_port.substr(colon + 1)));
  return {asio::ip::make_address(host), port};
}

}  // namespace

class Server::Impl {
 public:
  Impl(ServerOptions options, Handler handler, Metrics& metrics, const ConfigHolder& config, Logger log,
       InlineProbe runs_inline)
      : options_(std::move(options)),
        handler_(std::move(handler)),
        runs_inline_(std::move(runs_inline)),
        metrics_(metrics),
        config_(config),
        log_(std::move(log)),
        workers_(static_cast<std::size_t>(std::max(1, options_.worker_threads))),
        acceptor_(io_),
        admin_acceptor_(io_),
        id_prefix_(random_prefix()) {
    for (auto& p : options_.trusted_proxies) trusted_.insert(p);
  }

  void start() {
    open(acceptor_, options_.listen);
    asio::co_spawn(io_, accept_loop(acceptor_, false), asio::detached);
    if (!options_.admin_listen.empty()) {
      open(admin_acceptor_, options_.admin_listen);
      asio::co_spawn(io_, accept_loop(admin_acceptor_, true), asio::detached);
    }
    for (int i = 0; i < std::max(1, options_.io_threads); ++i) {
      threads_.emplace_back([this] { io_.run(); });
    }
  }

  unsigned short port() const { return acceptor_.local_endpoint().port(); }
  unsigned short admin_port() const {
    return admin_acceptor_.is_open() ? admin_acceptor_.local_endpoint().port() : 0;
  }

  void stop(std::chrono::milliseconds drain) {
    if (stopping_.exchange(true)) return;
    asio::post(io_, [this] {
      beast::error_code ec;
      acceptor_.close(ec);
      admin_acceptor_.close(ec);
    });
    close_connections(/*idle_only=*/true);
    const auto deadline = std::chrono::steady_clock::now() + drain;
    while (in_flight_.load() > 0 && std::chrono::steady_clock::now() < deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    if (in_flight_.load() > 0) log_->warn("drain time over with {} request(s) in flight; closing", in_flight_.load());
    close_connections(/*idle_only=*/false);
    // Sessions finish on their own once their sockets close; give them a moment, then stop.
    const auto close_deadline = std::chrono::steady_clock::now() + std::chrono::seconds(2);
    while (open_sessions() > 0 && std::chrono::steady_clock::now() < close_deadline) {
      std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    io_.stop();
    for (auto& t : threads_) t.join();
    threads_.clear();
    workers_.join();
  }

  ~Impl() {
    if (!threads_.empty()) stop(std::chrono::milliseconds(0));
  }

 private:
  struct Connection {
    explicit Connection(tcp::socket s) : stream(std::move(s)) {}
    beast::tcp_stream stream;
    std::atomic<bool> busy{false};
  };

  static std::string random_prefix() {
    std::random_device rd;
    std::uniform_int_distribution<std::uint32_t> dist;
    char buf[16];
    std::snprintf(buf, sizeof buf, "%08x", dist(rd));
    return buf;
  }

  std::string next_request_id() {
    char buf[32];
    std::snprintf(buf, sizeof buf, "%s-%010llu", id_prefix_.c_str(),
                  static_cast<unsigned long long>(++request_counter_));
    return buf;
  }

  void open(tcp::acceptor& acceptor, const std::string& listen) {
    auto endpoint = parse_endpoint(listen);
    acceptor.open(endpoint.protocol());
    acceptor.set_option(asio::socket_base::reuse_address(true));
    acceptor.bind(endpoint);
    acceptor.listen(asio::socket_base::max_listen_connections);
  }

  std::size_t open_sessions() {
    std::lock_guard lock(sessions_mutex_);
    return sessions_.size();
  }

  void close_connections(bool idle_only) {
    std::vector<std::shared_ptr<Connection>> conns;
    {
      std::lock_guard lock(sessions_mutex_);
      conns.assign(sessions_.begin(), sessions_.end());
    }
    for (auto& c : conns) {
      asio::post(c->stream.get_executor(), [c, idle_only] {
        if (idle_only && c->busy.load()) return;
        beast::error_code ec;
        c->stream.socket().shutdown(tcp::socket::shutdown_both, ec);
        c->stream.socket().close(ec);
      });
    }
  }

  awaitable<void> accept_loop(tcp::acceptor& acceptor, bool admin) {
    for (;;) {
      auto [ec, socket] = co_await acceptor.async_accept(asio::make_strand(io_), use_tuple);
      if (ec) {
        if (stopping_ || ec == asio::error::operation_aborted) co_return;
        log_->warn("accept failed: {}", ec.message());
        continue;
      }
      auto conn = std::make_shared<Connection>(std::move(socket));
      {
        std::lock_guard lock(sessions_mutex_);
        sessions_.insert(conn);
      }
      auto executor = conn->stream.get_executor();
      asio::co_spawn(executor, session(conn, admin), [this, conn](std::exception_ptr e) {
        std::lock_guard lock(sessions_mutex_);
        sessions_.erase(conn);
        if (e) {
          try {
            std::rethrow_exception(e);
          } catch (const std::exception& ex) {
            log_->error("connection ended by an exception: {}", ex.what());
          }
        }
      });
    }
  }

  awaitable<void> write(Connection& conn, const WireResponse& wire, const std::string& request_id, bool keep_alive,
                        bool head) {
    bhttp::response<bhttp::string_body> res;
    res.version(11);
    res.result(static_cast<unsigned>(wire.status));
    for (auto& [k, v] : wire.headers) res.insert(k, v);
    res.set("X-Request-Id", request_id);
    res.keep_alive(keep_alive);
    res.body() = wire.body;
    res.prepare_payload();
    if (head) res.body().clear();  // HEAD: Content-Length of the would-be body, no body
    conn.stream.expires_after(options_.request_timeout);
    bhttp::response_serializer<bhttp::string_body> sr(res);
    if (head) {
      auto [ec, n] = co_await bhttp::async_write_header(conn.stream, sr, use_tuple);
      (void)n;
      if (ec) throw beast::system_error(ec);
    } else {
      auto [ec, n] = co_await bhttp::async_write(conn.stream, sr, use_tuple);
      (void)n;
      if (ec) throw beast::system_error(ec);
    }
  }

  /// Writes an error decided at the socket level (malformed, too large) and closes.
  awaitable<void> reject(Connection& conn, int status, const std::string& message) {
    auto wire = render(error_response(status, message), EnvelopeOptions{});
    auto id = next_request_id();
    metrics_.record_request("rejected", "-", status, 0);
    log_->info("{} - rejected {}: {}", id, status, message);
    try {
      co_await write(conn, wire, id, false, false);
    } catch (const beast::system_error&) {
      co_return;  // the client is already gone; nothing more to tell it
    }
    co_await linger(conn);
  }

  /// Lingering close: stop sending, then read and discard what the client is still sending
  /// for a short while, so it sees our answer instead of a reset mid-upload.
  awaitable<void> linger(Connection& conn) {
    beast::error_code ec;
    conn.stream.socket().shutdown(tcp::socket::shutdown_send, ec);
    conn.stream.expires_after(linger_time);
    std::array<char, 16 * 1024> sink;
    std::size_t discarded = 0;
    while (discarded < linger_max_bytes) {
      auto [rec, n] = co_await conn.stream.async_read_some(asio::buffer(sink), use_tuple);
      if (rec) break;
      discarded += n;
    }
  }

  awaitable<void> session(std::shared_ptr<Connection> conn, bool admin) {
    beast::flat_buffer buffer;
    const std::string peer = [&] {
      beast::error_code ec;
      auto ep = conn->stream.socket().remote_endpoint(ec);
      return ec ? std::string("unknown") : ep.address().to_string();
    }();
    bool first = true;
    while (!stopping_) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.header_limit(static_cast<std::uint32_t>(options_.max_header_bytes));
      parser.body_limit(options_.max_body_bytes);
      // A new connection must send its header promptly; a kept-alive one may idle longer.
      conn->stream.expires_after(first || buffer.size() > 0 ? options_.header_timeout : options_.idle_timeout);
      auto [ec, n] = co_await bhttp::async_read_header(conn->stream, buffer, parser, use_tuple);
      (void)n;
      if (ec == bhttp::error::header_limit) {
        co_await reject(*conn, 431, "Request header fields are too large");
        break;
      }
      if (ec == bhttp::error::body_limit) {
        co_await reject(*conn, 413, "The request body is larger than " + std::to_string(options_.max_body_bytes) +
                                        " bytes");
        break;
      }
      if (ec == bhttp::error::end_of_stream || ec == beast::error::timeout || ec == asio::error::operation_aborted ||
          ec == asio::error::connection_reset || ec == asio::error::eof || ec == asio::error::bad_descriptor) {
        break;
      }
      if (ec) {
        co_await reject(*conn, 400, "Malformed HTTP request: " + ec.message());
        break;
      }
      conn->busy = true;
      ++in_flight_;
      struct Done {
        Impl& s;
        Connection& c;
        ~Done() {
          c.busy = false;
          --s.in_flight_;
        }
      } done{*this, *conn};

      const auto started = std::chrono::steady_clock::now();
      conn->stream.expires_after(options_.request_timeout);
      if (!parser.is_done() && beast::iequals(parser.get()[bhttp::field::expect], "100-continue")) {
        // curl and others wait for this before sending a body.
        bhttp::response<bhttp::empty_body> go_on{bhttp::status::continue_, 11};
        auto [ec100, n100] = co_await bhttp::async_write(conn->stream, go_on, use_tuple);
        (void)n100;
        if (ec100) break;
      }
      if (!parser.is_done()) {
        auto [ec2, n2] = co_await bhttp::async_read(conn->stream, buffer, parser, use_tuple);
        (void)n2;
        if (ec2 == bhttp::error::body_limit) {
          co_await reject(*conn, 413, "The request body is larger than " +
                                          std::to_string(options_.max_body_bytes) + " bytes");
          break;
        }
        if (ec2 == beast::error::timeout) {
          co_await reject(*conn, 408, "The request body did not arrive in time");
          break;
        }
        if (ec2) {
          if (ec2 != bhttp::error::end_of_stream && ec2 != asio::error::connection_reset) {
            co_await reject(*conn, 400, "Malformed HTTP request: " + ec2.message());
          }
          break;
        }
      }
      auto req = parser.release();

      Exchange ex;
      ex.admin_listener = admin;
      ex.deadline = started + options_.request_timeout;
      ex.route = "unmatched";
      build_request(req, peer, ex.request);
      const bool keep_alive = req.keep_alive() && !stopping_;
      const bool head = parse_method(ex.request.method) == Method::head;

      if (runs_inline_ && runs_inline_(ex)) {
        handler_(ex);
      } else {
        co_await asio::co_spawn(
            workers_,
            [this, &ex]() -> awaitable<void> {
              handler_(ex);
              co_return;
            },
            asio::use_awaitable);
      }

      co_await write(*conn, ex.response, ex.request.request_id, keep_alive && !stopping_, head);
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      metrics_.record_request(ex.route, method_label(ex.request.method), ex.response.status, seconds);
      if (config_.get()->log.access_log) {
        log_->info("{} access {} {} {} {} {}us {}", ex.request.request_id, ex.request.method,
                   loggable_target(ex.request), ex.response.status, ex.response.body.size(),
                   static_cast<long long>(seconds * 1e6), ex.request.client_ip);
      }
      if (!keep_alive || stopping_) break;
      first = false;
    }
    beast::error_code ec;
    conn->stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  /// The target as logged: path plus query, with access_token removed.
  static std::string loggable_target(const Request& r) {
    std::string out = loggable_path(r.path);
    bool first = true;
    for (auto& [k, v] : r.query) {
      if (k == "access_token") continue;
      out += first ? '?' : '&';
      out += percent_encode(k) + "=" + percent_encode(v);
      first = false;
    }
    return out;
  }

  void build_request(bhttp::request<bhttp::string_body>& req, const std::string& peer, Request& out) {
    out.original_method = std::string(req.method_string());
    out.target = std::string(req.target());
    for (auto& field : req.base()) {
      out.headers.emplace_back(to_lower(field.name_string()), std::string(field.value()));
    }
    out.body = std::move(req.body());
    out.host = host_without_port(req[bhttp::field::host]);
    auto given_id = out.header("x-request-id");
    out.request_id = given_id && acceptable_request_id(*given_id) ? std::string(*given_id) : next_request_id();
    out.client_ip = client_ip(peer, out, trusted_);
    try {
      parse_target(out.target, out.path, out.query);
    } catch (const Error&) {
      // Left for the dispatcher, which answers it as a 400 envelope.
      out.path.clear();
    }
    out.method = effective_method(out);
  }

  ServerOptions options_;
  Handler handler_;
  InlineProbe runs_inline_;
  Metrics& metrics_;
  const ConfigHolder& config_;
  Logger log_;
  asio::io_context io_;
  asio::thread_pool workers_;
  tcp::acceptor acceptor_;
  tcp::acceptor admin_acceptor_;
  std::vector<std::thread> threads_;
  std::set<std::string> trusted_;
  std::string id_prefix_;
  std::atomic<std::uint64_t> request_counter_{0};
  std::atomic<bool> stopping_{false};
  std::atomic<int> in_flight_{0};
  std::mutex sessions_mutex_;
  std::set<std::shared_ptr<Connection>> sessions_;
};

Server::Server(ServerOptions options, Handler handler, Metrics& metrics, const ConfigHolder& config, Logger log,
               InlineProbe runs_inline)
    : impl_(std::make_unique<Impl>(std::move(options), std::move(handler), metrics, config, std::move(log),
                                   std::move(runs_inline))) {}
Server::~Server() = default;
void Server::start() { impl_->start(); }
unsigned short Server::port() const { return impl_->port(); }
unsigned short Server::admin_port() const { return impl_->admin_port(); }
void Server::stop(std::chrono::milliseconds drain) { impl_->stop(drain); }

}  // namespace agora::http
