// Role routes and the permission engine over HTTP (permissions.md §2–§9 and their Decisions).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

using Roles = Community;

std::vector<std::string> titles(const nlohmann::json& roles) {
  std::vector<std::string> out;
  for (const auto& r : roles["items"]) out.push_back(r["title"]);
  return out;
}

/// Follows a 302's Location on the same host.
std::int64_t created_id(const HttpResponse& r) {
  EXPECT_EQ(r.status, 302) << r.body;
  auto loc = r.header("location");
  return std::stoll(loc.substr(loc.rfind('/') + 1));
}

TEST_F(Roles, DefaultRolesApplyToTheWholeTreeAndGuestsSeeNoMemberPreviews) {
  auto r = as("", "GET", "/api/v1/microcosms/102/roles");
  ASSERT_EQ(r.status, 200) << r.body;
  auto roles = r.json()["data"]["roles"];
  EXPECT_EQ(roles["type"], "/api/v1/roles");
  EXPECT_EQ(titles(roles), (std::vector<std::string>{"Guests", "Members", "Banned"}));
  for (const auto& role : roles["items"]) {
    EXPECT_FALSE(role.contains("members"));
    EXPECT_EQ(role["microcosmId"], 100);
    EXPECT_EQ(role["meta"]["links"][1]["title"], "Forums");
  }
  // The site owner sees previews: Members holds everyone.
  auto owner = login("olga@example.org");
  auto full = as(owner, "GET", "/api/v1/microcosms/100/roles").json()["data"]["roles"]["items"];
  EXPECT_EQ(full[1]["title"], "Members");
  EXPECT_EQ(full[1]["members"]["total"], 4);
  EXPECT_EQ(full[1]["members"]["items"].size(), 4u);
  EXPECT_EQ(full[0]["members"]["total"], 0);  // Guests: no profiles
}

TEST_F(Roles, PermissionFollowsDefaultRoles) {
  auto guest = permission("", "itemType=microcosm&itemId=101");
  EXPECT_TRUE(guest["read"]);
  EXPECT_FALSE(guest["create"]);
  EXPECT_TRUE(guest["guest"]);
  auto mel = login("mel@example.org");
  auto member = permission(mel, "itemType=microcosm&itemId=101");
  EXPECT_TRUE(member["read"]);
  EXPECT_TRUE(member["create"]);
  EXPECT_TRUE(member["closeOwn"]);
  EXPECT_FALSE(member["openOwn"]);
  EXPECT_FALSE(member["update"]);
  EXPECT_FALSE(member["moderator"]);
  auto owner = permission(login("olga@example.org"), "itemType=microcosm&itemId=101");
  for (const char* k : {"create", "read", "update", "delete", "moderator", "siteOwner", "owner"}) {
    EXPECT_TRUE(owner[k]) << k;
  }
  // Another site's microcosm id does not exist here.
  auto elsewhere = permission(mel, "itemType=microcosm&itemId=200");
  EXPECT_FALSE(elsewhere["read"]);
}

TEST_F(Roles, PermissionRouteValidatesItsQuery) {
  EXPECT_EQ(as("", "GET", "/api/v1/permission?microcosmId=-1").status, 400);
  EXPECT_EQ(as("", "GET", "/api/v1/permission?microcosmId=abc").status, 400);
  EXPECT_EQ(as("", "GET", "/api/v1/permission?itemId=x").status, 400);
  auto bad = as("", "GET", "/api/v1/permission?itemType=spaceship");
  EXPECT_EQ(bad.status, 400);
  EXPECT_EQ(bad.json()["error"][0], "You must specify a valid itemType");
  auto none = permission("", "");
  EXPECT_FALSE(none["read"]);
  EXPECT_TRUE(none["guest"]);
  EXPECT_TRUE(permission("", "itemType=SITE")["read"]);  // names are case-insensitive
}

