// Huddles over HTTP (content-events-polls-huddles.md §H and its Decisions). The point of
// huddles is privacy: nothing about one reaches anyone but its current participants.
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class Huddles : public Community {
 protected:
  std::int64_t created(const HttpResponse& r) {
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return loc.empty() ? 0 : std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  std::int64_t huddle(const std::string& token, const std::string& title, std::vector<int> with = {},
                      bool confidential = false) {
    nlohmann::json people = nlohmann::json::array();
    for (int id : with) people.push_back({{"id", id}});
    return created(as(token, "POST", "/api/v1/huddles",
                      nlohmann::json{{"title", title}, {"participants", people}, {"isConfidential", confidential}}
                          .dump()));
  }
  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  static std::string path(std::int64_t id, const std::string& rest = "") {
    return "/api/v1/huddles/" + std::to_string(id) + rest;
  }
  std::vector<std::int64_t> listed(const std::string& token) {
    auto r = as(token, "GET", "/api/v1/huddles");
    EXPECT_EQ(r.status, 200) << r.body;
    std::vector<std::int64_t> out;
    const auto body = r.json();  // kept alive: a range-for over a temporary's member dangles
    for (const auto& h : body["data"]["huddles"]["items"]) out.push_back(h["id"]);
    return out;
  }
  /// Every read route of the huddle answers 404 (exactly like a missing id) and says nothing about it.
  void expect_invisible(const std::string& token, std::int64_t id, const std::string& title) {
    for (const auto& route : {path(id), path(id, "/participants"), path(id, "/participants/10"),
                              path(id, "/participants/11"), path(id, "/participants/12")}) {
      auto r = as(token, "GET", route);
      EXPECT_EQ(r.status, 404) << route << " " << r.body;
      EXPECT_EQ(r.body.find(title), std::string::npos) << route << " " << r.body;
      EXPECT_EQ(r.json()["error"][0], "Huddle " + std::to_string(id) + " not found") << route;
    }
    auto list = as(token, "GET", "/api/v1/huddles");
    EXPECT_EQ(list.body.find(title), std::string::npos) << list.body;
  }
};

TEST_F(Huddles, AMemberStartsAHuddleAndOnlyItsParticipantsSeeIt) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  auto id = huddle(mel, "Saturday plans", {12});
  auto r = as(zed, "GET", path(id));
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = r.json()["data"];
  EXPECT_EQ(d["id"], id);
  EXPECT_EQ(d["title"], "Saturday plans");
  EXPECT_EQ(d["isConfidential"], false);
  ASSERT_EQ(d["participants"].size(), 2u);
  EXPECT_EQ(d["participants"][0]["id"], 11);
  EXPECT_EQ(d["participants"][1]["profileName"], "Zed");
  EXPECT_EQ(d["comments"]["total"], 0);
  EXPECT_EQ(d["comments"]["type"], "/api/v1/comments");
  EXPECT_EQ(d["meta"]["createdBy"]["id"], 11);
  // A participant watches the huddle (§H.6 Decision): only the watch flags, nothing else.
  EXPECT_EQ(d["meta"]["flags"], (nlohmann::json{{"watched", true}, {"sendEmail", false}, {"sendSMS", false}}));
  EXPECT_EQ(d["meta"]["links"][0]["href"], path(id));
  EXPECT_TRUE(d["meta"]["permissions"]["read"]);
  EXPECT_FALSE(d["meta"]["permissions"]["owner"]);  // Zed did not create it
  EXPECT_EQ(listed(mel), std::vector<std::int64_t>{id});
  auto list = as(zed, "GET", "/api/v1/huddles").json()["data"];
  EXPECT_EQ(list["huddles"]["type"], "/api/v1/huddles");
  auto s = list["huddles"]["items"][0];
  EXPECT_EQ(s["totalComments"], 0);
  EXPECT_EQ(s["participants"].size(), 2u);
  EXPECT_EQ(s["meta"]["flags"]["unread"], false);
  EXPECT_EQ(s["meta"]["links"][0]["href"], path(id));
  EXPECT_FALSE(list["meta"].contains("permissions"));
  // The site owner is not a participant: nothing, not even that it exists.
  expect_invisible(olga, id, "Saturday plans");
  EXPECT_TRUE(listed(olga).empty());
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE item_type_id = 5 AND action = 'C' AND item_id = " +
                   std::to_string(id)),
            1);
  // No huddle has comments yet, so nobody has unread huddles.
  auto me = as(zed, "GET", "/api/v1/whoami").json()["data"];
  bool counted = false;
  for (const auto& stat : me["meta"]["stats"]) {
    if (stat["metric"] == "unreadHuddles") {
      counted = true;
      EXPECT_EQ(stat["value"], 0);
    }
  }
  EXPECT_TRUE(counted) << me.dump();
}

