#include <gtest/gtest.h>

#include "api_fixture.hpp"

using namespace agora;
using namespace agora::test;
using namespace std::chrono;

class Protocol : public ::testing::Test {
 protected:
  RunningServer server;
  unsigned short port() { return server.port(); }
};

TEST_F(Protocol, UnmatchedPathIs404Envelope) {
  for (const char* path : {"/nope", "/api/v1/site/", "/api/v1/sites/x"}) {
    auto r = get(port(), path);
    EXPECT_EQ(r.status, 404) << path;
    EXPECT_EQ(r.json()["error"][0], "Not Found") << path;
  }
}

TEST_F(Protocol, WrongMethodIs405WithAllow) {
  auto r = request(port(), "DELETE", "/api/v1/site", {{"Host", "demo.localhost"}});
  EXPECT_EQ(r.status, 405);
  EXPECT_EQ(r.header("allow"), "OPTIONS,GET,HEAD");
  auto j = r.json();
  EXPECT_EQ(j["status"], 405);
  EXPECT_TRUE(j["data"].is_null());
}

TEST_F(Protocol, OptionsListsTheRealMethodsWithoutBodyOrCors) {
  auto r = request(port(), "OPTIONS", "/api/v1/site", {{"Host", "demo.localhost"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("allow"), "OPTIONS,GET,HEAD");
  EXPECT_EQ(r.header("content-length"), "0");
  EXPECT_TRUE(r.body.empty());
  EXPECT_FALSE(r.has_header("access-control-allow-origin"));
}

TEST_F(Protocol, CorsPreflight) {
  auto r = request(port(), "OPTIONS", "/api/v1/site",
                   {{"Host", "demo.localhost"}, {"Origin", "https://app.example"},
                    {"Access-Control-Request-Method", "GET"}, {"Access-Control-Request-Headers", "Authorization"}});
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.header("access-control-allow-origin"), "*");
  EXPECT_EQ(r.header("access-control-allow-methods"), "OPTIONS,GET,HEAD");
  EXPECT_NE(r.header("access-control-allow-headers").find("Authorization"), std::string::npos);
  EXPECT_EQ(r.header("access-control-max-age"), "86400");
}

TEST_F(Protocol, HeadIsGetWithoutTheBody) {
  auto g = get(port(), "/api/v1/site");
  auto h = request(port(), "HEAD", "/api/v1/site", {{"Host", "demo.localhost"}});
  EXPECT_EQ(h.status, 200);
  EXPECT_TRUE(h.body.empty());
  EXPECT_EQ(h.header("content-length"), std::to_string(g.body.size()));
  EXPECT_EQ(h.header("content-type"), "application/json");
}

TEST_F(Protocol, EnvelopeSwitches) {
  auto ctx = get(port(), "/api/v1/site?context=abc");
  EXPECT_EQ(ctx.json()["context"], "abc");

  auto a200 = get(port(), "/nope?always200");
  EXPECT_EQ(a200.status, 200);
  EXPECT_EQ(a200.json()["status"], 404);
  auto a200h = request(port(), "GET", "/nope", {{"Host", "demo.localhost"}, {"X-Always-200", "1"}});
  EXPECT_EQ(a200h.status, 200);

  auto bare = get(port(), "/api/v1/site?disableBoiler");
  EXPECT_EQ(bare.json()["siteId"], 2);
  EXPECT_FALSE(bare.json().contains("context"));
}

TEST_F(Protocol, Jsonp) {
  auto r = get(port(), "/api/v1/site?callback=cb");
  EXPECT_EQ(r.body.rfind("cb({", 0), 0u);
  EXPECT_EQ(r.body.back(), ')');
  EXPECT_EQ(r.header("content-type"), "application/json");
  EXPECT_EQ(r.header("x-content-type-options"), "nosniff");
  auto with_ctx = get(port(), "/api/v1/site?callback=cb&context=x");
  EXPECT_NE(with_ctx.body.find("}, \"x\")"), std::string::npos);

  auto bad = get(port(), "/api/v1/site?callback=alert(document.cookie)");
  EXPECT_EQ(bad.status, 400);
  EXPECT_NE(bad.json()["error"][0].get<std::string>().find("callback"), std::string::npos);
}

TEST_F(Protocol, MethodOverrideOnlyFromPost) {
  auto q = request(port(), "POST", "/api/v1/site?method=GET", {{"Host", "demo.localhost"}});
  EXPECT_EQ(q.status, 200);
  auto h = request(port(), "POST", "/api/v1/site", {{"Host", "demo.localhost"}, {"X-HTTP-Method-Override", "get"}});
  EXPECT_EQ(h.status, 200);
  auto bad = request(port(), "POST", "/api/v1/site?method=TRACE", {{"Host", "demo.localhost"}});
  EXPECT_EQ(bad.status, 405) << "unaccepted override leaves POST";
  auto from_get = request(port(), "GET", "/api/v1/site?method=DELETE", {{"Host", "demo.localhost"}});
  EXPECT_EQ(from_get.status, 200) << "only POST can be overridden";
}

TEST_F(Protocol, CachingHeadersForAnonymousAndTokenCallers) {
  auto anon = get(port(), "/api/v1/site");
  EXPECT_EQ(anon.header("cache-control"), "public, max-age=300");
  EXPECT_EQ(anon.header("vary"), "Authorization");
  EXPECT_EQ(anon.header("access-control-allow-origin"), "*");
  auto token = request(port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"Authorization", "Bearer x"}});
  EXPECT_EQ(token.header("cache-control"), "no-cache, max-age=0");
  EXPECT_EQ(get(port(), "/nope").header("cache-control"), "no-cache, max-age=0");
}

