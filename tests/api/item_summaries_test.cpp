// What events and polls show beside conversations: cached reads flushed by every write, view
// hits, lastComment, mostRecentUpdate, attending inside listings and the authors' itemCount
// (content-events-polls-huddles.md §E.3–E.5, §P.2; content-microcosms.md M.3–M.5; identity.md).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class ItemSummaries : public Community {
 protected:
  std::int64_t comment(const std::string& token, const char* type, std::int64_t id, const std::string& text) {
    return made(as(token, "POST", "/api/v1/comments",
                   nlohmann::json{{"itemType", type}, {"itemId", id}, {"markdown", text}}.dump()));
  }
  nlohmann::json data(const std::string& token, const std::string& target) {
    auto r = as(token, "GET", target);
    EXPECT_EQ(r.status, 200) << target << ": " << r.body;
    return r.json()["data"];
  }
  void sql(const std::string& statement) { exec_sql(server.db().url(), statement); }
  static std::string event_path(std::int64_t id) { return "/api/v1/events/" + std::to_string(id); }
  static std::string poll_path(std::int64_t id) { return "/api/v1/polls/" + std::to_string(id); }
  /// The listed item of microcosm `m` with this type and id (null when absent).
  nlohmann::json listed(const std::string& token, std::int64_t m, const std::string& type, std::int64_t id) {
    const auto items = data(token, "/api/v1/microcosms/" + std::to_string(m))["items"]["items"];
    for (const auto& i : items) {
      if (i["itemType"] == type && i["item"]["id"] == id) return i["item"];
    }
    return nullptr;
  }
};

// An event is read from the cache: a change written behind the server's back is not seen, and
// each kind of write through the API (edit, flags, RSVP, comment) flushes it.
TEST_F(ItemSummaries, AnEventIsCachedAndEveryWriteFlushesIt) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  const auto id = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "Ride"}, {"rsvpLimit", 5}});
  EXPECT_EQ(data("", event_path(id))["title"], "Ride");
  sql("UPDATE events SET title = 'Behind the back' WHERE event_id = " + std::to_string(id));
  EXPECT_EQ(data("", event_path(id))["title"], "Ride") << "the second read is the cached event";

  ASSERT_EQ(as(zed, "PUT", event_path(id) + "/attendees", R"([{"profileId":12,"rsvp":"yes"}])").status, 200);
  auto d = data("", event_path(id));
  EXPECT_EQ(d["title"], "Behind the back") << "an RSVP flushes the event";
  EXPECT_EQ(d["rsvpAttend"], 1);
  EXPECT_EQ(d["rsvpSpaces"], 4);

  ASSERT_EQ(as(mel, "PUT", event_path(id), R"({"title":"Ride two","meta":{"editReason":"name"}})").status, 302);
  EXPECT_EQ(data("", event_path(id))["title"], "Ride two");

  ASSERT_EQ(as(olga, "PATCH", event_path(id), R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status,
            200);
  EXPECT_EQ(data("", event_path(id))["meta"]["flags"]["sticky"], true);

  comment(zed, "event", id, "Count me in");
  const auto events = data("", "/api/v1/events")["events"]["items"];
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["id"], id);
  EXPECT_EQ(events[0]["totalComments"], 1) << "a comment flushes the event's count";

  ASSERT_EQ(as(olga, "DELETE", event_path(id) + "/attendees/12").status, 200);
  EXPECT_FALSE(data("", event_path(id)).contains("rsvpAttend")) << "removing an attendee flushes the event";

  ASSERT_EQ(as(olga, "DELETE", event_path(id)).status, 200);
  EXPECT_EQ(as("", "GET", event_path(id)).status, 404) << "deleting flushes the event";
}

