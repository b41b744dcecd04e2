#pragma once
// Forward declarations of what every store is built from, to keep store headers thin.

namespace agora {
class ConfigHolder;
}
namespace agora::db {
class Pool;
class Statements;
}  // namespace agora::db
namespace agora::cache {
class Cache;
}
