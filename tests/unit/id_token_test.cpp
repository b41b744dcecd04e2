#include "agora/auth/id_token.hpp"

#include <gtest/gtest.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>

#include <memory>
#include <nlohmann/json.hpp>
#include <stdexcept>
#include <string>

#include "agora/core/error.hpp"
#include "support/jwt_signer.hpp"

using agora::Error;
using agora::ErrorKind;
using agora::auth::IdTokenClaims;
using agora::auth::IdTokenExpectations;
using agora::auth::KeySet;
using agora::auth::verify_id_token;
using nlohmann::json;
using namespace agora::test::jwt;

namespace {

// Generated once: RSA key generation is slow under the sanitizers.
struct TestKeys {
  Pkey rsa = rsa_key(2048);
  Pkey rsa_other = rsa_key(2048);
  Pkey ec = ec_key();
};

TestKeys& test_keys() {
  static TestKeys keys;
  return keys;
}

constexpr std::int64_t now = 1'700'000'000;
const std::string issuer = "https://accounts.example.com";
const std::string client_id = "client-123";

IdTokenExpectations expectations() { return {issuer, client_id, now, 60}; }

json claims() {
  return {{"iss", issuer},       {"aud", client_id},        {"sub", "user-42"},
          {"email", "a@b.test"}, {"email_verified", true}, {"iat", now - 10},
          {"exp", now + 3600}};
}

json rs_header(const std::string& kid = "rsa-1") { return {{"alg", "RS256"}, {"typ", "JWT"}, {"kid", kid}}; }
json es_header(const std::string& kid = "ec-1") { return {{"alg", "ES256"}, {"typ", "JWT"}, {"kid", kid}}; }

KeySet key_set() {
  auto& k = test_keys();
  return KeySet::parse(jwks({rsa_jwk(k.rsa.get(), "rsa-1"), rsa_jwk(k.rsa_other.get(), "rsa-2"), ec_jwk(k.ec.get(), "ec-1")}));
}

std::string rs256(const json& payload) { return token(rs_header(), payload, test_keys().rsa.get()); }

// The message of the unauthorised error the token is rejected with; checks that it never
// echoes any part of the token.
std::string rejection(const std::string& tok, const KeySet& keys, const IdTokenExpectations& expect = expectations()) {
  try {
    verify_id_token(tok, keys, expect);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::unauthorised) << e.what();
    std::string_view rest = tok;
    while (!rest.empty()) {
      auto dot = rest.find('.');
      std::string_view segment = rest.substr(0, dot);
      if (segment.size() >= 8) {
        EXPECT_EQ(std::string_view(e.what()).find(segment), std::string_view::npos) << "message echoes the token";
      }
      rest = dot == std::string_view::npos ? std::string_view() : rest.substr(dot + 1);
    }
    return e.what();
  }
  ADD_FAILURE() << "token was accepted";
  return "";
}

std::string rejection(const std::string& tok) { return rejection(tok, key_set()); }

std::string jwks_rejection(const std::string& document) {
  try {
    KeySet::parse(document);
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    return e.what();
  }
  ADD_FAILURE() << "JWKS was accepted";
  return "";
}

#define EXPECT_MENTIONS(message, text) EXPECT_PRED_FORMAT2(::testing::IsSubstring, text, message)

}  // namespace

TEST(JwksKeySet, ParsesRsaAndEcKeys) {
  auto& k = test_keys();
  json unknown = {{"kty", "OKP"}, {"crv", "Ed25519"}, {"kid", "ed"}, {"x", "11qYAYKxCrfVS_7TyWQHOg7hcvPapiMlrwIaaPcHURo"}};
  auto keys = KeySet::parse(jwks({rsa_jwk(k.rsa.get(), "r"), ec_jwk(k.ec.get(), "e"), unknown}));
  EXPECT_EQ(keys.size(), 2u) << "the OKP key is skipped, not fatal";
}

TEST(JwksKeySet, RejectsDocumentsThatAreNotJwks) {
  EXPECT_MENTIONS(jwks_rejection("not json"), "not valid JSON");
  EXPECT_MENTIONS(jwks_rejection("{}"), "no \"keys\" array");
  EXPECT_MENTIONS(jwks_rejection("[1,2]"), "no \"keys\" array");
  EXPECT_MENTIONS(jwks_rejection(R"({"keys": {}})"), "no \"keys\" array");
  EXPECT_MENTIONS(jwks_rejection(R"({"keys": []})"), "no usable signing key");
  EXPECT_MENTIONS(jwks_rejection(std::string(100, '[') + std::string(100, ']')), "nests deeper");
}

