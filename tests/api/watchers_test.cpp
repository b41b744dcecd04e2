// Watchers and update preferences over HTTP (platform.md §2, §3.4, §3.5 and their Decisions).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class Watchers : public Community {
 protected:
  nlohmann::json data(const std::string& token, const std::string& target) {
    auto r = as(token, "GET", target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return r.json()["data"];
  }
  HttpResponse watch(const std::string& token, const std::string& type, std::int64_t id, int update_type = 1) {
    return as(token, "POST", "/api/v1/watchers",
              nlohmann::json{{"itemType", type}, {"itemId", id}, {"updateTypeId", update_type}}.dump());
  }
  /// The caller's watcher on the item, null when none.
  nlohmann::json watcher(const std::string& token, const std::string& type, std::int64_t id) {
    const auto all = data(token, "/api/v1/watchers?limit=100");
    for (const auto& w : all["watchers"]["items"]) {
      if (w["itemType"] == type && w["itemId"] == id) return w;
    }
    return nullptr;
  }
  static std::string error_of(const HttpResponse& r) {
    auto j = r.json();
    return j["error"].is_array() && !j["error"].empty() ? j["error"][0].get<std::string>() : "";
  }
};

TEST_F(Watchers, GuestsAreRefused) {
  EXPECT_EQ(as("", "GET", "/api/v1/watchers").status, 401);  // §2.2 Decision: 401
  EXPECT_EQ(watch("", "microcosm", 101).status, 401);
  EXPECT_EQ(as("", "DELETE", "/api/v1/watchers/1").status, 401);
  EXPECT_EQ(as("", "GET", "/api/v1/updates/preferences").status, 403);  // §3.4: 403
  EXPECT_EQ(as("", "GET", "/api/v1/updates/preferences/1").status, 403);
  EXPECT_EQ(as("", "PUT", "/api/v1/updates/preferences/1", R"({"sendEmail":true,"sendSMS":false})").status, 400);
}

TEST_F(Watchers, WatchingAnItemShowsInTheListAndOnTheItemForTheWatcherOnly) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Watch this"}});
  auto r = watch(zed, "conversation", c);
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["data"], false) << "new_comment e-mail is off by default (§3.2)";
  const auto w = watcher(zed, "conversation", c);
  ASSERT_TRUE(w.is_object());
  EXPECT_EQ(w["itemTypeId"], 6);
  EXPECT_EQ(w["sendEmail"], false);
  EXPECT_EQ(w["sendSMS"], false);
  EXPECT_FALSE(w.contains("lastNotified")) << "§2.1 Decision: omitted when never notified";
  EXPECT_EQ(w["item"]["title"], "Watch this");
  EXPECT_EQ(w["item"]["meta"]["links"][0]["href"], "/api/v1/conversations/" + std::to_string(c));

  const auto flags = data(zed, "/api/v1/conversations/" + std::to_string(c))["meta"]["flags"];
  EXPECT_EQ(flags["watched"], true);
  EXPECT_EQ(flags["sendEmail"], false);
  EXPECT_EQ(flags["sendSMS"], false);
  EXPECT_FALSE(data("", "/api/v1/conversations/" + std::to_string(c))["meta"]["flags"].contains("watched"))
      << "guests never get watch flags";
  EXPECT_FALSE(data(login("olga@example.org"), "/api/v1/conversations/" + std::to_string(c))["meta"]["flags"].contains("watched"));

  // Watching again changes nothing and answers the same.
  ASSERT_EQ(watch(zed, "conversation", c).status, 200);
  EXPECT_EQ(data(zed, "/api/v1/watchers")["watchers"]["total"], 1);
}

