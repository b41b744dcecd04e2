#include "agora/core/json_writer.hpp"

#include <gtest/gtest.h>

#include <limits>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "agora/core/text.hpp"

using agora::JsonWriter;

namespace {
std::string dumped(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }
}  // namespace

TEST(JsonWriter, WritesWhatNlohmannWouldForTheSameDocument) {
  JsonWriter w;
  w.begin_object()
      .field("id", std::int64_t{42})
      .field("title", "Hello")
      .field("open", true)
      .field("deleted", false)
      .key("none")
      .null()
      .key("items")
      .begin_array()
      .value(1)
      .begin_object()
      .field("a", -7)
      .end_object()
      .begin_array()
      .end_array()
      .value("x")
      .end_array()
      .key("empty")
      .begin_object()
      .end_object()
      .end_object();
  const auto expected = nlohmann::json::parse(
      R"({"id":42,"title":"Hello","open":true,"deleted":false,"none":null,"items":[1,{"a":-7},[],"x"],"empty":{}})");
  EXPECT_EQ(nlohmann::json::parse(w.str()), expected);
  // Compact, in the order written.
  EXPECT_EQ(w.str(),
            R"({"id":42,"title":"Hello","open":true,"deleted":false,"none":null,"items":[1,{"a":-7},[],"x"],"empty":{}})");
}

TEST(JsonWriter, EscapesStringsExactlyAsNlohmannDoes) {
  const std::string samples[] = {
      "plain",
      "quote \" and backslash \\ and slash /",
      std::string("controls \b\f\n\r\t \x01 \x1f and NUL ") + '\0' + " end",
      "unicode: é, 日本語, 🙂",
      "<script>alert(1)</script>",
      "",
  };
  for (const auto& s : samples) {
    JsonWriter w;
    w.value(s);
    EXPECT_EQ(w.str(), dumped(nlohmann::json(s))) << s;
    EXPECT_EQ(nlohmann::json::parse(w.str()).get<std::string>(), s);
  }
  JsonWriter keys;
  keys.begin_object().field("k\"ey\n", 1).end_object();
  EXPECT_EQ(keys.str(), dumped(nlohmann::json{{"k\"ey\n", 1}}));
}

TEST(JsonWriter, FindsEveryCharacterToEscapeWhereverItFallsInALongString) {
  // The scan goes 16 bytes at a time: put each kind of special byte at every position
  // around two block boundaries.
  const std::string specials[] = {"\"", "\\", "\n", std::string(1, '\0'), "\x1f", "é", "🙂", "\xff"};
  for (const auto& special : specials) {
    for (std::size_t at = 0; at <= 40; ++at) {
      std::string s(40, 'a');
      s.insert(at, special);
      JsonWriter w;
      w.value(s);
      EXPECT_EQ(w.str(), dumped(nlohmann::json(s))) << "at " << at;
    }
  }
}

TEST(JsonWriter, InvalidUtf8BecomesReplacementCharactersAndTheDocumentStaysValid) {
  const std::string bad[] = {
      "\xff",                  // never valid
      "a\xc0\xafz",            // overlong '/'
      "\xed\xa0\x80",          // a surrogate
      "cut \xe6\x97",          // truncated at the end
      "\xf4\x90\x80\x80",      // past U+10FFFF
      "ok é then \x80 alone",  // stray continuation byte
  };
  for (const auto& s : bad) {
    JsonWriter w;
    w.value(s);
    ASSERT_TRUE(agora::valid_utf8(w.str())) << w.str();
    const auto back = nlohmann::json::parse(w.str()).get<std::string>();
    EXPECT_NE(back.find("\xEF\xBF\xBD"), std::string::npos) << back;
  }
  JsonWriter w;
  w.value("ok é then \x80 alone");
  EXPECT_EQ(nlohmann::json::parse(w.str()).get<std::string>(), "ok é then \xEF\xBF\xBD alone");
}

TEST(JsonWriter, IntegersAtTheirLimits) {
  JsonWriter w;
  w.begin_array()
      .value(std::numeric_limits<std::int64_t>::min())
      .value(std::numeric_limits<std::int64_t>::max())
      .value(0)
      .value(std::size_t{25})
      .end_array();
  EXPECT_EQ(w.str(), "[-9223372036854775808,9223372036854775807,0,25]");
}

TEST(JsonWriter, DoublesReadBackExactlyAndMatchNlohmannsText) {
  for (double d : {51.5074, -0.1278, 2.0, -90.0, 180.0, 0.1, 1e-7, 123456789.125, 1e21}) {
    JsonWriter w;
    w.value(d);
    EXPECT_EQ(nlohmann::json::parse(w.str()).get<double>(), d) << w.str();
    EXPECT_EQ(w.str(), nlohmann::json(d).dump());
  }
  JsonWriter w;
  w.begin_array().value(std::numeric_limits<double>::quiet_NaN()).value(std::numeric_limits<double>::infinity()).end_array();
  EXPECT_EQ(w.str(), "[null,null]");
}

TEST(JsonWriter, EmbedsFragmentsAndDomValues) {
  JsonWriter inner;
  inner.begin_object().field("profileName", "ann").end_object();
  const auto fragment = inner.take();
  JsonWriter w;
  w.begin_array()
      .raw(fragment)
      .raw(fragment)
      .value(nlohmann::json{{"rel", "self"}, {"href", "/a"}})
      .begin_object()
      .key("createdBy")
      .raw(fragment)
      .key("n")
      .value(nlohmann::json(nullptr))
      .end_object()
      .end_array();
  EXPECT_EQ(nlohmann::json::parse(w.str()),
            nlohmann::json::parse(
                R"([{"profileName":"ann"},{"profileName":"ann"},{"href":"/a","rel":"self"},{"createdBy":{"profileName":"ann"},"n":null}])"));
}

TEST(JsonWriter, RefusesNestingBeyondItsLimit) {
  JsonWriter w;
  for (int i = 0; i < 63; ++i) w.begin_array();
  EXPECT_THROW(w.begin_array(), std::length_error);
}