TEST_F(Roles, ARegularRoleBelowReplacesTheInheritedOnes) {
  auto owner = login("olga@example.org");
  auto staff = created_id(as(owner, "POST", "/api/v1/microcosms/101/roles",
                             R"({"title":"Staff","read":true,"create":true})"));
  ASSERT_EQ(as(owner, "PUT", "/api/v1/microcosms/101/roles/" + std::to_string(staff) + "/profiles",
               R"([{"id":12}])").status, 200);
  // Guests and Members no longer reach A or A1; B is untouched.
  EXPECT_FALSE(permission("", "itemType=microcosm&itemId=102")["read"]);
  auto mel = login("mel@example.org");
  EXPECT_FALSE(permission(mel, "itemType=microcosm&itemId=101")["read"]);
  EXPECT_TRUE(permission(mel, "itemType=microcosm&itemId=103")["read"]);
  auto zed = login("zed@example.org");
  EXPECT_TRUE(permission(zed, "itemType=microcosm&itemId=102")["create"]);
  auto list = as("", "GET", "/api/v1/microcosms/102/roles");
  ASSERT_EQ(list.status, 403) << list.body;  // the guest may no longer read A1
  auto seen = as(zed, "GET", "/api/v1/microcosms/102/roles").json()["data"]["roles"];
  EXPECT_EQ(titles(seen), (std::vector<std::string>{"Staff", "Banned"}));
}

TEST_F(Roles, AModeratorActsOnlyInsideTheirSubtreeAndCannotEscalate) {
  auto owner = login("olga@example.org");
  auto mods = created_id(as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"title":"Mods","moderator":true})"));
  ASSERT_EQ(as(owner, "PUT", "/api/v1/microcosms/101/roles/" + std::to_string(mods) + "/profiles/12").status, 302);
  auto zed = login("zed@example.org");
  EXPECT_TRUE(permission(zed, "itemType=microcosm&itemId=102")["moderator"]);
  EXPECT_FALSE(permission(zed, "itemType=microcosm&itemId=103")["moderator"]);
  EXPECT_FALSE(permission(zed, "itemType=microcosm&itemId=100")["moderator"]);

  // Inside: a banned role in A1 works.
  auto banned = created_id(as(zed, "POST", "/api/v1/microcosms/102/roles", R"({"title":"Muted","banned":true})"));
  ASSERT_EQ(as(zed, "PUT", "/api/v1/microcosms/102/roles/" + std::to_string(banned) + "/profiles",
               R"([{"id":11}])").status, 200);
  auto mel = login("mel@example.org");
  auto muted = permission(mel, "itemType=microcosm&itemId=102");
  EXPECT_TRUE(muted["banned"]);
  EXPECT_FALSE(muted["read"]);
  EXPECT_TRUE(permission(mel, "itemType=microcosm&itemId=101")["read"]);

  // Outside the subtree, on the root's defaults, and escalation: refused.
  const auto members = std::to_string(role_id(100, "Members"));
  EXPECT_EQ(as(zed, "GET", "/api/v1/microcosms/103/roles/" + members).status, 403);
  EXPECT_EQ(as(zed, "PATCH", "/api/v1/microcosms/100/roles/" + members,
               R"([{"op":"replace","path":"/update","value":true}])").status, 403);
  EXPECT_EQ(as(zed, "POST", "/api/v1/microcosms/101/roles", R"({"title":"More mods","moderator":true})").status, 403);
  EXPECT_EQ(as(zed, "PATCH", "/api/v1/microcosms/101/roles/" + std::to_string(banned),
               R"([{"op":"replace","path":"/moderator","value":true}])").status, 404);  // not A's role
  EXPECT_EQ(as(zed, "PUT", "/api/v1/microcosms/101/roles/" + std::to_string(mods) + "/profiles",
               R"([{"id":11}])").status, 403);  // moderator roles are the owner's
  // A member who moderates nothing manages nothing.
  EXPECT_EQ(as(mel, "POST", "/api/v1/microcosms/103/roles", R"({"title":"Mine"})").status, 403);
  EXPECT_EQ(as("", "POST", "/api/v1/microcosms/103/roles", R"({"title":"Mine"})").status, 401);
}

