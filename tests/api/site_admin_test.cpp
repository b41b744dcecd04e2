// Site creation and editing on the root host, and user batches on a site (platform.md §1.5,
// §1.6; identity.md §5.3).
#include <gtest/gtest.h>

#include "community_fixture.hpp"

using namespace agora;
using namespace agora::test;

namespace {

using SiteAdmin = Community;

TEST_F(SiteAdmin, CreatingASiteMakesOwnerProfileRootForumAndDefaultRolesTogether) {
  auto olga = login("olga@example.org", "localhost");
  auto r = as(olga, "POST", "/api/v1/sites",
              R"({"title":"<b>Hobbits</b>","description":"Second breakfast","subdomainKey":"Hobbits",
                  "linkColor":"#abc","themeId":1,"siteId":99,"ownedBy":{"id":1},"gaWebPropertyId":"UA-1"})",
              "localhost");
  ASSERT_EQ(r.status, 302) << r.body;
  const auto location = r.header("location");
  const auto id = std::stoll(location.substr(location.rfind('/') + 1));
  EXPECT_NE(id, 99);
  auto site = as("", "GET", "/api/v1/site", "", "hobbits.localhost").json()["data"];
  EXPECT_EQ(site["title"], "Hobbits");
  EXPECT_EQ(site["linkColor"], "#abc");
  EXPECT_FALSE(site.contains("gaWebPropertyId"));  // dropped on create
  EXPECT_EQ(site["ownedBy"]["userId"], 1);
  const auto sid = std::to_string(id);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM microcosms WHERE parent_id IS NULL AND site_id = " + sid), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM roles WHERE site_id = " + sid), 3);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM profiles p JOIN sites s ON s.owned_by = p.profile_id"
                   " WHERE p.user_id = 1 AND s.site_id = " + sid), 1);
  // The new owner's root-site token does not work on the new site; a login there does.
  EXPECT_EQ(as(olga, "GET", "/api/v1/whoami", "", "hobbits.localhost").status, 401);
  auto there = login("olga@example.org", "hobbits.localhost");
  EXPECT_TRUE(as(there, "GET", "/api/v1/site", "", "hobbits.localhost").json()["data"]["meta"]["permissions"]["siteOwner"]);
  // Listed as owned by Olga's user, not by Mel's.
  auto owned = as(olga, "GET", "/api/v1/sites?filter=owned", "", "localhost").json()["data"]["sites"];
  EXPECT_EQ(owned["total"], 2);  // demo and the new one
  EXPECT_EQ(owned["items"][0]["siteId"], 2);
  EXPECT_EQ(owned["items"][1]["siteId"], id);
  auto mel = login("mel@example.org", "localhost");
  EXPECT_EQ(as(mel, "GET", "/api/v1/sites?filter=owned", "", "localhost").json()["data"]["sites"]["total"], 0);
}

TEST_F(SiteAdmin, SiteCreationRefusesBadInputAndGuests) {
  const std::string good = R"({"title":"T","description":"D","subdomainKey":"fine"})";
  EXPECT_EQ(as("", "POST", "/api/v1/sites", good, "localhost").status, 401);
  auto olga = login("olga@example.org", "localhost");
  auto post = [&](const std::string& body) { return as(olga, "POST", "/api/v1/sites", body, "localhost"); };
  EXPECT_EQ(post(R"({"description":"D","subdomainKey":"a1"})").status, 400);
  EXPECT_EQ(post(R"({"title":"T","subdomainKey":"a2"})").status, 400);
  EXPECT_EQ(post(R"({"title":"T","description":"D","subdomainKey":"admin"})").status, 400);  // reserved
  EXPECT_EQ(post(R"({"title":"T","description":"D","subdomainKey":"demo"})").status, 400);   // taken
  EXPECT_EQ(post(R"({"title":"T","description":"D","subdomainKey":"a b"})").status, 400);
  EXPECT_EQ(post(R"({"title":"T","description":"D","subdomainKey":"a3","linkColor":"red;}"})").status, 400);
  EXPECT_EQ(post(R"j({"title":"T","description":"D","subdomainKey":"a4","logoUrl":"javascript:alert(1)"})j").status, 400);
  EXPECT_EQ(post(R"({"title":"T","description":"D","subdomainKey":"a5","themeId":42})").status, 400);
  EXPECT_EQ(post(R"({"title":7,"description":"D","subdomainKey":"a6"})").status, 400);
  EXPECT_EQ(post("[1]").status, 400);
  // Nothing was half-created.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM sites WHERE subdomain_key LIKE 'a%'"), 0);
  // Only on the root host.
  EXPECT_EQ(as(olga, "POST", "/api/v1/sites", good).status, 404);
}