TEST_F(Protocol, BodyOverTheLimitIs413Envelope) {
  std::string body(2 * 1024 * 1024, 'x');
  auto r = request(port(), "POST", "/api/v1/site", {{"Host", "demo.localhost"}, {"Content-Type", "application/json"}},
                   body);
  EXPECT_EQ(r.status, 413);
  EXPECT_EQ(r.json()["status"], 413);
  EXPECT_NE(r.json()["error"][0].get<std::string>().find("larger than"), std::string::npos);
}

TEST_F(Protocol, DeclaredBodyOverTheLimitIsRefusedBeforeItArrives) {
  auto raw = raw_exchange(port(), "POST /api/v1/site HTTP/1.1\r\nHost: demo.localhost\r\nContent-Length: 99999999\r\n\r\n");
  EXPECT_NE(raw.data.find("HTTP/1.1 413"), std::string::npos) << raw.data;
  EXPECT_TRUE(raw.closed_by_server);
}

TEST_F(Protocol, HugeHeaderIs431Envelope) {
  auto r = request(port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"X-Big", std::string(20000, 'a')}});
  EXPECT_EQ(r.status, 431);
  EXPECT_EQ(r.json()["status"], 431);
}

TEST_F(Protocol, MalformedRequestsAre400Envelopes) {
  auto garbage = raw_exchange(port(), "THIS IS NOT HTTP\r\n\r\n");
  EXPECT_NE(garbage.data.find("HTTP/1.1 400"), std::string::npos) << garbage.data;
  EXPECT_NE(garbage.data.find("\"status\":400"), std::string::npos);
  auto bad_escape = get(port(), "/api/v1/site%zz");
  EXPECT_EQ(bad_escape.status, 400);
  EXPECT_EQ(bad_escape.json()["status"], 400);
}

TEST_F(Protocol, RequestIdIsEchoedOrGenerated) {
  auto given = request(port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"X-Request-Id", "abc-123"}});
  EXPECT_EQ(given.header("x-request-id"), "abc-123");
  auto made = get(port(), "/api/v1/site");
  auto again = get(port(), "/api/v1/site");
  EXPECT_FALSE(made.header("x-request-id").empty());
  EXPECT_NE(made.header("x-request-id"), again.header("x-request-id"));
  auto hostile = request(port(), "GET", "/api/v1/site", {{"Host", "demo.localhost"}, {"X-Request-Id", "a b\"<x>"}});
  EXPECT_NE(hostile.header("x-request-id"), "a b\"<x>") << "unsafe ids are replaced";
}

TEST_F(Protocol, KeepAliveAndPipelining) {
  Connection c(port());
  EXPECT_EQ(c.send("GET", "/api/v1/site").status, 200);
  EXPECT_EQ(c.send("GET", "/nope").status, 404);
  c.write_raw(
      "GET /api/v1/site HTTP/1.1\r\nHost: demo.localhost\r\n\r\n"
      "GET /api/v1/site HTTP/1.1\r\nHost: forum.example.com\r\n\r\n");
  EXPECT_EQ(c.read().json()["data"]["siteId"], 2);
  EXPECT_EQ(c.read().json()["data"]["siteId"], 3);
}

