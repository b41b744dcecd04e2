#pragma once
// Prefixes every key with `[cache].namespace`, so deployments (or test databases) that
// share one memcached never read each other's entries; counts lookups by item kind.

#include <memory>

#include "agora/cache/cache.hpp"

namespace agora {
class Metrics;
}

namespace agora::cache {

class NamespacedCache final : public Cache {
 public:
  NamespacedCache(std::string ns, std::unique_ptr<Cache> inner, Metrics& metrics)
      : prefix_(ns + ":"), inner_(std::move(inner)), metrics_(metrics) {}

  std::optional<std::string> get(const std::string& key) override;
  std::unordered_map<std::string, std::string> get_many(const std::vector<std::string>& keys) override;
  void set(const std::string& key, std::string_view value, std::chrono::seconds ttl) override {
    inner_->set(prefix_ + key, value, ttl);
  }
  void remove(const std::string& key) override { inner_->remove(prefix_ + key); }
  bool ping() override { return inner_->ping(); }

 private:
  std::string prefix_;
  std::unique_ptr<Cache> inner_;
  Metrics& metrics_;
};

}  // namespace agora::cache
