#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace agora;
using namespace agora::test;

class SiteRoutes : public ::testing::Test {
 protected:
  RunningServer server;
  unsigned short port() { return server.port(); }
};

TEST_F(SiteRoutes, SubdomainSelectsTheSite) {
  auto r = get(port(), "/api/v1/site", "demo.localhost");
  ASSERT_EQ(r.status, 200) << r.body;
  auto j = r.json();
  EXPECT_EQ(j["status"], 200);
  EXPECT_TRUE(j["error"].is_null());
  auto& d = j["data"];
  EXPECT_EQ(d["siteId"], 2);
  EXPECT_EQ(d["title"], "Demo");
  EXPECT_EQ(d["subdomainKey"], "demo");
  EXPECT_EQ(d["siteURL"], "https://demo.localhost");
  EXPECT_EQ(d["domain"], "");
  EXPECT_EQ(d["logoUrl"], "/static/themes/1/logo.png");
  EXPECT_EQ(d["menu"], nlohmann::json::parse(R"([{"href":"/about","title":"About us","text":"About"}])"));
  EXPECT_EQ(d["meta"]["flags"]["deleted"], false);
  EXPECT_EQ(d["meta"]["stats"].size(), 6u);
  EXPECT_EQ(d["meta"]["links"][0], (nlohmann::json{{"rel", "self"}, {"href", "/api/v1/sites/2"}}));
  EXPECT_EQ(d["meta"]["permissions"]["guest"], true);
  EXPECT_EQ(d["meta"]["permissions"]["read"], true);
  EXPECT_EQ(d["meta"]["permissions"]["update"], false);
  EXPECT_FALSE(d.contains("auth0ClientSecret"));
}

TEST_F(SiteRoutes, HostIsCaseInsensitiveAndPortIsIgnored) {
  EXPECT_EQ(get(port(), "/api/v1/site", "DEMO.LocalHost:8080").json()["data"]["siteId"], 2);
}

TEST_F(SiteRoutes, CustomDomainSelectsItsSite) {
  auto d = get(port(), "/api/v1/site", "forum.example.com").json()["data"];
  EXPECT_EQ(d["siteId"], 3);
  EXPECT_EQ(d["siteURL"], "http://forum.example.com");
}

TEST_F(SiteRoutes, UnknownRootAliasAndDeletedHostsAre404WithCode14) {
  for (const char* host : {"nosuch.localhost", "root.localhost", "gone.localhost", "example.org", "a.b.localhost"}) {
    auto r = get(port(), "/api/v1/site", host);
    EXPECT_EQ(r.status, 404) << host;
    auto j = r.json();
    EXPECT_EQ(j["data"]["errorCode"], 14) << host;
    EXPECT_EQ(j["data"]["siteId"], 0);
    EXPECT_EQ(j["error"][0], "No site context loaded for host: Unknown site requested");
  }
}

TEST_F(SiteRoutes, MissingHostIsUnknownSite) {
  auto raw = raw_exchange(port(), "GET /api/v1/site HTTP/1.0\r\n\r\n");
  EXPECT_NE(raw.data.find("404"), std::string::npos) << raw.data;
  EXPECT_NE(raw.data.find("\"errorCode\":14"), std::string::npos);
}

TEST_F(SiteRoutes, RootHostServesTheRootSiteAndManagementRoutes) {
  EXPECT_EQ(get(port(), "/api/v1/site", "localhost").json()["data"]["siteId"], 1);
  auto r = get(port(), "/api/v1/sites", "localhost");
  ASSERT_EQ(r.status, 200) << r.body;
  auto sites = r.json()["data"]["sites"];
  EXPECT_EQ(sites["total"], 2) << "root and deleted sites are not listed";
  EXPECT_EQ(sites["type"], "/api/v1/sites");
  ASSERT_EQ(sites["items"].size(), 2u);
  EXPECT_EQ(sites["items"][0]["siteId"], 2);
  EXPECT_EQ(sites["items"][1]["siteId"], 3);
  EXPECT_FALSE(sites["items"][0]["meta"].contains("permissions"));
  EXPECT_EQ(r.json()["data"]["meta"]["links"][0]["href"], "/api/v1/sites");
}

TEST_F(SiteRoutes, SitesPagingIsValidated) {
  EXPECT_EQ(get(port(), "/api/v1/sites?limit=7", "localhost").status, 400);
  EXPECT_EQ(get(port(), "/api/v1/sites?offset=50", "localhost").status, 400);
  auto r = get(port(), "/api/v1/sites?limit=5&offset=5", "localhost");
  EXPECT_EQ(r.status, 400) << "offset past the last page";
  EXPECT_NE(r.json()["error"][0].get<std::string>().find("offset"), std::string::npos);
  EXPECT_EQ(get(port(), "/api/v1/sites?filter=owned", "localhost").status, 403);
}

TEST_F(SiteRoutes, SiteRoutesAreScopedToTheirHosts) {
  EXPECT_EQ(get(port(), "/api/v1/sites", "demo.localhost").status, 404) << "root-only route on a site host";
  EXPECT_EQ(get(port(), "/", "localhost").status, 404) << "site-only index on the root host";
  EXPECT_EQ(get(port(), "/api/v1/hosts/forum.example.com", "demo.localhost").status, 404);
}

TEST_F(SiteRoutes, OneSiteByIdOnTheRootHost) {
  auto r = get(port(), "/api/v1/sites/3", "localhost");
  ASSERT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["data"]["subdomainKey"], "other");
  EXPECT_EQ(get(port(), "/api/v1/sites/4", "localhost").status, 404) << "deleted";
  EXPECT_EQ(get(port(), "/api/v1/sites/999", "localhost").status, 404);
  auto big = get(port(), "/api/v1/sites/99999999999999999999", "localhost");
  EXPECT_EQ(big.status, 400);
  EXPECT_EQ(big.json()["error"][0], "The supplied siteId ('99999999999999999999') is not a number");
}

TEST_F(SiteRoutes, HostLookupIsPlainText) {
  auto r = get(port(), "/api/v1/hosts/forum.example.com", "localhost");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.body, "other.localhost");
  EXPECT_EQ(r.header("x-microcosm-host"), "other.localhost");
  EXPECT_NE(r.header("content-type").find("text/plain"), std::string::npos);
  auto missing = get(port(), "/api/v1/hosts/nowhere.example.com", "localhost");
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.json()["status"], 404);
}

TEST_F(SiteRoutes, ReservedSubdomains) {
  EXPECT_EQ(get(port(), "/api/v1/reserved/www", "localhost").json(), (nlohmann::json{{"reserved", true}}));
  EXPECT_EQ(get(port(), "/api/v1/reserved/Demo", "localhost").json(), (nlohmann::json{{"reserved", true}}));
  auto free = get(port(), "/api/v1/reserved/freshname", "localhost");
  EXPECT_EQ(free.json(), (nlohmann::json{{"reserved", false}}));
  EXPECT_EQ(free.header("access-control-allow-origin"), "*");
}

TEST_F(SiteRoutes, IndexRoutes) {
  EXPECT_EQ(get(port(), "/").json()["data"]["links"][0]["href"], "/api");
  EXPECT_EQ(get(port(), "/api").json()["data"]["links"][0]["href"], "/api/v1");
  auto links = get(port(), "/api/v1").json()["data"]["links"];
  EXPECT_EQ(links.size(), 13u);
  EXPECT_EQ(links[9], (nlohmann::json{{"rel", "site"}, {"href", "/api/v1/site"}}));
}
