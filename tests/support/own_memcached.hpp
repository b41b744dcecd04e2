#pragma once
// A memcached of one test's own on a free loopback port, so the test can kill it without
// disturbing the shared one.

#include <string>
#include <sys/types.h>

namespace agora::test {

class OwnMemcached {
 public:
  OwnMemcached();
  ~OwnMemcached();
  OwnMemcached(const OwnMemcached&) = delete;
  OwnMemcached& operator=(const OwnMemcached&) = delete;

  /// SIGKILL, as a crash would.
  void kill();
  unsigned short port() const { return port_; }
  std::string server() const { return "127.0.0.1:" + std::to_string(port_); }

 private:
  unsigned short port_;
  pid_t pid_ = -1;
};

/// A TCP port on 127.0.0.1 that was free a moment ago.
unsigned short free_port();

}  // namespace agora::test
