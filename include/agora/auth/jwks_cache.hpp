#pragma once
// The key sets of the configured OpenID Connect providers: a JWKS file is re-read when it
// changes, a JWKS URL is fetched (libcurl, 5 s, at most 256 KiB) and kept for an hour.

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "agora/auth/id_token.hpp"
#include "agora/core/config.hpp"

namespace agora::auth {

class JwksCache {
 public:
  /// The provider's keys; Error{unavailable} when they cannot be loaded or parsed.
  std::shared_ptr<const KeySet> keys_for(const OidcProvider& provider);
  /// Fetches a URL's keys again when the cached ones are over a minute old (the provider may
  /// have rotated them); returns the fresh set, or nullptr when nothing was re-read.
  std::shared_ptr<const KeySet> refresh(const OidcProvider& provider);

 private:
  struct Entry {
    std::shared_ptr<const KeySet> keys;
    std::string version;  // file: its modification time; URL: empty
    std::chrono::steady_clock::time_point loaded;
  };
  std::mutex mutex_;
  std::map<std::string, Entry> entries_;
};

}  // namespace agora::auth
