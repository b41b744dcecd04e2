// Conversations and comments over HTTP (content-conversations-comments.md and its Decisions).
#include <gtest/gtest.h>

#include <limits>

#include <thread>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class Discussion : public Community {
 protected:
  std::int64_t created(const HttpResponse& r) {
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return loc.empty() ? 0 : std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  std::int64_t conversation(const std::string& token, const std::string& title, int microcosm = 101) {
    return created(as(token, "POST", "/api/v1/conversations",
                      nlohmann::json{{"microcosmId", microcosm}, {"title", title}}.dump()));
  }
  std::int64_t comment(const std::string& token, std::int64_t conv, const std::string& markdown,
                       std::int64_t reply = 0) {
    nlohmann::json body = {{"itemType", "conversation"}, {"itemId", conv}, {"markdown", markdown}};
    if (reply) body["inReplyTo"] = reply;
    return created(as(token, "POST", "/api/v1/comments", body.dump()));
  }
  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
};

TEST_F(Discussion, AMemberStartsAConversationAndCommentsWithMarkdownMentionsAndReplies) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Panniers?");
  auto detail = as("", "GET", "/api/v1/conversations/" + std::to_string(id));
  ASSERT_EQ(detail.status, 200) << detail.body;
  auto d = detail.json()["data"];
  EXPECT_EQ(d["title"], "Panniers?");
  EXPECT_EQ(d["microcosmId"], 101);
  EXPECT_EQ(d["breadcrumb"].size(), 1u);
  EXPECT_EQ(d["comments"]["total"], 0);
  EXPECT_EQ(d["comments"]["type"], "/api/v1/comments");
  EXPECT_TRUE(d["meta"]["permissions"]["read"]);
  EXPECT_EQ(d["meta"]["links"][1]["title"], "A");

  auto first = comment(mel, id, "**Which** ones, @Zed? See www.example.org");
  auto c = as("", "GET", "/api/v1/comments/" + std::to_string(first)).json()["data"];
  EXPECT_EQ(c["markdown"], "**Which** ones, @Zed? See www.example.org");
  const std::string html = c["html"];
  EXPECT_NE(html.find("<strong>Which</strong>"), std::string::npos) << html;
  EXPECT_NE(html.find("href=\"/profiles/12\""), std::string::npos) << html;
  EXPECT_NE(html.find("/out/"), std::string::npos) << html;  // the external link is shortened
  EXPECT_EQ(c["inReplyTo"], 0);
  EXPECT_EQ(c["revisions"], 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM mentions WHERE profile_id = 12"), 1);
  // The revision records the link it shortened, and the link follows to the address.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM revision_links rl JOIN revisions r ON r.revision_id = rl.revision_id"
                   " JOIN links l ON l.link_id = rl.link_id WHERE r.comment_id = " + std::to_string(first) +
                   " AND l.url = 'http://www.example.org'"),
            1);

  auto zed = login("zed@example.org");
  auto reply = comment(zed, id, "These, @mel.", first);
  auto r = as(zed, "GET", "/api/v1/comments/" + std::to_string(reply)).json()["data"];
  EXPECT_EQ(r["inReplyTo"], first);
  EXPECT_EQ(r["meta"]["inReplyTo"]["id"], first);
  bool reply_links = false;
  for (const auto& l : r["meta"]["links"]) reply_links = reply_links || l["rel"] == "inReplyToAuthor";
  EXPECT_TRUE(reply_links);
  auto parent = as(zed, "GET", "/api/v1/comments/" + std::to_string(first)).json()["data"];
  ASSERT_EQ(parent["meta"]["replies"].size(), 1u);
  EXPECT_EQ(parent["meta"]["replies"][0]["id"], reply);

  // Counters moved in the same transactions.
  EXPECT_EQ(scalar("SELECT comment_count FROM conversations WHERE conversation_id = " + std::to_string(id)), 2);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 1);
  EXPECT_EQ(scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 101"), 2);
  EXPECT_EQ(scalar("SELECT comment_count FROM profiles WHERE profile_id = 11"), 1);
  // Listings show it with its last comment; the root summary counts the subtree.
  auto list = as("", "GET", "/api/v1/conversations").json()["data"]["conversations"];
  EXPECT_EQ(list["total"], 1);
  EXPECT_EQ(list["items"][0]["lastComment"]["id"], reply);
  EXPECT_EQ(list["items"][0]["totalComments"], 2);
  auto root = as("", "GET", "/api/v1/microcosms").json()["data"];
  EXPECT_EQ(root["items"]["items"][0]["item"]["totalComments"], 2);
  EXPECT_EQ(root["items"]["items"][0]["item"]["mostRecentUpdate"]["itemType"], "conversation");
  EXPECT_EQ(root["items"]["items"][0]["item"]["mostRecentUpdate"]["item"]["id"], id);
  EXPECT_FALSE(root["items"]["items"][1]["item"].contains("mostRecentUpdate"));  // B is empty
}

TEST_F(Discussion, UnreadFollowsTheReadersMarkers) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = conversation(mel, "Unread test");
  comment(mel, id, "one");
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  auto first_view = as(zed, "GET", url).json()["data"]["comments"]["items"][0];
  EXPECT_TRUE(first_view["meta"]["flags"]["unread"]);
  auto second_view = as(zed, "GET", url).json()["data"]["comments"]["items"][0];
  EXPECT_FALSE(second_view["meta"]["flags"]["unread"]) << "the first view marked the page read";
  EXPECT_FALSE(as("", "GET", url).json()["data"]["comments"]["items"][0]["meta"]["flags"]["unread"]);  // guests
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto newer = comment(mel, id, "two");
  auto items = as(zed, "GET", url).json()["data"]["comments"]["items"];
  EXPECT_FALSE(items[0]["meta"]["flags"]["unread"]);
  EXPECT_TRUE(items[1]["meta"]["flags"]["unread"]);
  EXPECT_EQ(items[1]["id"], newer);
  // Re-reading what is already read leaves the marker alone (no write per view).
  const auto marker = "SELECT (EXTRACT(EPOCH FROM read) * 1000000)::bigint FROM read_markers WHERE item_type_id = 6"
                      " AND item_id = " + std::to_string(id) + " AND profile_id = 11";
  as(mel, "GET", url);
  const auto after = scalar(marker);
  EXPECT_GT(after, 0);
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  as(mel, "GET", url);
  EXPECT_EQ(scalar(marker), after) << "the marker already covered the conversation";
}