TEST_F(Roles, ARoleIsReachedOnlyThroughItsOwnMicrocosm) {
  auto owner = login("olga@example.org");
  const auto members = std::to_string(role_id(100, "Members"));
  EXPECT_EQ(as(owner, "GET", "/api/v1/microcosms/100/roles/" + members).status, 200);
  EXPECT_EQ(as(owner, "GET", "/api/v1/microcosms/101/roles/" + members).status, 404);
  EXPECT_EQ(as(owner, "GET", "/api/v1/roles/" + members).status, 404);
  // Another site's role and microcosm do not exist here.
  const auto theirs = std::to_string(role_id(200, "Members"));
  EXPECT_EQ(as(owner, "GET", "/api/v1/microcosms/100/roles/" + theirs).status, 404);
  EXPECT_EQ(as(owner, "GET", "/api/v1/microcosms/200/roles").status, 404);
  EXPECT_EQ(as(owner, "DELETE", "/api/v1/microcosms/200/roles/" + theirs).status, 404);
}

TEST_F(Roles, BodiesNeverRetargetTheUrlsRole) {
  auto owner = login("olga@example.org");
  const auto guests = role_id(100, "Guests");
  const auto members = role_id(100, "Members");
  auto r = as(owner, "PUT", "/api/v1/microcosms/100/roles/" + std::to_string(members),
              R"({"id":)" + std::to_string(guests) + R"(,"siteId":3,"microcosmId":101,"title":"Everyone",
                 "meta":{"editReason":"renamed"}})");
  EXPECT_EQ(r.status, 302) << r.body;
  EXPECT_EQ(r.header("location"), "/api/v1/microcosms/100/roles/" + std::to_string(members));
  auto m = as(owner, "GET", "/api/v1/microcosms/100/roles/" + std::to_string(members)).json()["data"];
  EXPECT_EQ(m["title"], "Everyone");
  EXPECT_EQ(m["siteId"], 2);
  EXPECT_EQ(m["microcosmId"], 100);
  EXPECT_EQ(m["meta"]["editReason"], "renamed");
  EXPECT_TRUE(m["create"]);  // unspecified flags keep their values
  auto g = as(owner, "GET", "/api/v1/microcosms/100/roles/" + std::to_string(guests)).json()["data"];
  EXPECT_EQ(g["title"], "Guests");
}

TEST_F(Roles, ValidationOfRoleBodies) {
  auto owner = login("olga@example.org");
  auto missing = as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"read":true})");
  EXPECT_EQ(missing.status, 400);
  EXPECT_EQ(missing.json()["error"][0], "Title is a required field");
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"title":"X","moderator":true,"banned":true})").status,
            400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"title":"X","read":"yes"})").status, 400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms/101/roles", R"(["not an object"])").status, 400);
  EXPECT_EQ(as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"title":)").status, 400);
  const auto members = "/api/v1/microcosms/100/roles/" + std::to_string(role_id(100, "Members"));
  EXPECT_EQ(as(owner, "PATCH", members, R"([{"op":"add","path":"/read","value":true}])").status, 400);
  EXPECT_EQ(as(owner, "PATCH", members, R"([{"op":"replace","path":"/title","value":true}])").status, 400);
  EXPECT_EQ(as(owner, "PATCH", members, R"([{"op":"replace","path":"/read","value":1}])").status, 400);
  EXPECT_EQ(as(owner, "PUT", members + "/profiles", R"([{"id":20}])").status, 400);  // other site's profile
  EXPECT_EQ(as(owner, "PUT", members + "/profiles/20").status, 404);
}

