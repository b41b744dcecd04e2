#include "own_memcached.hpp"

#include <csignal>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>

namespace agora::test {

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

OwnMemcached::OwnMemcached() : port_(free_port()) {
  pid_ = ::fork();
  if (pid_ == 0) {
    auto port = std::to_string(port_);
    // memcached refuses to run as root without a user to drop to.
    if (::getuid() == 0) {
      ::execlp("memcached", "memcached", "-l", "127.0.0.1", "-p", port.c_str(), "-U", "0", "-u", "nobody",
               static_cast<char*>(nullptr));
    } else {
      ::execlp("memcached", "memcached", "-l", "127.0.0.1", "-p", port.c_str(), "-U", "0",
               static_cast<char*>(nullptr));
    }
    ::_exit(127);
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
}

OwnMemcached::~OwnMemcached() { kill(); }

void OwnMemcached::kill() {
  if (pid_ > 0) {
    ::kill(pid_, SIGKILL);
    ::waitpid(pid_, nullptr, 0);
    pid_ = -1;
  }
}

}  // namespace agora::test
