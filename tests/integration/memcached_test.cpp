#include <csignal>
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

#include "agora/cache/memcached_cache.hpp"
#include "agora/core/metrics.hpp"
#include "support/test_env.hpp"

using namespace agora;
using namespace std::chrono;

namespace {

unsigned short free_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in addr{};
  addr.sin_family = AF_INET;
  addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  ::bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  socklen_t len = sizeof addr;
  ::getsockname(fd, reinterpret_cast<sockaddr*>(&addr), &len);
  ::close(fd);
  return ntohs(addr.sin_port);
}

/// A memcached of this test's own, so killing it does not disturb other tests.
class OwnMemcached {
 public:
  OwnMemcached() : port_(free_port()) {
    pid_ = ::fork();
    if (pid_ == 0) {
      auto port = std::to_string(port_);
      if (::getuid() == 0) {
        ::execlp("memcached", "memcached", "-l", "127.0.0.1", "-p", port.c_str(), "-U", "0", "-u", "nobody",
                 static_cast<char*>(nullptr));
      } else {
        ::execlp("memcached", "memcached", "-l", "127.0.0.1", "-p", port.c_str(), "-U", "0",
                 static_cast<char*>(nullptr));
      }
      ::_exit(127);
    }
    std::this_thread::sleep_for(milliseconds(300));
  }
  ~OwnMemcached() { kill(); }
  void kill() {
    if (pid_ > 0) {
      ::kill(pid_, SIGKILL);
      ::waitpid(pid_, nullptr, 0);
      pid_ = -1;
    }
  }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  unsigned short port_;
  pid_t pid_ = -1;
};

CacheConfig config_for(std::vector<std::string> servers) {
  CacheConfig c;
  c.backend = "memcached";
  c.servers = std::move(servers);
  c.timeout_ms = 100;
  return c;
}

}  // namespace

TEST(Memcached, SetGetManyRemove) {
  OwnMemcached mc;
  Metrics m;
  cache::MemcachedCache c(config_for({mc.server()}), m, test::test_logger());
  EXPECT_TRUE(c.ping());
  c.set("v1:t:a", "alpha", seconds(60));
  c.set("v1:t:b", std::string("b\0eta", 5), seconds(60));
  EXPECT_EQ(c.get("v1:t:a"), "alpha");
  auto many = c.get_many({"v1:t:a", "v1:t:b", "v1:t:missing"});
  EXPECT_EQ(many.size(), 2u);
  EXPECT_EQ(many["v1:t:b"], std::string("b\0eta", 5)) << "binary-safe";
  c.remove("v1:t:a");
  EXPECT_FALSE(c.get("v1:t:a"));
  EXPECT_EQ(m.cache_errors.load(), 0u);
  EXPECT_EQ(m.cache_hits.load(), 3u);
  EXPECT_EQ(m.cache_misses.load(), 2u);
}

TEST(Memcached, SeveralServersShareTheKeys) {
  OwnMemcached a, b;
  Metrics m;
  cache::MemcachedCache c(config_for({a.server(), b.server()}), m, test::test_logger());
  std::vector<std::string> keys;
  for (int i = 0; i < 50; ++i) {
    keys.push_back("v1:k:" + std::to_string(i));
    c.set(keys.back(), std::to_string(i), seconds(60));
  }
  EXPECT_EQ(c.get_many(keys).size(), 50u);
  // Losing one server loses only its share of the keys.
  b.kill();
  auto left = c.get_many(keys).size();
  EXPECT_GT(left, 0u);
  EXPECT_LT(left, 50u);
}

TEST(Memcached, DeadServerIsAFastMissNotAnError) {
  auto mc = std::make_unique<OwnMemcached>();
  Metrics m;
  cache::MemcachedCache c(config_for({mc->server()}), m, test::test_logger());
  c.set("v1:t:a", "alpha", seconds(60));
  ASSERT_EQ(c.get("v1:t:a"), "alpha");
  mc.reset();

  const auto start = steady_clock::now();
  for (int i = 0; i < 20; ++i) {
    EXPECT_FALSE(c.get("v1:t:a"));
    c.set("v1:t:a", "x", seconds(60));
  }
  EXPECT_TRUE(c.get_many({"v1:t:a", "v1:t:b"}).empty());
  EXPECT_FALSE(c.ping());
  EXPECT_LT(duration_cast<milliseconds>(steady_clock::now() - start).count(), 3000);
  EXPECT_GT(m.cache_errors.load(), 0u);
}
