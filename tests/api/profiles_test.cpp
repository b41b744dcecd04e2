#include <gtest/gtest.h>
#include <pqxx/pqxx>

#include "agora/auth/passwords.hpp"
#include "api_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

constexpr const char* password = "profile test password";

/// Site 2 (demo) with owner Olga (profile 10), member Mel (11), member Zed (12);
/// site 3 (other) with Mel's profile 20.
class Profiles : public ::testing::Test {
 protected:
  void SetUp() override {
    auth::PasswordHasher hasher(1, 8 * 1024);
    const auto h = hasher.hash(password);
    exec_sql(server.db().url(),
             "INSERT INTO users (user_id, email, canonical_email, password_hash) VALUES"
             " (1, 'olga@example.org', 'olga@example.org', '" + h + "'),"
             " (2, 'mel@example.org', 'mel@example.org', '" + h + "'),"
             " (3, 'zed@example.org', 'zed@example.org', '" + h + "'),"
             " (4, 'gone@example.org', 'gone@example.org', NULL);"
             "SELECT setval('users_user_id_seq', 4);"
             "INSERT INTO profiles (profile_id, site_id, user_id, profile_name, comment_count, last_active) VALUES"
             " (10, 2, 1, 'Olga', 5, now() AT TIME ZONE 'UTC'),"
             " (11, 2, 2, 'Mel', 50, now() AT TIME ZONE 'UTC' - interval '1 day'),"
             " (12, 2, 3, 'Zed_x', 100, now() AT TIME ZONE 'UTC' - interval '1 day'),"
             " (13, 2, 4, 'deleted', 0, now() AT TIME ZONE 'UTC'),"
             " (20, 3, 2, 'MelOther', 0, now() AT TIME ZONE 'UTC');"
             "SELECT setval('profiles_profile_id_seq', 100);"
             "UPDATE sites SET owned_by = 10, created_by = 10 WHERE site_id = 2;");
  }
  unsigned short port() { return server.port(); }
  std::string token(const std::string& email, const std::string& host = "demo.localhost") {
    return password_login(port(), email, password, host);
  }
  HttpResponse as(const std::string& token, const std::string& method, const std::string& target,
                  const std::string& body = "", const std::string& host = "demo.localhost") {
    return call(port(), token, method, target, body, host);
  }
  std::vector<int> ids(const HttpResponse& r) {
    std::vector<int> out;
    const auto body = r.json();  // the loop must not range over a temporary's member
    for (auto& p : body["data"]["profiles"]["items"]) out.push_back(p["id"]);
    return out;
  }

  RunningServer server;
};

}  // namespace

TEST_F(Profiles, ListSortsFiltersAndPages) {
  auto all = as("", "GET", "/api/v1/profiles");
  ASSERT_EQ(all.status, 200) << all.body;
  EXPECT_EQ(ids(all), (std::vector<int>{11, 10, 12})) << "by name, without 'deleted' or other sites";
  EXPECT_EQ(all.json()["data"]["profiles"]["type"], "/api/v1/profiles");
  EXPECT_EQ(all.json()["data"]["meta"]["permissions"]["guest"], true);
  EXPECT_EQ(ids(as("", "GET", "/api/v1/profiles?top=true")), (std::vector<int>{12, 11, 10})) << "most comments first";
  EXPECT_EQ(ids(as("", "GET", "/api/v1/profiles?q=%40ol")), (std::vector<int>{10})) << "leading @ stripped";
  EXPECT_EQ(ids(as("", "GET", "/api/v1/profiles?q=zed_")), (std::vector<int>{12}));
  EXPECT_TRUE(ids(as("", "GET", "/api/v1/profiles?q=_")).empty()) << "_ is literal, not a wildcard";
  EXPECT_EQ(ids(as("", "GET", "/api/v1/profiles?online=1")), (std::vector<int>{10}));
  auto page = as("", "GET", "/api/v1/profiles?limit=5&offset=5");
  EXPECT_EQ(page.status, 400) << "past the last page";
  auto summary = all.json()["data"]["profiles"]["items"][0];
  EXPECT_FALSE(summary.contains("email"));
  EXPECT_EQ(summary["meta"]["links"][1]["href"], "/api/v1/sites/2");
}

