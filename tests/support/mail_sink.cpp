#include "support/mail_sink.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <stdexcept>
#include <thread>
#include <vector>

namespace agora::test {
namespace {

std::string env(const char* name) {
  const char* v = std::getenv(name);
  if (!v || !*v) throw std::runtime_error(std::string(name) + " is not set: run the tests with `make test`");
  return v;
}

std::vector<std::string> messages_to(const std::string& recipient) {
  std::vector<std::string> out;
  const std::filesystem::path dir = env("AGORA_TEST_MAILDIR") + "/new";
  std::error_code ec;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream text;
    text << in.rdbuf();
    auto s = text.str();
    if (s.find("X-RcptTo: " + recipient + "\n") != std::string::npos ||
        s.find("X-RcptTo: " + recipient + "\r\n") != std::string::npos) {
      out.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

std::string smtp_url() { return env("AGORA_TEST_SMTP"); }

std::string unique_address(const std::string& tag) {
  std::random_device rd;
  return tag + "-" + std::to_string(rd()) + std::to_string(rd()) + "@example.org";
}

std::optional<std::string> wait_for_mail(const std::string& recipient, std::chrono::milliseconds timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto found = messages_to(recipient);
    if (!found.empty()) return found.front();
    if (std::chrono::steady_clock::now() > deadline) return std::nullopt;
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
  }
}

std::vector<std::string> all_mail(const std::string& recipient) { return messages_to(recipient); }

int mail_count(const std::string& recipient) { return static_cast<int>(messages_to(recipient).size()); }

}  // namespace agora::test
