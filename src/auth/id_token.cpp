#include "agora/auth/id_token.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/param_build.h>
#include <openssl/rsa.h>

#include <algorithm>
#include <cmath>
#include <limits>
#include <nlohmann/json.hpp>
#include <optional>
#include <vector>

#include "agora/core/error.hpp"

namespace agora::auth {
namespace {

using json = nlohmann::json;

// Provider ID tokens are 1-2 KiB; a limit keeps decoding and hashing cheap for garbage.
constexpr std::size_t max_token_bytes = 16 * 1024;
// Provider JWKS documents hold a handful of keys.
constexpr std::size_t max_jwks_bytes = 256 * 1024;
// Headers, claims and JWKS are nearly flat; deep nesting is only ever an attack.
constexpr int max_json_depth = 16;
constexpr int min_rsa_bits = 2048;
// Verification cost grows with the modulus and no provider uses more than 4096 bits.
constexpr int max_rsa_bits = 8192;
constexpr std::size_t p256_coordinate_bytes = 32;

template <auto Free>
struct Deleter {
  template <class T>
  void operator()(T* p) const { Free(p); }
};
using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BnPtr = std::unique_ptr<BIGNUM, Deleter<BN_free>>;
using ParamBldPtr = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD_free>>;
using ParamPtr = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM_free>>;
using EcdsaSigPtr = std::unique_ptr<ECDSA_SIG, Deleter<ECDSA_SIG_free>>;

enum class Alg { rs256, es256 };

std::string alg_name(Alg alg) { return alg == Alg::rs256 ? "RS256" : "ES256"; }

const unsigned char* bytes_of(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

int base64url_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '-') return 62;
  if (c == '_') return 63;
  return -1;
}

// Unpadded, and canonical (unused trailing bits must be zero) so that each value has
// exactly one encoding.
std::optional<std::string> base64url_decode(std::string_view text) {
  if (text.size() % 4 == 1) return std::nullopt;
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t buffer = 0;
  int bits = 0;
  for (char c : text) {
    int v = base64url_value(c);
    if (v < 0) return std::nullopt;
    buffer = ((buffer << 6) | static_cast<std::uint32_t>(v)) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out += static_cast<char>((buffer >> bits) & 0xff);
    }
  }
  if ((buffer & ((1u << bits) - 1)) != 0) return std::nullopt;
  return out;
}

struct TooDeep {};

// Returns nullopt and sets `problem` when the text is not JSON within the depth limit.
std::optional<json> parse_json(std::string_view text, std::string& problem) {
  auto limit_depth = [](int depth, json::parse_event_t, json&) {
    if (depth > max_json_depth) throw TooDeep{};
    return true;
  };
  try {
    return json::parse(text, limit_depth);
  } catch (const json::exception&) {
    problem = "is not valid JSON";
  } catch (const TooDeep&) {
    problem = "nests deeper than " + std::to_string(max_json_depth) + " levels";
  }
  return std::nullopt;
}

BnPtr bignum(std::string_view big_endian) {
  return BnPtr(BN_bin2bn(bytes_of(big_endian), static_cast<int>(big_endian.size()), nullptr));
}

// Clears the OpenSSL error queue on failure so stale errors never confuse a later caller
// on this thread.
PkeyPtr public_key_from(const char* type, OSSL_PARAM_BLD* bld) {
  ParamPtr params(OSSL_PARAM_BLD_to_param(bld));
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, type, nullptr));
  EVP_PKEY* raw = nullptr;
  bool ok = params && ctx && EVP_PKEY_fromdata_init(ctx.get()) == 1 &&
            EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, params.get()) == 1;
  PkeyPtr key(raw);
  if (!ok) {
    ERR_clear_error();
    return nullptr;
  }
  return key;
}

// A JWK we cannot use, and why; caught per key so one bad key does not hide the others.
struct UnusableKey {
  std::string reason;
};

struct Key {
  std::string kid;  // empty when the JWK has none
  Alg alg;
  PkeyPtr pkey;
};

std::string jwk_string(const json& jwk, const char* member) {
  auto it = jwk.find(member);
  if (it == jwk.end() || !it->is_string()) throw UnusableKey{"has no string \"" + std::string(member) + "\""};
  return it->get<std::string>();
}

std::string jwk_bytes(const json& jwk, const char* member) {
  auto decoded = base64url_decode(jwk_string(jwk, member));
  if (!decoded || decoded->empty()) throw UnusableKey{"\"" + std::string(member) + "\" is not base64url"};
  return std::move(*decoded);
}

