// The fan-out of updates (platform.md §3.5, §3.6): who is told of a comment, a reply, a
// mention, an RSVP and a new item, and who never is.
#include <gtest/gtest.h>

#include <chrono>
#include <set>
#include <thread>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class UpdateFanout : public Community {
 protected:
  std::int64_t comment(const std::string& token, const char* type, std::int64_t id, const std::string& text,
                       std::int64_t reply_to = 0) {
    nlohmann::json body{{"itemType", type}, {"itemId", id}, {"markdown", text}};
    if (reply_to) body["inReplyTo"] = reply_to;
    return made(as(token, "POST", "/api/v1/comments", body.dump()));
  }
  void watch(const std::string& token, const std::string& type, std::int64_t id) {
    auto r = as(token, "POST", "/api/v1/watchers", nlohmann::json{{"itemType", type}, {"itemId", id}}.dump());
    ASSERT_EQ(r.status, 200) << r.body;
  }
  /// Runs the fan-out until the queue is empty (the server's own per-second run may hold a
  /// trigger for a moment: SKIP LOCKED lets this one pass it by).
  void fan_out() {
    for (int i = 0; i < 100; ++i) {
      ASSERT_TRUE(server.app().run_job_now("fan_out_updates"));
      if (scalar("SELECT COUNT(*) FROM update_queue") == 0) return;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    FAIL() << "the update queue did not drain";
  }
  /// "type:item_type:item_id:parent_type:parent_id" of a profile's updates, oldest first.
  std::vector<std::string> updates_of(std::int64_t profile) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    std::vector<std::string> out;
    for (const auto& r : tx.exec_params("SELECT update_type_id, item_type_id, item_id, parent_item_type_id, parent_item_id,"
                                        " created_by FROM updates WHERE for_profile_id = $1 ORDER BY update_id",
                                        profile)) {
      out.push_back(r[0].as<std::string>() + ":" + r[1].as<std::string>() + ":" + r[2].as<std::string>() + ":" +
                    r[3].as<std::string>() + ":" + r[4].as<std::string>());
    }
    return out;
  }
  static std::string on(int type, int item_type, std::int64_t item, int parent_type = 0, std::int64_t parent = 0) {
    return std::to_string(type) + ":" + std::to_string(item_type) + ":" + std::to_string(item) + ":" +
           std::to_string(parent_type) + ":" + std::to_string(parent);
  }
  using List = std::vector<std::string>;
};

// A comment tells the item's watchers (new_comment), never its author; a reply tells the
// replied-to author, a mention the mentioned; each once, however often the job runs.
TEST_F(UpdateFanout, ACommentTellsWatchersTheRepliedToAndTheMentionedButNeverItsAuthor) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Told"}});
  fan_out();
  const auto first = comment(zed, "conversation", c, "Hello");
  fan_out();
  EXPECT_EQ(updates_of(11), (List{on(1, 4, first, 6, c)})) << "Mel watches what she made";
  EXPECT_EQ(updates_of(12), List{}) << "never the author";

  const auto reply = comment(mel, "conversation", c, "Hi @Zed and +Olga", first);
  fan_out();
  fan_out();
  EXPECT_EQ(updates_of(12), (List{on(1, 4, reply, 6, c), on(2, 4, reply, 6, c), on(3, 4, reply, 6, c)}))
      << "Zed watches as a commenter, was replied to and mentioned";
  EXPECT_EQ(updates_of(10), (List{on(3, 4, reply, 6, c)})) << "Olga was mentioned only";
  EXPECT_EQ(updates_of(11), (List{on(1, 4, first, 6, c)}));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM updates WHERE created_by <> 11 AND created_by <> 12"), 0);
}

// §3.5: those who ignore the author, or cannot read the item (a banned profile), hear nothing.
TEST_F(UpdateFanout, TheIgnoringAndTheUnableToReadAreLeftOut) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Quiet"}});
  fan_out();
  watch(olga, "conversation", c);
  ASSERT_EQ(as(olga, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 200);
  exec_sql(server.db().url(), "INSERT INTO watchers (site_id, profile_id, item_type_id, item_id) VALUES (2, 13, 6, " +
                                  std::to_string(c) + ")");
  fan_out();
  comment(zed, "conversation", c, "Anyone?");
  fan_out();
  EXPECT_EQ(updates_of(10), List{}) << "Olga ignores Zed";
  EXPECT_EQ(updates_of(13), List{}) << "Bob is banned: he reads nothing";
  EXPECT_EQ(updates_of(11).size(), 1u);
}

