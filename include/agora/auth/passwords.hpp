#pragma once
// Password hashing with argon2id (libsodium). Costs come from [auth] in the config.

#include <cstddef>
#include <string>
#include <string_view>

namespace agora::auth {

class PasswordHasher {
 public:
  PasswordHasher(unsigned long long opslimit, std::size_t memlimit_bytes);

  /// The encoded hash (algorithm, salt and costs included) to store.
  std::string hash(std::string_view password) const;
  /// True when password matches the stored hash.
  bool verify(const std::string& stored_hash, std::string_view password) const;
  /// Spends the same work as a verify, for unknown accounts, so timing tells nothing.
  void verify_dummy(std::string_view password) const;

 private:
  unsigned long long opslimit_;
  std::size_t memlimit_;
  std::string dummy_hash_;
};

/// Minimum and maximum accepted password lengths (bytes).
inline constexpr std::size_t min_password_length = 8;
inline constexpr std::size_t max_password_length = 1024;

}  // namespace agora::auth
