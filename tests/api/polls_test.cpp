// Polls and voting over HTTP (content-events-polls-huddles.md §P and its Decisions, §F PATCH).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

class Polls : public Community {
 protected:
  std::int64_t created(const HttpResponse& r) {
    EXPECT_EQ(r.status, 302) << r.body;
    auto loc = r.header("location");
    return loc.empty() ? 0 : std::stoll(loc.substr(loc.rfind('/') + 1));
  }
  static nlohmann::json body(int microcosm = 101) {
    return {{"microcosmId", microcosm},
            {"title", "Next ride?"},
            {"question", "Where should we go"},
            {"choices", nlohmann::json::array({{{"choice", "Hills"}}, {{"choice", "Coast"}}})}};
  }
  std::int64_t make(const std::string& token, const nlohmann::json& b = body()) {
    return created(as(token, "POST", "/api/v1/polls", b.dump()));
  }
  nlohmann::json detail(std::int64_t id, const std::string& token = "") {
    auto r = as(token, "GET", "/api/v1/polls/" + std::to_string(id));
    EXPECT_EQ(r.status, 200) << r.body;
    return r.json()["data"];
  }
  HttpResponse vote(const std::string& token, std::int64_t poll, const nlohmann::json& choices) {
    return as(token, "PUT", "/api/v1/polls/" + std::to_string(poll) + "/votes", choices.dump());
  }
  std::int64_t scalar(const std::string& sql) {
    pqxx::connection c(server.db().url());
    pqxx::work tx(c);
    return tx.exec1(sql)[0].as<std::int64_t>();
  }
  std::int64_t polls_written() { return scalar("SELECT COUNT(*) FROM polls") + scalar("SELECT COUNT(*) FROM choices"); }
  /// A 4xx v1 envelope whose message mentions `needle`.
  void refused(const HttpResponse& r, int status, const std::string& needle) {
    EXPECT_EQ(r.status, status) << r.body;
    auto j = nlohmann::json::parse(r.body, nullptr, false);
    ASSERT_TRUE(j.is_object()) << r.body;
    EXPECT_EQ(j["status"], status);
    ASSERT_TRUE(j["error"].is_array() && !j["error"].empty()) << r.body;
    EXPECT_NE(j["error"][0].get<std::string>().find(needle), std::string::npos) << r.body;
  }
};

TEST_F(Polls, AMemberCreatesAPollAndEveryoneReadsIt) {
  auto mel = login("mel@example.org");
  auto b = body();
  // Client counters and order are ignored; order comes from the array position.
  b["choices"][0]["votes"] = 99;
  b["choices"][0]["voterCount"] = 7;
  b["choices"][0]["order"] = 5;
  b["pollCloses"] = "2099-07-01T00:00:00Z";
  auto id = make(mel, b);
  auto d = detail(id);
  EXPECT_EQ(d["id"], id);
  EXPECT_EQ(d["title"], "Next ride?");
  EXPECT_EQ(d["question"], "Where should we go");
  EXPECT_EQ(d["microcosmId"], 101);
  EXPECT_EQ(d["breadcrumb"].size(), 1u);
  EXPECT_FALSE(d["multi"]);
  EXPECT_TRUE(d["pollOpen"]) << "pollOpen defaults to true";
  EXPECT_EQ(d["pollCloses"], "2099-07-01T00:00:00Z");
  EXPECT_EQ(d["voterCount"], 0);
  ASSERT_EQ(d["choices"].size(), 2u);
  EXPECT_EQ(d["choices"][0]["choice"], "Hills");
  EXPECT_EQ(d["choices"][0]["order"], 1);
  EXPECT_EQ(d["choices"][0]["votes"], 0);
  EXPECT_EQ(d["choices"][0]["voterCount"], 0);
  EXPECT_EQ(d["choices"][1]["order"], 2);
  EXPECT_EQ(d["comments"]["total"], 0);
  EXPECT_EQ(d["comments"]["type"], "/api/v1/comments");
  EXPECT_EQ(d["meta"]["createdBy"]["id"], 11);
  EXPECT_TRUE(d["meta"]["flags"]["visible"]);
  EXPECT_EQ(d["meta"]["links"][0]["href"], "/api/v1/polls/" + std::to_string(id));
  EXPECT_EQ(d["meta"]["links"][1]["title"], "A");
  EXPECT_TRUE(d["meta"]["permissions"]["read"]);
  // The microcosm counts it in the same transaction; the create is audited.
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM choices WHERE site_id = 2 AND poll_id = " + std::to_string(id)), 2);
  // The list shows it to guests.
  auto list = as("", "GET", "/api/v1/polls");
  ASSERT_EQ(list.status, 200) << list.body;
  auto polls = list.json()["data"]["polls"];
  EXPECT_EQ(polls["total"], 1);
  EXPECT_EQ(polls["type"], "/api/v1/polls");
  EXPECT_EQ(polls["items"][0]["id"], id);
  EXPECT_EQ(polls["items"][0]["question"], "Where should we go");
  EXPECT_TRUE(polls["items"][0]["pollOpen"]);
  EXPECT_EQ(polls["items"][0]["totalComments"], 0);
  EXPECT_EQ(list.json()["data"]["meta"]["links"][0]["href"], "/api/v1/polls");
  // Another site sees neither the poll nor the list entry.
  EXPECT_EQ(as("", "GET", "/api/v1/polls/" + std::to_string(id), "", "other.localhost").status, 404);
  EXPECT_EQ(as("", "GET", "/api/v1/polls", "", "other.localhost").json()["data"]["polls"]["total"], 0);
}