// §E.4 and §P.2: a GET of an event or a poll is a view hit; the minute job adds the hits and
// flushes the items, so their totalViews move.
TEST_F(ItemSummaries, EventAndPollViewsAreCountedByTheMinuteJob) {
  auto mel = login("mel@example.org");
  const auto event = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "Viewed ride"}});
  const auto poll = make(mel, "/api/v1/polls",
                         {{"microcosmId", 101}, {"title", "Viewed"}, {"question", "?"}, {"choices", {{{"choice", "a"}}}}});
  data("", event_path(event));
  data(mel, event_path(event));
  data("", poll_path(poll));
  EXPECT_EQ(as("", "GET", event_path(999999)).status, 404);
  EXPECT_EQ(scalar("SELECT view_count FROM events WHERE event_id = " + std::to_string(event)), 0);
  ASSERT_TRUE(server.app().run_job_now("flush_view_counts"));
  EXPECT_EQ(scalar("SELECT view_count FROM events WHERE event_id = " + std::to_string(event)), 2);
  EXPECT_EQ(scalar("SELECT view_count FROM polls WHERE poll_id = " + std::to_string(poll)), 1);
  EXPECT_EQ(listed("", 101, "event", event)["totalViews"], 2) << "the cached event was flushed";
  const auto polls = data("", "/api/v1/polls")["polls"]["items"];
  ASSERT_FALSE(polls.empty());
  EXPECT_EQ(polls[0]["id"], poll);
  EXPECT_EQ(polls[0]["totalViews"], 1);
}

// §E.3 and §P.2 Decision: summaries carry lastComment as conversations do; inside a microcosm
// listing an event always carries `attending` (false for guests) and `unread`.
TEST_F(ItemSummaries, EventAndPollSummariesCarryTheirLastCommentAndAttending) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  const auto event = make(mel, "/api/v1/events", {{"microcosmId", 103}, {"title", "Talked about"}});
  const auto poll = make(mel, "/api/v1/polls",
                         {{"microcosmId", 103}, {"title", "Asked"}, {"question", "?"}, {"choices", {{{"choice", "a"}}}}});
  auto quiet = listed("", 103, "event", event);
  ASSERT_TRUE(quiet.is_object());
  EXPECT_FALSE(quiet.contains("lastComment"));
  EXPECT_EQ(quiet["meta"]["flags"]["attending"], false);
  EXPECT_EQ(quiet["meta"]["flags"]["unread"], false);

  comment(mel, "event", event, "First");
  const auto newest = comment(zed, "event", event, "Second");
  const auto on_poll = comment(zed, "poll", poll, "Voted");
  ASSERT_EQ(as(zed, "PUT", event_path(event) + "/attendees", R"([{"profileId":12,"rsvp":"yes"}])").status, 200);

  auto item = listed(zed, 103, "event", event);
  EXPECT_EQ(item["lastComment"]["id"], newest);
  EXPECT_EQ(item["lastComment"]["createdBy"]["id"], 12);
  EXPECT_EQ(item["meta"]["flags"]["attending"], true);
  EXPECT_EQ(listed(mel, 103, "event", event)["meta"]["flags"]["attending"], false);
  EXPECT_EQ(listed("", 103, "event", event)["meta"]["flags"]["attending"], false);

  const auto events = data(zed, "/api/v1/events")["events"]["items"];
  ASSERT_FALSE(events.empty());
  EXPECT_EQ(events[0]["id"], event);
  EXPECT_EQ(events[0]["lastComment"]["id"], newest);
  EXPECT_EQ(events[0]["meta"]["flags"]["attending"], true);
  EXPECT_FALSE(data("", "/api/v1/events")["events"]["items"][0]["meta"]["flags"].contains("attending"))
      << "§E.5: attending in the site-wide list for signed-in callers only";

  const auto polls = data("", "/api/v1/polls")["polls"]["items"];
  ASSERT_FALSE(polls.empty());
  EXPECT_EQ(polls[0]["id"], poll);
  EXPECT_EQ(polls[0]["lastComment"]["id"], on_poll);
  EXPECT_EQ(polls[0]["lastComment"]["createdBy"]["id"], 12);
}