// §2.2 Decision: 404 for targets that do not exist here, 403 for those the caller cannot read;
// a bad body is 400 naming the field.
TEST_F(Watchers, TargetsMustExistHereAndBeReadable) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), bob = login("bob@example.org");
  EXPECT_EQ(watch(mel, "site", 2).status, 200);
  EXPECT_EQ(watch(mel, "site", 3).status, 404) << "another site";
  EXPECT_EQ(watch(mel, "microcosm", 200).status, 404) << "another site's microcosm";
  EXPECT_EQ(watch(mel, "conversation", 999999).status, 404);
  EXPECT_EQ(watch(mel, "profile", 20).status, 404) << "another site's profile";
  EXPECT_EQ(watch(mel, "profile", 0).status, 200) << "profile 0 is the People page";
  auto r = watch(mel, "comment", 1);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_of(r).find("itemType"), std::string::npos) << r.body;
  r = watch(mel, "nonsense", 1);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_of(r).find("itemType"), std::string::npos) << r.body;
  r = watch(mel, "microcosm", 101, 42);
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_of(r).find("updateTypeId"), std::string::npos) << r.body;
  r = as(mel, "POST", "/api/v1/watchers", R"({"itemType":"microcosm","itemId":"101"})");
  EXPECT_EQ(r.status, 400) << r.body;
  EXPECT_EQ(as(mel, "POST", "/api/v1/watchers", "[1,2]").status, 400);
  // A huddle is someone else's business: the same 404 as a missing one.
  const auto h = make(mel, "/api/v1/huddles", {{"title", "Just us"}, {"participants", {{{"id", 10}}}}});
  EXPECT_EQ(watch(zed, "huddle", h, 4).status, 404);
  // A banned profile reads nothing: 403, nothing written.
  EXPECT_EQ(watch(bob, "microcosm", 101).status, 403);
  pqxx::connection conn(server.db().url());
  pqxx::work tx(conn);
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM watchers WHERE profile_id = 13")[0].as<int>(), 0);
}

// §2.3: creating an item, commenting, a yes and joining a huddle each watch what they touch,
// with the delivery flags of the matching update type's preference; leaving a huddle unwatches.
TEST_F(Watchers, WritersWatchWhatTheyTouch) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Auto"}});
  EXPECT_EQ(data(mel, "/api/v1/conversations/" + std::to_string(c))["meta"]["flags"]["watched"], true);
  EXPECT_TRUE(watcher(zed, "conversation", c).is_null());
  ASSERT_EQ(as(zed, "POST", "/api/v1/comments",
               nlohmann::json{{"itemType", "conversation"}, {"itemId", c}, {"markdown", "Me too"}}.dump())
                .status,
            302);
  EXPECT_TRUE(watcher(zed, "conversation", c).is_object()) << "a commenter watches";

  const auto e = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "Auto ride"}});
  EXPECT_TRUE(watcher(mel, "event", e).is_object());
  // event_reminder (7) sets the attendee's flags: turn its e-mail on first.
  ASSERT_EQ(as(zed, "PUT", "/api/v1/updates/preferences/7", R"({"sendEmail":true,"sendSMS":false})").status, 302);
  ASSERT_EQ(as(zed, "PUT", "/api/v1/events/" + std::to_string(e) + "/attendees", R"([{"profileId":12,"rsvp":"yes"}])")
                .status,
            200);
  auto w = watcher(zed, "event", e);
  ASSERT_TRUE(w.is_object());
  EXPECT_EQ(w["sendEmail"], true);
  // §E Decision: the single-attendee PUT registers the watcher as the collection PUT does.
  ASSERT_EQ(as(olga, "PUT", "/api/v1/events/" + std::to_string(e) + "/attendees/10", R"({"profileId":10,"rsvp":"yes"})")
                .status,
            302);
  EXPECT_TRUE(watcher(olga, "event", e).is_object());
  // A "maybe" watches nothing.
  const auto other = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "Maybe ride"}});
  ASSERT_EQ(as(zed, "PUT", "/api/v1/events/" + std::to_string(other) + "/attendees", R"([{"profileId":12,"rsvp":"maybe"}])")
                .status,
            200);
  EXPECT_TRUE(watcher(zed, "event", other).is_null());

  const auto p = make(mel, "/api/v1/polls", {{"microcosmId", 101}, {"title", "Auto poll"}, {"question", "?"},
                                             {"choices", {{{"choice", "a"}}}}});
  EXPECT_TRUE(watcher(mel, "poll", p).is_object());

  // §H.6 Decision: every initial participant, the creator too, watches the huddle.
  const auto h = make(mel, "/api/v1/huddles", {{"title", "Plans"}, {"participants", {{{"id", 12}}}}});
  EXPECT_TRUE(watcher(mel, "huddle", h).is_object());
  EXPECT_TRUE(watcher(zed, "huddle", h).is_object());
  EXPECT_EQ(data(zed, "/api/v1/huddles/" + std::to_string(h))["meta"]["flags"]["watched"], true);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/huddles/" + std::to_string(h) + "/participants", R"([{"id":10}])").status, 302);
  EXPECT_TRUE(watcher(olga, "huddle", h).is_object()) << "an invited participant watches";
  ASSERT_EQ(as(zed, "DELETE", "/api/v1/huddles/" + std::to_string(h) + "/participants/12").status, 200);
  EXPECT_TRUE(watcher(zed, "huddle", h).is_null()) << "leaving unwatches";
}

