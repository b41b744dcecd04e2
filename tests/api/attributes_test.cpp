// Item attributes (content-microcosms.md §A and its Decisions).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

using Attributes = Community;

TEST_F(Attributes, OwnersSetTypedAttributesOnAMicrocosm) {
  auto olga = login("olga@example.org");
  const std::string base = "/api/v1/microcosms/101/attributes";
  auto put = as(olga, "PUT", base,
                R"([{"key":"colour","value":"<b>Blue</b>"},{"key":"size","value":3},{"key":"open","value":true},
                    {"key":"since","value":"2020-01-02"}])");
  ASSERT_EQ(put.status, 200) << put.body;
  auto list = as("", "GET", base);
  ASSERT_EQ(list.status, 200) << list.body;
  auto attrs = list.json()["data"]["attributes"];
  EXPECT_EQ(attrs["total"], 4);
  EXPECT_EQ(attrs["type"], base);
  std::map<std::string, nlohmann::json> by_key;
  for (const auto& a : attrs["items"]) by_key[a["key"]] = a["value"];
  EXPECT_EQ(by_key["colour"], "Blue");  // markup stripped
  EXPECT_EQ(by_key["size"], 3);
  EXPECT_EQ(by_key["open"], true);
  EXPECT_EQ(by_key["since"], "2020-01-02");
  EXPECT_EQ(attrs["items"][0]["key"], "colour");  // ordered by key
  auto one = as(olga, "PUT", base + "/mood", R"({"key":"ignored","value":"calm"})");
  EXPECT_EQ(one.status, 302);
  EXPECT_EQ(one.header("location"), base + "/mood");
  EXPECT_EQ(as("", "GET", base + "/mood").json()["data"]["value"], "calm");
  EXPECT_EQ(as("", "GET", base + "/ignored").status, 404);
}

TEST_F(Attributes, ValidationPermissionsAndAllOrNothingDeletes) {
  auto olga = login("olga@example.org");
  auto mel = login("mel@example.org");
  const std::string base = "/api/v1/microcosms/101/attributes";
  ASSERT_EQ(as(olga, "PUT", base, R"([{"key":"a","value":1},{"key":"b","value":2}])").status, 200);
  EXPECT_EQ(as(olga, "PUT", base, R"([{"value":1}])").status, 400);
  EXPECT_EQ(as(olga, "PUT", base, R"([{"key":"c","value":null}])").status, 400);
  EXPECT_EQ(as(olga, "PUT", base, R"([{"key":"c","value":[1]}])").status, 400);
  EXPECT_EQ(as(olga, "PUT", base, R"([{"key":"   ","value":1}])").status, 400);
  EXPECT_EQ(as(olga, "PUT", base, R"([{"key":"c","value":"  "}])").status, 400);
  EXPECT_EQ(as(mel, "PUT", base, R"([{"key":"c","value":1}])").status, 403);
  EXPECT_EQ(as("", "PUT", base, R"([{"key":"c","value":1}])").status, 403);
  EXPECT_EQ(as(mel, "DELETE", base + "/a").status, 403);
  // One missing key: nothing is deleted.
  EXPECT_EQ(as(olga, "DELETE", base, R"([{"key":"a"},{"key":"nope"}])").status, 404);
  EXPECT_EQ(as("", "GET", base).json()["data"]["attributes"]["total"], 2);
  EXPECT_EQ(as(olga, "DELETE", base, R"([{"key":"a"},{"key":"b"}])").status, 200);
  EXPECT_EQ(as("", "GET", base).json()["data"]["attributes"]["total"], 0);
  EXPECT_EQ(as(olga, "DELETE", base + "/a").status, 404);
  // Other sites' items and missing parents are 404.
  EXPECT_EQ(as(olga, "GET", "/api/v1/microcosms/200/attributes").status, 404);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/microcosms/99999/attributes/x", R"({"value":1})").status, 404);
  EXPECT_EQ(as(olga, "GET", "/api/v1/site/3/attributes").status, 404);
  EXPECT_EQ(as(olga, "GET", "/api/v1/site/2/attributes").status, 200);
}

TEST_F(Attributes, OnlyTheSiteOwnerWritesMembership) {
  auto olga = login("olga@example.org");
  auto mel = login("mel@example.org");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11/attributes/team", R"({"value":"red"})").status, 302);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11/attributes/is_member", R"({"value":true})").status, 403);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/11/attributes", R"([{"key":"is_member","value":true}])").status, 403);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/profiles/12/attributes/team", R"({"value":"red"})").status, 403);  // not hers
  EXPECT_FALSE(as(olga, "GET", "/api/v1/profiles/11").json()["data"].contains("member"));
  ASSERT_EQ(as(olga, "PUT", "/api/v1/profiles/11/attributes/is_member", R"({"value":true})").status, 302);
  EXPECT_TRUE(as(olga, "GET", "/api/v1/profiles/11").json()["data"]["member"]);
}

}  // namespace