PkeyPtr rsa_key(const json& jwk) {
  BnPtr n = bignum(jwk_bytes(jwk, "n"));
  BnPtr e = bignum(jwk_bytes(jwk, "e"));
  if (!n || !e) throw UnusableKey{"could not be loaded"};
  int bits = BN_num_bits(n.get());
  if (bits < min_rsa_bits) throw UnusableKey{"RSA modulus is shorter than " + std::to_string(min_rsa_bits) + " bits"};
  if (bits > max_rsa_bits) throw UnusableKey{"RSA modulus is longer than " + std::to_string(max_rsa_bits) + " bits"};
  if (!BN_is_odd(e.get()) || BN_is_one(e.get())) throw UnusableKey{"RSA exponent is invalid"};
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  PkeyPtr key;
  if (bld && OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) == 1 &&
      OSSL_PARAM_BLD_push_BN(bld.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) == 1) {
    key = public_key_from("RSA", bld.get());
  }
  if (!key) throw UnusableKey{"RSA key could not be loaded"};
  return key;
}

bool ec_public_key_is_valid(EVP_PKEY* key) {
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_pkey(nullptr, key, nullptr));
  bool ok = ctx && EVP_PKEY_public_check(ctx.get()) == 1;
  if (!ok) ERR_clear_error();
  return ok;
}

PkeyPtr ec_key(const json& jwk) {
  if (jwk_string(jwk, "crv") != "P-256") throw UnusableKey{"EC curve is not P-256"};
  std::string x = jwk_bytes(jwk, "x");
  std::string y = jwk_bytes(jwk, "y");
  if (x.size() != p256_coordinate_bytes || y.size() != p256_coordinate_bytes) {
    throw UnusableKey{"EC coordinates are not 32 bytes"};
  }
  std::string point = '\x04' + x + y;  // SEC 1 uncompressed point
  ParamBldPtr bld(OSSL_PARAM_BLD_new());
  PkeyPtr key;
  if (bld && OSSL_PARAM_BLD_push_utf8_string(bld.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) == 1 &&
      OSSL_PARAM_BLD_push_octet_string(bld.get(), OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()) == 1) {
    key = public_key_from("EC", bld.get());
  }
  if (!key || !ec_public_key_is_valid(key.get())) throw UnusableKey{"EC point is not on P-256"};
  return key;
}

bool is_signing_key(const json& jwk) {
  if (auto use = jwk.find("use"); use != jwk.end() && *use != "sig") return false;
  if (auto ops = jwk.find("key_ops"); ops != jwk.end()) {
    return ops->is_array() && std::find(ops->begin(), ops->end(), "verify") != ops->end();
  }
  return true;
}

Key parse_jwk(const json& jwk) {
  if (!jwk.is_object()) throw UnusableKey{"is not an object"};
  if (!is_signing_key(jwk)) throw UnusableKey{"is not for signatures (\"use\" or \"key_ops\")"};
  Key key;
  std::string kty = jwk_string(jwk, "kty");
  if (kty == "RSA") {
    key.alg = Alg::rs256;
  } else if (kty == "EC") {
    key.alg = Alg::es256;
  } else {
    throw UnusableKey{"key type is not RSA or EC"};
  }
  if (auto alg = jwk.find("alg"); alg != jwk.end() && *alg != alg_name(key.alg)) {
    throw UnusableKey{"\"alg\" is not " + alg_name(key.alg)};
  }
  if (auto kid = jwk.find("kid"); kid != jwk.end()) {
    if (!kid->is_string()) throw UnusableKey{"\"kid\" is not a string"};
    key.kid = kid->get<std::string>();
  }
  key.pkey = key.alg == Alg::rs256 ? rsa_key(jwk) : ec_key(jwk);
  return key;
}

[[noreturn]] void bad_jwks(const std::string& why) { throw Error(ErrorKind::bad_request, "JWKS document " + why); }

[[noreturn]] void unauthorised(const std::string& why) { throw Error(ErrorKind::unauthorised, "ID token " + why); }

[[noreturn]] void malformed(const std::string& why) { unauthorised("is malformed: " + why); }

struct Segments {
  std::string_view header, payload, signature;
  std::string_view signing_input;  // header.payload, as signed
};

Segments split(std::string_view token) {
  auto first = token.find('.');
  auto second = first == std::string_view::npos ? first : token.find('.', first + 1);
  if (second == std::string_view::npos || token.find('.', second + 1) != std::string_view::npos) {
    malformed("it does not have three segments");
  }
  Segments s{token.substr(0, first), token.substr(first + 1, second - first - 1), token.substr(second + 1),
             token.substr(0, second)};
  if (s.header.empty() || s.payload.empty() || s.signature.empty()) malformed("it has an empty segment");
  return s;
}

