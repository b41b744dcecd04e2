#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agora/http/envelope.hpp"

using namespace agora::http;

namespace {

Request with_query(Fields q, Fields h = {}) {
  Request r;
  r.query = std::move(q);
  r.headers = std::move(h);
  return r;
}

std::string header(const WireResponse& w, const std::string& name) {
  for (auto& [k, v] : w.headers) {
    if (k == name) return v;
  }
  return "";
}

}  // namespace

TEST(Envelope, SuccessShape) {
  auto w = render(Response::ok({{"a", 1}}), EnvelopeOptions{});
  auto j = nlohmann::json::parse(w.body);
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(j["context"], "");
  EXPECT_EQ(j["status"], 200);
  EXPECT_EQ(j["data"]["a"], 1);
  EXPECT_TRUE(j["error"].is_null());
  EXPECT_EQ(header(w, "Content-Type"), "application/json");
  EXPECT_EQ(header(w, "X-Content-Type-Options"), "nosniff");
}

TEST(Envelope, ErrorWithCodeCarriesDetailObject) {
  EnvelopeOptions o;
  o.site_id = 7;
  auto w = render(error_response(404, "gone", 14), o);
  auto j = nlohmann::json::parse(w.body);
  EXPECT_EQ(w.status, 404);
  EXPECT_EQ(j["error"], nlohmann::json::array({"gone"}));
  EXPECT_EQ(j["data"]["siteId"], 7);
  EXPECT_EQ(j["data"]["errorCode"], 14);
  EXPECT_EQ(j["data"]["errorDetail"], "gone");
  EXPECT_FALSE(j["data"].contains("profileId")) << "omitted when 0";
}

TEST(Envelope, UncodedErrorHasNullData) {
  auto j = nlohmann::json::parse(render(error_response(400, "bad"), {}).body);
  EXPECT_TRUE(j["data"].is_null());
  EXPECT_EQ(j["status"], 400);
}

TEST(Envelope, ErrorKindsMapToStatusAndUnavailableSaysRetryAfter) {
  auto r = error_response(agora::Error(agora::ErrorKind::unavailable, "db down"));
  EXPECT_EQ(r.status, 503);
  ASSERT_EQ(r.headers.size(), 1u);
  EXPECT_EQ(r.headers[0].first, "Retry-After");
  EXPECT_EQ(error_response(agora::Error(agora::ErrorKind::too_large, "x")).status, 413);
  EXPECT_EQ(error_response(agora::Error(agora::ErrorKind::forbidden, "x")).status, 403);
}

TEST(Envelope, Always200KeepsRealStatusInBody) {
  auto o = envelope_options(with_query({{"always200", ""}}));
  auto w = render(error_response(404, "nope"), o);
  EXPECT_EQ(w.status, 200);
  EXPECT_EQ(nlohmann::json::parse(w.body)["status"], 404);
  EXPECT_TRUE(envelope_options(with_query({}, {{"x-always-200", "1"}})).always200);
  EXPECT_FALSE(envelope_options(with_query({{"q", "always200"}})).always200) << "only a parameter name counts";
}

TEST(Envelope, DisableBoilerSendsOnlyData) {
  auto o = envelope_options(with_query({{"disableBoiler", ""}}));
  auto w = render(Response::ok({{"a", 1}}), o);
  EXPECT_EQ(nlohmann::json::parse(w.body), (nlohmann::json{{"a", 1}}));
}

TEST(Envelope, JsonpWithAndWithoutContext) {
  auto w = render(Response::ok(1), envelope_options(with_query({{"callback", "cb"}})));
  EXPECT_EQ(w.body, R"(cb({"context":"","data":1,"error":null,"status":200}))");
  w = render(Response::ok(1), envelope_options(with_query({{"callback", "a.b"}, {"context", "c\"1"}})));
  EXPECT_EQ(w.body, R"(a.b({"context":"c\"1","data":1,"error":null,"status":200}, "c\"1"))");
}

TEST(Envelope, BadCallbackIsRejected) {
  EXPECT_THROW(envelope_options(with_query({{"callback", "alert(1)"}})), agora::Error);
  EXPECT_THROW(envelope_options(with_query({{"callback", "1abc"}})), agora::Error);
  EXPECT_THROW(envelope_options(with_query({{"callback", std::string(65, 'a')}})), agora::Error);
  EXPECT_TRUE(valid_callback_name("$jQuery_1.cb"));
}

TEST(Envelope, RawResponsesPassThrough) {
  auto w = render(Response::raw(200, "demo.localhost", "text/plain"), {});
  EXPECT_EQ(w.body, "demo.localhost");
  EXPECT_EQ(header(w, "Content-Type"), "text/plain");
}

TEST(Envelope, InvalidUtf8InDataIsReplacedNotThrown) {
  auto w = render(Response::ok(std::string("bad \xFF byte")), {});
  EXPECT_NE(w.body.find("bad \xEF\xBF\xBD byte"), std::string::npos) << w.body;
}