TEST(JwksKeySet, SkipsRsaKeysShorterThan2048Bits) {
  Pkey weak = rsa_key(1024);
  auto message = jwks_rejection(jwks({rsa_jwk(weak.get(), "weak")}));
  EXPECT_MENTIONS(message, "no usable signing key");
  EXPECT_MENTIONS(message, "keys[0] RSA modulus is shorter than 2048 bits");

  auto keys = KeySet::parse(jwks({rsa_jwk(weak.get(), "weak"), rsa_jwk(test_keys().rsa.get(), "strong")}));
  EXPECT_EQ(keys.size(), 1u);
}

TEST(JwksKeySet, SkipsKeysNotMeantForSignatures) {
  json enc = rsa_jwk(test_keys().rsa.get(), "enc");
  enc["use"] = "enc";
  EXPECT_MENTIONS(jwks_rejection(jwks({enc})), "keys[0] is not for signatures");

  json wrap_only = rsa_jwk(test_keys().rsa.get(), "wrap");
  wrap_only.erase("use");
  wrap_only["key_ops"] = json::array({"wrapKey"});
  json verify = ec_jwk(test_keys().ec.get(), "ec");
  verify["key_ops"] = json::array({"verify"});
  EXPECT_EQ(KeySet::parse(jwks({enc, wrap_only, verify})).size(), 1u);
}

TEST(JwksKeySet, SkipsMalformedKeysAndSaysWhy) {
  json bad_n = rsa_jwk(test_keys().rsa.get(), "a");
  bad_n["n"] = "not+base64url";
  json other_alg = rsa_jwk(test_keys().rsa.get(), "b");
  other_alg["alg"] = "PS256";
  json other_curve = ec_jwk(test_keys().ec.get(), "c");
  other_curve["crv"] = "P-384";
  json off_curve = ec_jwk(test_keys().ec.get(), "d");
  off_curve["y"] = off_curve["x"];
  auto message = jwks_rejection(jwks({bad_n, other_alg, other_curve, off_curve}));
  EXPECT_MENTIONS(message, "keys[0] \"n\" is not base64url");
  EXPECT_MENTIONS(message, "keys[1] \"alg\" is not RS256");
  EXPECT_MENTIONS(message, "keys[2] EC curve is not P-256");
  EXPECT_MENTIONS(message, "keys[3] EC point is not on P-256");
}

TEST(JwksKeySet, MovedFromSetHasNoKeys) {
  KeySet keys = key_set();
  KeySet moved = std::move(keys);
  EXPECT_EQ(moved.size(), 3u);
  EXPECT_EQ(keys.size(), 0u);  // NOLINT(bugprone-use-after-move): that is the point
  EXPECT_MENTIONS(rejection(rs256(claims()), keys), "key id is not in the key set");
}

TEST(IdToken, ValidRs256TokenGivesItsClaims) {
  IdTokenClaims c = verify_id_token(rs256(claims()), key_set(), expectations());
  EXPECT_EQ(c.issuer, issuer);
  EXPECT_EQ(c.subject, "user-42");
  EXPECT_EQ(c.email, "a@b.test");
  EXPECT_TRUE(c.email_verified);
  EXPECT_EQ(c.expires, now + 3600);
}

TEST(IdToken, ValidEs256TokenGivesItsClaims) {
  json payload = claims();
  payload.erase("email");
  payload.erase("email_verified");
  payload["exp"] = now + 600.75;  // NumericDate may be fractional
  IdTokenClaims c = verify_id_token(token(es_header(), payload, test_keys().ec.get()), key_set(), expectations());
  EXPECT_EQ(c.subject, "user-42");
  EXPECT_EQ(c.email, "");
  EXPECT_FALSE(c.email_verified);
  EXPECT_EQ(c.expires, now + 600);
}

TEST(IdToken, TokenWithoutKidUsesTheOnlyKeyOfItsType) {
  auto& k = test_keys();
  auto keys = KeySet::parse(jwks({rsa_jwk(k.rsa.get(), "r"), ec_jwk(k.ec.get(), "e")}));
  json header = {{"alg", "RS256"}};
  EXPECT_EQ(verify_id_token(token(header, claims(), k.rsa.get()), keys, expectations()).subject, "user-42");
  EXPECT_MENTIONS(rejection(token(header, claims(), k.rsa.get())), "exactly one RS256 key")
      << "the full set has two RSA keys";
}

TEST(IdToken, SignatureByAnotherKeyIsInvalid) {
  std::string tok = token(rs_header("rsa-1"), claims(), test_keys().rsa_other.get());
  EXPECT_MENTIONS(rejection(tok), "ID token signature is invalid");
}

