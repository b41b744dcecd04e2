#include <gtest/gtest.h>

#include "agora/auth/passwords.hpp"
#include "api_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

constexpr const char* password = "correct horse battery staple";

class Auth : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::PasswordHasher hasher(1, 8 * 1024);
    exec_sql(server.db().url(),
             "INSERT INTO users (user_id, email, canonical_email, password_hash) VALUES"
             " (1, 'Ann@Example.org', 'Ann@example.org', '" + hasher.hash(password) + "'),"
             " (2, 'bob@example.org', 'bob@example.org', NULL);"
             "SELECT setval('users_user_id_seq', 2)");
  }
  unsigned short port() { return server.port(); }

  HttpResponse login(const std::string& body, const std::string& host = "demo.localhost",
                     const std::string& type = "application/json") {
    return request(port(), "POST", "/api/v1/auth", {{"Host", host}, {"Content-Type", type}}, body);
  }
  std::string token(const std::string& host = "demo.localhost") {
    auto r = login(R"({"email":"Ann@EXAMPLE.org","password":")" + std::string(password) + "\"}", host);
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"].get<std::string>();
  }
  HttpResponse with_token(const std::string& method, const std::string& target, const std::string& token,
                          const std::string& host = "demo.localhost") {
    return request(port(), method, target, {{"Host", host}, {"Authorization", "Bearer " + token}});
  }

  RunningServer server;
};

}  // namespace

TEST_F(Auth, PasswordLoginGivesASiteTokenAndWhoamiAnswersWithTheProfile) {
  auto t = token();
  EXPECT_EQ(t.size(), 128u);
  auto me = with_token("GET", "/api/v1/whoami", t);
  ASSERT_EQ(me.status, 200) << me.body;
  auto d = me.json()["data"];
  EXPECT_EQ(d["siteId"], 2);
  EXPECT_EQ(d["userId"], 1);
  EXPECT_EQ(d["email"], "Ann@Example.org");
  EXPECT_EQ(d["profileName"], "user5831");
  EXPECT_EQ(d["admin"], false);
  EXPECT_EQ(d["meta"]["permissions"]["owner"], true);
  EXPECT_EQ(d["meta"]["permissions"]["siteOwner"], false);
  EXPECT_EQ(d["meta"]["stats"][0]["metric"], "unreadHuddles");
  EXPECT_EQ(me.header("cache-control"), "no-cache, max-age=0") << "personal answers are never public";
}

TEST_F(Auth, LocalPartCaseMattersOutsideGmail) {
  // identity.md §5.1 Decision: only the domain is folded, so Ann@ and ann@ are different accounts.
  EXPECT_EQ(login(R"({"email":"ann@example.org","password":")" + std::string(password) + "\"}").status, 401);
}

TEST_F(Auth, WrongPasswordAndUnknownAccountsLookTheSame) {
  auto wrong = login(R"({"email":"Ann@example.org","password":"not the password"})");
  auto unknown = login(R"({"email":"nobody@example.org","password":"whatever123"})");
  auto no_password = login(R"({"email":"bob@example.org","password":"whatever123"})");
  EXPECT_EQ(wrong.status, 401);
  EXPECT_EQ(unknown.status, 401);
  EXPECT_EQ(no_password.status, 401);
  EXPECT_EQ(wrong.json()["error"], unknown.json()["error"]);
}

TEST_F(Auth, LoginInputIsValidated) {
  EXPECT_EQ(login("{\"email\":").status, 400);
  EXPECT_EQ(login(R"({"email":5,"password":"x"})").status, 400);
  EXPECT_EQ(login(R"({"password":"x"})").status, 400);
  EXPECT_EQ(login(R"({"email":"not an address","password":"whatever123"})").status, 400);
  EXPECT_EQ(login(R"({"email":"a@example.org"})").status, 400);
  EXPECT_EQ(login("<xml/>", "demo.localhost", "text/xml").status, 400);
  auto persona = login(R"({"Assertion":"x","ClientSecret":"y"})");
  EXPECT_EQ(persona.status, 400);
  EXPECT_EQ(persona.json()["error"][0], "Persona login is no longer supported");
}

TEST_F(Auth, JsonKeysAreCaseInsensitiveAndFormsWork) {
  EXPECT_EQ(login(R"({"EMAIL":"Ann@example.org","Password":")" + std::string(password) + "\"}").status, 200);
  auto form = login("email=Ann%40example.org&password=correct+horse+battery+staple", "demo.localhost",
                    "application/x-www-form-urlencoded");
  EXPECT_EQ(form.status, 200) << form.body;
}

TEST_F(Auth, GuestsAndBadTokens) {
  EXPECT_EQ(get(port(), "/api/v1/whoami").status, 403);
  auto malformed = request(port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"Authorization", "Token abc"}});
  EXPECT_EQ(malformed.status, 401);
  auto unknown = with_token("GET", "/api/v1/site", std::string(128, 'a'));
  EXPECT_EQ(unknown.status, 401) << "an unknown token is 401 even on public routes";
  EXPECT_EQ(unknown.json()["error"][0], "Invalid (bad or expired) access token");
  EXPECT_EQ(get(port(), "/api/v1/site?access_token=nonsense").status, 401);
}