TEST_F(SiteAdmin, OnlyTheOwnersUserEditsASiteAndBodyIdsAreIgnored) {
  auto olga = login("olga@example.org", "localhost");
  auto r = as(olga, "PUT", "/api/v1/sites/2",
              R"({"siteId":3,"title":"Demo two","subdomainKey":"hijack","ownedBy":{"id":11},
                  "backgroundPosition":"sideways","meta":{"flags":{"deleted":false}}})",
              "localhost");
  ASSERT_EQ(r.status, 302) << r.body;
  auto demo = as("", "GET", "/api/v1/site").json()["data"];
  EXPECT_EQ(demo["title"], "Demo two");
  EXPECT_EQ(demo["subdomainKey"], "demo");
  EXPECT_EQ(demo["ownedBy"]["id"], 10);
  EXPECT_EQ(as("", "GET", "/api/v1/site", "", "other.localhost").json()["data"]["title"], "Other");
  auto mel = login("mel@example.org", "localhost");
  EXPECT_EQ(as(mel, "PUT", "/api/v1/sites/2", R"({"title":"Mine"})", "localhost").status, 403);
  EXPECT_EQ(as("", "PUT", "/api/v1/sites/2", R"({"title":"Mine"})", "localhost").status, 401);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/sites/3", R"({"title":"Mine"})", "localhost").status, 403);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/sites/999", R"({"title":"Mine"})", "localhost").status, 404);
  EXPECT_EQ(as(olga, "PUT", "/api/v1/sites/2", R"({"domain":"forum.example.com"})", "localhost").status, 400);
}

TEST_F(SiteAdmin, BatchCreatesUsersAndSetsMembershipFromJsonAndCsv) {
  auto olga = login("olga@example.org");
  auto r = as(olga, "POST", "/api/v1/users/batch",
              R"([{"email":"new1@example.org","isMember":true},{"email":"mel@example.org","isMember":true}])");
  ASSERT_EQ(r.status, 200) << r.body;
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE email = 'new1@example.org'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM attributes WHERE key = 'is_member' AND site_id = 2"), 2);
  EXPECT_TRUE(as(olga, "GET", "/api/v1/profiles/11").json()["data"]["member"]);
  Headers csv = {{"Host", "demo.localhost"}, {"Authorization", "Bearer " + olga}, {"Content-Type", "text/csv"}};
  auto c = request(port(), "POST", "/api/v1/users/batch", csv,
                   "mel@example.org,false\r\nnew2@example.org,TRUE\n,true\nskipped@example.org,\n");
  ASSERT_EQ(c.status, 200) << c.body;
  EXPECT_FALSE(as(olga, "GET", "/api/v1/profiles/11").json()["data"].contains("member"));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE email IN ('new2@example.org', 'skipped@example.org')"), 1);
  // Other sites' profiles are untouched: Mel on site 3 never became a member.
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM attributes WHERE site_id = 3"), 0);
}

TEST_F(SiteAdmin, BatchRefusesBadInputAndNonOwners) {
  auto olga = login("olga@example.org");
  Headers csv = {{"Host", "demo.localhost"}, {"Authorization", "Bearer " + olga}, {"Content-Type", "text/csv"}};
  EXPECT_EQ(request(port(), "POST", "/api/v1/users/batch", csv, "only-one-field\n").status, 400);
  EXPECT_EQ(request(port(), "POST", "/api/v1/users/batch", csv, "x@example.org,maybe\n").status, 400);
  EXPECT_EQ(request(port(), "POST", "/api/v1/users/batch", csv, "not an address,true\n").status, 400);
  auto empty = request(port(), "POST", "/api/v1/users/batch", csv, "\n\n");
  EXPECT_EQ(empty.status, 400);
  EXPECT_EQ(empty.json()["error"][0], "Input empty, no rows to process");
  Headers xml = {{"Host", "demo.localhost"}, {"Authorization", "Bearer " + olga}, {"Content-Type", "application/xml"}};
  EXPECT_EQ(request(port(), "POST", "/api/v1/users/batch", xml, "<a/>").status, 400);
  EXPECT_EQ(as(olga, "POST", "/api/v1/users/batch", R"([{"email":"a\"b@example.org","isMember":1}])").status, 400);
  // A bad row stops the whole batch before anything is written.
  EXPECT_EQ(as(olga, "POST", "/api/v1/users/batch",
               R"([{"email":"fresh@example.org","isMember":true},{"email":"broken","isMember":true}])").status, 400);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM users WHERE email = 'fresh@example.org'"), 0);
  auto mel = login("mel@example.org");
  EXPECT_EQ(as(mel, "POST", "/api/v1/users/batch", R"([{"email":"x@example.org","isMember":true}])").status, 403);
  EXPECT_EQ(as("", "POST", "/api/v1/users/batch", R"([{"email":"x@example.org","isMember":true}])").status, 401);
}

TEST_F(SiteAdmin, DataChangingActionsLeaveAuditRows) {
  auto olga = login("olga@example.org");
  ASSERT_EQ(as(olga, "PUT", "/api/v1/profiles/10", R"({"profileName":"OlgaB"})").status, 302);
  ASSERT_EQ(as(olga, "POST", "/api/v1/microcosms/101/roles", R"({"title":"Audit"})").status, 302);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE site_id = 2 AND item_type_id = 3 AND action = 'R'"
                   " AND profile_id = 10 AND ip = '127.0.0.1'"), 1);
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM ips WHERE site_id = 2 AND item_type_id = 17 AND action = 'C'"), 1);
}

}  // namespace