TEST_F(Huddles, NonParticipantsIncludingTheSiteOwnerGetNothingFromAnyRoute) {
  auto mel = login("mel@example.org"), olga = login("olga@example.org"), bob = login("bob@example.org");
  auto id = huddle(mel, "Secret plans", {12});
  const auto before = scalar("SELECT COUNT(*) FROM huddle_profiles");
  expect_invisible(olga, id, "Secret plans");
  // Writes from outside: invite oneself (both forms), remove someone, leave; none changes anything.
  EXPECT_EQ(as(olga, "PUT", path(id, "/participants"), R"([{"id":10}])").status, 404);
  EXPECT_EQ(as(olga, "PUT", path(id, "/participants/10")).status, 404);
  EXPECT_EQ(as(olga, "DELETE", path(id, "/participants/11")).status, 404);
  EXPECT_EQ(as(olga, "DELETE", path(id, "/participants/10")).status, 404);
  EXPECT_EQ(as(olga, "DELETE", path(id)).status, 200);  // as for a missing huddle (§H.8)
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles"), before);
  // A missing id answers the same as someone else's huddle.
  auto missing = as(olga, "GET", path(99999));
  EXPECT_EQ(missing.status, 404);
  // The permission route grants a non-participant nothing on a huddle.
  auto p = permission(olga, "itemType=huddle&itemId=" + std::to_string(id));
  for (const char* right : {"create", "read", "update", "delete"}) EXPECT_FALSE(p[right]) << right;
  // Guests and banned profiles are refused without learning anything either.
  for (const std::string& token : {std::string(), bob}) {
    for (const auto& route : {path(id), path(id, "/participants"), path(id, "/participants/11")}) {
      auto r = as(token, "GET", route);
      EXPECT_EQ(r.status, 403) << route;
      EXPECT_EQ(r.body.find("Secret"), std::string::npos);
    }
  }
  auto guest_list = as("", "GET", "/api/v1/huddles");
  ASSERT_EQ(guest_list.status, 200);
  EXPECT_EQ(guest_list.json()["data"]["huddles"]["total"], 0);
}

TEST_F(Huddles, TheCreatorLosesAccessAfterLeaving) {
  // Decision (§H.3): current participants only, the creator included.
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  auto id = huddle(mel, "Leaving soon", {12});
  ASSERT_EQ(as(mel, "GET", path(id)).status, 200);
  EXPECT_EQ(as(mel, "DELETE", path(id)).status, 200);
  expect_invisible(mel, id, "Leaving soon");
  EXPECT_TRUE(listed(mel).empty());
  auto d = as(zed, "GET", path(id)).json()["data"];
  ASSERT_EQ(d["participants"].size(), 1u);
  EXPECT_EQ(d["participants"][0]["id"], 12);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE item_type_id = 5 AND action = 'D' AND profile_id = 11"), 1);
  // Leaving again, or a huddle that does not exist: 200 and nothing happens.
  EXPECT_EQ(as(mel, "DELETE", path(id)).status, 200);
  EXPECT_EQ(as(mel, "DELETE", path(424242)).status, 200);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE item_type_id = 5 AND action = 'D'"), 1);
}

TEST_F(Huddles, ACachedHuddleIsNeverServedToANonParticipant) {
  // Decision (§H.10): participation is verified on every request, cached item or not.
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  auto id = huddle(mel, "Cached", {12});
  for (int i = 0; i < 2; ++i) ASSERT_EQ(as(zed, "GET", path(id)).status, 200);  // now cached
  ASSERT_EQ(as(zed, "GET", path(id, "/participants")).status, 200);
  expect_invisible(olga, id, "Cached");
  // Zed leaves: the cached huddle (with Zed in its participant list) must not let him back in,
  // and the others see the list without him at once.
  ASSERT_EQ(as(zed, "DELETE", path(id, "/participants/12")).status, 200);
  expect_invisible(zed, id, "Cached");
  auto d = as(mel, "GET", path(id)).json()["data"];
  EXPECT_EQ(d["participants"].size(), 1u);
  // The database, not the cached huddle, decides: a participant row added and removed behind
  // the cache's back lets Olga in and out at once, with the cached item never flushed.
  auto list = as(mel, "GET", path(id, "/participants")).json()["data"]["participants"];
  EXPECT_EQ(list["total"], 1);
  exec_sql(server.db().url(), "INSERT INTO huddle_profiles (site_id, huddle_id, profile_id) VALUES (2, " +
                                  std::to_string(id) + ", 10)");
  ASSERT_EQ(as(olga, "GET", path(id)).status, 200);
  exec_sql(server.db().url(), "DELETE FROM huddle_profiles WHERE profile_id = 10");
  expect_invisible(olga, id, "Cached");
}