TEST(IdToken, TamperedPayloadIsInvalid) {
  std::string tok = rs256(claims());
  json forged = claims();
  forged["sub"] = "admin";
  auto first = tok.find('.');
  auto second = tok.find('.', first + 1);
  tok.replace(first + 1, second - first - 1, base64url(forged.dump()));
  EXPECT_MENTIONS(rejection(tok), "ID token signature is invalid");
}

TEST(IdToken, TamperedEs256SignatureIsInvalid) {
  std::string input = signing_input(es_header(), claims());
  std::string sig = sign(test_keys().ec.get(), input);
  sig[10] = static_cast<char>(sig[10] ^ 1);
  EXPECT_MENTIONS(rejection(input + "." + base64url(sig)), "signature is invalid");
  EXPECT_MENTIONS(rejection(input + "." + base64url(sig.substr(0, 63))), "signature is invalid") << "not 64 bytes";
}

TEST(IdToken, AlgNoneIsRejected) {
  json header = {{"alg", "none"}, {"kid", "rsa-1"}};
  EXPECT_MENTIONS(rejection(token(header, claims(), test_keys().rsa.get())), "algorithm is not accepted");
  EXPECT_MENTIONS(rejection(signing_input(header, claims()) + "."), "malformed") << "unsigned form";
}

TEST(IdToken, AlgHs256IsRejectedEvenWithThePublicKeyAsSecret) {
  json header = {{"alg", "HS256"}, {"kid", "rsa-1"}};
  std::string input = signing_input(header, claims());
  std::string secret = rsa_jwk(test_keys().rsa.get(), "rsa-1").dump();
  EXPECT_MENTIONS(rejection(input + "." + base64url(hs256(secret, input))), "algorithm is not accepted");
  header["alg"] = "RS512";
  EXPECT_MENTIONS(rejection(token(header, claims(), test_keys().rsa.get())), "algorithm is not accepted");
}

TEST(IdToken, AlgorithmMustMatchTheKeyType) {
  std::string tok = token(es_header("rsa-1"), claims(), test_keys().ec.get());
  EXPECT_MENTIONS(rejection(tok), "key does not match its algorithm");
}

TEST(IdToken, CriticalHeaderExtensionsAreRejected) {
  json header = rs_header();
  header["crit"] = json::array({"exp"});
  EXPECT_MENTIONS(rejection(token(header, claims(), test_keys().rsa.get())), "critical");
}

TEST(IdToken, UnknownKidIsRejected) {
  EXPECT_MENTIONS(rejection(token(rs_header("rotated-away"), claims(), test_keys().rsa.get())),
                  "key id is not in the key set");
}

TEST(IdToken, ExpiryAllowsLeewayAndNoMore) {
  json payload = claims();
  payload["exp"] = now - 61;
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token has expired");
  payload["exp"] = now - 60;
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token has expired") << "exp must be after now - leeway";
  payload["exp"] = now - 30;
  EXPECT_EQ(verify_id_token(rs256(payload), key_set(), expectations()).expires, now - 30);

  auto strict = expectations();
  strict.leeway_seconds = 0;
  EXPECT_MENTIONS(rejection(rs256(payload), key_set(), strict), "has expired");
}

TEST(IdToken, ExpiryIsRequiredAndMustBeATime) {
  json payload = claims();
  payload.erase("exp");
  EXPECT_MENTIONS(rejection(rs256(payload)), "has no expiry");
  payload["exp"] = "tomorrow";
  EXPECT_MENTIONS(rejection(rs256(payload)), "claim \"exp\" is not a time");
}

TEST(IdToken, NotBeforeInTheFutureIsRejected) {
  json payload = claims();
  payload["nbf"] = now + 120;
  EXPECT_MENTIONS(rejection(rs256(payload)), "is not valid yet");
  payload["nbf"] = now + 30;
  EXPECT_NO_THROW(verify_id_token(rs256(payload), key_set(), expectations())) << "within leeway";
}

TEST(IdToken, IssuedInTheFutureIsRejected) {
  json payload = claims();
  payload["iat"] = now + 3600;
  EXPECT_MENTIONS(rejection(rs256(payload)), "issued in the future");
}

TEST(IdToken, WrongIssuerIsRejected) {
  json payload = claims();
  payload["iss"] = "https://accounts.example.com/";
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token issuer does not match");
  payload.erase("iss");
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token issuer does not match");
}

TEST(IdToken, WrongAudienceIsRejected) {
  json payload = claims();
  payload["aud"] = "client-1234";
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token audience does not match");
  payload["aud"] = json::array({"other-1", "other-2"});
  payload["azp"] = client_id;
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token audience does not match");
  payload.erase("aud");
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token audience does not match");
}

