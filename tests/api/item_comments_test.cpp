// Comments on events, polls and huddles over HTTP (content-conversations-comments.md §2, §3,
// §5, §6 and content-events-polls-huddles.md §H.3, §H.5, §H.10): the same paging, counts,
// navigation and read state as on conversations, and huddle comments seen by participants only.
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class ItemComments : public Community {
 protected:
  void SetUp() override {
    Community::SetUp();
    exec_sql(server.db().url(), "UPDATE microcosms SET item_types = '{2,6,7,9}';");
  }
  std::int64_t created(const HttpResponse& r) {
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return loc.empty() ? 0 : std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  std::int64_t comment(const std::string& token, const std::string& type, std::int64_t item, const std::string& text) {
    return created(as(token, "POST", "/api/v1/comments",
                      nlohmann::json{{"itemType", type}, {"itemId", item}, {"markdown", text}}.dump()));
  }
  std::int64_t event(const std::string& token) {
    return created(as(token, "POST", "/api/v1/events", R"({"microcosmId":101,"title":"Ride out"})"));
  }
  std::int64_t poll(const std::string& token) {
    return created(as(token, "POST", "/api/v1/polls",
                      R"({"microcosmId":101,"title":"Where next","question":"Where?",
                          "choices":[{"choice":"Hills"},{"choice":"Coast"}]})"));
  }
  std::int64_t huddle(const std::string& token, const std::string& title, std::vector<int> with) {
    nlohmann::json people = nlohmann::json::array();
    for (int id : with) people.push_back({{"id", id}});
    return created(as(token, "POST", "/api/v1/huddles", nlohmann::json{{"title", title}, {"participants", people}}.dump()));
  }
  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  nlohmann::json data(const std::string& token, const std::string& path) {
    auto r = as(token, "GET", path);
    EXPECT_EQ(r.status, 200) << path << " " << r.body;
    return r.json()["data"];
  }
  std::string redirect(const std::string& token, const std::string& path) {
    auto r = as(token, "GET", path);
    EXPECT_EQ(r.status, 307) << path << " " << r.body;
    return r.header("location");
  }
  std::int64_t unread_huddles(const std::string& token) {
    const auto me = data(token, "/api/v1/whoami");  // kept alive: the loop reads a member
    for (const auto& stat : me["meta"]["stats"]) {
      if (stat["metric"] == "unreadHuddles") return stat["value"];
    }
    ADD_FAILURE() << "no unreadHuddles stat";
    return -1;
  }
  std::vector<std::int64_t> unread_list(const std::string& token) {
    const auto d = data(token, "/api/v1/huddles?unread=true");
    std::vector<std::int64_t> out;
    for (const auto& h : d["huddles"]["items"]) out.push_back(h["id"]);
    EXPECT_EQ(d["huddles"]["total"], static_cast<std::int64_t>(out.size()));
    return out;
  }
};

TEST_F(ItemComments, AnEventsCommentsArePagedCountedAndNavigableLikeAConversations) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto id = event(mel);
  const auto url = "/api/v1/events/" + std::to_string(id);
  const auto forum_before = scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 101");
  std::vector<std::int64_t> ids;
  for (int i = 1; i <= 6; ++i) ids.push_back(comment(zed, "event", id, "Count me in " + std::to_string(i)));
  EXPECT_EQ(scalar("SELECT comment_count FROM events WHERE event_id = " + std::to_string(id)), 6);
  EXPECT_EQ(scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 101"), forum_before + 6);

  auto c = data(mel, "/api/v1/comments/" + std::to_string(ids[0]));
  EXPECT_EQ(c["itemType"], "event");
  EXPECT_EQ(c["itemId"], id);
  bool linked = false;
  for (const auto& l : c["meta"]["links"]) {
    if (l["rel"] == "event") linked = l["href"] == url && l["title"] == "Ride out";
  }
  EXPECT_TRUE(linked) << c["meta"]["links"];

  // The detail carries the comment page (§3), five to a page here.
  auto d = data("", url + "?limit=5&offset=5");
  EXPECT_EQ(d["comments"]["total"], 6);
  ASSERT_EQ(d["comments"]["items"].size(), 1u);
  EXPECT_EQ(d["comments"]["items"][0]["id"], ids[5]);
  EXPECT_EQ(d["comments"]["items"][0]["markdown"], "Count me in 6");
  EXPECT_EQ(data("", url)["comments"]["items"].size(), 6u);
  // The site-wide list counts them too.
  const auto events = data("", "/api/v1/events");  // kept alive: the loop reads a member
  for (const auto& e : events["events"]["items"]) {
    if (e["id"] == id) EXPECT_EQ(e["totalComments"], 6);
  }

  // Navigation (§5): the newest comment's page, a comment in its context.
  EXPECT_EQ(redirect("", url + "/lastcomment"), url + "?comment_id=" + std::to_string(ids[5]));
  EXPECT_EQ(redirect("", url + "/lastcomment?limit=5"),
            url + "?comment_id=" + std::to_string(ids[5]) + "&limit=5&offset=5");
  EXPECT_EQ(redirect("", "/api/v1/comments/" + std::to_string(ids[5]) + "/incontext?limit=5"),
            url + "?comment_id=" + std::to_string(ids[5]) + "&limit=5&offset=5");
  // Olga has read nothing: her first new comment is the first. Reading the last page marks
  // all read, so then it is the newest.
  EXPECT_EQ(redirect(olga, url + "/newcomment"), url + "?comment_id=" + std::to_string(ids[0]));
  auto page = data(olga, url);
  EXPECT_TRUE(page["comments"]["items"][0]["meta"]["flags"]["unread"]);
  EXPECT_FALSE(data(olga, url)["comments"]["items"][0]["meta"]["flags"]["unread"]);
  EXPECT_EQ(redirect(olga, url + "/newcomment"), url + "?comment_id=" + std::to_string(ids[5]));

  // Deleting one takes it out of every count; the author's count keeps the others.
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(ids[5])).status, 200);
  EXPECT_EQ(scalar("SELECT comment_count FROM events WHERE event_id = " + std::to_string(id)), 5);
  EXPECT_EQ(scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 101"), forum_before + 5);
  EXPECT_EQ(scalar("SELECT comment_count FROM profiles WHERE profile_id = 12"), 5);
  EXPECT_EQ(data("", url)["comments"]["total"], 5);
  EXPECT_EQ(redirect("", url + "/lastcomment"), url + "?comment_id=" + std::to_string(ids[4]));
}