TEST_F(Discussion, NavigationRedirectsPointAtTheCommentsPage) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Long thread");
  std::vector<std::int64_t> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(comment(mel, id, "comment " + std::to_string(i)));
  auto in = as("", "GET", "/api/v1/comments/" + std::to_string(ids[6]) + "/incontext?limit=5");
  EXPECT_EQ(in.status, 307);
  EXPECT_EQ(in.header("location"), "/api/v1/conversations/" + std::to_string(id) + "?comment_id=" +
                                       std::to_string(ids[6]) + "&limit=5&offset=5");
  auto first = as("", "GET", "/api/v1/comments/" + std::to_string(ids[0]) + "/incontext");
  EXPECT_EQ(first.header("location"), "/api/v1/conversations/" + std::to_string(id) + "?comment_id=" + std::to_string(ids[0]));
  auto last = as("", "GET", "/api/v1/conversations/" + std::to_string(id) + "/lastcomment?limit=5");
  EXPECT_EQ(last.status, 307);
  EXPECT_NE(last.header("location").find("comment_id=" + std::to_string(ids[6])), std::string::npos);
  // limit is kept whenever it is not 25 (§5.2), also on the first page.
  auto short_thread = as("", "GET", "/api/v1/conversations/" + std::to_string(id) + "/lastcomment?limit=10");
  EXPECT_EQ(short_thread.header("location"), "/api/v1/conversations/" + std::to_string(id) + "?comment_id=" +
                                                 std::to_string(ids[6]) + "&limit=10");
  // A reader who has seen nothing goes to the first comment.
  auto zed = login("zed@example.org");
  auto fresh = as(zed, "GET", "/api/v1/conversations/" + std::to_string(id) + "/newcomment");
  EXPECT_NE(fresh.header("location").find("comment_id=" + std::to_string(ids[0])), std::string::npos);
  // The comment's page link on its detail.
  auto detail = as("", "GET", "/api/v1/comments/" + std::to_string(ids[6]) + "?limit=5").json()["data"];
  EXPECT_EQ(detail["meta"]["links"].back()["href"], "/api/v1/conversations/" + std::to_string(id) + "?offset=5&limit=5");
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/" + std::to_string(id) + "?offset=25").status, 400);
}

TEST_F(Discussion, ClosedConversationsTakeCommentsFromModeratorsOnly) {
  auto mel = login("mel@example.org");
  auto olga = login("olga@example.org");
  auto id = conversation(mel, "Closing time");
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  auto closed = as(mel, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/open","value":false}])");
  ASSERT_EQ(closed.status, 200) << closed.body;
  EXPECT_EQ(as(mel, "POST", "/api/v1/comments",
               nlohmann::json{{"itemType", "conversation"}, {"itemId", id}, {"markdown", "late"}}.dump()).status, 403);
  EXPECT_GT(comment(olga, id, "moderators may"), 0);
  // Members close their own but do not reopen them (openOwn is false in the default role).
  EXPECT_EQ(as(mel, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/open","value":true}])").status, 403);
  EXPECT_EQ(as(mel, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 403);
  ASSERT_EQ(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/open","value":true}])").status, 200);
  EXPECT_GT(comment(mel, id, "open again"), 0);
}

TEST_F(Discussion, DeletingNeedsTheDeleteRightAndKeepsCountersExact) {
  auto mel = login("mel@example.org");
  auto olga = login("olga@example.org");
  auto id = conversation(mel, "Doomed");
  auto c = comment(mel, id, "short-lived");
  EXPECT_EQ(as(mel, "DELETE", "/api/v1/comments/" + std::to_string(c)).status, 403);  // authors do not delete
  const auto activity = "SELECT (EXTRACT(EPOCH FROM last_modified) * 1000000)::bigint FROM conversations"
                        " WHERE conversation_id = " + std::to_string(id);
  const auto created_at = scalar("SELECT (EXTRACT(EPOCH FROM created) * 1000000)::bigint FROM conversations"
                                 " WHERE conversation_id = " + std::to_string(id));
  const auto active = scalar(activity);
  EXPECT_GT(active, created_at);
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(c)).status, 200);
  EXPECT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(c)).status, 200);
  EXPECT_EQ(as("", "GET", "/api/v1/comments/" + std::to_string(c)).status, 404);
  EXPECT_EQ(scalar("SELECT comment_count FROM conversations WHERE conversation_id = " + std::to_string(id)), 0);
  EXPECT_EQ(scalar("SELECT comment_count FROM profiles WHERE profile_id = 11"), 0);
  EXPECT_EQ(scalar(activity), active) << "no comment left: the activity time stays (§2.7)";
  comment(mel, id, "kept");
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/conversations/" + std::to_string(id)).status, 200);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/" + std::to_string(id)).status, 404);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 0);
  EXPECT_EQ(scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 101"), 0);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"], 0);
  EXPECT_EQ(as(olga, "DELETE", "/api/v1/conversations/99999").status, 404);
  // Un-deleted by a PATCH by id, with its counts restored.
  ASSERT_EQ(as(olga, "PATCH", "/api/v1/conversations/" + std::to_string(id),
               R"([{"op":"replace","path":"/meta/flags/deleted","value":false}])").status, 200);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/" + std::to_string(id)).status, 200);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 1);
  EXPECT_EQ(scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 101"), 1);
}

