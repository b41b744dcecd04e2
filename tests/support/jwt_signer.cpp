#include "support/jwt_signer.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>

#include <stdexcept>

using nlohmann::json;

namespace agora::test::jwt {
namespace {

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using MdCtx = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using Bn = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using EcdsaSig = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test helper failed: ") + what);
}

unsigned char* bytes_of(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }
const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }


std::string bignum_param(const EVP_PKEY* key, const char* name) {
  BIGNUM* raw = nullptr;
  check(EVP_PKEY_get_bn_param(key, name, &raw) == 1, name);
  Bn bn(raw);
  std::string out(static_cast<std::size_t>(BN_num_bytes(bn.get())), '\0');
  BN_bn2bin(bn.get(), bytes_of(out));
  return out;
}

std::string der_to_raw(std::string_view der) {
  const unsigned char* p = bytes_of(der);
  EcdsaSig sig(d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size())));
  check(sig != nullptr, "DER signature");
  const BIGNUM* r = nullptr;
  const BIGNUM* s = nullptr;
  ECDSA_SIG_get0(sig.get(), &r, &s);
  std::string raw(64, '\0');
  check(BN_bn2binpad(r, bytes_of(raw), 32) == 32 && BN_bn2binpad(s, bytes_of(raw) + 32, 32) == 32, "r||s");
  return raw;
}

}  // namespace

std::string base64url(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (unsigned char c : bytes) {
    buffer = (buffer << 8 | c) & 0xffff;
    bits += 8;
    while (bits >= 6) {
      bits -= 6;
      out += b64_alphabet[(buffer >> bits) & 63];
    }
  }
  if (bits > 0) out += b64_alphabet[(buffer << (6 - bits)) & 63];
  return out;
}

Pkey rsa_key(std::size_t bits) {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", bits));
  check(key != nullptr, "RSA keygen");
  return key;
}

Pkey ec_key() {
  Pkey key(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
  check(key != nullptr, "EC keygen");
  return key;
}

json rsa_jwk(const EVP_PKEY* key, const std::string& kid) {
  return {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
          {"n", base64url(bignum_param(key, OSSL_PKEY_PARAM_RSA_N))},
          {"e", base64url(bignum_param(key, OSSL_PKEY_PARAM_RSA_E))}};
}

json ec_jwk(const EVP_PKEY* key, const std::string& kid) {
  std::string point(65, '\0');  // 0x04 || x || y
  std::size_t len = 0;
  check(EVP_PKEY_get_octet_string_param(key, OSSL_PKEY_PARAM_PUB_KEY, bytes_of(point), point.size(), &len) == 1 &&
            len == 65 && point[0] == '\x04',
        "EC public point");
  return {{"kty", "EC"}, {"kid", kid}, {"use", "sig"}, {"crv", "P-256"},
          {"x", base64url(point.substr(1, 32))}, {"y", base64url(point.substr(33, 32))}};
}

std::string jwks(const std::vector<json>& keys) { return json{{"keys", keys}}.dump(); }

std::string sign(EVP_PKEY* key, std::string_view input) {
  MdCtx ctx(EVP_MD_CTX_new());
  std::size_t len = 0;
  check(ctx && EVP_DigestSignInit(ctx.get(), nullptr, EVP_sha256(), nullptr, key) == 1 &&
            EVP_DigestSign(ctx.get(), nullptr, &len, bytes_of(input), input.size()) == 1,
        "sign init");
  std::string sig(len, '\0');
  check(EVP_DigestSign(ctx.get(), bytes_of(sig), &len, bytes_of(input), input.size()) == 1, "sign");
  sig.resize(len);
  return EVP_PKEY_is_a(key, "EC") ? der_to_raw(sig) : sig;
}

std::string hs256(std::string_view secret, std::string_view input) {
  std::string mac(32, '\0');
  std::size_t len = 0;
  check(EVP_Q_mac(nullptr, "HMAC", nullptr, "SHA256", nullptr, secret.data(), secret.size(), bytes_of(input),
                  input.size(), bytes_of(mac), mac.size(), &len) != nullptr,
        "HMAC");
  return mac;
}

std::string signing_input(const json& header, const json& claims) {
  return base64url(header.dump()) + "." + base64url(claims.dump());
}

std::string token(const json& header, const json& claims, EVP_PKEY* key) {
  std::string input = signing_input(header, claims);
  return input + "." + base64url(sign(key, input));
}

}  // namespace agora::test::jwt