TEST_F(ItemComments, ACommentOnAHiddenEventOrAMissingItemIsRefused) {
  auto mel = login("mel@example.org"), olga = login("olga@example.org");
  const auto id = event(mel);
  const auto first = comment(mel, "event", id, "Before the delete");
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/events/" + std::to_string(id)).status, 200);
  auto r = as(mel, "POST", "/api/v1/comments",
              nlohmann::json{{"itemType", "event"}, {"itemId", id}, {"markdown", "After"}}.dump());
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["error"][0], "Event " + std::to_string(id) + " not found");
  // The comment of a hidden event is gone with it, named by its own id.
  r = as(mel, "GET", "/api/v1/comments/" + std::to_string(first));
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["error"][0], "Comment " + std::to_string(first) + " not found");
  r = as(mel, "POST", "/api/v1/comments", R"({"itemType":"poll","itemId":999999,"markdown":"Hi"})");
  EXPECT_EQ(r.status, 404);
  EXPECT_EQ(r.json()["error"][0], "Poll 999999 not found");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM comments"), 1);
}

TEST_F(ItemComments, AClosedPollTakesCommentsFromModeratorsOnly) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto id = poll(mel);
  const auto url = "/api/v1/polls/" + std::to_string(id);
  const auto open_one = comment(zed, "poll", id, "Hills, obviously");
  ASSERT_EQ(as(mel, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/open","value":false}])").status, 200);
  auto r = as(zed, "POST", "/api/v1/comments",
              nlohmann::json{{"itemType", "poll"}, {"itemId", id}, {"markdown", "Too late?"}}.dump());
  EXPECT_EQ(r.status, 403) << r.body;
  EXPECT_EQ(r.json()["error"][0], "This poll is closed to new comments");
  const auto moderator_one = comment(olga, "poll", id, "Closed, thanks all");
  auto d = data("", url);
  ASSERT_EQ(d["comments"]["total"], 2);
  EXPECT_EQ(d["comments"]["items"][0]["id"], open_one);
  EXPECT_EQ(d["comments"]["items"][1]["id"], moderator_one);
  EXPECT_EQ(redirect("", url + "/lastcomment"), url + "?comment_id=" + std::to_string(moderator_one));
  EXPECT_EQ(scalar("SELECT comment_count FROM polls WHERE poll_id = " + std::to_string(id)), 2);
  // The cached poll was flushed: its summary counts them.
  const auto polls = data("", "/api/v1/polls");  // kept alive: the loop reads a member
  for (const auto& p : polls["polls"]["items"]) {
    if (p["id"] == id) EXPECT_EQ(p["totalComments"], 2);
  }
}