TEST(IdToken, AudienceArrayWithAzpIsAccepted) {
  json payload = claims();
  payload["aud"] = json::array({"other", client_id});
  payload["azp"] = client_id;
  EXPECT_EQ(verify_id_token(rs256(payload), key_set(), expectations()).subject, "user-42");

  payload["aud"] = json::array({client_id});
  payload.erase("azp");
  EXPECT_NO_THROW(verify_id_token(rs256(payload), key_set(), expectations())) << "one audience needs no azp";
}

TEST(IdToken, AudienceArrayWithSeveralEntriesNeedsMatchingAzp) {
  json payload = claims();
  payload["aud"] = json::array({"other", client_id});
  EXPECT_MENTIONS(rejection(rs256(payload)), "authorised party (azp) does not match");
  payload["azp"] = "other";
  EXPECT_MENTIONS(rejection(rs256(payload)), "authorised party (azp) does not match");
}

TEST(IdToken, SubjectIsRequired) {
  json payload = claims();
  payload.erase("sub");
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token has no subject");
  payload["sub"] = "";
  EXPECT_MENTIONS(rejection(rs256(payload)), "ID token has no subject");
  payload["sub"] = 42;
  EXPECT_MENTIONS(rejection(rs256(payload)), "claim \"sub\" is not a string");
}

TEST(IdToken, EmailVerifiedFalseIsReturnedForTheCallerToJudge) {
  json payload = claims();
  payload["email_verified"] = false;
  IdTokenClaims c = verify_id_token(rs256(payload), key_set(), expectations());
  EXPECT_FALSE(c.email_verified);
  EXPECT_EQ(c.email, "a@b.test");
}

TEST(IdToken, EmailVerifiedMayBeAString) {
  json payload = claims();
  payload["email_verified"] = "true";
  EXPECT_TRUE(verify_id_token(rs256(payload), key_set(), expectations()).email_verified);
  payload["email_verified"] = "false";
  EXPECT_FALSE(verify_id_token(rs256(payload), key_set(), expectations()).email_verified);
  payload["email_verified"] = "yes";
  EXPECT_MENTIONS(rejection(rs256(payload)), "\"email_verified\" is not a boolean");
}

TEST(IdToken, MalformedTokensAreRejected) {
  std::string tok = rs256(claims());
  auto last_dot = tok.rfind('.');
  EXPECT_MENTIONS(rejection(tok.substr(0, last_dot)), "does not have three segments");
  EXPECT_MENTIONS(rejection(tok + ".e30"), "does not have three segments");
  EXPECT_MENTIONS(rejection(".." + tok.substr(last_dot + 1)), "empty segment");
  EXPECT_MENTIONS(rejection(""), "does not have three segments");

  EXPECT_MENTIONS(rejection("e30*." + tok.substr(tok.find('.') + 1)), "header is not base64url");
  EXPECT_MENTIONS(rejection(tok + "=="), "signature is not base64url") << "padding is not allowed";
  EXPECT_MENTIONS(rejection(tok.substr(0, last_dot + 1) + "A"), "signature is not base64url") << "bad length";

  std::string not_json = base64url("{\"alg\":\"RS256\"") + tok.substr(tok.find('.'));
  EXPECT_MENTIONS(rejection(not_json), "ID token is malformed: header is not valid JSON");
  std::string array = base64url("[\"RS256\"]") + tok.substr(tok.find('.'));
  EXPECT_MENTIONS(rejection(array), "header is not a JSON object");
}

TEST(IdToken, NonCanonicalBase64IsRejected) {
  std::string tok = rs256(claims());
  // A 256-byte signature ends in a character carrying 4 unused bits; set one of them.
  auto pos = b64_alphabet.find(tok.back());
  tok.back() = b64_alphabet[pos | 1];
  EXPECT_MENTIONS(rejection(tok), "signature is not base64url");
}

TEST(IdToken, DeeplyNestedClaimsAreMalformed) {
  json payload = claims();
  payload["extra"] = json::parse(std::string(40, '[') + std::string(40, ']'));
  EXPECT_MENTIONS(rejection(rs256(payload)), "payload nests deeper");
}

TEST(IdToken, TokensOver16KiBAreRejected) {
  json payload = claims();
  payload["padding"] = std::string(13 * 1024, 'x');
  std::string tok = rs256(payload);
  ASSERT_GT(tok.size(), 16u * 1024);
  EXPECT_MENTIONS(rejection(tok), "larger than 16 KiB");

  payload["padding"] = std::string(10 * 1024, 'x');
  EXPECT_NO_THROW(verify_id_token(rs256(payload), key_set(), expectations()));
}

TEST(IdToken, MissingExpectationsAreAnInternalError) {
  auto expect = expectations();
  expect.audience.clear();
  try {
    verify_id_token(rs256(claims()), key_set(), expect);
    ADD_FAILURE() << "accepted";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::internal);
  }
}