TEST_F(Polls, OptionsAdvertiseTheRoutesMethods) {
  auto r = as("", "OPTIONS", "/api/v1/polls");
  EXPECT_LT(r.status, 300) << r.body;
  const auto allow = r.header("allow");
  for (const char* m : {"GET", "POST", "HEAD", "OPTIONS"}) EXPECT_NE(allow.find(m), std::string::npos) << allow;
  auto one = as("", "OPTIONS", "/api/v1/polls/1");
  const auto allow_one = one.header("allow");
  for (const char* m : {"GET", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"}) {
    EXPECT_NE(allow_one.find(m), std::string::npos) << allow_one;
  }
}

TEST_F(Polls, CreatePermissionIsCreateOnTheMicrocosmCheckedAfterTheBody) {
  // Decision (§P.4): the original always answered 403; here `create` on the target decides.
  auto mel = login("mel@example.org");
  auto bob = login("bob@example.org");
  EXPECT_EQ(as("", "POST", "/api/v1/polls", body().dump()).status, 403);
  EXPECT_EQ(as(bob, "POST", "/api/v1/polls", body().dump()).status, 403);
  // A bad body is refused as such even for a guest: the body is checked first.
  auto no_title = body();
  no_title.erase("title");
  refused(as("", "POST", "/api/v1/polls", no_title.dump()), 400, "title");
  // The microcosm must exist on this site.
  refused(as(mel, "POST", "/api/v1/polls", body(200).dump()), 404, "Microcosm 200");
  EXPECT_EQ(polls_written(), 0);
  EXPECT_GT(make(mel), 0);
  // Decision (microcosms M.1): polls are exempt from itemTypes (B's lists conversations only).
  exec_sql(server.db().url(), "UPDATE microcosms SET item_types = '{6}' WHERE microcosm_id = 103");
  ASSERT_EQ(as(mel, "POST", "/api/v1/polls", body(103).dump()).status, 302);
}

TEST_F(Polls, FieldRulesRefuseBadBodiesAndWriteNothing) {
  auto mel = login("mel@example.org");
  auto post = [&](const std::function<void(nlohmann::json&)>& change) {
    auto b = body();
    change(b);
    return as(mel, "POST", "/api/v1/polls", b.dump());
  };
  refused(post([](auto& b) { b["title"] = std::string(151, 'a'); }), 400, "title");
  refused(post([](auto& b) { b["title"] = std::string(1 << 20, 'a'); }), 413, "");  // the server caps bodies
  refused(post([](auto& b) { b["title"] = "   "; }), 400, "title");
  refused(post([](auto& b) { b["title"] = 5; }), 400, "title");
  refused(post([](auto& b) { b["question"] = std::string(513, 'q'); }), 400, "question");
  refused(post([](auto& b) { b.erase("question"); }), 400, "question");
  refused(post([](auto& b) { b["choices"] = nlohmann::json::array(); }), 400, "choices");
  refused(post([](auto& b) { b["choices"] = "Hills"; }), 400, "choices");
  refused(post([](auto& b) { b["choices"] = {1, 2}; }), 400, "choices[0]");
  refused(post([](auto& b) { b["choices"][1]["choice"] = ""; }), 400, "choices[1].choice");
  refused(post([](auto& b) { b["choices"][1]["choice"] = 7; }), 400, "choice");
  refused(post([](auto& b) { b["choices"][0]["choice"] = std::string(151, 'c'); }), 400, "choices[0].choice");
  refused(post([](auto& b) { b.erase("choices"); }), 400, "choices");
  refused(post([](auto& b) { b["multi"] = "yes"; }), 400, "multi");
  refused(post([](auto& b) { b["pollOpen"] = 1; }), 400, "pollOpen");
  refused(post([](auto& b) { b["pollCloses"] = "next tuesday"; }), 400, "pollCloses");
  refused(post([](auto& b) { b["pollCloses"] = 12345; }), 400, "pollCloses");
  refused(post([](auto& b) { b["pollCloses"] = "2001-01-01T00:00:00Z"; }), 400, "past");
  refused(post([](auto& b) { b["microcosmId"] = "abc"; }), 400, "microcosmId");
  refused(post([](auto& b) { b["microcosmId"] = -1; }), 400, "microcosmId");
  // A limit on the number of choices: 101 is refused naming choices, and so is 10,000.
  refused(post([](auto& b) {
            b["choices"] = nlohmann::json::array();
            for (int i = 0; i < 101; ++i) b["choices"].push_back({{"choice", "c" + std::to_string(i)}});
          }),
          400, "choices");
  auto huge = post([](auto& b) {
    b["choices"] = nlohmann::json::array();
    for (int i = 0; i < 10000; ++i) b["choices"].push_back({{"choice", "c" + std::to_string(i)}});
  });
  EXPECT_GE(huge.status, 400);
  EXPECT_LT(huge.status, 500);
  EXPECT_EQ(as(mel, "POST", "/api/v1/polls", "{not json").status, 400);
  EXPECT_EQ(as(mel, "POST", "/api/v1/polls", "[]").status, 400);
  EXPECT_EQ(polls_written(), 0);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 0);
  // 100 choices are fine.
  auto b = body();
  b["choices"] = nlohmann::json::array();
  for (int i = 0; i < 100; ++i) b["choices"].push_back({{"choice", "c" + std::to_string(i)}});
  auto id = make(mel, b);
  EXPECT_EQ(detail(id)["choices"].size(), 100u);
}