TEST_F(Huddles, AHuddleNeverAppearsInAnotherProfilesList) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  auto a = huddle(mel, "Mel alone");
  auto b = huddle(mel, "Mel and Zed", {12});
  auto c = huddle(olga, "Olga and Zed", {12});
  EXPECT_EQ(listed(mel), (std::vector<std::int64_t>{b, a}));  // newest first
  EXPECT_EQ(listed(zed), (std::vector<std::int64_t>{c, b}));
  EXPECT_EQ(listed(olga), std::vector<std::int64_t>{c});
  // Paging: six of Zed's huddles are two pages of five, the oldest alone on the second.
  for (int i = 0; i < 4; ++i) huddle(olga, "Olga and Zed, part " + std::to_string(i + 2), {12});
  auto page = as(zed, "GET", "/api/v1/huddles?limit=5&offset=5").json()["data"]["huddles"];
  EXPECT_EQ(page["total"], 6);
  ASSERT_EQ(page["items"].size(), 1u);
  EXPECT_EQ(page["items"][0]["id"], b);
  EXPECT_EQ(as(zed, "GET", "/api/v1/huddles?limit=1").status, 400);  // limits come in fives
  // unread=true: no huddle has comments yet, so none is unread.
  EXPECT_EQ(as(zed, "GET", "/api/v1/huddles?unread=TRUE").json()["data"]["huddles"]["total"], 0);
  // Huddles created by someone Zed ignores are left out.
  ASSERT_EQ(as(zed, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":10})").status, 200);
  EXPECT_EQ(listed(zed), std::vector<std::int64_t>{b});
}

TEST_F(Huddles, CreationCollapsesDuplicatesAddsTheCreatorAndRefusesOtherSitesProfiles) {
  auto mel = login("mel@example.org");
  auto id = huddle(mel, "Dupes", {12, 12, 11, 10});
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles WHERE huddle_id = " + std::to_string(id)), 3);
  const auto huddles = scalar("SELECT COUNT(*) FROM huddles");
  const auto rows = scalar("SELECT COUNT(*) FROM huddle_profiles");
  auto r = as(mel, "POST", "/api/v1/huddles", R"({"title":"Elsewhere","participants":[{"id":12},{"id":20}]})");
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["error"][0], "Profile 20 not found");
  EXPECT_EQ(as(mel, "POST", "/api/v1/huddles", R"({"title":"Nobody","participants":[{"id":99999}]})").status, 404);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddles"), huddles);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles"), rows);
}

TEST_F(Huddles, ADuplicateWithinFiveMinutesHasNoSideEffects) {
  auto mel = login("mel@example.org");
  auto id = huddle(mel, "Twice", {12});
  auto again = as(mel, "POST", "/api/v1/huddles", R"({"title":"Twice","participants":[{"id":10}]})");
  EXPECT_EQ(created(again), id);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddles"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles WHERE profile_id = 10"), 0);  // Olga not added
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE item_type_id = 5"), 1);
  // Older than five minutes: a new huddle.
  exec_sql(server.db().url(), "UPDATE huddles SET created = created - interval '6 minutes'");
  EXPECT_NE(huddle(mel, "Twice"), id);
}

TEST_F(Huddles, TitlesAreCleanedAndLimited) {
  auto mel = login("mel@example.org");
  auto id = huddle(mel, "WHERE ARE YOU ALL GOING");
  const std::string title = as(mel, "GET", path(id)).json()["data"]["title"];
  EXPECT_NE(title, "WHERE ARE YOU ALL GOING");  // shout prevention
  EXPECT_EQ(as(mel, "POST", "/api/v1/huddles", nlohmann::json{{"title", std::string(150, 'a')}}.dump()).status, 302);
  auto long_title = as(mel, "POST", "/api/v1/huddles", nlohmann::json{{"title", std::string(151, 'b')}}.dump());
  EXPECT_EQ(long_title.status, 400);  // Decision (§H.6): at most 150
  EXPECT_NE(long_title.json()["error"][0].get<std::string>().find("title"), std::string::npos);
  EXPECT_EQ(as(mel, "POST", "/api/v1/huddles", R"({"title":"   "})").status, 400);
}