// M.5: a forum's mostRecentUpdate is its subtree's most recently active conversation or event
// (never a poll), among what the caller reads.
TEST_F(ItemSummaries, MostRecentUpdateIsTheNewestConversationOrEventBelow) {
  auto mel = login("mel@example.org");
  auto recent = [&]() {
    const auto root = data("", "/api/v1/microcosms");  // kept alive across the loop
    for (const auto& i : root["items"]["items"]) {
      if (i["itemType"] == "microcosm" && i["item"]["id"] == 101 && i["item"].contains("mostRecentUpdate")) {
        return i["item"]["mostRecentUpdate"];
      }
    }
    return nlohmann::json();
  };
  const auto conversation = make(mel, "/api/v1/conversations", {{"microcosmId", 102}, {"title", "Older talk"}});
  EXPECT_EQ(recent()["itemType"], "conversation");
  EXPECT_EQ(recent()["item"]["id"], conversation);

  const auto event = make(mel, "/api/v1/events", {{"microcosmId", 102}, {"title", "Newer ride"}, {"lat", 54.597}});
  auto r = recent();
  EXPECT_EQ(r["itemType"], "event");
  EXPECT_EQ(r["item"]["id"], event);
  EXPECT_EQ(r["item"]["title"], "Newer ride");
  EXPECT_DOUBLE_EQ(r["item"]["lat"].get<double>(), 54.597);
  EXPECT_EQ(r["item"]["breadcrumb"].size(), 2u);

  make(mel, "/api/v1/polls", {{"microcosmId", 102}, {"title", "Newest poll"}, {"question", "?"}, {"choices", {{{"choice", "a"}}}}});
  EXPECT_EQ(recent()["item"]["id"], event) << "polls are never a mostRecentUpdate";

  comment(mel, "conversation", conversation, "Back on top");
  EXPECT_EQ(recent()["itemType"], "conversation");
  EXPECT_EQ(recent()["item"]["id"], conversation);
}

// itemCount counts the visible conversations and events a profile created (issue: "events
// appear in profile item counts"), kept in the writes' transactions; polls and comments do not.
TEST_F(ItemSummaries, ItemCountCountsVisibleConversationsAndEvents) {
  auto mel = login("mel@example.org"), olga = login("olga@example.org");
  auto count = [&]() { return data("", "/api/v1/profiles/11")["itemCount"].get<std::int64_t>(); };
  const auto before = count();
  const auto conversation = make(mel, "/api/v1/conversations", {{"microcosmId", 101}, {"title", "Counted talk"}});
  EXPECT_EQ(count(), before + 1);
  const auto event = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "Counted ride"}});
  EXPECT_EQ(count(), before + 2);
  make(mel, "/api/v1/polls", {{"microcosmId", 101}, {"title", "Not counted"}, {"question", "?"}, {"choices", {{{"choice", "a"}}}}});
  comment(mel, "conversation", conversation, "Neither is this");
  EXPECT_EQ(count(), before + 2);
  ASSERT_EQ(as(olga, "DELETE", event_path(event)).status, 200);
  EXPECT_EQ(count(), before + 1);
  ASSERT_EQ(as(olga, "PATCH", "/api/v1/conversations/" + std::to_string(conversation),
               R"([{"op":"replace","path":"/meta/flags/moderated","value":true}])")
                .status,
            200);
  EXPECT_EQ(count(), before);
  ASSERT_EQ(as(olga, "PATCH", event_path(event), R"([{"op":"replace","path":"/meta/flags/deleted","value":false}])")
                .status,
            200);
  EXPECT_EQ(count(), before + 1);
  EXPECT_EQ(scalar("SELECT item_count FROM profiles WHERE profile_id = 11"),
            scalar("SELECT (SELECT COUNT(*) FROM conversations WHERE created_by = 11 AND NOT is_deleted AND NOT is_moderated)"
                   " + (SELECT COUNT(*) FROM events WHERE created_by = 11 AND NOT is_deleted AND NOT is_moderated)"));
}