TEST_F(Polls, PutReplacesTheChoiceSetAndNeverWritesCountersFromTheClient) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto b = body();
  b["multi"] = true;
  b["choices"].push_back({{"choice", "Moors"}});
  auto id = make(mel, b);
  auto d = detail(id);
  const auto hills = d["choices"][0]["id"].get<std::int64_t>(), coast = d["choices"][1]["id"].get<std::int64_t>(),
             moors = d["choices"][2]["id"].get<std::int64_t>();
  ASSERT_EQ(vote(zed, id, {hills, coast}).status, 302);
  ASSERT_EQ(vote(mel, id, {coast}).status, 302);
  const auto url = "/api/v1/polls/" + std::to_string(id);
  // The edit reason is required.
  refused(as(mel, "PUT", url, nlohmann::json{{"title", "T"}}.dump()), 400, "editReason");
  // A listed id must be this poll's.
  auto other = make(mel);
  const auto foreign_choice = detail(other)["choices"][0]["id"].get<std::int64_t>();
  nlohmann::json bad = {{"meta", {{"editReason", "r"}}},
                        {"choices", {{{"id", coast}, {"choice", "Coast"}}, {{"id", foreign_choice}, {"choice", "X"}}}}};
  refused(as(mel, "PUT", url, bad.dump()), 400, "choices");
  refused(as(mel, "PUT", url, nlohmann::json{{"meta", {{"editReason", "r"}}}, {"choices", {{{"id", "x"}, {"choice", "X"}}}}}.dump()),
          400, "id");
  EXPECT_EQ(detail(id)["choices"].size(), 3u) << "nothing written by the refused PUTs";
  // Coast renamed and moved first (with forged counters ignored), a new choice added, Hills
  // and Moors dropped with their votes; a past pollCloses is allowed on PUT.
  nlohmann::json put = {{"meta", {{"editReason", "Tidy up"}}},
                        {"title", "Ride?"},
                        {"pollCloses", "2001-01-01T00:00:00Z"},
                        {"choices",
                         {{{"id", coast}, {"choice", "The coast"}, {"votes", 1000}, {"voterCount", 1000}, {"order", 9}},
                          {{"choice", "Forest"}}}}};
  ASSERT_EQ(as(mel, "PUT", url, put.dump()).status, 302);
  d = detail(id);
  EXPECT_EQ(d["title"], "Ride?");
  EXPECT_EQ(d["meta"]["editReason"], "Tidy up");
  EXPECT_FALSE(d["pollOpen"]) << "pollCloses has passed";
  ASSERT_EQ(d["choices"].size(), 2u);
  EXPECT_EQ(d["choices"][0]["id"], coast);
  EXPECT_EQ(d["choices"][0]["choice"], "The coast");
  EXPECT_EQ(d["choices"][0]["order"], 1);
  EXPECT_EQ(d["choices"][0]["votes"], 2);
  EXPECT_EQ(d["choices"][0]["voterCount"], 2);
  EXPECT_EQ(d["choices"][1]["choice"], "Forest");
  EXPECT_EQ(d["choices"][1]["votes"], 0);
  EXPECT_EQ(d["voterCount"], 2);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM votes WHERE choice_id IN (" + std::to_string(hills) + "," +
                   std::to_string(moors) + ")"),
            0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM choices WHERE choice_id IN (" + std::to_string(hills) + "," +
                   std::to_string(moors) + ")"),
            0);
  // Dropping Coast too leaves no voter.
  ASSERT_EQ(as(mel, "PUT", url, nlohmann::json{{"meta", {{"editReason", "r"}}}, {"choices", {{{"choice", "Only"}}}}}.dump()).status, 302);
  EXPECT_EQ(detail(id)["voterCount"], 0);
  // Another member may not edit, the site owner may; from another site the poll is not found.
  const auto edit = nlohmann::json{{"meta", {{"editReason", "mod"}}}, {"title", "Moderated"}}.dump();
  EXPECT_EQ(as(zed, "PUT", url, edit).status, 403);
  EXPECT_EQ(as(login("olga@example.org"), "PUT", url, edit).status, 302);
  auto oscar = login("oscar@example.org", "other.localhost");
  EXPECT_EQ(as(oscar, "PUT", url, edit, "other.localhost").status, 404);
}

