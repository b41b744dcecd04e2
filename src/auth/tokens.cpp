#include "agora/auth/tokens.hpp"

#include <sodium.h>
#include <stdexcept>

namespace agora::auth {
namespace {
constexpr std::string_view alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
}

std::string new_token() {
  if (sodium_init() < 0) throw std::runtime_error("libsodium failed to initialise");
  std::string t(token_length, '\0');
  for (auto& c : t) c = alphabet[randombytes_uniform(static_cast<uint32_t>(alphabet.size()))];
  return t;
}

std::string token_digest(std::string_view token) {
  unsigned char digest[crypto_hash_sha256_BYTES];
  crypto_hash_sha256(digest, reinterpret_cast<const unsigned char*>(token.data()), token.size());
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(sizeof digest * 2);
  for (unsigned char b : digest) {
    out += hex[b >> 4];
    out += hex[b & 15];
  }
  return out;
}

bool looks_like_token(std::string_view text) {
  if (text.size() != token_length) return false;
  for (char c : text) {
    if (alphabet.find(c) == std::string_view::npos) return false;
  }
  return true;
}

}  // namespace agora::auth
