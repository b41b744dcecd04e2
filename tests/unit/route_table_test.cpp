#include <gtest/gtest.h>

#include <stdexcept>

#include "agora/api/route_table.hpp"

using agora::http::Method;

namespace {

agora::http::Response nothing(agora::api::Context&, const agora::http::Request&) {
  return agora::http::Response::ok(nullptr);
}

}  // namespace

TEST(RouteTable, AllowListsOptionsThenTheRoutesMethodsWithHeadForGet) {
  agora::api::Route route;
  route.handlers.emplace(Method::del, nothing);
  route.handlers.emplace(Method::get, nothing);
  route.handlers.emplace(Method::put, nothing);
  EXPECT_EQ(route.allow(), "OPTIONS,GET,HEAD,PUT,DELETE");
  agora::api::Route post_only;
  post_only.handlers.emplace(Method::post, nothing);
  EXPECT_EQ(post_only.allow(), "OPTIONS,POST");
}

TEST(RouteTable, ARouteTakesEachMethodOnce) {
  agora::api::RouteTable table;
  table.add("/x", agora::http::HostScope::site, Method::get, nothing);
  table.add("/x", agora::http::HostScope::site, Method::post, nothing);
  EXPECT_THROW(table.add("/x", agora::http::HostScope::site, Method::get, nothing), std::logic_error);
  EXPECT_EQ(table.route(0).allow(), "OPTIONS,GET,HEAD,POST");
}
