// OpenID Connect login over HTTP: ID tokens signed by the site's provider keys (a JWKS file
// written by the test), with the identity.md §2.2 Decisions.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "agora/core/time_format.hpp"
#include "api_fixture.hpp"
#include "support/jwt_signer.hpp"

using namespace agora;
using namespace agora::test;
using nlohmann::json;

namespace {

const std::string issuer = "https://login.example.com/";
const std::string client_id = "agora-demo";

class Oidc : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { key_ = jwt::rsa_key(2048).release(); }
  static void TearDownTestSuite() { EVP_PKEY_free(key_); }

  Oidc() : jwks_path_(std::filesystem::temp_directory_path() / ("agora-jwks-" + std::to_string(::getpid()) + ".json")) {
    std::ofstream(jwks_path_) << jwt::jwks({jwt::rsa_jwk(key_, "k1")});
    auto c = base_config();
    c.oidc["demo"] = OidcProvider{issuer, client_id, jwks_path_.string(), "", 60};
    server_ = std::make_unique<RunningServer>(c, false);
  }
  ~Oidc() override { std::filesystem::remove(jwks_path_); }

  json claims(const std::string& email) {
    const auto now = now_micros() / 1'000'000;
    return {{"iss", issuer}, {"aud", client_id}, {"sub", "sub-" + email}, {"email", email},
            {"email_verified", true}, {"iat", now}, {"exp", now + 600}};
  }
  std::string id_token(const json& c) { return jwt::token({{"alg", "RS256"}, {"kid", "k1"}}, c, key_); }
  HttpResponse login(const std::string& token, const std::string& route = "/api/v1/auth/oidc",
                     const std::string& host = "demo.localhost") {
    return request(server_->port(), "POST", route, {{"Host", host}, {"Content-Type", "application/json"}},
                   json{{"IdToken", token}}.dump());
  }

  static EVP_PKEY* key_;
  std::filesystem::path jwks_path_;
  std::unique_ptr<RunningServer> server_;
};

EVP_PKEY* Oidc::key_ = nullptr;

TEST_F(Oidc, AValidIdTokenSignsInAndCreatesTheUser) {
  auto r = login(id_token(claims("frodo@example.org")));
  ASSERT_EQ(r.status, 200) << r.body;
  const auto token = r.json()["data"].get<std::string>();
  auto me = request(server_->port(), "GET", "/api/v1/whoami",
                    {{"Host", "demo.localhost"}, {"Authorization", "Bearer " + token}});
  ASSERT_EQ(me.status, 200) << me.body;
  EXPECT_EQ(me.json()["data"]["email"], "frodo@example.org");
  // The Auth0-era route takes the same body.
  EXPECT_EQ(login(id_token(claims("frodo@example.org")), "/api/v1/auth0").status, 200);
}

TEST_F(Oidc, UnverifiedAddressesAreNeverMerged) {
  auto c = claims("sam@example.org");
  c["email_verified"] = false;
  auto r = login(id_token(c));
  EXPECT_EQ(r.status, 403);
  EXPECT_EQ(r.json()["error"][0], "The identity provider has not verified this e-mail address");
  c.erase("email");
  c["email_verified"] = true;
  EXPECT_EQ(login(id_token(c)).status, 403);
}

TEST_F(Oidc, ForgedExpiredOrMisdirectedTokensAre401) {
  auto other = jwt::rsa_key(2048);
  EXPECT_EQ(login(jwt::token({{"alg", "RS256"}, {"kid", "k1"}}, claims("a@example.org"), other.get())).status, 401);
  auto expired = claims("a@example.org");
  expired["exp"] = now_micros() / 1'000'000 - 3600;
  EXPECT_EQ(login(id_token(expired)).status, 401);
  auto wrong_audience = claims("a@example.org");
  wrong_audience["aud"] = "someone-else";
  EXPECT_EQ(login(id_token(wrong_audience)).status, 401);
  auto wrong_issuer = claims("a@example.org");
  wrong_issuer["iss"] = "https://evil.example.com/";
  EXPECT_EQ(login(id_token(wrong_issuer)).status, 401);
  EXPECT_EQ(login("not.a.jwt").status, 401);
  auto none = jwt::base64url(R"({"alg":"none"})") + "." + jwt::base64url(claims("a@example.org").dump()) + ".";
  EXPECT_EQ(login(none).status, 401);
}

TEST_F(Oidc, RefusedShapesAndUnconfiguredSites) {
  auto post = [&](const std::string& body, const std::string& host = "demo.localhost") {
    return request(server_->port(), "POST", "/api/v1/auth0", {{"Host", host}, {"Content-Type", "application/json"}},
                   body);
  };
  EXPECT_EQ(post(R"({"Code":"abc","ClientSecret":"x"})").status, 400);
  EXPECT_EQ(post(R"({"AccessToken":"abc","TokenType":"bearer"})").status, 400);
  EXPECT_EQ(post(R"({})").status, 400);
  EXPECT_EQ(post(R"({"IdToken":5})").status, 400);
  auto other = post(json{{"IdToken", id_token(claims("a@example.org"))}}.dump(), "other.localhost");
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(other.json()["error"][0], "OpenID Connect login is not configured for this site");
}

TEST_F(Oidc, AChangedKeyFileIsReadAgain) {
  ASSERT_EQ(login(id_token(claims("b@example.org"))).status, 200);
  auto next = jwt::rsa_key(2048);
  std::ofstream(jwks_path_, std::ios::trunc) << jwt::jwks({jwt::rsa_jwk(next.get(), "k2"), jwt::rsa_jwk(next.get(), "k3")});
  EXPECT_EQ(login(id_token(claims("b@example.org"))).status, 401);  // k1 is gone
  EXPECT_EQ(login(jwt::token({{"alg", "RS256"}, {"kid", "k2"}}, claims("b@example.org"), next.get())).status, 200);
  // A broken key file is the server's problem: 503, not a 500 or a login.
  std::ofstream(jwks_path_, std::ios::trunc) << "{";
  EXPECT_EQ(login(id_token(claims("b@example.org"))).status, 503);
}

TEST_F(Oidc, KeysCanComeFromAUrl) {
  auto config = *server_->app().config();
  config.oidc["demo"].jwks_file.clear();
  config.oidc["demo"].jwks_url = "http://localhost:" + std::to_string(server_->port()) + "/test/file?path=" + jwks_path_.string();
  server_->app().reload(config);
  EXPECT_EQ(login(id_token(claims("url@example.org"))).status, 200);
  // An unreachable key URL is the server's problem: 503.
  config.oidc["demo"].jwks_url = "http://127.0.0.1:9/jwks.json";
  server_->app().reload(config);
  EXPECT_EQ(login(id_token(claims("url@example.org"))).status, 503);
}

}  // namespace