TEST_F(Discussion, EditsMakeRevisionsAndMovesCarryTheCounts) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Typo");
  auto c = comment(mel, id, "teh");
  ASSERT_EQ(as(mel, "PUT", "/api/v1/comments/" + std::to_string(c), R"({"markdown":"the"})").status, 302);
  auto edited = as("", "GET", "/api/v1/comments/" + std::to_string(c)).json()["data"];
  EXPECT_EQ(edited["revisions"], 2);
  EXPECT_EQ(edited["markdown"], "the");
  EXPECT_TRUE(edited["meta"].contains("edited"));
  auto zed = login("zed@example.org");
  EXPECT_EQ(as(zed, "PUT", "/api/v1/comments/" + std::to_string(c), R"({"markdown":"mine now"})").status, 403);
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  EXPECT_EQ(as(mel, "PUT", url, R"({"title":"Typo fixed"})").status, 400);  // reason required
  ASSERT_EQ(as(mel, "PUT", url, R"({"title":"Typo fixed","microcosmId":103,"meta":{"editReason":"wrong forum"}})").status, 302);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 103"), 1);
  EXPECT_EQ(scalar("SELECT comment_count FROM microcosms WHERE microcosm_id = 103"), 1);
  EXPECT_EQ(scalar("SELECT item_count + comment_count FROM microcosms WHERE microcosm_id = 101"), 0);
  auto moved = as("", "GET", url).json()["data"];
  EXPECT_EQ(moved["microcosmId"], 103);
  EXPECT_EQ(moved["meta"]["editReason"], "wrong forum");
}

TEST_F(Discussion, GuestsReadButNeverWriteAndOtherSitesSeeNothing) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Public");
  auto c = comment(mel, id, "hello");
  EXPECT_EQ(as("", "POST", "/api/v1/conversations", R"({"microcosmId":101,"title":"x"})").status, 403);
  EXPECT_EQ(as("", "POST", "/api/v1/comments",
               nlohmann::json{{"itemType", "conversation"}, {"itemId", id}, {"markdown", "x"}}.dump()).status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/" + std::to_string(id), "", "other.localhost").status, 404);
  EXPECT_EQ(as("", "GET", "/api/v1/comments/" + std::to_string(c), "", "other.localhost").status, 404);
  // Bad input.
  EXPECT_EQ(as(mel, "POST", "/api/v1/conversations", R"({"microcosmId":0,"title":"x"})").status, 400);
  EXPECT_EQ(as(mel, "POST", "/api/v1/conversations", R"({"microcosmId":200,"title":"x"})").status, 404);
  EXPECT_EQ(as(mel, "POST", "/api/v1/conversations", R"({"microcosmId":101,"title":"   "})").status, 400);
  EXPECT_EQ(as(mel, "POST", "/api/v1/comments", R"({"itemType":"article","itemId":1,"markdown":"x"})").status, 400);
  EXPECT_EQ(as(mel, "POST", "/api/v1/comments", R"({"itemType":"conversation","itemId":1,"markdown":"   "})").status, 400);
  EXPECT_EQ(as(mel, "POST", "/api/v1/comments", R"({"itemType":"conversation","itemId":99999,"markdown":"x"})").status, 404);
  EXPECT_EQ(as(mel, "POST", "/api/v1/comments", R"({"itemType":"conversation","itemId":"1","markdown":"x"})").status, 400);
  // A duplicate within five minutes answers with the first one.
  EXPECT_EQ(comment(mel, id, "hello"), c);
}

TEST_F(Discussion, AGuestSeesNothingOfAnUnreadableMicrocosm) {
  auto olga = login("olga@example.org");
  auto staff = as(olga, "POST", "/api/v1/microcosms/103/roles", R"({"title":"Staff","read":true,"create":true})");
  ASSERT_EQ(staff.status, 302);
  ASSERT_EQ(as(olga, "PUT", staff.header("location") + "/profiles", R"([{"id":12}])").status, 200);
  auto zed = login("zed@example.org");
  auto id = conversation(zed, "Staff only", 103);
  auto c = comment(zed, id, "secret");
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/" + std::to_string(id)).status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/comments/" + std::to_string(c)).status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/comments/" + std::to_string(c) + "/incontext").status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/" + std::to_string(id) + "/newcomment").status, 403);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"], 0);
  EXPECT_EQ(as(zed, "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"], 1);
  auto mel = login("mel@example.org");
  EXPECT_EQ(as(mel, "GET", "/api/v1/conversations/" + std::to_string(id)).status, 403);
}

TEST_F(Discussion, MicrocosmListingsMixForumsAndConversationsWithUnread) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto older = conversation(mel, "Older");
  std::this_thread::sleep_for(std::chrono::milliseconds(5));
  auto newer = conversation(mel, "Newer");
  auto listing = as(zed, "GET", "/api/v1/microcosms/101").json()["data"];
  auto items = listing["items"]["items"];
  ASSERT_EQ(items.size(), 3u);
  EXPECT_EQ(items[0]["itemType"], "microcosm");  // A1 first, then conversations by activity
  EXPECT_EQ(items[1]["item"]["id"], newer);
  EXPECT_EQ(items[2]["item"]["id"], older);
  EXPECT_TRUE(items[1]["item"]["meta"]["flags"]["unread"]);
  EXPECT_EQ(items[1]["item"]["breadcrumb"][0]["id"], 101);
  EXPECT_TRUE(listing["meta"]["flags"]["unread"]);
  EXPECT_TRUE(as(zed, "GET", "/api/v1/microcosms").json()["data"]["items"]["items"][0]["item"]["meta"]["flags"]["unread"]);
  // Reading one leaves the other unread; marking the microcosm read clears both.
  as(zed, "GET", "/api/v1/conversations/" + std::to_string(newer));
  items = as(zed, "GET", "/api/v1/microcosms/101").json()["data"]["items"]["items"];
  EXPECT_FALSE(items[1]["item"]["meta"]["flags"]["unread"]);
  EXPECT_TRUE(items[2]["item"]["meta"]["flags"]["unread"]);
  ASSERT_EQ(as(zed, "PUT", "/api/v1/profiles/read", R"({"itemType":"microcosm","itemId":101})").status, 200);
  listing = as(zed, "GET", "/api/v1/microcosms/101").json()["data"];
  EXPECT_FALSE(listing["items"]["items"][2]["item"]["meta"]["flags"]["unread"]);
  EXPECT_FALSE(listing["meta"]["flags"]["unread"]);
  // Sticky conversations come first; paging spans forums and conversations.
  auto olga = login("olga@example.org");
  ASSERT_EQ(as(olga, "PATCH", "/api/v1/conversations/" + std::to_string(older),
               R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 200);
  std::vector<std::int64_t> more;
  for (int i = 0; i < 4; ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(2));
    more.push_back(conversation(mel, "More " + std::to_string(i)));
  }
  // older (sticky), A1, more[3], more[2], more[1] | more[0], newer
  auto first = as("", "GET", "/api/v1/microcosms/101?limit=5").json()["data"]["items"];
  EXPECT_EQ(first["items"][0]["item"]["id"], older);
  EXPECT_EQ(first["items"][1]["itemType"], "microcosm");
  EXPECT_EQ(first["items"][2]["item"]["id"], more[3]);
  auto page2 = as("", "GET", "/api/v1/microcosms/101?limit=5&offset=5").json()["data"]["items"];
  EXPECT_EQ(page2["total"], 7);
  ASSERT_EQ(page2["items"].size(), 2u);
  EXPECT_EQ(page2["items"][0]["item"]["id"], more[0]);
  EXPECT_EQ(page2["items"][1]["item"]["id"], newer);
}