TEST_F(Polls, PatchFlagsPurgeThePollAndDeleteCountsLikeDelete) {
  auto mel = login("mel@example.org");
  auto olga = login("olga@example.org");
  auto id = make(mel);
  const auto url = "/api/v1/polls/" + std::to_string(id);
  EXPECT_TRUE(detail(id)["meta"]["flags"]["open"]);  // cached now
  // Decision (§F.5): the poll itself is purged, so the next read shows the change.
  auto r = as(mel, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/open","value":false}])");
  ASSERT_EQ(r.status, 200) << r.body;
  auto d = detail(id);
  EXPECT_FALSE(d["meta"]["flags"]["open"]);
  EXPECT_EQ(d["meta"]["editReason"], "Set open to false");
  EXPECT_EQ(as(mel, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 403);
  refused(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/sticky","value":"yes"}])"), 400, "true or false");
  ASSERT_EQ(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 200);
  EXPECT_TRUE(detail(id)["meta"]["flags"]["sticky"]);
  // Deleting by PATCH takes it out of the microcosm's count; un-deleting puts it back.
  ASSERT_EQ(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/deleted","value":true}])").status, 200);
  EXPECT_EQ(as("", "GET", url).status, 404);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 0);
  ASSERT_EQ(as(olga, "PATCH", url, R"([{"op":"replace","path":"/meta/flags/deleted","value":false}])").status, 200);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 1);
  // DELETE: soft, counted, 200 again when already gone.
  EXPECT_EQ(as("", "DELETE", url).status, 403);
  EXPECT_EQ(as(mel, "DELETE", url).status, 403);  // delete is for moderators, as conversations
  ASSERT_EQ(as(olga, "DELETE", url).status, 200);
  EXPECT_EQ(as(olga, "DELETE", url).status, 200);
  EXPECT_EQ(as("", "GET", url).status, 404);
  EXPECT_EQ(scalar("SELECT item_count FROM microcosms WHERE microcosm_id = 101"), 0);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM polls WHERE poll_id = " + std::to_string(id)), 1);
  EXPECT_EQ(as("", "GET", "/api/v1/polls").json()["data"]["polls"]["total"], 0);
}