TEST_F(ItemComments, HuddleCommentsReachItsParticipantsAndNobodyElse) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto id = huddle(mel, "Surprise party", {12});
  const auto url = "/api/v1/huddles/" + std::to_string(id);
  const auto mine = comment(mel, "huddle", id, "Keep it quiet");
  const auto comment_url = "/api/v1/comments/" + std::to_string(mine);
  auto d = data(zed, url);
  ASSERT_EQ(d["comments"]["total"], 1);
  EXPECT_EQ(d["comments"]["items"][0]["markdown"], "Keep it quiet");
  EXPECT_TRUE(d["comments"]["items"][0]["meta"]["flags"]["unread"]);
  EXPECT_EQ(data(zed, comment_url)["itemType"], "huddle");
  EXPECT_EQ(redirect(zed, url + "/lastcomment"), url + "?comment_id=" + std::to_string(mine));

  // The site owner, a guest and another site see nothing, not even that it exists.
  for (const auto& [token, host] : std::vector<std::pair<std::string, std::string>>{
           {olga, "demo.localhost"}, {"", "demo.localhost"}, {"", "other.localhost"}}) {
    for (const auto& path : {comment_url, comment_url + "/incontext"}) {
      auto r = as(token, "GET", path, "", host);
      EXPECT_EQ(r.status, 404) << path << " " << r.body;
      EXPECT_EQ(r.body.find("quiet"), std::string::npos);
      EXPECT_EQ(r.body.find("Surprise"), std::string::npos);
    }
  }
  auto r = as(olga, "POST", "/api/v1/comments",
              nlohmann::json{{"itemType", "huddle"}, {"itemId", id}, {"markdown", "Let me in"}}.dump());
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["error"][0], "Huddle " + std::to_string(id) + " not found");
  EXPECT_EQ(as(olga, "GET", url + "/newcomment").status, 404);
  // Nobody deletes or moderates a huddle comment, the site owner included (§H.3); only its
  // author edits it.
  EXPECT_EQ(as(olga, "DELETE", comment_url).status, 404);
  EXPECT_EQ(as(mel, "DELETE", comment_url).status, 403);
  EXPECT_EQ(as(mel, "PATCH", comment_url, R"([{"op":"replace","path":"/meta/flags/deleted","value":true}])").status,
            403);
  EXPECT_EQ(as(zed, "PUT", comment_url, R"({"markdown":"Not mine"})").status, 403);
  EXPECT_EQ(as(mel, "PUT", comment_url, R"({"markdown":"Keep it very quiet"})").status, 302);
  EXPECT_EQ(data(zed, comment_url)["markdown"], "Keep it very quiet");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM comments WHERE is_deleted"), 0);
  // A private conversation does not show in the author's public comment count.
  EXPECT_EQ(data("", "/api/v1/profiles/11")["commentCount"], 0);
  EXPECT_EQ(scalar("SELECT comment_count FROM huddles WHERE huddle_id = " + std::to_string(id)), 1);

  // Having left, Mel may still read her own comment, but neither the others' nor post.
  const auto zeds = comment(zed, "huddle", id, "My lips are sealed");
  ASSERT_EQ(as(mel, "DELETE", url).status, 200);
  EXPECT_EQ(as(mel, "GET", comment_url).status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/comments/" + std::to_string(zeds)).status, 404);
  r = as(mel, "POST", "/api/v1/comments",
         nlohmann::json{{"itemType", "huddle"}, {"itemId", id}, {"markdown", "Back again"}}.dump());
  EXPECT_EQ(r.status, 404) << r.body;
}

