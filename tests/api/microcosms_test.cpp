// Microcosm routes (content-microcosms.md §M and its Decisions).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

using Microcosms = Community;

std::int64_t location_id(const HttpResponse& r) {
  EXPECT_EQ(r.status, 302) << r.body;
  auto loc = r.header("location");
  return std::stoll(loc.substr(loc.rfind('/') + 1));
}

std::vector<int> child_ids(const nlohmann::json& detail) {
  std::vector<int> out;
  for (const auto& c : detail["items"]["items"]) out.push_back(c["item"]["id"]);
  return out;
}

TEST_F(Microcosms, TheRootListsReadableChildrenWithTheContractsFields) {
  auto r = as("", "GET", "/api/v1/microcosms");
  ASSERT_EQ(r.status, 200) << r.body;
  auto root = r.json()["data"];
  EXPECT_EQ(root["id"], 100);
  EXPECT_FALSE(root.contains("parentId"));
  EXPECT_FALSE(root.contains("breadcrumb"));
  EXPECT_EQ(root["itemTypes"], nlohmann::json::array({"microcosm", "conversation", "event"}));
  EXPECT_TRUE(root["moderators"].is_null());
  EXPECT_EQ(root["items"]["type"], "/api/v1/comments");
  EXPECT_EQ(child_ids(root), (std::vector<int>{101, 103}));
  auto a = root["items"]["items"][0]["item"];
  EXPECT_EQ(root["items"]["items"][0]["itemType"], "microcosm");
  EXPECT_EQ(a["children"][0]["rel"], "microcosm child");
  EXPECT_EQ(a["children"][0]["id"], 102);
  EXPECT_EQ(a["totalItems"], 0);
  EXPECT_FALSE(a["meta"]["flags"]["unread"]);
  EXPECT_TRUE(a["meta"]["flags"]["visible"]);
  EXPECT_EQ(a["meta"]["links"].size(), 2u);  // self and site: the parent is the root
  EXPECT_TRUE(root["meta"]["permissions"]["read"]);
  EXPECT_TRUE(root["meta"]["permissions"]["guest"]);
  EXPECT_EQ(root["meta"]["createdBy"]["id"], 10);
}

TEST_F(Microcosms, DetailCarriesBreadcrumbsAndTheTreeIsDepthFirst) {
  auto a1 = as("", "GET", "/api/v1/microcosms/102").json()["data"];
  ASSERT_EQ(a1["breadcrumb"].size(), 1u);
  EXPECT_EQ(a1["breadcrumb"][0]["id"], 101);
  EXPECT_EQ(a1["breadcrumb"][0]["level"], 2);
  EXPECT_EQ(a1["breadcrumb"][0]["rel"], "microcosm ancestor");
  EXPECT_EQ(a1["parentId"], 101);
  auto tree = as("", "GET", "/api/v1/microcosms/tree").json()["data"];
  std::vector<int> ids;
  for (const auto& n : tree) ids.push_back(n["id"]);
  EXPECT_EQ(ids, (std::vector<int>{100, 101, 102, 103}));
  EXPECT_EQ(tree[0]["href"], "/api/v1/microcosms");
  EXPECT_EQ(tree[2]["level"], 3);
  EXPECT_EQ(tree[2]["parentId"], 101);
  // Another site's microcosm does not exist here.
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms/200").status, 404);
}

TEST_F(Microcosms, CreateEditMoveAndTheirRules) {
  auto owner = login("olga@example.org");
  auto id = location_id(as(owner, "POST", "/api/v1/microcosms",
                           R"({"title":"<b>Tea</b> & cake","description":"ALL ABOUT TEA","parentId":103,
                               "itemTypes":["conversation","spaceship"],"meta":{"flags":{"deleted":true}},"id":5})"));
  auto tea = as("", "GET", "/api/v1/microcosms/" + std::to_string(id)).json()["data"];
  EXPECT_EQ(tea["title"], "Tea &amp; cake");         // tags stripped, text escaped
  EXPECT_EQ(tea["description"], "all about tea");    // shout prevention
  EXPECT_EQ(tea["itemTypes"], nlohmann::json::array({"conversation"}));
  EXPECT_FALSE(tea["meta"]["flags"]["deleted"]);
  EXPECT_EQ(tea["parentId"], 103);
  // No microcosms inside Tea (its itemTypes), no parent from another site, no empty title.
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms",
               R"({"title":"X","description":"d","parentId":)" + std::to_string(id) + "}").status, 400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms", R"({"title":"X","description":"d","parentId":200})").status, 400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms", R"({"title":"  ","description":"d"})").status, 400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms",
               R"({"title":"This title is far too long for a forum, much longer than fifty","description":"d"})").status,
            400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms", R"j({"title":"X","description":"d","logoUrl":"javascript:alert(1)"})j").status,
            400);
  // Members may not create microcosms (only_admins_can_create_microcosms).
  auto mel = login("mel@example.org");
  EXPECT_EQ(as(mel, "POST", "/api/v1/microcosms", R"({"title":"Mine","description":"d"})").status, 403);
  EXPECT_EQ(as("", "POST", "/api/v1/microcosms", R"({"title":"Mine","description":"d"})").status, 403);

  // PUT needs a reason; the URL id wins; a move rewrites the subtree's breadcrumbs.
  EXPECT_EQ(as(owner, "PUT", "/api/v1/microcosms/101", R"({"title":"A2"})").status, 400);
  EXPECT_EQ(as(owner, "PUT", "/api/v1/microcosms/101", R"({"id":103,"title":"A2","meta":{"editReason":"x"}})").status, 400);
  auto moved = as(owner, "PUT", "/api/v1/microcosms/101", R"({"title":"A2","parentId":103,"meta":{"editReason":"tidy"}})");
  ASSERT_EQ(moved.status, 302) << moved.body;
  auto a1 = as("", "GET", "/api/v1/microcosms/102").json()["data"];
  ASSERT_EQ(a1["breadcrumb"].size(), 2u);
  EXPECT_EQ(a1["breadcrumb"][0]["id"], 103);
  EXPECT_EQ(a1["breadcrumb"][1]["title"], "A2");
  auto a = as(owner, "GET", "/api/v1/microcosms/101").json()["data"];
  EXPECT_EQ(a["meta"]["editReason"], "tidy");
  EXPECT_EQ(a["meta"]["editedBy"]["id"], 10);
  // Not into itself or its own subtree; the root gets no parent.
  EXPECT_EQ(as(owner, "PUT", "/api/v1/microcosms/101", R"({"parentId":102,"meta":{"editReason":"x"}})").status, 400);
  EXPECT_EQ(as(owner, "PUT", "/api/v1/microcosms/100", R"({"parentId":101,"meta":{"editReason":"x"}})").status, 400);
  EXPECT_EQ(as(mel, "PUT", "/api/v1/microcosms/101", R"({"title":"Mine","meta":{"editReason":"x"}})").status, 403);
}