TEST_F(Polls, VotingReplacesTheUsersSetAndHonoursMulti) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = make(mel);
  auto d = detail(id);
  const auto hills = d["choices"][0]["id"].get<std::int64_t>(), coast = d["choices"][1]["id"].get<std::int64_t>();
  auto r = vote(zed, id, {hills});
  ASSERT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.header("location"), "/api/v1/polls/" + std::to_string(id));
  d = detail(id);
  EXPECT_EQ(d["choices"][0]["votes"], 1);
  EXPECT_EQ(d["voterCount"], 1);
  // Re-voting replaces the set.
  ASSERT_EQ(vote(zed, id, {coast}).status, 302);
  d = detail(id);
  EXPECT_EQ(d["choices"][0]["votes"], 0);
  EXPECT_EQ(d["choices"][1]["votes"], 1);
  EXPECT_EQ(d["choices"][1]["voterCount"], 1);
  EXPECT_EQ(d["voterCount"], 1);
  // Exactly one choice unless multi.
  refused(vote(zed, id, {hills, coast}), 400, "exactly one");
  auto b = body();
  b["multi"] = true;
  auto multi = make(mel, b);
  auto m = detail(multi);
  const auto mh = m["choices"][0]["id"].get<std::int64_t>(), mc = m["choices"][1]["id"].get<std::int64_t>();
  ASSERT_EQ(vote(zed, multi, {mh, mc}).status, 302);
  ASSERT_EQ(vote(mel, multi, {mc}).status, 302);
  m = detail(multi);
  EXPECT_EQ(m["choices"][0]["votes"], 1);
  EXPECT_EQ(m["choices"][1]["votes"], 2);
  EXPECT_EQ(m["voterCount"], 2);
  // Vote sets are keyed by user (§P.5 Decision).
  EXPECT_EQ(scalar("SELECT COUNT(DISTINCT user_id) FROM votes WHERE poll_id = " + std::to_string(multi)), 2);
}

TEST_F(Polls, VotesAreRefusedWhereTheyMayNotBeCast) {
  auto mel = login("mel@example.org");
  auto zed = login("zed@example.org");
  auto id = make(mel);
  const auto url = "/api/v1/polls/" + std::to_string(id);
  auto d = detail(id);
  const auto hills = d["choices"][0]["id"].get<std::int64_t>();
  // Signed-in only; banned members may not vote.
  refused(vote("", id, {hills}), 403, "permission");
  refused(vote(login("bob@example.org"), id, {hills}), 403, "Banned");
  // Wrong types and unknown ids.
  refused(vote(zed, id, nlohmann::json::array()), 400, "choice");
  refused(vote(zed, id, {"1"}), 400, "choice id");
  refused(vote(zed, id, {1.5}), 400, "choice id");
  refused(vote(zed, id, {-3}), 400, "choice id");
  refused(vote(zed, id, nlohmann::json::array({nlohmann::json{{"id", hills}}})), 400, "choice id");
  refused(vote(zed, id, nlohmann::json{{"choice", hills}}), 400, "array");
  refused(vote(zed, id, {hills, hills}), 400, "twice");
  refused(vote(zed, id, {999999}), 400, "choice of this poll");
  auto other = make(mel);
  refused(vote(zed, id, {detail(other)["choices"][0]["id"].get<std::int64_t>()}), 400, "choice of this poll");
  EXPECT_EQ(as(zed, "PUT", url + "/votes", "{oops").status, 400);
  // Another site's poll is not found; so is a missing one.
  auto oscar = login("oscar@example.org", "other.localhost");
  EXPECT_EQ(as(oscar, "PUT", url + "/votes", nlohmann::json{hills}.dump(), "other.localhost").status, 404);
  EXPECT_EQ(vote(zed, 999999, {hills}).status, 404);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM votes"), 0);
  // A closed poll (pollOpen false), a closed item (open false) and an expired one: 403.
  auto closed_body = body();
  closed_body["pollOpen"] = false;
  auto closed = make(mel, closed_body);
  EXPECT_FALSE(detail(closed)["pollOpen"]);
  refused(vote(zed, closed, {detail(closed)["choices"][0]["id"].get<std::int64_t>()}), 403, "closed");
  auto shut = make(mel);
  ASSERT_EQ(as(mel, "PATCH", "/api/v1/polls/" + std::to_string(shut),
               R"([{"op":"replace","path":"/meta/flags/open","value":false}])").status,
            200);
  refused(vote(zed, shut, {detail(shut)["choices"][0]["id"].get<std::int64_t>()}), 403, "closed");
  auto soon = body();
  soon["pollCloses"] = "2099-01-01T00:00:00Z";
  auto expiring = make(mel, soon);
  const auto choice = detail(expiring)["choices"][0]["id"].get<std::int64_t>();
  ASSERT_EQ(vote(zed, expiring, {choice}).status, 302);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/polls/" + std::to_string(expiring),
               nlohmann::json{{"meta", {{"editReason", "ended"}}}, {"pollCloses", "2020-01-01T00:00:00Z"}}.dump())
                .status,
            302);
  EXPECT_FALSE(detail(expiring)["pollOpen"]) << "reported closed once pollCloses has passed";
  refused(vote(zed, expiring, {choice}), 403, "closed");
  // Expired in the database without any write through the API: still refused (checked under the lock).
  auto later = make(mel, soon);
  const auto later_choice = detail(later)["choices"][0]["id"].get<std::int64_t>();
  exec_sql(server.db().url(), "UPDATE polls SET voting_ends = now() - interval '1 minute' WHERE poll_id = " +
                                  std::to_string(later));
  refused(vote(zed, later, {later_choice}), 403, "closed");
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM votes"), 1);
}

