// Ignoring and read markers (identity.md §6.8, §8).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

using Reader = Community;

std::vector<int> profile_ids(const HttpResponse& r) {
  std::vector<int> out;
  const auto body = r.json();
  for (const auto& p : body["data"]["profiles"]["items"]) out.push_back(p["id"]);
  return out;
}

TEST_F(Reader, IgnoringAProfileHidesItFromTheListAndFlagsIt) {
  auto mel = login("mel@example.org");
  ASSERT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 200);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 200);  // idempotent
  EXPECT_EQ(profile_ids(as(mel, "GET", "/api/v1/profiles")), (std::vector<int>{13, 11, 10}));
  EXPECT_TRUE(as(mel, "GET", "/api/v1/profiles/12").json()["data"]["meta"]["flags"]["ignored"]);
  // Others still see Zed.
  EXPECT_EQ(profile_ids(as("", "GET", "/api/v1/profiles")).size(), 4u);
  auto list = as(mel, "GET", "/api/v1/ignored");
  ASSERT_EQ(list.status, 200) << list.body;
  auto ignored = list.json()["data"]["ignored"];
  EXPECT_EQ(ignored["total"], 1);
  EXPECT_EQ(ignored["items"][0]["itemType"], "profile");
  EXPECT_EQ(ignored["items"][0]["item"]["profileName"], "Zed");
  ASSERT_EQ(as(mel, "DELETE", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/ignored").json()["data"]["ignored"]["total"], 0);
}

TEST_F(Reader, IgnoringAMicrocosmAndBadReferences) {
  auto mel = login("mel@example.org");
  ASSERT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"Microcosm","itemId":103})").status, 200);
  EXPECT_EQ(as(mel, "GET", "/api/v1/ignored").json()["data"]["ignored"]["items"][0]["item"]["title"], "B");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"microcosm","itemId":200})").status, 404);  // other site
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":20})").status, 404);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":11})").status, 400);  // oneself
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"spaceship","itemId":1})").json()["error"][0],
            "You must specify a valid item type");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":0})").status, 400);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":"12"})").status, 400);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/ignored", "[]").status, 400);
  EXPECT_EQ(as("", "GET", "/api/v1/ignored").status, 401);
  EXPECT_EQ(as("", "PUT", "/api/v1/ignored", R"({"itemType":"profile","itemId":12})").status, 401);
}

TEST_F(Reader, MarkingReadWritesMarkersForTheCallerOnly) {
  auto mel = login("mel@example.org");
  ASSERT_EQ(as(mel, "PUT", "/api/v1/profiles/read", R"({"itemType":"microcosm","itemId":101})").status, 200);
  ASSERT_EQ(as(mel, "PUT", "/api/v1/profiles/read", R"({"itemType":"site"})").status, 200);
  pqxx::connection c(server.db().url());
  pqxx::work tx(c);
  // Every microcosm of demo (4), none of the other site's, for Mel (11) only.
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM read_markers WHERE profile_id = 11 AND item_type_id = 2")[0].as<int>(), 4);
  EXPECT_EQ(tx.exec1("SELECT COUNT(*) FROM read_markers WHERE profile_id <> 11")[0].as<int>(), 0);
  tx.commit();
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/read", R"({"itemType":"microcosm","itemId":200})").status, 404);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/read", R"({"itemType":"nonsense","itemId":1})").json()["error"][0],
            "Unknown item type");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/read", R"({"itemType":"microcosm"})").status, 400);
  EXPECT_EQ(as("", "PUT", "/api/v1/profiles/read", R"({"itemType":"site"})").status, 401);
}

}  // namespace