// new_item (8) to the watchers of the forum and the site, new_attendee (5) to the event's.
TEST_F(UpdateFanout, NewItemsTellForumAndSiteWatchersAndAYesTellsTheEventsWatchers) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  watch(zed, "microcosm", 101);
  watch(olga, "site", 2);
  fan_out();
  const auto e = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "New ride"}});
  const auto elsewhere = make(mel, "/api/v1/conversations", {{"microcosmId", 103}, {"title", "Elsewhere"}});
  fan_out();
  EXPECT_EQ(updates_of(12), (List{on(8, 9, e)})) << "Zed watches forum 101 only";
  EXPECT_EQ(updates_of(10), (List{on(8, 9, e), on(8, 6, elsewhere)})) << "Olga watches the site";
  EXPECT_EQ(updates_of(11), List{}) << "never the author";

  ASSERT_EQ(as(zed, "PUT", "/api/v1/events/" + std::to_string(e) + "/attendees", R"([{"profileId":12,"rsvp":"yes"}])")
                .status,
            200);
  fan_out();
  EXPECT_EQ(updates_of(11), (List{on(5, 9, e)})) << "Mel watches her event";
  EXPECT_EQ(updates_of(12), (List{on(8, 9, e)})) << "not the attendee";
  // Saying yes again is no new attendee.
  ASSERT_EQ(as(zed, "PUT", "/api/v1/events/" + std::to_string(e) + "/attendees", R"([{"profileId":12,"rsvp":"yes"}])")
                .status,
            200);
  fan_out();
  EXPECT_EQ(updates_of(11).size(), 1u);
}

// A huddle comment goes to its other participants only (new_comment_in_huddle), and mentions
// inside a huddle tell nobody else.
TEST_F(UpdateFanout, HuddleCommentsStayWithTheParticipants) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  const auto h = make(mel, "/api/v1/huddles", {{"title", "Between us"}, {"participants", {{{"id", 12}}}}});
  exec_sql(server.db().url(), "INSERT INTO watchers (site_id, profile_id, item_type_id, item_id) VALUES (2, 10, 5, " +
                                  std::to_string(h) + ")");
  fan_out();
  const auto said = comment(zed, "huddle", h, "Psst @Olga");
  fan_out();
  EXPECT_EQ(updates_of(11), (List{on(4, 4, said, 5, h)}));
  EXPECT_EQ(updates_of(10), List{}) << "Olga watches it somehow but is no participant; her mention tells her nothing";
  EXPECT_EQ(updates_of(12), List{});
}

// A trigger whose item is gone by the time it is fanned out is dropped, telling nobody.
TEST_F(UpdateFanout, ATriggerForSomethingGoneTellsNobody) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Soon gone"}});
  fan_out();
  const auto said = comment(zed, "conversation", c, "Going");
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(said)).status, 200);
  fan_out();
  const auto before = scalar("SELECT COUNT(*) FROM updates");
  // The same trigger again, now that the comment is deleted (as if the job had been late).
  exec_sql(server.db().url(), "INSERT INTO update_queue (site_id, trigger_type, item_type_id, item_id, actor_id)"
                              " VALUES (2, 1, 4, " + std::to_string(said) + ", 12)");
  fan_out();
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM updates"), before);
}

