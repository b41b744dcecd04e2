#include "agora/cache/keys.hpp"

#include <functional>
#include <stdexcept>

namespace agora::cache {
namespace {
// memcached's limit is 250 bytes; keep well clear of it.
constexpr std::size_t max_plain_name = 200;
}  // namespace

std::string item_key(std::string_view kind, std::int64_t id) {
  return std::string(key_version) + ":" + std::string(kind) + ":" + std::to_string(id);
}

std::string name_key(std::string_view kind, std::string_view name) {
  for (unsigned char c : name) {
    if (c <= 0x20 || c >= 0x7f) throw std::invalid_argument("cache key name must be printable ASCII");
  }
  std::string prefix = std::string(key_version) + ":" + std::string(kind) + ":";
  if (name.size() <= max_plain_name) return prefix + std::string(name);
  return prefix + "h" + std::to_string(std::hash<std::string_view>{}(name)) + ":" +
         std::string(name.substr(0, 64));
}

}  // namespace agora::cache