TEST_F(Discussion, AConversationPageCostsABoundedNumberOfDatabaseRoundTrips) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = conversation(mel, "Counted");
  std::int64_t reply_to = 0;
  for (int i = 0; i < 25; ++i) reply_to = comment(i % 2 ? mel : zed, id, "comment " + std::to_string(i), i % 5 ? reply_to : 0);
  // The comments' updates are fanned out in the background; their work is not the page's.
  for (int i = 0; i < 200 && scalar("SELECT COUNT(*) FROM update_queue") > 0; ++i) {
    ASSERT_TRUE(server.app().run_job_now("fan_out_updates"));
    std::this_thread::sleep_for(std::chrono::milliseconds(10));
  }
  auto transactions = [&] {
    auto text = request(port(), "GET", "/metrics", {{"Host", "demo.localhost"}}).body;
    auto at = text.find("\nagora_db_transactions_total ");
    return std::stoll(text.substr(at + 30));
  };
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  auto before = transactions();
  auto cold = as("", "GET", url);
  ASSERT_EQ(cold.status, 200);
  ASSERT_EQ(cold.json()["data"]["comments"]["items"].size(), 25u);
  const auto cold_cost = transactions() - before;
  // The least of three warm reads: a background job (view counts, mail) can add a
  // transaction to one of them, never take one away.
  auto warm_cost = std::numeric_limits<long long>::max();
  for (int i = 0; i < 3; ++i) {
    before = transactions();
    ASSERT_EQ(as("", "GET", url).status, 200);
    warm_cost = std::min<long long>(warm_cost, transactions() - before);
  }
  // docs/architecture.md states these bounds: a cold guest page reads the conversation, its
  // microcosm path, the roles along it, the comment page, the comments, their reply targets
  // and their authors, one round trip each; a warm page only asks for the page of ids (with
  // its total, in the same statement).
  EXPECT_LE(cold_cost, 10) << "cold: " << cold_cost;
  EXPECT_LE(warm_cost, 1) << "warm: " << warm_cost;
  std::cout << "[ figures  ] conversation page of 25 comments: " << cold_cost << " round trips cold, " << warm_cost
            << " warm\n";
}

TEST_F(Discussion, IgnoredConversationsLeaveListingsAndMicrocosmReadsCoverTheSubtree) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = conversation(mel, "Ignore me");
  auto deep = conversation(mel, "Deep down", 102);
  ASSERT_EQ(as(zed, "PUT", "/api/v1/ignored", nlohmann::json{{"itemType", "conversation"}, {"itemId", id}}.dump()).status, 200);
  EXPECT_EQ(as(zed, "GET", "/api/v1/conversations").json()["data"]["conversations"]["total"], 1);
  EXPECT_EQ(as(zed, "GET", "/api/v1/microcosms/101").json()["data"]["items"]["total"], 1);  // only A1 left
  EXPECT_EQ(as(zed, "GET", "/api/v1/ignored").json()["data"]["ignored"]["items"][0]["item"]["title"], "Ignore me");
  EXPECT_TRUE(as(zed, "GET", "/api/v1/conversations/" + std::to_string(id)).json()["data"]["meta"]["flags"]["ignored"]);
  // Reading A marks A1 too: the conversation down there is no longer unread.
  auto before = as(zed, "GET", "/api/v1/microcosms/102").json()["data"]["items"]["items"][0];
  EXPECT_TRUE(before["item"]["meta"]["flags"]["unread"]);
  ASSERT_EQ(as(zed, "PUT", "/api/v1/profiles/read", R"({"itemType":"microcosm","itemId":101})").status, 200);
  auto after = as(zed, "GET", "/api/v1/microcosms/102").json()["data"]["items"]["items"][0];
  EXPECT_EQ(after["item"]["id"], deep);
  EXPECT_FALSE(after["item"]["meta"]["flags"]["unread"]);
  EXPECT_EQ(as(zed, "PUT", "/api/v1/profiles/read", nlohmann::json{{"itemType", "conversation"}, {"itemId", id}}.dump()).status,
            200);
  EXPECT_EQ(as(zed, "PUT", "/api/v1/profiles/read", R"({"itemType":"conversation","itemId":99999})").status, 404);
}