TEST_F(Auth, TokenIsBoundToItsSite) {
  auto t = token("demo.localhost");
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", t, "forum.example.com").status, 401);
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", t, "localhost").status, 401);
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", token("forum.example.com"), "forum.example.com").json()["data"]["siteId"],
            3) << "a token from the other site works there, with a profile of its own";
}

TEST_F(Auth, QueryParameterTransportWorksAndIsNotEchoedInLinks) {
  auto t = token("localhost");
  auto r = get(port(), "/api/v1/sites?access_token=" + t, "localhost");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.body.find(t), std::string::npos);
  // Writes must carry the token in the header.
  auto site_token = token();
  auto put = request(port(), "PUT", "/api/v1/profiles/options?access_token=" + site_token,
                     {{"Host", "demo.localhost"}, {"Content-Type", "application/json"}}, R"({"sendEmail":false})");
  EXPECT_EQ(put.status, 401);
  EXPECT_NE(put.json()["error"][0].get<std::string>().find("accepted on GET only"), std::string::npos);
}

TEST_F(Auth, LogoutRevokesTheToken) {
  auto t = token();
  EXPECT_EQ(with_token("DELETE", "/api/v1/auth", t).status, 200);
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", t).status, 401);
  EXPECT_EQ(request(port(), "DELETE", "/api/v1/auth", {{"Host", "demo.localhost"}}).status, 401) << "guests";
}

TEST_F(Auth, WebClientLogoutThroughMethodOverride) {
  auto t = token();
  auto other = token();
  auto forbidden = with_token("DELETE", "/api/v1/auth/" + other, t);
  EXPECT_EQ(forbidden.status, 403) << "only one's own token";
  auto r = request(port(), "POST", "/api/v1/auth/" + t + "?method=DELETE&access_token=" + t,
                   {{"Host", "demo.localhost"}});
  EXPECT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", t).status, 401);
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", other).status, 200);
}

TEST_F(Auth, ExpiredTokenIs401) {
  auto t = token();
  exec_sql(server.db().url(), "UPDATE access_tokens SET expires = (now() AT TIME ZONE 'UTC') - interval '1 minute'");
  EXPECT_EQ(with_token("GET", "/api/v1/whoami", t).status, 401);
}

TEST_F(Auth, SiteOwnerSeesOwnerPermissionsAndOwnedBy) {
  // Before anything reads (and caches) the site: Ann's profile 100 owns site 2.
  exec_sql(server.db().url(),
           "INSERT INTO profiles (profile_id, site_id, user_id, profile_name) VALUES (100, 2, 1, 'Ann');"
           "UPDATE sites SET owned_by = 100, created_by = 100 WHERE site_id = 2");
  auto t = token();
  auto me = with_token("GET", "/api/v1/whoami", t).json()["data"];
  EXPECT_EQ(me["id"], 100);
  EXPECT_EQ(me["profileName"], "Ann");
  EXPECT_EQ(me["admin"], true);
  EXPECT_EQ(me["meta"]["permissions"]["siteOwner"], true);

  auto site = with_token("GET", "/api/v1/site", t).json()["data"];
  EXPECT_EQ(site["ownedBy"]["id"], 100);
  EXPECT_EQ(site["ownedBy"]["profileName"], "Ann");
  EXPECT_EQ(site["meta"]["createdBy"]["id"], 100);
  EXPECT_EQ(site["meta"]["permissions"]["update"], true);
  EXPECT_EQ(site["meta"]["permissions"]["siteOwner"], true);

  auto as_guest = get(port(), "/api/v1/site").json()["data"];
  EXPECT_EQ(as_guest["ownedBy"]["id"], 100);
  EXPECT_EQ(as_guest["meta"]["permissions"]["update"], false);
  EXPECT_EQ(as_guest["meta"]["permissions"]["guest"], true);
  EXPECT_FALSE(as_guest["ownedBy"].contains("email")) << "summaries never carry e-mail";
}

TEST_F(Auth, TenWrongPasswordsFromOneAddressEndIn429) {
  for (int i = 0; i < 10; ++i) {
    EXPECT_EQ(login(R"({"email":"Ann@example.org","password":"wrong password"})").status, 401) << i;
  }
  auto limited = login(R"({"email":"Ann@example.org","password":")" + std::string(password) + "\"}");
  EXPECT_EQ(limited.status, 429) << "even the right password waits";
  EXPECT_GE(std::stoi(limited.header("retry-after")), 1);
  EXPECT_EQ(limited.json()["status"], 429);
  EXPECT_EQ(login(R"({"email":"someone.else@example.org","password":"whatever123"})").status, 429) << "per address";
}

TEST_F(Auth, LimitsReloadLive) {
  auto next = *server.app().config();
  next.auth.login_attempts_per_ip = 2;
  server.app().reload(next);
  EXPECT_EQ(login(R"({"email":"x@example.org","password":"whatever123"})").status, 401);
  EXPECT_EQ(login(R"({"email":"y@example.org","password":"whatever123"})").status, 401);
  EXPECT_EQ(login(R"({"email":"z@example.org","password":"whatever123"})").status, 429);
}
