#include <gtest/gtest.h>

#include "agora/api/host_resolver.hpp"
#include "agora/core/error.hpp"
#include "agora/core/text.hpp"
#include "agora/core/time_format.hpp"
#include "agora/http/client_ip.hpp"
#include "agora/http/request.hpp"

using namespace agora::http;

TEST(Request, ParseTargetDecodesPathAndQuery) {
  std::string path;
  Fields q;
  parse_target("/api/v1/search?q=a+b%21&empty=&flag&x=1", path, q);
  EXPECT_EQ(path, "/api/v1/search");
  ASSERT_EQ(q.size(), 4u);
  EXPECT_EQ(q[0], (std::pair<std::string, std::string>{"q", "a b!"}));
  EXPECT_EQ(q[1].second, "");
  EXPECT_EQ(q[2].first, "flag");
}

TEST(Request, MalformedTargetsAreBadRequests) {
  std::string path;
  Fields q;
  EXPECT_THROW(parse_target("/a%2", path, q), agora::Error);
  EXPECT_THROW(parse_target("/a?b=%zz", path, q), agora::Error);
  EXPECT_THROW(parse_target("http://x/a", path, q), agora::Error);
}

TEST(Request, PercentEncodeRoundTrip) {
  std::string s = "a b/c?d=é&";
  EXPECT_EQ(percent_decode(percent_encode(s), false), s);
}

TEST(ClientIp, ForwardingHeadersOnlyFromTrustedProxies) {
  Request r;
  r.headers = {{"x-forwarded-for", "203.0.113.9, 10.0.0.1"}};
  std::set<std::string> trusted{"127.0.0.1"};
  EXPECT_EQ(client_ip("127.0.0.1", r, trusted), "203.0.113.9");
  EXPECT_EQ(client_ip("198.51.100.7", r, trusted), "198.51.100.7") << "forged header ignored";
  r.headers.emplace_back("cf-connecting-ip", "192.0.2.1");
  EXPECT_EQ(client_ip("127.0.0.1", r, trusted), "192.0.2.1");
}

TEST(HostResolver, ClassifiesHosts) {
  using agora::api::classify_host;
  using agora::api::HostKind;
  auto root = classify_host("microco.sm", "microco.sm");
  EXPECT_EQ(root.kind, HostKind::root);
  auto sub = classify_host("dev1.microco.sm", "microco.sm");
  EXPECT_EQ(sub.kind, HostKind::site);
  EXPECT_EQ(sub.subdomain, "dev1");
  auto uk = classify_host("a.example.co.uk", "example.co.uk");
  EXPECT_EQ(uk.subdomain, "a") << "any base domain works";
  auto custom = classify_host("www.example.com", "microco.sm");
  EXPECT_EQ(custom.subdomain, "");
  EXPECT_EQ(custom.domain, "www.example.com");
  auto deep = classify_host("a.b.microco.sm", "microco.sm");
  EXPECT_EQ(deep.subdomain, "") << "two labels are not a subdomain key";
  EXPECT_EQ(classify_host("xmicroco.sm", "microco.sm").domain, "xmicroco.sm");
}

TEST(TimeFormat, Rfc3339WithTrimmedMicroseconds) {
  EXPECT_EQ(agora::format_rfc3339_micros(0), "1970-01-01T00:00:00Z");
  EXPECT_EQ(agora::format_rfc3339_micros(1390922994567550), "2014-01-28T15:29:54.56755Z");
  EXPECT_EQ(agora::format_rfc3339_micros(1392132949000000), "2014-02-11T15:35:49Z");
  EXPECT_EQ(agora::format_rfc3339_micros(1392132949000001), "2014-02-11T15:35:49.000001Z");
  EXPECT_EQ(agora::format_rfc3339_micros(-1), "1969-12-31T23:59:59.999999Z");
  EXPECT_EQ(agora::format_rfc3339_micros(253402300799999999), "9999-12-31T23:59:59.999999Z");
  EXPECT_EQ(agora::format_rfc3339_micros(253402300800000000), "10000-01-01T00:00:00Z");
  // Every instant of a leap day round-trips through the parser.
  for (std::int64_t t = 951782400000000; t < 951782400000000 + 86400000000; t += 3599999999) {
    EXPECT_EQ(agora::parse_rfc3339_micros(agora::format_rfc3339_micros(t)), t);
  }
}

TEST(TimeFormat, ParsesRfc3339) {
  EXPECT_EQ(agora::parse_rfc3339_micros("2014-01-28T15:29:54.56755Z"), 1390922994567550);
  EXPECT_EQ(agora::parse_rfc3339_micros("2014-02-11T15:35:49Z"), 1392132949000000);
  EXPECT_EQ(agora::parse_rfc3339_micros("2014-02-11T16:35:49+01:00"), 1392132949000000);
  EXPECT_EQ(agora::parse_rfc3339_micros("2014-02-11T15:35:49.1234567Z"), 1392132949123456) << "past micros truncated";
  for (const char* bad : {"", "2014-02-11", "2014-02-30T00:00:00Z", "2014-02-11T25:00:00Z", "2014-02-11T15:35:49",
                          "2014-02-11T15:35:49.Z", "2014-02-11T15:35:49Zjunk", "yesterday"}) {
    EXPECT_FALSE(agora::parse_rfc3339_micros(bad)) << bad;
  }
}

TEST(Utf8, ValidityAndSafePrefixes) {
  EXPECT_TRUE(agora::valid_utf8("plain ascii"));
  EXPECT_TRUE(agora::valid_utf8("Éowyn 日本 🙂"));
  EXPECT_FALSE(agora::valid_utf8("\xFF"));
  EXPECT_FALSE(agora::valid_utf8("\xC3"));          // truncated
  EXPECT_FALSE(agora::valid_utf8("\xC0\xAF"));      // overlong
  EXPECT_FALSE(agora::valid_utf8("\xED\xA0\x80"));  // surrogate
  EXPECT_EQ(agora::utf8_prefix("abé", 3), "ab") << "never half a character";
  EXPECT_EQ(agora::utf8_prefix("abé", 4), "abé");
}

TEST(Request, InvalidUtf8IsABadRequest) {
  std::string path;
  Fields q;
  EXPECT_THROW(parse_target("/a?q=%FF", path, q), agora::Error);
  EXPECT_THROW(parse_target("/a%FF", path, q), agora::Error);
  EXPECT_NO_THROW(parse_target("/a?q=%C3%A9", path, q));
}

TEST(Request, TokensInPathsAreNotLogged) {
  EXPECT_EQ(loggable_path("/api/v1/auth/abcDEF123"), "/api/v1/auth/{token}");
  EXPECT_EQ(loggable_path("/api/v1/auth"), "/api/v1/auth");
  EXPECT_EQ(loggable_path("/api/v1/sites/2"), "/api/v1/sites/2");
}