std::string decode_segment(std::string_view segment, const std::string& what) {
  auto bytes = base64url_decode(segment);
  if (!bytes) malformed(what + " is not base64url");
  return std::move(*bytes);
}

json decode_object(std::string_view text, const std::string& what) {
  std::string problem;
  auto doc = parse_json(text, problem);
  if (!doc) malformed(what + " " + problem);
  if (!doc->is_object()) malformed(what + " is not a JSON object");
  return std::move(*doc);
}

struct Header {
  Alg alg;
  std::optional<std::string> kid;
};

Alg header_alg(const json& header) {
  auto alg = header.find("alg");
  if (alg == header.end() || !alg->is_string()) malformed("header has no \"alg\"");
  if (*alg == "RS256") return Alg::rs256;
  if (*alg == "ES256") return Alg::es256;
  unauthorised("algorithm is not accepted (only RS256 and ES256 are)");
}

Header read_header(const json& header) {
  Header h{header_alg(header), std::nullopt};
  // We implement no JWS extensions, so any critical one must fail (RFC 7515 §4.1.11).
  if (header.contains("crit")) unauthorised("header has critical extensions we do not support");
  if (auto kid = header.find("kid"); kid != header.end()) {
    if (!kid->is_string()) malformed("header \"kid\" is not a string");
    h.kid = kid->get<std::string>();
  }
  return h;
}

EVP_PKEY* find_key(const std::vector<Key>& keys, const Header& h) {
  if (!h.kid) {
    auto count = std::count_if(keys.begin(), keys.end(), [&](const Key& k) { return k.alg == h.alg; });
    if (count != 1) unauthorised("names no key and the key set does not have exactly one " + alg_name(h.alg) + " key");
    return std::find_if(keys.begin(), keys.end(), [&](const Key& k) { return k.alg == h.alg; })->pkey.get();
  }
  bool kid_known = false;
  for (const Key& k : keys) {
    if (k.kid != *h.kid) continue;
    if (k.alg == h.alg) return k.pkey.get();
    kid_known = true;
  }
  if (kid_known) unauthorised("key does not match its algorithm");
  unauthorised("key id is not in the key set");
}

// JWS carries ES256 signatures as raw r||s (RFC 7518 §3.4); OpenSSL verifies DER.
std::optional<std::string> es256_to_der(std::string_view raw) {
  if (raw.size() != 2 * p256_coordinate_bytes) return std::nullopt;
  EcdsaSigPtr sig(ECDSA_SIG_new());
  BnPtr r = bignum(raw.substr(0, p256_coordinate_bytes));
  BnPtr s = bignum(raw.substr(p256_coordinate_bytes));
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r.get(), s.get()) != 1) return std::nullopt;
  static_cast<void>(r.release());  // owned by sig now
  static_cast<void>(s.release());
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  if (len <= 0) return std::nullopt;
  std::string der(static_cast<std::size_t>(len), '\0');
  auto* out = reinterpret_cast<unsigned char*>(der.data());
  if (i2d_ECDSA_SIG(sig.get(), &out) != len) return std::nullopt;
  return der;
}

bool signature_is_valid(EVP_PKEY* key, Alg alg, std::string_view signing_input, std::string_view signature) {
  std::optional<std::string> der;
  if (alg == Alg::es256) {
    der = es256_to_der(signature);
    if (!der) return false;
    signature = *der;
  }
  MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;  // owned by ctx
  return ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, EVP_sha256(), nullptr, key) == 1 &&
         (alg != Alg::rs256 || EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PADDING) == 1) &&
         EVP_DigestVerify(ctx.get(), bytes_of(signature), signature.size(), bytes_of(signing_input),
                          signing_input.size()) == 1;
}

std::optional<std::string> string_claim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  if (!it->is_string()) unauthorised("claim \"" + std::string(name) + "\" is not a string");
  return it->get<std::string>();
}

// NumericDate (RFC 7519 §2) may be fractional; whole seconds are all we compare.
std::optional<std::int64_t> time_claim(const json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end()) return std::nullopt;
  constexpr auto max = std::numeric_limits<std::int64_t>::max();
  if (it->is_number_unsigned()) return static_cast<std::int64_t>(std::min<std::uint64_t>(it->get<std::uint64_t>(), max));
  if (it->is_number_integer()) return it->get<std::int64_t>();
  if (it->is_number_float() && std::isfinite(it->get<double>())) {
    return static_cast<std::int64_t>(std::clamp(std::floor(it->get<double>()), -9e18, 9e18));
  }
  unauthorised("claim \"" + std::string(name) + "\" is not a time");
}