// §3.4 and §3.5: nine preferences made from the defaults (and the profile's e-mail switch) on
// first sight; PUT sets one; new watchers take their flags from it.
TEST_F(Watchers, PreferencesStartFromTheDefaultsAndDecideNewWatchersFlags) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates/preferences/5").status, 404) << "not made yet";
  const auto all = data(mel, "/api/v1/updates/preferences");
  ASSERT_TRUE(all.is_array());
  ASSERT_EQ(all.size(), 9u);
  for (const auto& p : all) {
    EXPECT_EQ(p["profileId"], 11);
    EXPECT_EQ(p["sendEmail"], p["id"] == 9) << "only new_user e-mails by default: " << p.dump();
    EXPECT_EQ(p["sendSMS"], false);
    EXPECT_FALSE(p["description"].get<std::string>().empty());
    EXPECT_TRUE(p["meta"].is_object());
  }
  EXPECT_EQ(data(mel, "/api/v1/updates/preferences/5")["sendEmail"], false);

  auto r = as(mel, "PUT", "/api/v1/updates/preferences/1", R"({"id":1,"sendEmail":true,"sendSMS":false})");
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.header("location"), "/api/v1/updates/preferences/1");
  EXPECT_EQ(data(mel, "/api/v1/updates/preferences/1")["sendEmail"], true);
  EXPECT_EQ(watch(mel, "microcosm", 103, 1).json()["data"], true) << "a new watcher follows the preference";
  EXPECT_EQ(watch(mel, "microcosm", 102, 8).json()["data"], false);

  EXPECT_EQ(as(mel, "GET", "/api/v1/updates/preferences/10").status, 404);  // §3.4 Decision
  EXPECT_EQ(as(mel, "PUT", "/api/v1/updates/preferences/0", R"({"sendEmail":true,"sendSMS":true})").status, 404);
  r = as(mel, "PUT", "/api/v1/updates/preferences/2", R"({"sendEmail":"yes","sendSMS":false})");
  EXPECT_EQ(r.status, 400);
  EXPECT_NE(error_of(r).find("sendEmail"), std::string::npos) << r.body;
  EXPECT_EQ(as(mel, "PUT", "/api/v1/updates/preferences/2", R"({"id":3,"sendEmail":true,"sendSMS":false})").status, 400);

  // A profile that turned e-mail off gets preferences with e-mail off, new_user included.
  ASSERT_EQ(as(zed, "PUT", "/api/v1/profiles/options", R"({"sendEmail":false,"sendSMS":false})").status, 302);
  for (const auto& p : data(zed, "/api/v1/updates/preferences")) EXPECT_EQ(p["sendEmail"], false) << p.dump();
}

