#pragma once
// Test-side JWT tooling: keys generated with OpenSSL, their JWKs, and signed compact tokens
// (RS256, ES256 as raw r||s, HS256) for the ID-token verifier's tests.

#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <string_view>
#include <vector>

namespace agora::test::jwt {

struct PkeyFree {
  void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

inline constexpr std::string_view b64_alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

std::string base64url(std::string_view bytes);
Pkey rsa_key(std::size_t bits);
Pkey ec_key();
nlohmann::json rsa_jwk(const EVP_PKEY* key, const std::string& kid);
nlohmann::json ec_jwk(const EVP_PKEY* key, const std::string& kid);
std::string jwks(const std::vector<nlohmann::json>& keys);
/// RS256 or ES256 (raw r||s) depending on the key type.
std::string sign(EVP_PKEY* key, std::string_view input);
std::string hs256(std::string_view secret, std::string_view input);
std::string signing_input(const nlohmann::json& header, const nlohmann::json& claims);
std::string token(const nlohmann::json& header, const nlohmann::json& claims, EVP_PKEY* key);

}  // namespace agora::test::jwt
