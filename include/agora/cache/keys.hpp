#pragma once
// The key scheme: `v2:{kind}:{id}`. The version prefix changes whenever a cached value's
// format changes, so a new binary never reads bytes an old one wrote.

#include <cstdint>
#include <string>
#include <string_view>

namespace agora::cache {

inline constexpr std::string_view key_version = "v2";

/// `v2:{kind}:{id}`.
std::string item_key(std::string_view kind, std::int64_t id);

/// `v2:{kind}:{name}` for a textual name. The name must already be validated to
/// printable ASCII without spaces (memcached's key rules); longer names are hashed.
std::string name_key(std::string_view kind, std::string_view name);

}  // namespace agora::cache