TEST_F(Watchers, RemovingAndChangingWatchersIsTheOwnersAlone) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  ASSERT_EQ(watch(mel, "microcosm", 101).status, 200);
  ASSERT_EQ(watch(mel, "microcosm", 103).status, 200);
  const auto id = watcher(mel, "microcosm", 101)["id"].get<std::int64_t>();
  const auto one = "/api/v1/watchers/" + std::to_string(id);
  EXPECT_EQ(as(zed, "DELETE", one).status, 403);
  EXPECT_EQ(as(zed, "PATCH", one, R"({"sendEmail":true})").status, 403);
  EXPECT_EQ(as(mel, "PATCH", one, R"({"sendEmail":true})").status, 200);
  auto w = watcher(mel, "microcosm", 101);
  EXPECT_EQ(w["sendEmail"], true);
  EXPECT_EQ(w["sendSMS"], false);
  EXPECT_EQ(as(mel, "DELETE", one).status, 200);
  EXPECT_EQ(as(mel, "DELETE", one).status, 404);
  EXPECT_TRUE(watcher(mel, "microcosm", 101).is_null());

  // By item: PATCH sets both flags (a missing one is false), DELETE removes; neither for
  // what is not watched (400 and 404).
  ASSERT_EQ(as(mel, "PATCH", "/api/v1/watchers/patch", R"({"itemType":"microcosm","itemId":103,"sendSMS":true})").status,
            200);
  w = watcher(mel, "microcosm", 103);
  EXPECT_EQ(w["sendEmail"], false);
  EXPECT_EQ(w["sendSMS"], true);
  EXPECT_EQ(as(zed, "PATCH", "/api/v1/watchers/patch", R"({"itemType":"microcosm","itemId":103,"sendEmail":true})").status,
            400);
  EXPECT_EQ(as(zed, "DELETE", "/api/v1/watchers/delete?itemType=microcosm&itemId=103").status, 404);
  EXPECT_EQ(as(mel, "DELETE", "/api/v1/watchers/delete?itemType=microcosm&itemId=x").status, 400);
  EXPECT_EQ(as(mel, "DELETE", "/api/v1/watchers/delete?itemType=microcosm&itemId=103").status, 200);
  EXPECT_EQ(data(mel, "/api/v1/watchers")["watchers"]["total"], 0);
}

// Following is watching a profile: `/profiles?following` lists those, and the followed
// profile shows the watch flags to its follower (identity.md §6.2), never on one's own.
TEST_F(Watchers, FollowingIsWatchingAProfile) {
  auto mel = login("mel@example.org");
  EXPECT_EQ(data(mel, "/api/v1/profiles?following=true")["profiles"]["total"], 0);
  ASSERT_EQ(watch(mel, "profile", 12).status, 200);
  const auto followed = data(mel, "/api/v1/profiles?following=true")["profiles"];
  EXPECT_EQ(followed["total"], 1);
  ASSERT_EQ(followed["items"].size(), 1u);
  EXPECT_EQ(followed["items"][0]["id"], 12);
  EXPECT_EQ(data("", "/api/v1/profiles?following=true")["profiles"]["total"], 0) << "a guest follows nobody";
  EXPECT_EQ(data(mel, "/api/v1/profiles/12")["meta"]["flags"]["watched"], true);
  EXPECT_FALSE(data(login("zed@example.org"), "/api/v1/profiles/12")["meta"]["flags"].contains("watched"));
  ASSERT_EQ(watch(mel, "microcosm", 101).status, 200);
  EXPECT_EQ(data(mel, "/api/v1/microcosms/101")["meta"]["flags"]["watched"], true);
}

// §2.2: never notified first, then by type, then item id descending.
TEST_F(Watchers, TheListIsOrderedAndPaged) {
  auto mel = login("mel@example.org");
  ASSERT_EQ(watch(mel, "microcosm", 101).status, 200);
  ASSERT_EQ(watch(mel, "microcosm", 103).status, 200);
  ASSERT_EQ(watch(mel, "site", 2).status, 200);
  ASSERT_EQ(watch(mel, "profile", 12).status, 200);
  exec_sql(server.db().url(), "UPDATE watchers SET last_notified = now() WHERE item_type_id = 1");
  const auto page = data(mel, "/api/v1/watchers")["watchers"];
  ASSERT_EQ(page["items"].size(), 4u);
  EXPECT_EQ(page["items"][0]["itemType"], "microcosm");
  EXPECT_EQ(page["items"][0]["itemId"], 103);
  EXPECT_EQ(page["items"][1]["itemId"], 101);
  EXPECT_EQ(page["items"][2]["itemType"], "profile");
  EXPECT_EQ(page["items"][3]["itemType"], "site");
  EXPECT_TRUE(page["items"][3].contains("lastNotified"));
  const auto second = data(mel, "/api/v1/watchers?limit=5&offset=0")["watchers"];
  EXPECT_EQ(second["total"], 4);
}

}  // namespace
