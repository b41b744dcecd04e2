#include <gtest/gtest.h>

#include "agora/http/method.hpp"

using agora::http::Method;
using agora::http::method_name;
using agora::http::parse_method;

TEST(Method, ParsesEveryKnownToken) {
  for (auto m : {Method::get, Method::head, Method::post, Method::put, Method::patch, Method::del, Method::options}) {
    EXPECT_EQ(parse_method(method_name(m)), m) << method_name(m);
  }
  EXPECT_EQ(parse_method("DELETE"), Method::del);
  EXPECT_EQ(method_name(Method::del), "DELETE");
}

TEST(Method, UnknownTokensAreNoMethod) {
  for (const char* token : {"FROB", "TRACE", "CONNECT", "", "GET ", "DELETE_"}) {
    EXPECT_EQ(parse_method(token), std::nullopt) << token;
  }
}

TEST(Method, TokensAreCaseSensitive) {
  EXPECT_EQ(parse_method("get"), std::nullopt);
  EXPECT_EQ(parse_method("Post"), std::nullopt);
}
