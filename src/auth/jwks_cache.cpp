#include "agora/auth/jwks_cache.hpp"

#include <curl/curl.h>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "agora/core/error.hpp"

namespace agora::auth {
namespace {

constexpr std::size_t max_jwks_bytes = 256 * 1024;
constexpr auto url_lifetime = std::chrono::hours(1);

std::size_t collect(char* data, std::size_t size, std::size_t count, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * count > max_jwks_bytes) return 0;  // aborts the transfer
  out->append(data, size * count);
  return size * count;
}

std::string fetch(const std::string& url) {
  std::unique_ptr<CURL, decltype(&curl_easy_cleanup)> curl(curl_easy_init(), &curl_easy_cleanup);
  if (!curl) throw Error(ErrorKind::unavailable, "The identity provider's keys could not be loaded");
  std::string body;
  curl_easy_setopt(curl.get(), CURLOPT_URL, url.c_str());
  curl_easy_setopt(curl.get(), CURLOPT_WRITEFUNCTION, &collect);
  curl_easy_setopt(curl.get(), CURLOPT_WRITEDATA, &body);
  curl_easy_setopt(curl.get(), CURLOPT_TIMEOUT_MS, 5000L);
  curl_easy_setopt(curl.get(), CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_FAILONERROR, 1L);
  curl_easy_setopt(curl.get(), CURLOPT_PROTOCOLS_STR, "https,http");
  if (curl_easy_perform(curl.get()) != CURLE_OK) {
    throw Error(ErrorKind::unavailable, "The identity provider's keys could not be loaded");
  }
  return body;
}

std::string file_version(const std::string& path) {
  std::error_code ec;
  auto t = std::filesystem::last_write_time(path, ec);
  auto size = std::filesystem::file_size(path, ec);
  if (ec) throw Error(ErrorKind::unavailable, "The identity provider's keys could not be loaded");
  return std::to_string(t.time_since_epoch().count()) + ":" + std::to_string(size);
}

std::string read_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  if (!in && !in.eof()) throw Error(ErrorKind::unavailable, "The identity provider's keys could not be loaded");
  return text.str().substr(0, max_jwks_bytes + 1);
}

std::shared_ptr<const KeySet> parse(const std::string& text) {
  try {
    return std::make_shared<const KeySet>(KeySet::parse(text));
  } catch (const Error&) {
    throw Error(ErrorKind::unavailable, "The identity provider's keys are not a usable JWKS document");
  }
}

}  // namespace

std::shared_ptr<const KeySet> JwksCache::keys_for(const OidcProvider& p) {
  const bool from_file = !p.jwks_file.empty();
  const auto& source = from_file ? p.jwks_file : p.jwks_url;
  const auto version = from_file ? file_version(source) : std::string();
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(source);
    if (it != entries_.end() && it->second.version == version && (from_file || now - it->second.loaded < url_lifetime)) {
      return it->second.keys;
    }
  }
  // Loaded outside the lock: a slow provider does not hold up other sites' logins.
  auto keys = parse(from_file ? read_file(source) : fetch(source));
  std::lock_guard lock(mutex_);
  entries_[source] = Entry{keys, version, now};
  return keys;
}

std::shared_ptr<const KeySet> JwksCache::refresh(const OidcProvider& p) {
  if (p.jwks_url.empty()) return nullptr;  // files are re-read when they change
  const auto now = std::chrono::steady_clock::now();
  {
    std::lock_guard lock(mutex_);
    auto it = entries_.find(p.jwks_url);
    if (it != entries_.end() && now - it->second.loaded < std::chrono::minutes(1)) return nullptr;
  }
  auto keys = parse(fetch(p.jwks_url));
  std::lock_guard lock(mutex_);
  entries_[p.jwks_url] = Entry{keys, "", now};
  return keys;
}

}  // namespace agora::auth