// §P.2: the poll detail shows the caller's ignore flag.
TEST_F(ItemSummaries, APollDetailShowsTheIgnoredFlag) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org");
  const auto poll = make(mel, "/api/v1/polls",
                         {{"microcosmId", 101}, {"title", "Ignore me"}, {"question", "?"}, {"choices", {{{"choice", "a"}}}}});
  EXPECT_FALSE(data(zed, poll_path(poll))["meta"]["flags"].contains("ignored"));
  ASSERT_EQ(as(zed, "PUT", "/api/v1/ignored", nlohmann::json{{"itemType", "poll"}, {"itemId", poll}}.dump()).status, 200);
  EXPECT_EQ(data(zed, poll_path(poll))["meta"]["flags"]["ignored"], true);
  EXPECT_FALSE(data(mel, poll_path(poll))["meta"]["flags"].contains("ignored"));
  const auto polls = data(zed, "/api/v1/polls");
  for (const auto& p : polls["polls"]["items"]) EXPECT_NE(p["id"], poll) << "an ignored poll is not listed";
}

// §F: hiding an event or a poll takes it and its comments out of its forum's counts (and
// back); moving one carries them to the new forum. Hidden, it answers 404 on a direct GET.
TEST_F(ItemSummaries, HidingOrMovingAnEventOrPollCarriesItsCommentsInTheForumCounts) {
  auto mel = login("mel@example.org"), zed = login("zed@example.org"), olga = login("olga@example.org");
  auto counts = [&](int m) {
    return std::pair{scalar("SELECT item_count FROM microcosms WHERE microcosm_id = " + std::to_string(m)),
                     scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = " + std::to_string(m))};
  };
  const auto event = make(mel, "/api/v1/events", {{"microcosmId", 101}, {"title", "Counted ride"}});
  const auto poll = make(mel, "/api/v1/polls",
                         {{"microcosmId", 101}, {"title", "Counted poll"}, {"question", "?"}, {"choices", {{{"choice", "a"}}}}});
  const auto [items, comments] = counts(101);
  const auto [items_b, comments_b] = counts(103);
  comment(zed, "event", event, "One");
  comment(zed, "event", event, "Two");
  comment(zed, "poll", poll, "Three");
  EXPECT_EQ(counts(101), std::pair(items, comments + 3));

  const std::string hide = R"([{"op":"replace","path":"/meta/flags/moderated","value":true}])";
  const std::string show = R"([{"op":"replace","path":"/meta/flags/moderated","value":false}])";
  ASSERT_EQ(as(olga, "PATCH", event_path(event), hide).status, 200);
  EXPECT_EQ(as(mel, "GET", event_path(event)).status, 404) << "a moderated event is hidden";
  EXPECT_EQ(counts(101), std::pair(items - 1, comments + 1));
  ASSERT_EQ(as(olga, "PATCH", poll_path(poll), hide).status, 200);
  EXPECT_EQ(as(mel, "GET", poll_path(poll)).status, 404) << "a moderated poll is hidden";
  EXPECT_EQ(counts(101), std::pair(items - 2, comments));
  ASSERT_EQ(as(olga, "PATCH", event_path(event), show).status, 200);
  ASSERT_EQ(as(olga, "PATCH", poll_path(poll), show).status, 200);
  EXPECT_EQ(counts(101), std::pair(items, comments + 3));

  ASSERT_EQ(as(mel, "PUT", event_path(event), R"({"microcosmId":103,"meta":{"editReason":"move"}})").status, 302);
  EXPECT_EQ(counts(101), std::pair(items - 1, comments + 1));
  EXPECT_EQ(counts(103), std::pair(items_b + 1, comments_b + 2));
  const auto current = data(mel, poll_path(poll));
  nlohmann::json put = {{"microcosmId", 103}, {"title", "Counted poll"}, {"question", "?"},
                        {"choices", current["choices"]}, {"meta", {{"editReason", "move"}}}};
  ASSERT_EQ(as(mel, "PUT", poll_path(poll), put.dump()).status, 302);
  EXPECT_EQ(data("", poll_path(poll))["microcosmId"], 103);
  EXPECT_EQ(counts(101), std::pair(items - 2, comments));
  EXPECT_EQ(counts(103), std::pair(items_b + 2, comments_b + 3));
}

}  // namespace
