#include <gtest/gtest.h>

#include "agora/core/error.hpp"
#include "agora/http/router.hpp"

using agora::http::Router;

namespace {

Router sample() {
  Router r;
  r.add("/");                            // 0
  r.add("/api/v1/sites");                // 1
  r.add("/api/v1/sites/{siteId:id}");    // 2
  r.add("/api/v1/sites/menu");           // 3
  r.add("/api/v1/hosts/{host:host}");    // 4
  r.add("/api/v1/files/{hash:file}");    // 5
  r.add("/api/v1/reserved/{sub:alnum}"); // 6
  return r;
}

}  // namespace

TEST(Router, MatchesExactLiteralPaths) {
  auto r = sample();
  EXPECT_EQ(r.match("/").routes, std::vector<int>{0});
  EXPECT_EQ(r.match("/api/v1/sites").routes, std::vector<int>{1});
  EXPECT_TRUE(r.match("/api/v1").routes.empty());
  EXPECT_TRUE(r.match("/api/v1/sites/extra/more").routes.empty());
}

TEST(Router, TrailingSlashIsNotTheSamePath) {
  auto r = sample();
  EXPECT_TRUE(r.match("/api/v1/sites/").routes.empty());
  EXPECT_TRUE(r.match("//api/v1/sites").routes.empty());
}

TEST(Router, TypedIdParameter) {
  auto r = sample();
  auto m = r.match("/api/v1/sites/42");
  ASSERT_EQ(m.routes, std::vector<int>{2});
  EXPECT_EQ(m.params.get("siteId"), "42");
  EXPECT_TRUE(r.match("/api/v1/sites/4x2").routes.empty()) << "non-numeric id is a routing miss";
  EXPECT_TRUE(r.match("/api/v1/sites/-1").routes.empty());
}

TEST(Router, LiteralBeatsParameter) {
  auto r = sample();
  EXPECT_EQ(r.match("/api/v1/sites/menu").routes, std::vector<int>{3});
}

TEST(Router, IdOverflowIsBadRequestNamingTheParameter) {
  auto r = sample();
  try {
    r.match("/api/v1/sites/99999999999999999999");
    FAIL() << "expected an error";
  } catch (const agora::Error& e) {
    EXPECT_EQ(e.kind(), agora::ErrorKind::bad_request);
    EXPECT_NE(std::string(e.what()).find("siteId"), std::string::npos);
  }
}

TEST(Router, HostFileAndAlnumKinds) {
  auto r = sample();
  EXPECT_EQ(r.match("/api/v1/hosts/www.example-1.com").params.get("host"), "www.example-1.com");
  EXPECT_TRUE(r.match("/api/v1/hosts/bad_host").routes.empty());
  EXPECT_EQ(r.match("/api/v1/files/abc123.png").routes, std::vector<int>{5});
  EXPECT_EQ(r.match("/api/v1/files/abc123").routes, std::vector<int>{5});
  EXPECT_TRUE(r.match("/api/v1/files/abc.").routes.empty());
  EXPECT_TRUE(r.match("/api/v1/reserved/a-b").routes.empty());
  EXPECT_EQ(r.match("/api/v1/reserved/Abc9").params.get("sub"), "Abc9");
}

TEST(Router, RejectsBadPatterns) {
  Router r;
  EXPECT_THROW(r.add("api"), std::invalid_argument);
  EXPECT_THROW(r.add("/a/{x}"), std::invalid_argument);
  EXPECT_THROW(r.add("/a/{x:float}"), std::invalid_argument);
  EXPECT_THROW(r.add("/a//b"), std::invalid_argument);
}

TEST(Router, SamePatternTwiceGivesTwoCandidates) {
  Router r;
  int a = r.add("/api/v1/site");
  int b = r.add("/api/v1/site");
  EXPECT_EQ(r.match("/api/v1/site").routes, (std::vector<int>{a, b}));
}