TEST_F(Discussion, TheWebClientsFormBodyCreatesAComment) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Forms");
  Headers form = {{"Host", "demo.localhost"}, {"Authorization", "Bearer " + mel},
                  {"Content-Type", "application/x-www-form-urlencoded"}};
  auto r = request(port(), "POST", "/api/v1/comments", form,
                   "ItemType=conversation&ItemID=" + std::to_string(id) + "&InReplyTo=0&Markdown=Hello+%2A%2Afrom%2A%2A+a+form");
  ASSERT_EQ(r.status, 302) << r.body;
  auto c = as("", "GET", r.header("location")).json()["data"];
  EXPECT_EQ(c["markdown"], "Hello **from** a form");
  EXPECT_EQ(request(port(), "POST", "/api/v1/comments", form, "ItemType=conversation&ItemID=abc&Markdown=x").status, 400);
}

TEST_F(Discussion, ShortLinksRedirect) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Links");
  auto c = comment(mel, id, "[a shop](https://shop.example.com/item?id=1)");
  const std::string html = as("", "GET", "/api/v1/comments/" + std::to_string(c)).json()["data"]["html"];
  auto at = html.find("/out/");
  ASSERT_NE(at, std::string::npos) << html;
  auto code = html.substr(at + 5, html.find('"', at) - at - 5);
  auto r = as("", "GET", "/api/v1/out/" + code);
  EXPECT_EQ(r.status, 307);
  EXPECT_EQ(r.header("location"), "https://shop.example.com/item?id=1");
  EXPECT_EQ(as("", "GET", "/out/" + code, "", "localhost").status, 307);
  EXPECT_EQ(as("", "GET", "/api/v1/out/zzzzzz").status, 404);
}

TEST_F(Discussion, ConcurrentWritersLeaveCountersEqualToTheRows) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto olga = login("olga@example.org");
  auto a = conversation(mel, "Busy one");
  auto b = conversation(zed, "Busy two", 103);
  std::vector<std::thread> writers;
  std::atomic<int> made{0};
  for (int w = 0; w < 6; ++w) {
    writers.emplace_back([&, w] {
      const auto& token = w % 2 ? mel : zed;
      for (int i = 0; i < 8; ++i) {
        nlohmann::json body = {{"itemType", "conversation"}, {"itemId", i % 2 ? a : b},
                               {"markdown", "writer " + std::to_string(w) + " comment " + std::to_string(i)}};
        auto r = as(token, "POST", "/api/v1/comments", body.dump());
        const auto loc = r.header("location");
        const std::int64_t id = r.status == 302 ? std::stoll(loc.substr(loc.rfind('/') + 1)) : 0;
        if (id) ++made;
        if (i % 3 == 0 && id) as(olga, "DELETE", "/api/v1/comments/" + std::to_string(id));
      }
    });
  }
  writers.emplace_back([&] {
    for (int i = 0; i < 4; ++i) {
      as(olga, "PATCH", "/api/v1/conversations/" + std::to_string(a),
         nlohmann::json::array({{{"op", "replace"}, {"path", "/meta/flags/deleted"}, {"value", i % 2 == 0}}}).dump());
    }
  });
  for (auto& t : writers) t.join();
  // Comments on `b` always land; those on `a` only while it is not deleted.
  EXPECT_GE(made.load(), 24);
  // Every stored counter equals the value recomputed from the rows.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM conversations c WHERE c.comment_count <> (SELECT COUNT(*) FROM comments m"
                   " WHERE m.item_type_id = 6 AND m.item_id = c.conversation_id AND NOT m.is_deleted AND NOT m.is_moderated)"),
            0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM microcosms m WHERE m.comment_count <> (SELECT COALESCE(SUM(c.comment_count), 0)"
                   " FROM conversations c WHERE c.microcosm_id = m.microcosm_id AND NOT c.is_deleted AND NOT c.is_moderated)"),
            0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM microcosms m WHERE m.item_count <> (SELECT COUNT(*) FROM conversations c"
                   " WHERE c.microcosm_id = m.microcosm_id AND NOT c.is_deleted AND NOT c.is_moderated)"),
            0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM profiles p WHERE p.comment_count <> (SELECT COUNT(*) FROM comments m"
                   " WHERE m.profile_id = p.profile_id AND NOT m.is_deleted AND NOT m.is_moderated)"),
            0);
}

}  // namespace

namespace {

// The issue's "done when", in one flow: one token builds a forum, members and guests read it
// in the contract's shapes, and a guest learns nothing about a forum it may not read.
TEST_F(Discussion, OneTokenBuildsAForumThatGuestsAndMembersReadBack) {
  auto olga = login("olga@example.org");
  auto forum = created(as(olga, "POST", "/api/v1/microcosms", R"({"title":"Workshop","description":"Tools and fixes"})"));
  auto id = conversation(olga, "Chain wear", static_cast<int>(forum));
  auto first = comment(olga, id, "Measure with a **ruler**, @Mel. More: https://example.org/chains");
  auto reply = comment(olga, id, "And replace the cassette too.", first);

  auto mel = login("mel@example.org");
  auto as_member = as(mel, "GET", "/api/v1/conversations/" + std::to_string(id)).json()["data"];
  ASSERT_EQ(as_member["comments"]["items"].size(), 2u);
  EXPECT_TRUE(as_member["comments"]["items"][0]["meta"]["flags"]["unread"]);
  EXPECT_EQ(as_member["comments"]["items"][1]["inReplyTo"], first);
  EXPECT_FALSE(as_member["meta"]["permissions"]["guest"]);
  auto again = as(mel, "GET", "/api/v1/conversations/" + std::to_string(id)).json()["data"];
  EXPECT_FALSE(again["comments"]["items"][1]["meta"]["flags"]["unread"]);
  auto as_guest = as("", "GET", "/api/v1/conversations/" + std::to_string(id)).json()["data"];
  EXPECT_TRUE(as_guest["meta"]["permissions"]["guest"]);
  EXPECT_FALSE(as_guest["comments"]["items"][0]["meta"]["flags"]["unread"]);
  const std::string html = as_guest["comments"]["items"][0]["html"];
  EXPECT_NE(html.find("<strong>ruler</strong>"), std::string::npos);
  EXPECT_NE(html.find("href=\"/profiles/11\""), std::string::npos);
  EXPECT_NE(html.find("rel=\"nofollow\""), std::string::npos);

  // Close the forum to guests: a regular role for members only replaces Guests there.
  auto members = as(olga, "POST", "/api/v1/microcosms/" + std::to_string(forum) + "/roles",
                    R"({"title":"Members only","includeUsers":true,"read":true,"create":true})");
  ASSERT_EQ(members.status, 302) << members.body;
  const auto conv = "/api/v1/conversations/" + std::to_string(id);
  for (const auto& path : {"/api/v1/microcosms/" + std::to_string(forum), conv, conv + "/newcomment",
                           conv + "/lastcomment", "/api/v1/comments/" + std::to_string(reply),
                           "/api/v1/comments/" + std::to_string(reply) + "/incontext"}) {
    auto r = as("", "GET", path);
    EXPECT_EQ(r.status, 403) << path;
    EXPECT_EQ(r.body.find("Chain wear"), std::string::npos) << path;
  }
  auto tree = as("", "GET", "/api/v1/microcosms/tree").json()["data"];
  for (const auto& n : tree) EXPECT_NE(n["id"], forum);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations").body.find("Chain wear"), std::string::npos);
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms").body.find("Workshop"), std::string::npos);
  // Members still read it.
  EXPECT_EQ(as(mel, "GET", conv).status, 200);
}

}  // namespace