TEST_F(Profiles, OneProfileAndWhoSeesTheEmail) {
  auto guest = as("", "GET", "/api/v1/profiles/11");
  ASSERT_EQ(guest.status, 200);
  EXPECT_FALSE(guest.json()["data"].contains("email"));
  EXPECT_EQ(guest.json()["data"]["commentCount"], 50);
  EXPECT_EQ(guest.json()["data"]["meta"]["permissions"]["update"], false);

  auto mel = token("mel@example.org");
  auto self = as(mel, "GET", "/api/v1/profiles/11").json()["data"];
  EXPECT_EQ(self["email"], "mel@example.org");
  EXPECT_EQ(self["meta"]["permissions"]["owner"], true);
  EXPECT_FALSE(as(mel, "GET", "/api/v1/profiles/12").json()["data"].contains("email"));

  auto olga = token("olga@example.org");
  auto by_owner = as(olga, "GET", "/api/v1/profiles/11").json()["data"];
  EXPECT_EQ(by_owner["email"], "mel@example.org") << "the site owner sees e-mails";
  EXPECT_EQ(by_owner["meta"]["permissions"]["siteOwner"], true);
  EXPECT_EQ(as(olga, "GET", "/api/v1/profiles/10").json()["data"]["admin"], true);
}

TEST_F(Profiles, OtherSitesProfilesDoNotExistHere) {
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/20").status, 404);
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/20", "", "forum.example.com").status, 200);
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/999").status, 404);
  auto mel = token("mel@example.org");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/20", R"({"profileName":"Hijack"})").status, 404);
}

TEST_F(Profiles, PutChangesOnlyNameVisibilityAndStyle) {
  auto mel = token("mel@example.org");
  auto r = as(mel, "PUT", "/api/v1/profiles/11",
              R"({"id":12,"siteId":3,"userId":1,"profileName":"  Melody ","visible":false,"commentCount":9999,
                  "itemCount":7,"lastActive":"2000-01-01T00:00:00Z"})");
  EXPECT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.header("location"), "/api/v1/profiles/11");
  auto p = as(mel, "GET", "/api/v1/profiles/11").json()["data"];
  EXPECT_EQ(p["profileName"], "Melody");
  EXPECT_EQ(p["visible"], false);
  EXPECT_EQ(p["commentCount"], 50) << "counters cannot be set";
  EXPECT_EQ(p["id"], 11);
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/12").json()["data"]["profileName"], "Zed_x") << "body id ignored";
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/20", "", "forum.example.com").json()["data"]["profileName"], "MelOther");
}

TEST_F(Profiles, PutPermissionsAndValidation) {
  auto mel = token("mel@example.org");
  auto olga = token("olga@example.org");
  EXPECT_EQ(as("", "PUT", "/api/v1/profiles/11", R"({"profileName":"Guest"})").status, 401);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/12", R"({"profileName":"Mine"})").status, 403);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/profiles/12", R"({"profileName":"Renamed"})").status, 302) << "site owner";
  auto taken = as(mel, "PUT", "/api/v1/profiles/11", R"({"profileName":"OLGA"})");
  EXPECT_EQ(taken.status, 400);
  EXPECT_EQ(taken.json()["error"][0], "Profile name is already taken");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11", R"({"profileName":"a@b"})").status, 400);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11", R"({"visible":"yes"})").status, 400);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11", R"([1,2])").status, 400);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11", "{").status, 400);
  EXPECT_EQ(as(mel, "DELETE", "/api/v1/profiles/11").status, 501);
}

TEST_F(Profiles, RootHostShowsOnlyOnesOwnProfile) {
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/11", "", "localhost").status, 404) << "not a root-site profile";
  exec_sql(server.db().url(),
           "INSERT INTO profiles (profile_id, site_id, user_id, profile_name) VALUES (30, 1, 2, 'MelRoot'),"
           " (31, 1, 3, 'ZedRoot')");
  auto mel = token("mel@example.org", "localhost");
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles/30", "", "localhost").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles/31", "", "localhost").status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/profiles", "", "localhost").status, 404) << "no list on the root";
}