TEST_F(Huddles, HostileInputIsRefusedAndWritesNothing) {
  auto mel = login("mel@example.org");
  const std::pair<std::string, const char*> bodies[] = {
      {R"({"title":5})", "title"},
      {R"({})", "title"},
      {R"({"title":"x","isConfidential":"very"})", "isConfidential"},
      {R"({"title":"x","participants":"all"})", "participants"},
      {R"({"title":"x","participants":[12]})", "participants"},
      {R"({"title":"x","participants":[{"id":"a"}]})", "id"},
      {R"({"title":"x","participants":[{"id":-3}]})", "id"},
      {R"({"title":"x","participants":[{}]})", "id"},
      {R"({"title":)", ""},
      {R"(["title"])", ""},
      {nlohmann::json{{"title", std::string(1 << 20, 'x')}}.dump(), ""},
      {nlohmann::json{{"title", std::string(100000, 'x')}}.dump(), "title"},
  };
  for (const auto& [body, field] : bodies) {
    auto r = as(mel, "POST", "/api/v1/huddles", body);
    EXPECT_GE(r.status, 400) << body.substr(0, 80);
    EXPECT_LT(r.status, 500) << body.substr(0, 80) << r.body;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_FALSE(j.is_discarded()) << r.body;
    EXPECT_EQ(j["status"], r.status);
    const std::string message = j["error"][0];
    EXPECT_NE(message.find(field), std::string::npos) << body.substr(0, 80) << " " << message;
  }
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddles"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE item_type_id = 5"), 0);
  auto id = huddle(mel, "Target", {12});
  const auto rows = scalar("SELECT COUNT(*) FROM huddle_profiles");
  for (const char* body : {R"({"id":10})", R"([{"id":"x"}])", R"([{"id":0}])", R"([10])", "[", R"([{"id":20}])"}) {
    auto r = as(mel, "PUT", path(id, "/participants"), body);
    EXPECT_GE(r.status, 400) << body;
    EXPECT_LT(r.status, 500) << body;
  }
  EXPECT_EQ(as(mel, "PUT", path(id, "/participants/20")).status, 404);  // another site's profile
  EXPECT_EQ(as(mel, "PUT", path(id, "/participants/99999")).status, 404);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles"), rows);
  // Another site's huddle does not exist here, whoever asks.
  exec_sql(server.db().url(), "INSERT INTO huddles (huddle_id, site_id, title, created_by) VALUES (9000, 3, 'Other', 20);"
                              "INSERT INTO huddle_profiles (site_id, huddle_id, profile_id) VALUES (3, 9000, 20), (3, 9000, 21)");
  expect_invisible(mel, 9000, "Other");
  EXPECT_EQ(as(mel, "PUT", path(9000, "/participants"), R"([{"id":11}])").status, 404);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles WHERE huddle_id = 9000"), 2);
}

TEST_F(Huddles, ParticipantsAreListedInvitedAndRemoveOnlyThemselves) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  auto id = huddle(mel, "Growing");
  auto invite = as(mel, "PUT", path(id, "/participants"), R"([{"id":12},{"id":12}])");
  ASSERT_EQ(invite.status, 302) << invite.body;
  EXPECT_EQ(invite.header("location"), path(id));
  auto add = as(zed, "PUT", path(id, "/participants/10"));
  ASSERT_EQ(add.status, 302) << add.body;
  EXPECT_EQ(add.header("location"), path(id, "/participants/10"));
  auto list = as(zed, "GET", path(id, "/participants")).json()["data"];
  EXPECT_EQ(list["participants"]["type"], "/api/v1/huddles/" + std::to_string(id) + "/participants");
  ASSERT_EQ(list["participants"]["total"], 3);
  EXPECT_EQ(list["participants"]["items"][0]["id"], 10);  // profile id ascending
  EXPECT_EQ(list["participants"]["items"][2]["participant"]["profileName"], "Zed");
  EXPECT_TRUE(list["meta"].empty());
  auto one = as(mel, "GET", path(id, "/participants/12"));
  ASSERT_EQ(one.status, 200);
  EXPECT_EQ(one.json()["data"]["participant"]["id"], 12);
  // Decision (§H.9): a profile that is not a participant → 404, not {"participant": null}.
  EXPECT_EQ(as(mel, "GET", path(id, "/participants/13")).status, 404);
  // Only yourself: removing someone else → 400, nothing removed.
  auto other = as(mel, "DELETE", path(id, "/participants/12"));
  EXPECT_EQ(other.status, 400);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles WHERE profile_id = 12"), 1);
  // Decision (§H.9): removing purges the cached huddle, so the list is right at once.
  EXPECT_EQ(as(zed, "DELETE", path(id, "/participants/12")).status, 200);
  EXPECT_EQ(as(mel, "GET", path(id)).json()["data"]["participants"].size(), 2u);
  EXPECT_EQ(as(zed, "GET", path(id)).status, 404);
}