TEST_F(Polls, ConcurrentVotersLeaveExactCounters) {
  auto mel = login("mel@example.org");
  auto b = body();
  b["multi"] = true;
  b["choices"].push_back({{"choice", "Moors"}});
  auto id = make(mel, b);
  auto d = detail(id);
  std::vector<std::int64_t> choices;
  for (const auto& c : d["choices"]) choices.push_back(c["id"]);
  // 200 members with their own accounts and tokens, written directly.
  constexpr int voters = 200;
  exec_sql(server.db().url(),
           "INSERT INTO users (user_id, email, canonical_email)"
           " SELECT 1000 + i, 'v' || i || '@example.org', 'v' || i || '@example.org' FROM generate_series(1, 200) i;"
           "INSERT INTO profiles (profile_id, site_id, user_id, profile_name)"
           " SELECT 5000 + i, 2, 1000 + i, 'Voter' || i FROM generate_series(1, 200) i;"
           "INSERT INTO profile_options (profile_id) SELECT 5000 + i FROM generate_series(1, 200) i;"
           "INSERT INTO access_tokens (token_sha256, user_id, site_id, expires)"
           " SELECT encode(sha256(convert_to('tok' || lpad(i::text, 125, '0'), 'UTF8')), 'hex'), 1000 + i, 2,"
           " (now() AT TIME ZONE 'UTC') + interval '1 day' FROM generate_series(1, 200) i;");
  auto token = [](int i) {
    auto n = std::to_string(i);
    return "tok" + std::string(125 - n.size(), '0') + n;
  };
  ASSERT_EQ(as(token(1), "GET", "/api/v1/whoami").status, 200);
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 1 + t; i <= voters; i += 8) {
        // Each voter votes, and every third changes their mind at once.
        nlohmann::json set = {choices[i % 3]};
        if (i % 2) set.push_back(choices[(i + 1) % 3]);
        if (vote(token(i), id, set).status == 302) ++ok;
        if (i % 3 == 0 && vote(token(i), id, {choices[(i + 2) % 3]}).status == 302) ++ok;
      }
    });
  }
  // Meanwhile the same few users re-vote from other threads.
  std::thread churn([&] {
    for (int k = 0; k < 40; ++k) vote(token(1 + k % 5), id, {choices[k % 3]});
  });
  for (auto& t : threads) t.join();
  churn.join();
  EXPECT_EQ(ok.load(), voters + voters / 3);
  d = detail(id);
  EXPECT_EQ(d["voterCount"], voters);
  EXPECT_EQ(scalar("SELECT voter_count FROM polls WHERE poll_id = " + std::to_string(id)),
            scalar("SELECT COUNT(DISTINCT user_id) FROM votes WHERE poll_id = " + std::to_string(id)));
  std::int64_t total = 0;
  for (std::size_t k = 0; k < choices.size(); ++k) {
    const auto c = std::to_string(choices[k]);
    const auto truth = scalar("SELECT COUNT(*) FROM votes WHERE choice_id = " + c);
    EXPECT_EQ(scalar("SELECT vote_count FROM choices WHERE choice_id = " + c), truth);
    EXPECT_EQ(scalar("SELECT voter_count FROM choices WHERE choice_id = " + c), truth);
    EXPECT_EQ(d["choices"][k]["votes"], truth);
    total += truth;
  }
  EXPECT_EQ(total, scalar("SELECT COUNT(*) FROM votes WHERE poll_id = " + std::to_string(id)));
}

}  // namespace