TEST_F(Profiles, SiteOwnerBansAndLifts) {
  auto olga = token("olga@example.org");
  auto mel = token("mel@example.org");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/12/ban", "{}").status, 403) << "only the site owner";
  EXPECT_EQ(as(olga, "PUT", "/api/v1/profiles/10/ban", "{}").status, 400) << "not the owner herself";
  EXPECT_EQ(as(olga, "PUT", "/api/v1/profiles/11/ban", R"({"expires":"soon"})").status, 400);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/profiles/20/ban", "{}").status, 404) << "another site's profile";
  auto banned = as(olga, "PUT", "/api/v1/profiles/11/ban", R"({"displayReason":"spam","adminReason":"bot"})");
  EXPECT_EQ(banned.status, 200) << banned.body;

  auto blocked = as(mel, "GET", "/api/v1/profiles");
  EXPECT_EQ(blocked.status, 403);
  EXPECT_EQ(blocked.json()["error"][0], "Banned: spam");
  EXPECT_EQ(blocked.json()["data"]["errorCode"], 13);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11", R"({"visible":false})").status, 403);
  // Still allowed, so a client can say why.
  auto site = as(mel, "GET", "/api/v1/site");
  EXPECT_EQ(site.status, 200);
  EXPECT_EQ(site.json()["data"]["meta"]["permissions"]["banned"], true);
  EXPECT_EQ(as(mel, "GET", "/api/v1/whoami").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles/11").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles/12").status, 403);
  // The ban is per site: Mel's profile on the other site is untouched.
  auto other = token("mel@example.org", "forum.example.com");
  EXPECT_EQ(as(other, "GET", "/api/v1/whoami", "", "forum.example.com").json()["data"]["meta"]["permissions"]["banned"],
            false);

  EXPECT_EQ(as(olga, "DELETE", "/api/v1/profiles/11/ban").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles").status, 200) << "lifted at once: the cache was flushed";
}

TEST_F(Profiles, ExpiredBansNoLongerBite) {
  auto olga = token("olga@example.org");
  auto mel = token("mel@example.org");
  EXPECT_EQ(as(olga, "PUT", "/api/v1/profiles/11/ban", R"({"expires":"2001-01-01T00:00:00Z"})").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles").status, 200);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/profiles/11/ban", R"({"expires":"2999-01-01T00:00:00+02:00"})").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/profiles").status, 403);
}

TEST_F(Profiles, OptionsReadAndPartialUpdate) {
  // Profiles inserted by SQL have no options row; a login-created profile gets defaults.
  exec_sql(server.db().url(), "INSERT INTO profile_options (profile_id) VALUES (10), (11)");
  auto mel = token("mel@example.org");
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/options").status, 401);
  auto got = as(mel, "GET", "/api/v1/profiles/options");
  ASSERT_EQ(got.status, 200) << got.body;
  EXPECT_EQ(got.json()["data"], nlohmann::json::parse(R"({"profileId":11,"showDOB":false,"showDOBYear":false,
      "sendEmail":true,"sendSMS":false,"isDiscouraged":false})"));
  auto put = as(mel, "PUT", "/api/v1/profiles/options", R"({"sendEmail":false,"isDiscouraged":true,"profileId":10})");
  EXPECT_EQ(put.status, 302);
  EXPECT_EQ(put.header("location"), "/api/v1/profiles/options");
  auto after = as(mel, "GET", "/api/v1/profiles/options").json()["data"];
  EXPECT_EQ(after["sendEmail"], false);
  EXPECT_EQ(after["sendSMS"], false) << "missing fields keep their values";
  EXPECT_EQ(after["isDiscouraged"], false) << "a moderation flag members cannot set";
  auto olga = token("olga@example.org");
  EXPECT_EQ(as(olga, "GET", "/api/v1/profiles/options").json()["data"]["sendEmail"], true) << "body profileId ignored";
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/options", R"({"sendEmail":"no"})").status, 400);

  auto fresh = token("zed@example.org", "forum.example.com");  // profile created at login, with options
  EXPECT_EQ(as(fresh, "GET", "/api/v1/profiles/options", "", "forum.example.com").status, 200);
}