TEST_F(Protocol, UnexpectedExceptionIs500EnvelopeWithRequestId) {
  auto r = get(port(), "/test/throw");
  EXPECT_EQ(r.status, 500);
  EXPECT_NE(r.json()["error"][0].get<std::string>().find(r.header("x-request-id")), std::string::npos);
  EXPECT_EQ(get(port(), "/api/v1/site").status, 200) << "the server carries on";
}

TEST_F(Protocol, OperationsEndpointsOnAnyHost) {
  auto h = get(port(), "/healthz", "whatever.invalid");
  EXPECT_EQ(h.status, 200);
  EXPECT_EQ(h.json()["status"], "ok");
  auto ready = get(port(), "/readyz", "whatever.invalid");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.json()["database"], true);
  get(port(), "/api/v1/site");
  auto m = get(port(), "/metrics", "x");
  EXPECT_NE(m.body.find("agora_http_requests_total{route=\"/api/v1/site\",method=\"GET\",status=\"200\"}"),
            std::string::npos);
  EXPECT_NE(m.body.find("agora_http_request_duration_seconds_bucket"), std::string::npos);
  EXPECT_NE(m.body.find("agora_db_pool_in_use"), std::string::npos);
  EXPECT_NE(m.body.find("agora_cache_hits_total"), std::string::npos);
  EXPECT_NE(m.body.find("agora_build_info{version="), std::string::npos);
}

class SlowClients : public ::testing::Test {
 protected:
  static Config config() {
    auto c = base_config();
    c.http.header_timeout_ms = 300;
    c.http.idle_timeout_ms = 500;
    return c;
  }
  RunningServer server{config(), false};
};

TEST_F(SlowClients, HalfSentHeaderIsCutOffAtTheHeaderTimeout) {
  const auto start = steady_clock::now();
  auto raw = raw_exchange(server.port(), "GET /api/v1/site HTTP/1.1\r\nHost: demo", milliseconds(3000));
  const auto took = duration_cast<milliseconds>(steady_clock::now() - start).count();
  EXPECT_TRUE(raw.closed_by_server);
  EXPECT_LT(took, 2000);
  EXPECT_EQ(get(server.port(), "/api/v1/site").status, 200) << "other clients are unaffected";
}

TEST_F(SlowClients, IdleKeepAliveConnectionIsClosed) {
  Connection c(server.port());
  EXPECT_EQ(c.send("GET", "/api/v1/site").status, 200);
  EXPECT_TRUE(c.closed_within(milliseconds(2000)));
}

TEST_F(Protocol, ExpectContinueGetsA100BeforeTheBody) {
  Connection c(port());
  c.write_raw("POST /api/v1/site?method=GET HTTP/1.1\r\nHost: demo.localhost\r\nContent-Type: application/json\r\n"
              "Content-Length: 2\r\nExpect: 100-continue\r\n\r\n");
  auto interim = c.read();
  EXPECT_EQ(interim.status, 100);
  c.write_raw("{}");
  EXPECT_EQ(c.read().status, 200);
}

TEST_F(Protocol, UnknownMethodsAre405AndShareOneMetricLabel) {
  for (const char* m : {"FROB", "XYZZY", "BREW"}) {
    EXPECT_EQ(request(port(), m, "/api/v1/site", {{"Host", "demo.localhost"}}).status, 405) << m;
  }
  auto metrics = get(port(), "/metrics").body;
  EXPECT_EQ(metrics.find("FROB"), std::string::npos);
  EXPECT_NE(metrics.find("method=\"OTHER\",status=\"405\"} 3"), std::string::npos) << metrics;
}

TEST_F(Protocol, InvalidUtf8AnywhereIs400) {
  for (const char* target : {"/api/v1/site?context=%FF", "/api/v1/profiles?q=%FF", "/api/v1/site%FF"}) {
    auto r = get(port(), target);
    EXPECT_EQ(r.status, 400) << target;
    EXPECT_EQ(r.json()["status"], 400) << target;
  }
  auto form = request(port(), "POST", "/api/v1/auth",
                      {{"Host", "demo.localhost"}, {"Content-Type", "application/x-www-form-urlencoded"}},
                      "email=%FF%40a.com&password=whatever123");
  EXPECT_EQ(form.status, 400);
  auto long_q = get(port(), "/api/v1/profiles?q=" + std::string(49, 'a') + "%C3%A9");
  EXPECT_EQ(long_q.status, 200) << "a prefix cut on a character boundary";
}
