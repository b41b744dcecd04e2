#pragma once
// OpenID Connect ID token verification (RS256 and ES256) against an identity provider's
// JWKS document. The key set is immutable once parsed, so one instance can be shared by
// every request thread.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace agora::auth {

/// What the caller expects of a token: its issuer, its audience (our client id) and the time.
struct IdTokenExpectations {
  std::string issuer;            // must equal claim "iss" exactly
  std::string audience;          // must equal "aud" (string) or be contained in "aud" (array); if aud is an array with >1 entries, "azp" must equal audience
  std::int64_t now_seconds = 0;  // current Unix time (passed in for testability)
  int leeway_seconds = 60;       // allowed clock skew for exp / nbf / iat
};

/// The claims of a verified token that the caller needs.
struct IdTokenClaims {
  std::string issuer, subject, email;
  bool email_verified = false;
  std::int64_t expires = 0;  // exp
};

class KeySet;

/// Verifies a compact JWS ID token: alg RS256 or ES256 only, key chosen by "kid" (or the only
/// key of the right type when there is no kid), signature, iss, aud/azp, exp/nbf/iat with
/// leeway, non-empty sub. Throws agora::Error(ErrorKind::unauthorised) saying what failed;
/// the message never contains any part of the token.
IdTokenClaims verify_id_token(std::string_view token, const KeySet& keys, const IdTokenExpectations& expect);

/// A parsed JWKS key set (RFC 7517): RSA keys (kty RSA, n, e; modulus of at least 2048 bits)
/// and EC P-256 keys (kty EC, crv P-256, x, y). Keys whose "use" is not "sig", whose "alg"
/// is not the one we verify with, or that are malformed are skipped; keys are found by "kid".
class KeySet {
 public:
  /// Throws agora::Error(ErrorKind::bad_request) naming what is wrong when the document is
  /// not a JWKS with at least one usable key.
  static KeySet parse(std::string_view jwks_json);

  KeySet(KeySet&&) noexcept;
  KeySet& operator=(KeySet&&) noexcept;
  ~KeySet();

  /// Number of usable keys.
  std::size_t size() const;

 private:
  struct Impl;
  explicit KeySet(std::unique_ptr<Impl> impl);
  friend IdTokenClaims verify_id_token(std::string_view, const KeySet&, const IdTokenExpectations&);

  std::unique_ptr<Impl> impl_;  // the EVP_PKEYs, by kid
};

}  // namespace agora::auth