namespace {

// Summaries say nothing about forums below that the caller may not read (M.5, §6.4).
TEST_F(Discussion, SummariesHideWhatLiesInUnreadableSubForums) {
  auto olga = login("olga@example.org");
  auto staff = as(olga, "POST", "/api/v1/microcosms/102/roles", R"({"title":"Staff","read":true,"create":true})");
  ASSERT_EQ(staff.status, 302);
  ASSERT_EQ(as(olga, "PUT", staff.header("location") + "/profiles", R"([{"id":12}])").status, 200);
  auto zed = login("zed@example.org");
  conversation(zed, "Secret plans", 102);
  auto guest_root = as("", "GET", "/api/v1/microcosms");
  EXPECT_EQ(guest_root.body.find("Secret plans"), std::string::npos) << guest_root.body;
  auto a = guest_root.json()["data"]["items"]["items"][0]["item"];
  EXPECT_EQ(a["id"], 101);
  EXPECT_FALSE(a.contains("children")) << a.dump();
  EXPECT_FALSE(a.contains("mostRecentUpdate"));
  auto mel = login("mel@example.org");
  auto member_root = as(mel, "GET", "/api/v1/microcosms").json()["data"]["items"]["items"][0]["item"];
  EXPECT_FALSE(member_root["meta"]["flags"]["unread"]) << "activity in A1 is not Mel's to see";
  auto zed_root = as(zed, "GET", "/api/v1/microcosms").json()["data"]["items"]["items"][0]["item"];
  EXPECT_TRUE(zed_root["meta"]["flags"]["unread"]);
  EXPECT_EQ(zed_root["mostRecentUpdate"]["item"]["title"], "Secret plans");
  EXPECT_EQ(zed_root["children"][0]["id"], 102);
}

}  // namespace

namespace {

// Every GET of a conversation counts a view (guests too); the per-minute job adds the hits to
// view_count and flushes the cached conversation, so listings show the new totalViews.
TEST_F(Discussion, ViewsAreCountedAndShownAfterTheMinuteJob) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Watched");
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  as("", "GET", url);
  as(mel, "GET", url);
  as("", "GET", url);
  EXPECT_EQ(as("", "GET", "/api/v1/conversations/999999").status, 404);
  EXPECT_EQ(scalar("SELECT view_count FROM conversations WHERE conversation_id = " + std::to_string(id)), 0)
      << "hits wait for the job";
  ASSERT_TRUE(server.app().run_job_now("flush_view_counts"));
  EXPECT_EQ(scalar("SELECT view_count FROM conversations WHERE conversation_id = " + std::to_string(id)), 3);
  as("", "GET", url);
  auto listed = as("", "GET", "/api/v1/microcosms/101").json()["data"]["items"]["items"];
  bool found = false;
  for (auto& item : listed) {
    if (item["item"]["id"] == id) {
      found = true;
      EXPECT_EQ(item["item"]["totalViews"], 3) << "the cached conversation was flushed";
    }
  }
  EXPECT_TRUE(found);
  ASSERT_TRUE(server.app().run_job_now("flush_view_counts"));
  EXPECT_EQ(scalar("SELECT view_count FROM conversations WHERE conversation_id = " + std::to_string(id)), 4);
}

}  // namespace

namespace {

// A reader who ignores a profile does not see its comments on a conversation page (the ignore
// list comes with the reader's marker in one query); others still do.
TEST_F(Discussion, IgnoredAuthorsLeaveTheReadersCommentPage) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = conversation(mel, "Quiet please");
  comment(mel, id, "first from Mel");
  auto loud = comment(zed, id, "first from Zed");
  comment(mel, id, "second from Mel");
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 200);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":13})").status, 200);
  auto page = as(mel, "GET", url).json()["data"]["comments"];
  EXPECT_EQ(page["total"], 2);
  for (auto& item : page["items"]) EXPECT_NE(item["id"], loud);
  EXPECT_EQ(as("", "GET", url).json()["data"]["comments"]["total"], 3) << "guests ignore nobody";
  EXPECT_EQ(as(zed, "GET", url).json()["data"]["comments"]["total"], 3);
}

}  // namespace