TEST_F(Huddles, AConfidentialHuddleRefusesNewParticipantsThroughBothPuts) {
  // Decision (§H.9): the single PUT follows the collection's rule (the original inverts it).
  auto mel = login("mel@example.org");
  auto id = huddle(mel, "Just us", {12}, true);
  EXPECT_EQ(as(mel, "GET", path(id)).json()["data"]["isConfidential"], true);
  EXPECT_FALSE(as(mel, "GET", path(id)).json()["data"]["meta"]["permissions"]["update"]);
  EXPECT_EQ(as(mel, "PUT", path(id, "/participants"), R"([{"id":10}])").status, 403);
  EXPECT_EQ(as(mel, "PUT", path(id, "/participants/10")).status, 403);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles WHERE huddle_id = " + std::to_string(id)), 2);
}

TEST_F(Huddles, TheWebClientsFormCreatesAHuddle) {
  auto mel = login("mel@example.org");
  Headers form = {{"Host", "demo.localhost"}, {"Authorization", "Bearer " + mel},
                  {"Content-Type", "application/x-www-form-urlencoded"}};
  auto r = request(port(), "POST", "/api/v1/huddles", form, "Title=From+a+form&IsConfidential=true");
  auto id = created(r);
  auto d = as(mel, "GET", path(id)).json()["data"];
  EXPECT_EQ(d["title"], "From a form");
  EXPECT_EQ(d["isConfidential"], true);
  EXPECT_EQ(request(port(), "POST", "/api/v1/huddles", form, "Title=&IsConfidential=true").status, 400);
  EXPECT_EQ(request(port(), "POST", "/api/v1/huddles", form, "Title=x&IsConfidential=perhaps").status, 400);
}

TEST_F(Huddles, GuestsAndBannedProfilesCannotCreate) {
  auto bob = login("bob@example.org");
  EXPECT_EQ(as("", "POST", "/api/v1/huddles", R"({"title":"Guest"})").status, 403);
  EXPECT_EQ(as(bob, "POST", "/api/v1/huddles", R"({"title":"Banned"})").status, 403);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddles"), 0);
}

TEST_F(Huddles, RoutesAnswerAndAdvertiseMethodsAsTheTable) {
  auto mel = login("mel@example.org");
  auto id = huddle(mel, "Methods", {12});
  const std::pair<std::string, std::string> allow[] = {
      {"/api/v1/huddles", "OPTIONS,GET,HEAD,POST"},
      {path(id), "OPTIONS,GET,HEAD,DELETE"},
      {path(id, "/participants"), "OPTIONS,GET,HEAD,POST,PUT"},
      {path(id, "/participants/12"), "OPTIONS,GET,HEAD,POST,PUT,DELETE"},
  };
  for (const auto& [route, methods] : allow) {
    auto r = as(mel, "OPTIONS", route);
    EXPECT_LT(r.status, 300) << route;
    auto header = r.header("allow");
    header.erase(std::remove(header.begin(), header.end(), ' '), header.end());
    EXPECT_EQ(header, methods) << route;
  }
  EXPECT_EQ(as(mel, "POST", path(id, "/participants"), R"([{"id":10}])").status, 405);
  EXPECT_EQ(as(mel, "POST", path(id, "/participants/10")).status, 405);
  EXPECT_EQ(as(mel, "HEAD", path(id)).status, 200);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM huddle_profiles WHERE profile_id = 10"), 0);
}

}  // namespace