TEST_F(Profiles, UsersAreVisibleToThemselvesAndTheSiteOwnerOnly) {
  auto mel = token("mel@example.org");
  auto olga = token("olga@example.org");
  EXPECT_EQ(as("", "GET", "/api/v1/users/2").status, 401);
  auto own = as(mel, "GET", "/api/v1/users/2");
  ASSERT_EQ(own.status, 200) << own.body;
  EXPECT_EQ(own.json()["data"]["email"], "mel@example.org");
  EXPECT_EQ(own.json()["data"]["meta"]["links"][0]["href"], "/api/v1/users/2");
  EXPECT_EQ(as(mel, "GET", "/api/v1/users/3").status, 403) << "someone else";
  EXPECT_EQ(as(olga, "GET", "/api/v1/users/3").status, 200) << "the site owner";
  EXPECT_EQ(as(olga, "GET", "/api/v1/users/999").status, 403) << "unknown looks like forbidden";
  exec_sql(server.db().url(), "INSERT INTO users (user_id, email, canonical_email) VALUES (50, 'far@x.org', 'far@x.org')");
  EXPECT_EQ(as(olga, "GET", "/api/v1/users/50").status, 403) << "no profile on this site";
  EXPECT_EQ(as(mel, "PUT", "/api/v1/users/2", "{}").status, 501);
  EXPECT_EQ(as(mel, "DELETE", "/api/v1/users/2").status, 501);
}

TEST_F(Profiles, AuthenticatedRequestsRefreshLastActiveAtMostOnceAMinute) {
  exec_sql(server.db().url(), "UPDATE profiles SET last_active = '2001-01-01' WHERE profile_id = 11");
  auto mel = token("mel@example.org");
  // Login read the old value before the first authenticated request refreshed it.
  as(mel, "GET", "/api/v1/whoami");
  auto fresh = as(mel, "GET", "/api/v1/whoami").json()["data"]["lastActive"].get<std::string>();
  EXPECT_GT(fresh, std::string("2026")) << fresh;
  exec_sql(server.db().url(), "UPDATE profiles SET last_active = '2002-01-01' WHERE profile_id = 11");
  as(mel, "GET", "/api/v1/whoami");
  pqxx::connection c(server.db().url());
  pqxx::nontransaction tx(c);
  EXPECT_EQ(tx.exec("SELECT last_active::date::text FROM profiles WHERE profile_id = 11")[0][0].as<std::string>(),
            "2002-01-01") << "within the minute the cached value says recent: no write";
}

TEST_F(Profiles, SiteOwnerCreatesUsersInBulk) {
  auto mel = token("mel@example.org");
  auto olga = token("olga@example.org");
  EXPECT_EQ(as(mel, "POST", "/api/v1/users", "[").status, 400) << "bad JSON is 400 for everyone";
  EXPECT_EQ(as(mel, "POST", "/api/v1/users", R"([{"email":"new@example.org"}])").status, 403);
  EXPECT_EQ(as(olga, "POST", "/api/v1/users", "[]").status, 400);
  EXPECT_EQ(as(olga, "POST", "/api/v1/users", R"([{"email":"a@example.org","userId":1}])").status, 400);
  EXPECT_EQ(as(olga, "POST", "/api/v1/users", R"([{"email":"  "}])").status, 400);
  EXPECT_EQ(as(olga, "POST", "/api/v1/users", R"([{"email":"not-an-address"}])").status, 400);
  auto r = as(olga, "POST", "/api/v1/users", R"([{"email":"new@example.org"},{"EMAIL":"mel@example.org"}])");
  ASSERT_EQ(r.status, 200) << r.body;
  auto profiles = r.json()["data"];
  ASSERT_EQ(profiles.size(), 2u);
  EXPECT_EQ(profiles[0]["email"], "new@example.org");
  EXPECT_EQ(profiles[0]["siteId"], 2);
  EXPECT_EQ(profiles[1]["id"], 11) << "an existing member keeps their profile";
  auto again = as(olga, "POST", "/api/v1/users", R"([{"email":"new@example.org"}])");
  EXPECT_EQ(again.json()["data"][0]["id"], profiles[0]["id"]) << "idempotent";
  EXPECT_EQ(as(olga, "GET", "/api/v1/users/" + std::to_string(profiles[0]["userId"].get<int>())).status, 200);
}