TEST_F(Discussion, RepliesNameTheirTargetWhetherItIsOnThePageOrAnEarlierOne) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = conversation(mel, "Long thread");
  const auto first = comment(mel, id, "the first word");
  for (int i = 1; i < 25; ++i) comment(mel, id, "filler " + std::to_string(i));
  const auto late = comment(zed, id, "back to the start", first);
  const auto near = comment(mel, id, "and to the late one", late);
  auto page = as("", "GET", "/api/v1/conversations/" + std::to_string(id) + "?offset=25").json()["data"]["comments"];
  ASSERT_EQ(page["items"].size(), 2u);
  auto reply_links = [](const nlohmann::json& item) {
    std::map<std::string, std::string> out;
    for (const auto& l : item["meta"]["links"]) {
      if (l["rel"] == "inReplyTo" || l["rel"] == "inReplyToAuthor") out[l["rel"]] = l["href"];
    }
    return out;
  };
  EXPECT_EQ(page["items"][0]["id"], late);
  EXPECT_EQ(page["items"][0]["inReplyTo"], first) << "target on the first page";
  EXPECT_EQ(reply_links(page["items"][0])["inReplyTo"], "/api/v1/comments/" + std::to_string(first));
  EXPECT_EQ(page["items"][1]["inReplyTo"], late) << "target on the same page";
  EXPECT_EQ(reply_links(page["items"][1])["inReplyToAuthor"].rfind("/api/v1/profiles/", 0), 0u);
  // A removed target is no longer named.
  auto olga = login("olga@example.org");  // a moderator
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(first)).status, 200);
  page = as("", "GET", "/api/v1/conversations/" + std::to_string(id) + "?offset=25").json()["data"]["comments"];
  ASSERT_EQ(page["items"].size(), 1u) << "the page moved up by one";
  page = as("", "GET", "/api/v1/conversations/" + std::to_string(id)).json()["data"]["comments"];
  const auto& moved = page["items"][24];
  EXPECT_EQ(moved["id"], late);
  EXPECT_FALSE(moved.contains("inReplyTo"));
  EXPECT_TRUE(reply_links(moved).empty());
}

// Summaries are kept in the in-process fragment memo; what a page shows must still follow
// every change to what they were written from.
TEST_F(Discussion, PagesFollowRenamesEditsAndReadStateThroughTheFragmentMemo) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = conversation(mel, "Memo");
  const auto c = comment(mel, id, "original words");
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  auto first = [&](const std::string& token) { return as(token, "GET", url).json()["data"]["comments"]["items"][0]; };
  EXPECT_EQ(first("")["meta"]["createdBy"]["profileName"], "Mel");
  EXPECT_EQ(first("")["markdown"], "original words");  // now memoised
  ASSERT_EQ(as(mel, "PUT", "/api/v1/profiles/11", R"({"profileName":"Melody"})").status, 302);
  EXPECT_EQ(first("")["meta"]["createdBy"]["profileName"], "Melody");
  ASSERT_EQ(as(mel, "PUT", "/api/v1/comments/" + std::to_string(c),
               R"({"markdown":"second thoughts","meta":{"editReason":"typo"}})")
                .status,
            302);
  auto edited = first("");
  EXPECT_EQ(edited["markdown"], "second thoughts");
  EXPECT_EQ(edited["revisions"], 2);
  // Per reader: unread for zed until zed has read the page, never for a guest.
  EXPECT_EQ(first(zed)["meta"]["flags"]["unread"], true);
  EXPECT_EQ(first(zed)["meta"]["flags"]["unread"], false);
  EXPECT_EQ(first("")["meta"]["flags"]["unread"], false);
  const auto metrics = request(port(), "GET", "/metrics", {{"Host", "demo.localhost"}}).body;
  EXPECT_NE(metrics.find("agora_fragment_hits_total "), std::string::npos);
}

// A page's total comes from the conversation's comment count, except on the last page (exact
// from its rows) and when the rows prove the count wrong.
TEST_F(Discussion, PageTotalsAreExactOnTheLastPageAndWhenTheCountIsProvedWrong) {
  auto mel = login("mel@example.org");
  auto olga = login("olga@example.org");
  auto id = conversation(mel, "Totals");
  for (int i = 0; i < 30; ++i) comment(mel, id, "n" + std::to_string(i));
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  auto total = [&](const std::string& query) {
    auto r = as("", "GET", url + query);
    return r.status == 200 ? r.json()["data"]["comments"]["total"].get<std::int64_t>() : -r.status;
  };
  EXPECT_EQ(total(""), 30);
  EXPECT_EQ(total("?offset=25"), 30);
  EXPECT_EQ(total("?offset=50"), -400) << "past the end";
  // Corrupt the stored count, and refresh the cached conversation with a flag change.
  auto recache_with_count = [&](int count) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    tx.exec0("UPDATE conversations SET comment_count = " + std::to_string(count) +
             " WHERE conversation_id = " + std::to_string(id));
    tx.commit();
    ASSERT_EQ(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 200);
    ASSERT_EQ(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/sticky","value":false}])").status, 200);
  };
  recache_with_count(3);
  EXPECT_EQ(total(""), 30) << "a full page of 25 disproves a count of 3: counted instead";
  EXPECT_EQ(total("?offset=25"), 30);
  recache_with_count(100);
  EXPECT_EQ(total("?offset=25"), 30) << "the last page is exact whatever the count says";
  EXPECT_EQ(total("?offset=50"), -400) << "and an offset past the real end is refused";
  auto ignoring = login("zed@example.org");
  ASSERT_EQ(as(ignoring, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":10})").status, 200);
  EXPECT_EQ(as(ignoring, "GET", url).json()["data"]["comments"]["total"], 30) << "ignoring someone else: counted";
}

// A count that lags one comment behind must not make a full page look like the last one
// (a reader would be marked read past a comment never shown).
TEST_F(Discussion, AFullPageIsNotTheLastOneWhenACommentFollowsThatTheCountHasNotSeen) {
  auto mel = login("mel@example.org");
  auto id = conversation(mel, "Exactly full");
  for (int i = 0; i < 25; ++i) comment(mel, id, "c" + std::to_string(i));
  const auto url = "/api/v1/conversations/" + std::to_string(id);
  ASSERT_EQ(as("", "GET", url).json()["data"]["comments"]["total"], 25);  // cached with a count of 25
  {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    const auto made = tx.exec1("INSERT INTO comments (site_id, item_type_id, item_id, profile_id) VALUES (2, 6, " +
                               std::to_string(id) + ", 11) RETURNING comment_id")[0]
                          .as<std::int64_t>();
    tx.exec0("INSERT INTO revisions (comment_id, profile_id, raw, html) VALUES (" + std::to_string(made) +
             ", 11, 'late', '<p>late</p>')");
    tx.commit();
  }
  auto page = as("", "GET", url).json()["data"]["comments"];
  EXPECT_EQ(page["total"], 26);
  bool next = false;
  for (const auto& l : page["links"]) next = next || l["rel"] == "next";
  EXPECT_TRUE(next);
}

