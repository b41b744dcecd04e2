#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agora/api/paging.hpp"
#include "agora/core/error.hpp"

using namespace agora::api;

namespace {

agora::http::Request req(agora::http::Fields q, std::string path = "/api/v1/conversations/1") {
  agora::http::Request r;
  r.path = std::move(path);
  r.query = std::move(q);
  return r;
}

std::string paging_error(agora::http::Fields q) {
  try {
    parse_paging(req(std::move(q)));
  } catch (const agora::Error& e) {
    EXPECT_EQ(e.kind(), agora::ErrorKind::bad_request);
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(Paging, Defaults) {
  auto p = parse_paging(req({}));
  EXPECT_EQ(p.limit, 25);
  EXPECT_EQ(p.offset, 0);
}

TEST(Paging, Validation) {
  EXPECT_NE(paging_error({{"limit", "0"}}).find("limit"), std::string::npos);
  EXPECT_NE(paging_error({{"limit", "7"}}).find("multiple of 5"), std::string::npos);
  EXPECT_NE(paging_error({{"limit", "255"}}).find("250"), std::string::npos);
  EXPECT_NE(paging_error({{"limit", "ten"}}).find("integer"), std::string::npos);
  EXPECT_NE(paging_error({{"offset", "-25"}}).find("negative"), std::string::npos);
  EXPECT_NE(paging_error({{"offset", "10"}}).find("multiple of limit"), std::string::npos);
  EXPECT_NE(paging_error({{"offset", "99999999999999999999"}}).find("integer"), std::string::npos);
  EXPECT_EQ(parse_paging(req({{"limit", "250"}, {"offset", "500"}})).offset, 500);
}

TEST(Paging, Maths) {
  auto m = page_maths(0, {25, 0});
  EXPECT_EQ(m.max_offset, 0);
  EXPECT_EQ(m.total_pages, 0);
  EXPECT_EQ(m.page, 1);
  m = page_maths(30, {25, 25});
  EXPECT_EQ(m.max_offset, 25);
  EXPECT_EQ(m.total_pages, 2);
  EXPECT_EQ(m.page, 2);
  m = page_maths(50, {25, 0});
  EXPECT_EQ(m.max_offset, 25) << "exactly two pages";
  EXPECT_EQ(m.total_pages, 2);
}

TEST(Paging, OffsetPastTheEnd) {
  EXPECT_NO_THROW(check_offset(0, {25, 0}));
  EXPECT_NO_THROW(check_offset(30, {25, 25}));
  EXPECT_THROW(check_offset(30, {25, 50}), agora::Error);
}

TEST(Paging, ExampleFromConventions) {
  auto c = collection(30, {25, 0}, nlohmann::json::array(), "/api/v1/comments", req({}));
  EXPECT_EQ(c["maxOffset"], 25);
  EXPECT_EQ(c["totalPages"], 2);
  EXPECT_EQ(c["links"], nlohmann::json::parse(R"([
    {"rel":"self","href":"/api/v1/conversations/1","title":"1"},
    {"rel":"next","href":"/api/v1/conversations/1?offset=25","title":"2"}])"));
}

TEST(Paging, MiddlePageLinksSortParamsAndDropAccessToken) {
  auto r = req({{"offset", "50"}, {"access_token", "secret"}, {"limit", "25"}, {"b", "x y"}});
  auto c = collection(200, {25, 50}, nlohmann::json::array(), "t", r);
  std::vector<std::string> rels, hrefs;
  for (auto& l : c["links"]) {
    rels.push_back(l["rel"]);
    hrefs.push_back(l["href"]);
  }
  EXPECT_EQ(rels, (std::vector<std::string>{"first", "prev", "self", "next", "last"}));
  EXPECT_EQ(hrefs[0], "/api/v1/conversations/1?b=x%20y&limit=25");
  EXPECT_EQ(hrefs[1], "/api/v1/conversations/1?b=x%20y&limit=25&offset=25");
  EXPECT_EQ(hrefs[4], "/api/v1/conversations/1?b=x%20y&limit=25&offset=175");
  for (auto& h : hrefs) EXPECT_EQ(h.find("access_token"), std::string::npos);
}