// GET /api/v1/updates (§3.3): collapsed per item for new comments, newest first, with the
// comment, what it is on, who did it and whether it is unread; /unread counts; the /viewed
// PATCH marks the item read.
TEST_F(UpdateFanout, TheRecipientListsCollapsedUpdatesAndReadsThem) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  EXPECT_EQ(as("", "GET", "/api/v1/updates").status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/updates/unread").status, 403);
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Listed"}});
  fan_out();
  comment(zed, "conversation", c, "One");
  const auto second = comment(zed, "conversation", c, "Two");
  fan_out();
  auto r = as(mel, "GET", "/api/v1/updates");
  ASSERT_EQ(r.status, 200) << r.body;
  auto list = r.json()["data"]["updates"];
  EXPECT_EQ(list["type"], "/api/v1/updates");
  ASSERT_EQ(list["total"], 1) << "new comments collapse per item: " << list.dump();
  auto u = list["items"][0];
  EXPECT_EQ(u["updateType"], "new_comment");
  EXPECT_EQ(u["itemType"], "comment");
  EXPECT_EQ(u["item"]["id"], second);
  EXPECT_EQ(u["parentItemType"], "conversation");
  EXPECT_EQ(u["parentItem"]["id"], c);
  EXPECT_EQ(u["parentItem"]["title"], "Listed");
  EXPECT_EQ(u["parentItem"]["meta"]["links"][0]["rel"], "self");
  EXPECT_EQ(u["meta"]["createdBy"]["id"], 12);
  EXPECT_EQ(u["meta"]["flags"]["unread"], true);
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates/unread").json()["data"]["total"], 1);
  const auto id = u["id"].get<std::int64_t>();

  // One's own update by id; anyone else's is 404.
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates/" + std::to_string(id)).json()["data"]["item"]["id"], second);
  EXPECT_EQ(as(zed, "GET", "/api/v1/updates/" + std::to_string(id)).status, 404);

  // /viewed marks the conversation read: nothing unread any more.
  EXPECT_EQ(as(mel, "PATCH", "/api/v1/updates/" + std::to_string(id), R"({"viewed":true})").status, 400);
  ASSERT_EQ(as(mel, "PATCH", "/api/v1/updates/" + std::to_string(id),
               R"([{"op":"replace","path":"/viewed","value":"2026-01-01T00:00:00Z"}])")
                .status,
            200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates/unread").json()["data"]["total"], 0);
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates").json()["data"]["updates"]["items"][0]["meta"]["flags"]["unread"], false);

  // new_item (8) for a forum watcher; new comments vanish once the item is unwatched, and
  // what comes from an ignored profile is never listed.
  ASSERT_EQ(as(olga, "POST", "/api/v1/watchers", R"({"itemType":"microcosm","itemId":101})").status, 200);
  const auto e = make(zed, "/api/v1/events", {{"microcosmId", 101}, {"title", "Listed ride"}});
  ASSERT_GT(e, 0);
  fan_out();
  list = as(olga, "GET", "/api/v1/updates").json()["data"]["updates"];
  ASSERT_EQ(list["total"], 1) << list.dump();
  EXPECT_EQ(list["items"][0]["updateType"], "new_item");
  EXPECT_EQ(list["items"][0]["itemType"], "event");
  EXPECT_EQ(list["items"][0]["item"]["title"], "Listed ride");
  EXPECT_FALSE(list["items"][0].contains("parentItem"));
  ASSERT_EQ(as(olga, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 200);
  EXPECT_EQ(as(olga, "GET", "/api/v1/updates").json()["data"]["updates"]["total"], 0) << "Zed is ignored";

  ASSERT_EQ(as(mel, "DELETE", "/api/v1/watchers/delete?itemType=conversation&itemId=" + std::to_string(c)).status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates").json()["data"]["updates"]["total"], 0) << "no longer watched";
}

// A reply and a mention are listed per comment; a deleted comment's updates vanish.
TEST_F(UpdateFanout, RepliesAndMentionsAreListedUntilTheCommentGoes) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto c = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Talk"}});
  const auto first = comment(zed, "conversation", c, "Question");
  const auto reply = comment(mel, "conversation", c, "Answer for @Zed", first);
  fan_out();
  auto list = as(zed, "GET", "/api/v1/updates").json()["data"]["updates"];
  std::set<std::string> types;
  for (const auto& u : list["items"]) {
    types.insert(u["updateType"].get<std::string>());
    EXPECT_EQ(u["item"]["id"], reply);
  }
  EXPECT_EQ(types, (std::set<std::string>{"new_comment", "reply_to_comment", "mentioned"}));
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(reply)).status, 200);
  EXPECT_EQ(as(zed, "GET", "/api/v1/updates").json()["data"]["updates"]["total"], 0);
}

// An update whose item the recipient can no longer read (moved into a forum of its own
// roles) is neither listed nor shown by id, nor can it be marked viewed.
TEST_F(UpdateFanout, AnUpdateOnWhatTheRecipientCanNoLongerReadIsHidden) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto c = make(olga, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Moving"}});
  fan_out();
  watch(mel, "conversation", c);  // Mel reads it as anyone does, not as its author
  comment(zed, "conversation", c, "Before the move");
  fan_out();
  auto list = as(mel, "GET", "/api/v1/updates").json()["data"]["updates"];
  ASSERT_EQ(list["total"], 1);
  const auto one = "/api/v1/updates/" + std::to_string(list["items"][0]["id"].get<std::int64_t>());
  ASSERT_EQ(as(mel, "GET", one).status, 200);
  // B gets roles of its own (none for members), and the conversation goes there.
  ASSERT_EQ(as(olga, "POST", "/api/v1/microcosms/103/roles", R"({"title":"Staff","read":true})").status, 302);
  ASSERT_EQ(as(olga, "PUT", "/api/v1/conversations/" + std::to_string(c),
               R"({"title":"Moving","microcosmId":103,"meta":{"editReason":"staff only"}})")
                .status,
            302);
  ASSERT_EQ(as(mel, "GET", "/api/v1/conversations/" + std::to_string(c)).status, 403) << "Mel cannot read it now";
  EXPECT_EQ(as(mel, "GET", "/api/v1/updates").json()["data"]["updates"]["total"], 0);
  EXPECT_EQ(as(mel, "GET", one).status, 404);
  EXPECT_EQ(as(mel, "PATCH", one, R"([{"op":"replace","path":"/viewed","value":1}])").status, 404);
  EXPECT_EQ(as(mel, "PATCH", one, R"([{"op":7,"path":"/viewed","value":1}])").status, 400) << "not a 500";
}

}  // namespace