// A profile's "about me" comments (§2.1–2.7): its owner and the site owner post them,
// everyone reads them, the profile shows the newest as profileComment.
TEST_F(Discussion, ProfilesTakeCommentsFromTheirOwnerAndTheSiteOwner) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto olga = login("olga@example.org");
  auto on_mel = [](const std::string& markdown) {
    return nlohmann::json{{"itemType", "profile"}, {"itemId", 11}, {"markdown", markdown}}.dump();
  };
  const auto before = scalar("SELECT comment_count FROM profiles WHERE profile_id = 11");
  const auto own = created(as(mel, "POST", "/api/v1/comments", on_mel("I ride **fixed**.")));
  EXPECT_EQ(scalar("SELECT comment_count FROM profiles WHERE profile_id = 11"), before + 1);
  EXPECT_EQ(as(zed, "POST", "/api/v1/comments", on_mel("not yours")).status, 403);
  EXPECT_EQ(as("", "POST", "/api/v1/comments", on_mel("guest")).status, 403);
  EXPECT_EQ(as(mel, "POST", "/api/v1/comments",
               nlohmann::json{{"itemType", "profile"}, {"itemId", 20}, {"markdown", "x"}}.dump()).status,
            404) << "another site's profile";
  const auto by_owner = created(as(olga, "POST", "/api/v1/comments", on_mel("Welcome, Mel.")));

  auto c = as("", "GET", "/api/v1/comments/" + std::to_string(own));
  ASSERT_EQ(c.status, 200) << c.body;
  auto d = c.json()["data"];
  EXPECT_EQ(d["itemType"], "profile");
  EXPECT_EQ(d["itemId"], 11);
  EXPECT_NE(d["html"].get<std::string>().find("<strong>fixed</strong>"), std::string::npos);
  EXPECT_EQ(d["meta"]["flags"]["unread"], false);
  std::map<std::string, nlohmann::json> links;
  for (const auto& l : d["meta"]["links"]) links[l["rel"]] = l;
  EXPECT_EQ(links["profile"]["href"], "/api/v1/profiles/11");
  EXPECT_EQ(links["profile"]["title"], "Mel");
  EXPECT_EQ(links["commentPage"]["href"], "/api/v1/profiles/11");
  EXPECT_EQ(d["meta"]["permissions"]["update"], false) << "a guest";

  auto profile = as("", "GET", "/api/v1/profiles/11").json()["data"];
  EXPECT_EQ(profile["profileComment"]["id"], by_owner) << "the newest";
  EXPECT_EQ(profile["profileComment"]["meta"]["createdBy"]["profileName"], "Olga");

  EXPECT_EQ(as(zed, "PUT", "/api/v1/comments/" + std::to_string(own), R"({"markdown":"hijack"})").status, 403);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/comments/" + std::to_string(own), R"({"markdown":"I ride fixed and fast."})").status,
            302);
  EXPECT_EQ(as("", "GET", "/api/v1/comments/" + std::to_string(own)).json()["data"]["revisions"], 2);
  auto in = as("", "GET", "/api/v1/comments/" + std::to_string(own) + "/incontext");
  EXPECT_EQ(in.status, 307);
  EXPECT_EQ(in.header("location"), "/api/v1/profiles/11?comment_id=" + std::to_string(own));

  EXPECT_EQ(as(mel, "DELETE", "/api/v1/comments/" + std::to_string(by_owner)).status, 403) << "only the site owner";
  ASSERT_EQ(as(olga, "DELETE", "/api/v1/comments/" + std::to_string(by_owner)).status, 200);
  EXPECT_EQ(as("", "GET", "/api/v1/comments/" + std::to_string(by_owner)).status, 404);
  EXPECT_EQ(as("", "GET", "/api/v1/profiles/11").json()["data"]["profileComment"]["id"], own);
  EXPECT_TRUE(as("", "GET", "/api/v1/profiles/12").json()["data"]["profileComment"].is_null());
  // Unread against the reader's marker on the profile, which reading the comment advances.
  auto unread = [&](const std::string& token) {
    return as(token, "GET", "/api/v1/comments/" + std::to_string(own)).json()["data"]["meta"]["flags"]["unread"];
  };
  EXPECT_EQ(unread(zed), true);
  EXPECT_EQ(unread(zed), false);
  // The newest is a reply: profileComment names its target.
  const auto reply = created(as(mel, "POST", "/api/v1/comments",
                                nlohmann::json{{"itemType", "profile"}, {"itemId", 11}, {"markdown", "and fast"},
                                               {"inReplyTo", own}}.dump()));
  auto pc = as(zed, "GET", "/api/v1/profiles/11").json()["data"]["profileComment"];
  EXPECT_EQ(pc["id"], reply);
  EXPECT_EQ(pc["inReplyTo"], own);
  EXPECT_EQ(pc["meta"]["flags"]["unread"], true) << "newer than zed's marker";
  bool author_link = false;
  for (const auto& l : pc["meta"]["links"]) author_link = author_link || l["rel"] == "inReplyToAuthor";
  EXPECT_TRUE(author_link);
  // Attributes on such a comment follow the same rights.
  EXPECT_EQ(as(mel, "PUT", "/api/v1/comments/" + std::to_string(own) + "/attributes/mood", R"({"value":"sunny"})").status,
            302);
  EXPECT_EQ(as(zed, "PUT", "/api/v1/comments/" + std::to_string(own) + "/attributes/mood", R"({"value":"grey"})").status,
            403);
}
