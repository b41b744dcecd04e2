#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agora/api/json_body.hpp"
#include "agora/core/error.hpp"

using agora::api::parse_json_body;

namespace {

agora::http::Request body(std::string text, std::string type = "application/json; charset=utf-8") {
  agora::http::Request r;
  r.headers = {{"content-type", std::move(type)}};
  r.body = std::move(text);
  return r;
}

std::string error_of(const agora::http::Request& r, int depth = 64) {
  try {
    parse_json_body(r, depth);
  } catch (const agora::Error& e) {
    EXPECT_EQ(e.kind(), agora::ErrorKind::bad_request);
    return e.what();
  }
  return "no error";
}

}  // namespace

TEST(JsonBody, ParsesJson) {
  auto j = parse_json_body(body(R"({"title":"x","n":[1,2]})"), 64);
  EXPECT_EQ(j["title"], "x");
  EXPECT_EQ(j["n"].size(), 2u);
}

TEST(JsonBody, MalformedSaysWhere) {
  auto e = error_of(body(R"({"title": )"));
  EXPECT_NE(e.find("The post data is invalid"), std::string::npos) << e;
  EXPECT_NE(e.find("column"), std::string::npos) << e;
}

TEST(JsonBody, WrongContentType) {
  EXPECT_NE(error_of(body("{}", "text/xml")).find("Cannot decode request for text/xml data"), std::string::npos);
  EXPECT_NE(error_of(body("{}", "")).find("Cannot decode"), std::string::npos);
}

TEST(JsonBody, DepthIsLimited) {
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_NE(error_of(body(deep), 64).find("deeper than 64"), std::string::npos);
  std::string ok(10, '[');
  ok += std::string(10, ']');
  EXPECT_NO_THROW(parse_json_body(body(ok), 64));
  // A million brackets must not overflow the stack.
  std::string huge(1'000'000, '[');
  EXPECT_NE(error_of(body(huge), 64).find("deeper"), std::string::npos);
}