TEST_F(ItemComments, UnreadHuddlesAreCountedListedAndClearedByReading) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  const auto h1 = huddle(mel, "First", {12}), h2 = huddle(mel, "Second", {12});
  EXPECT_EQ(unread_huddles(zed), 0);
  EXPECT_TRUE(unread_list(zed).empty());
  const auto c1 = comment(mel, "huddle", h1, "Hello in the first");
  // The author has read what she wrote; Zed has one unread huddle.
  EXPECT_EQ(unread_huddles(mel), 0);
  EXPECT_TRUE(unread_list(mel).empty());
  EXPECT_EQ(unread_huddles(zed), 1);
  EXPECT_EQ(unread_list(zed), std::vector<std::int64_t>{h1});
  auto listed = data(zed, "/api/v1/huddles")["huddles"]["items"];
  ASSERT_EQ(listed.size(), 2u);
  EXPECT_EQ(listed[0]["id"], h1);  // newest activity first
  EXPECT_TRUE(listed[0]["meta"]["flags"]["unread"]);
  EXPECT_EQ(listed[0]["totalComments"], 1);
  EXPECT_EQ(listed[0]["lastCommentId"], c1);
  EXPECT_EQ(listed[0]["lastCommentCreatedBy"]["id"], 11);
  EXPECT_TRUE(listed[0].contains("lastCommentCreated"));
  EXPECT_FALSE(listed[1].contains("lastCommentId"));
  // Reading it clears it.
  data(zed, "/api/v1/huddles/" + std::to_string(h1));
  EXPECT_EQ(unread_huddles(zed), 0);
  EXPECT_TRUE(unread_list(zed).empty());
  EXPECT_FALSE(data(zed, "/api/v1/huddles")["huddles"]["items"][0]["meta"]["flags"]["unread"]);

  // Newest unread comment first; "all huddles read" clears every one.
  comment(mel, "huddle", h1, "Again in the first");
  comment(mel, "huddle", h2, "Now the second");
  EXPECT_EQ(unread_huddles(zed), 2);
  EXPECT_EQ(unread_list(zed), (std::vector<std::int64_t>{h2, h1}));
  ASSERT_EQ(as(zed, "PUT", "/api/v1/profiles/read", R"({"itemType":"huddle","itemId":0})").status, 200);
  EXPECT_EQ(unread_huddles(zed), 0);
  EXPECT_TRUE(unread_list(zed).empty());

  // One huddle is marked read by its participants only; to anyone else it does not exist.
  comment(mel, "huddle", h1, "Once more");
  EXPECT_EQ(unread_huddles(zed), 1);
  const auto read_h1 = nlohmann::json{{"itemType", "huddle"}, {"itemId", h1}}.dump();
  auto olga = login("olga@example.org");
  auto r = as(olga, "PUT", "/api/v1/profiles/read", read_h1);
  EXPECT_EQ(r.status, 404) << r.body;
  EXPECT_EQ(r.json()["error"][0], "Huddle " + std::to_string(h1) + " not found");
  ASSERT_EQ(as(zed, "PUT", "/api/v1/profiles/read", read_h1).status, 200);
  EXPECT_EQ(unread_huddles(zed), 0);

  // Comments by someone Zed ignores never make a huddle unread for him.
  ASSERT_EQ(as(zed, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":11})").status / 100, 2);
  comment(mel, "huddle", h2, "Ignored words");
  EXPECT_EQ(unread_huddles(zed), 0);
}

}  // namespace