TEST_F(Microcosms, PatchAndDeleteFollowTheFlagRules) {
  auto owner = login("olga@example.org");
  auto mel = login("mel@example.org");
  const std::string sticky = R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])";
  EXPECT_EQ(as(mel, "PATCH", "/api/v1/microcosms/103", sticky).status, 403);
  ASSERT_EQ(as(owner, "PATCH", "/api/v1/microcosms/103", sticky).status, 200);
  EXPECT_EQ(child_ids(as("", "GET", "/api/v1/microcosms").json()["data"]), (std::vector<int>{103, 101}));
  auto b = as(owner, "GET", "/api/v1/microcosms/103").json()["data"];
  EXPECT_EQ(b["meta"]["editReason"], "Set sticky to true");
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/103", "[]").status, 400);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/103", R"([{"op":"add","path":"/x","value":1}])").status, 501);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/103", R"([{"op":"jump","path":"/x","value":1}])").status, 400);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/103", R"([{"op":"replace","path":"/meta/flags/sticky","value":"yes"}])").status, 400);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/103", R"([{"op":"replace","path":"/title","value":true}])").status, 400);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/100", R"([{"op":"replace","path":"/meta/flags/deleted","value":true}])").status, 400);
  // Deleting A hides its whole subtree, and it leaves listings and the tree.
  EXPECT_EQ(as(mel, "DELETE", "/api/v1/microcosms/101").status, 403);
  ASSERT_EQ(as(owner, "DELETE", "/api/v1/microcosms/101").status, 200);
  EXPECT_EQ(as(owner, "DELETE", "/api/v1/microcosms/101").status, 200);  // idempotent
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms/101").status, 404);
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms/102").status, 404);
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms/tree").json()["data"].size(), 2u);
  EXPECT_EQ(as(owner, "DELETE", "/api/v1/microcosms/100").status, 400);
  EXPECT_EQ(as(owner, "DELETE", "/api/v1/microcosms/99999").status, 404);
  // Un-deleting is a PATCH by id (§F.1), by moderators only; the subtree comes back.
  EXPECT_EQ(as(login("mel@example.org"), "PATCH", "/api/v1/microcosms/101",
               R"([{"op":"replace","path":"/meta/flags/deleted","value":false}])").status, 403);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/101", R"([{"op":"replace","path":"/meta/flags/deleted","value":false}])").status, 200);
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms/102").status, 200);
  // Under a deleted ancestor a forum is gone even for PATCH.
  ASSERT_EQ(as(owner, "DELETE", "/api/v1/microcosms/101").status, 200);
  EXPECT_EQ(as(owner, "PATCH", "/api/v1/microcosms/102", R"([{"op":"replace","path":"/meta/flags/sticky","value":true}])").status, 404);
}

TEST_F(Microcosms, UnreadableAndIgnoredMicrocosmsDisappearFromListings) {
  auto owner = login("olga@example.org");
  // A regular role on B for one explicit member replaces Guests and Members there.
  auto staff = as(owner, "POST", "/api/v1/microcosms/103/roles", R"({"title":"Staff","read":true})");
  ASSERT_EQ(staff.status, 302);
  ASSERT_EQ(as(owner, "PUT", staff.header("location") + "/profiles", R"([{"id":12}])").status, 200);
  EXPECT_EQ(child_ids(as("", "GET", "/api/v1/microcosms").json()["data"]), (std::vector<int>{101}));
  EXPECT_EQ(as("", "GET", "/api/v1/microcosms/103").status, 403);
  auto zed = login("zed@example.org");
  EXPECT_EQ(child_ids(as(zed, "GET", "/api/v1/microcosms").json()["data"]), (std::vector<int>{101, 103}));
  // Ignoring A hides it and its subtree from the listing and the tree.
  ASSERT_EQ(as(zed, "PUT", "/api/v1/ignored", R"({"itemType":"microcosm","itemId":101})").status, 200);
  EXPECT_EQ(child_ids(as(zed, "GET", "/api/v1/microcosms").json()["data"]), (std::vector<int>{103}));
  std::vector<int> ids;
  auto tree = as(zed, "GET", "/api/v1/microcosms/tree");
  ASSERT_EQ(tree.status, 200) << tree.body;
  const auto body = tree.json();
  for (const auto& n : body["data"]) ids.push_back(n["id"]);
  EXPECT_EQ(ids, (std::vector<int>{100, 103}));
}

}  // namespace
