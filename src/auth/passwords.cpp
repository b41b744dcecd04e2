#include "agora/auth/passwords.hpp"

#include <sodium.h>
#include <stdexcept>

#include "agora/core/error.hpp"

namespace agora::auth {

PasswordHasher::PasswordHasher(unsigned long long opslimit, std::size_t memlimit_bytes)
    : opslimit_(opslimit), memlimit_(memlimit_bytes) {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  dummy_hash_ = hash("agora-dummy-password");
}

std::string PasswordHasher::hash(std::string_view password) const {
  if (password.size() < min_password_length || password.size() > max_password_length) {
    throw Error(ErrorKind::bad_request, "A password must be " + std::to_string(min_password_length) + " to " +
                                            std::to_string(max_password_length) + " bytes long");
  }
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str(out, password.data(), password.size(), opslimit_, memlimit_) != 0) {
    throw std::runtime_error("password hashing ran out of memory");
  }
  return out;
}

bool PasswordHasher::verify(const std::string& stored, std::string_view password) const {
  if (password.size() > max_password_length) return false;
  return crypto_pwhash_str_verify(stored.c_str(), password.data(), password.size()) == 0;
}

void PasswordHasher::verify_dummy(std::string_view password) const { (void)verify(dummy_hash_, password); }

}  // namespace agora::auth