void check_audience(const json& claims, const std::string& audience) {
  auto aud = claims.find("aud");
  bool listed = aud != claims.end() &&
                (aud->is_string() ? *aud == audience
                                  : aud->is_array() && std::find(aud->begin(), aud->end(), audience) != aud->end());
  if (!listed) unauthorised("audience does not match");
  // OIDC Core §3.1.3.7: with several audiences, azp says which of them the token is for.
  if (aud->is_array() && aud->size() > 1 && string_claim(claims, "azp") != audience) {
    unauthorised("authorised party (azp) does not match the audience");
  }
}

void check_times(const json& claims, const IdTokenExpectations& expect) {
  const std::int64_t leeway = std::max(expect.leeway_seconds, 0);
  auto exp = time_claim(claims, "exp");
  if (!exp) unauthorised("has no expiry (exp)");
  if (*exp <= expect.now_seconds - leeway) unauthorised("has expired");
  if (auto nbf = time_claim(claims, "nbf"); nbf && *nbf > expect.now_seconds + leeway) unauthorised("is not valid yet (nbf)");
  if (auto iat = time_claim(claims, "iat"); iat && *iat > expect.now_seconds + leeway) {
    unauthorised("was issued in the future (iat)");
  }
}

bool email_verified(const json& claims) {
  auto it = claims.find("email_verified");
  if (it == claims.end()) return false;
  if (it->is_boolean()) return it->get<bool>();
  // Some providers send the flag as a string.
  if (*it == "true") return true;
  if (*it == "false") return false;
  unauthorised("claim \"email_verified\" is not a boolean");
}

IdTokenClaims check_claims(const json& claims, const IdTokenExpectations& expect) {
  if (string_claim(claims, "iss") != expect.issuer) unauthorised("issuer does not match");
  check_audience(claims, expect.audience);
  check_times(claims, expect);
  IdTokenClaims out;
  out.issuer = expect.issuer;
  out.subject = string_claim(claims, "sub").value_or("");
  if (out.subject.empty()) unauthorised("has no subject (sub)");
  out.email = string_claim(claims, "email").value_or("");
  out.email_verified = email_verified(claims);
  out.expires = *time_claim(claims, "exp");
  return out;
}

}  // namespace

struct KeySet::Impl {
  std::vector<Key> keys;
};

KeySet::KeySet(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
KeySet::KeySet(KeySet&&) noexcept = default;
KeySet& KeySet::operator=(KeySet&&) noexcept = default;
KeySet::~KeySet() = default;

std::size_t KeySet::size() const { return impl_ ? impl_->keys.size() : 0; }

KeySet KeySet::parse(std::string_view jwks_json) {
  if (jwks_json.size() > max_jwks_bytes) bad_jwks("is larger than " + std::to_string(max_jwks_bytes / 1024) + " KiB");
  std::string problem;
  auto doc = parse_json(jwks_json, problem);
  if (!doc) bad_jwks(problem);
  auto keys = doc->find("keys");  // end() unless doc is an object
  if (keys == doc->end() || !keys->is_array()) bad_jwks("has no \"keys\" array");

  auto impl = std::make_unique<Impl>();
  std::string skipped;
  std::size_t index = 0;
  for (const json& jwk : *keys) {
    try {
      impl->keys.push_back(parse_jwk(jwk));
    } catch (const UnusableKey& e) {
      skipped += (skipped.empty() ? "" : "; ") + ("keys[" + std::to_string(index) + "] " + e.reason);
    }
    ++index;
  }
  if (impl->keys.empty()) bad_jwks("has no usable signing key" + (skipped.empty() ? "" : " (" + skipped + ")"));
  return KeySet(std::move(impl));
}

IdTokenClaims verify_id_token(std::string_view token, const KeySet& keys, const IdTokenExpectations& expect) {
  if (expect.issuer.empty() || expect.audience.empty()) {
    throw Error(ErrorKind::internal, "ID token verification needs an expected issuer and audience");
  }
  if (token.size() > max_token_bytes) unauthorised("is larger than " + std::to_string(max_token_bytes / 1024) + " KiB");
  Segments segments = split(token);
  Header header = read_header(decode_object(decode_segment(segments.header, "header"), "header"));
  std::string payload = decode_segment(segments.payload, "payload");
  std::string signature = decode_segment(segments.signature, "signature");
  if (!keys.impl_) unauthorised("key id is not in the key set");
  EVP_PKEY* key = find_key(keys.impl_->keys, header);
  if (!signature_is_valid(key, header.alg, segments.signing_input, signature)) {
    ERR_clear_error();
    unauthorised("signature is invalid");
  }
  // Claims are parsed only once the signature shows they come from the issuer.
  return check_claims(decode_object(payload, "payload"), expect);
}

}  // namespace agora::auth