TEST_F(Roles, PatchChangesFlagsIncludingGuestsAndUsers) {
  auto owner = login("olga@example.org");
  const auto members = "/api/v1/microcosms/100/roles/" + std::to_string(role_id(100, "Members"));
  auto mel = login("mel@example.org");
  EXPECT_TRUE(permission(mel, "itemType=microcosm&itemId=100")["create"]);
  auto r = as(owner, "PATCH", members, R"([{"op":"replace","path":"/includeUsers","value":false}])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_FALSE(permission(mel, "itemType=microcosm&itemId=100")["create"]);
  auto role = as(owner, "GET", members).json()["data"];
  EXPECT_FALSE(role["includeUsers"]);
  EXPECT_EQ(role["meta"]["editReason"], "Set /includeUsers to false");
  EXPECT_TRUE(role["meta"]["permissions"]["siteOwner"]);
}

TEST_F(Roles, CriteriaDecideMembershipWithNeAndIsBanned) {
  auto owner = login("olga@example.org");
  auto vip = created_id(as(owner, "POST", "/api/v1/microcosms/103/roles", R"({"title":"Not Mel","read":true,"create":true})"));
  const auto base = "/api/v1/microcosms/103/roles/" + std::to_string(vip);
  auto c = as(owner, "POST", base + "/criteria", R"({"profileColumn":"profileName","predicate":"ne","value":"mel"})");
  ASSERT_EQ(c.status, 302) << c.body;
  auto crit = as(owner, "GET", c.header("location"));
  ASSERT_EQ(crit.status, 200) << crit.body;
  EXPECT_EQ(crit.json()["data"]["profileColumn"], "profileName");
  EXPECT_EQ(crit.json()["data"]["value"], "mel");
  // The original treated `ne` as always true; here Mel (case-insensitively "mel") is out.
  auto mel = login("mel@example.org");
  EXPECT_FALSE(permission(mel, "itemType=microcosm&itemId=103")["read"]);
  auto zed = login("zed@example.org");
  EXPECT_TRUE(permission(zed, "itemType=microcosm&itemId=103")["create"]);
  auto computed = as(owner, "GET", base + "/members").json()["data"]["profiles"];
  std::vector<int> ids;
  for (const auto& p : computed["items"]) ids.push_back(p["id"]);
  EXPECT_EQ(ids, (std::vector<int>{10, 12, 13}));

  // isBanned is evaluated: a role for the banned only.
  auto jail = created_id(as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"title":"Jail","read":true})"));
  ASSERT_EQ(as(owner, "POST", "/api/v1/microcosms/101/roles/" + std::to_string(jail) + "/criteria",
               R"({"profileColumn":"isBanned","predicate":"eq","value":true})").status, 302);
  EXPECT_FALSE(permission(zed, "itemType=microcosm&itemId=101")["read"]);

  // Criteria validation.
  EXPECT_EQ(as(owner, "POST", base + "/criteria", R"({"profileColumn":"shoeSize","predicate":"eq","value":1})").status, 400);
  EXPECT_EQ(as(owner, "POST", base + "/criteria", R"({"predicate":"eq","value":1})").json()["error"][0],
            "Either profileColumn or attrKey MUST be supplied");
  EXPECT_EQ(as(owner, "POST", base + "/criteria", R"({"attrKey":"x","predicate":"lt","value":"a"})").status, 400);
  EXPECT_EQ(as(owner, "POST", base + "/criteria", R"({"attrKey":"x","predicate":"eq","value":null})").status, 400);
  EXPECT_EQ(as(owner, "GET", base + "/criteria/999999").status, 404);
  // DELETE [] removes them all: Mel is back in.
  ASSERT_EQ(as(owner, "DELETE", base + "/criteria", "[]").status, 200);
  EXPECT_EQ(as(owner, "GET", base + "/criteria").json()["data"]["criteria"]["total"], 0);
}

TEST_F(Roles, MembersOnlyRoleUsesTheIsMemberAttribute) {
  auto owner = login("olga@example.org");
  auto club = created_id(as(owner, "POST", "/api/v1/microcosms/103/roles", R"({"title":"Club","read":true})"));
  ASSERT_EQ(as(owner, "POST", "/api/v1/microcosms/103/roles/" + std::to_string(club) + "/criteria",
               R"({"orGroup":0,"attrKey":"is_member","predicate":"eq","value":true})").status, 302);
  auto mel = login("mel@example.org");
  EXPECT_FALSE(permission(mel, "itemType=microcosm&itemId=103")["read"]);
  auto p = as(owner, "PATCH", "/api/v1/profiles/11", R"([{"op":"replace","path":"/member","value":true}])");
  ASSERT_EQ(p.status, 200) << p.body;
  EXPECT_TRUE(permission(mel, "itemType=microcosm&itemId=103")["read"]);
  EXPECT_TRUE(as(owner, "GET", "/api/v1/profiles/11").json()["data"]["member"]);
  // Only the site owner grants membership.
  EXPECT_EQ(as(mel, "PATCH", "/api/v1/profiles/11", R"([{"op":"replace","path":"/member","value":false}])").status,
            403);
  ASSERT_EQ(as(owner, "PATCH", "/api/v1/profiles/11", R"([{"op":"replace","path":"/member","value":false}])").status,
            200);
  EXPECT_FALSE(permission(mel, "itemType=microcosm&itemId=103")["read"]);
}

TEST_F(Roles, RoleLifecycleWithExplicitProfiles) {
  auto owner = login("olga@example.org");
  auto id = created_id(as(owner, "POST", "/api/v1/microcosms/101/roles", R"({"title":"Helpers","update":true})"));
  const auto base = "/api/v1/microcosms/101/roles/" + std::to_string(id);
  ASSERT_EQ(as(owner, "PUT", base + "/profiles", R"([{"id":11},{"id":12},{"id":11}])").status, 200);
  auto list = as(owner, "GET", base + "/profiles").json()["data"]["profiles"];
  EXPECT_EQ(list["total"], 2);
  EXPECT_EQ(list["type"], base + "/profiles");
  EXPECT_EQ(as(owner, "GET", base + "/profiles/11").json()["data"]["id"], 11);
  EXPECT_EQ(as(owner, "GET", base + "/profiles/13").status, 404);
  auto mel = login("mel@example.org");
  EXPECT_TRUE(permission(mel, "itemType=microcosm&itemId=102")["update"]);
  ASSERT_EQ(as(owner, "DELETE", base + "/profiles/11").status, 200);
  EXPECT_FALSE(permission(mel, "itemType=microcosm&itemId=102")["update"]);
  ASSERT_EQ(as(owner, "DELETE", base + "/profiles", "[]").status, 200);
  EXPECT_EQ(as(owner, "GET", base + "/profiles").json()["data"]["profiles"]["total"], 0);
  ASSERT_EQ(as(owner, "DELETE", base).status, 200);
  EXPECT_EQ(as(owner, "GET", base).status, 404);
}

TEST_F(Roles, SiteLevelRolesAreTheSiteOwners) {
  auto owner = login("olga@example.org");
  auto r = as(owner, "GET", "/api/v1/roles");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(r.json()["data"]["roles"]["total"], 0);
  auto id = created_id(as(owner, "POST", "/api/v1/roles", R"({"title":"Legacy","read":true})"));
  EXPECT_EQ(as(owner, "GET", "/api/v1/roles/" + std::to_string(id)).status, 200);
  auto mel = login("mel@example.org");
  EXPECT_EQ(as(mel, "GET", "/api/v1/roles").status, 403);
  EXPECT_EQ(as(mel, "POST", "/api/v1/roles", R"({"title":"Mine"})").status, 403);
  // Other site's owner: their token is bound to their site.
  auto oscar = login("oscar@example.org", "other.localhost");
  EXPECT_EQ(as(oscar, "GET", "/api/v1/roles").status, 401);
}

}  // namespace
