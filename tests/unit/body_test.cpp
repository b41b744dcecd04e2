#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "agora/api/body.hpp"
#include "agora/core/error.hpp"
#include "agora/core/ids.hpp"

using agora::Error;
using agora::ErrorKind;
using agora::api::any_length;
using agora::api::Body;
using agora::api::max_bytes;
using agora::api::max_chars;
namespace error_code = agora::error_code;

namespace {

Body json(const char* text) { return Body(nlohmann::json::parse(text)); }

agora::http::Request request(std::string text, std::string type) {
  agora::http::Request r;
  if (!type.empty()) r.headers = {{"content-type", std::move(type)}};
  r.body = std::move(text);
  return r;
}

Body form(std::string text) { return Body(request(std::move(text), "application/x-www-form-urlencoded"), 64); }

/// The error a read throws: its message and errorCode. Every one is a 400.
struct Refusal {
  std::string message;
  std::optional<int> code;
};

template <class Read>
Refusal refusal(Read read) {
  try {
    read();
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::bad_request) << e.what();
    return {e.what(), e.code()};
  }
  ADD_FAILURE() << "no error";
  return {};
}

}  // namespace

TEST(Body, ReadsTypedJsonFields) {
  const auto b = json(R"({"id":7,"n":-3,"flag":true,"name":"Ada","list":[1,2],"nothing":null})");
  EXPECT_EQ(b.required_id("id"), 7);
  EXPECT_EQ(b.optional_id("id"), 7);
  EXPECT_EQ(b.optional_int("n"), -3);
  EXPECT_EQ(b.optional_bool("flag"), true);
  EXPECT_EQ(b.required_bool("flag"), true);
  EXPECT_EQ(b.required_string("name", max_chars(10)), "Ada");
  EXPECT_EQ(b.optional_string("name", any_length), "Ada");
  ASSERT_NE(b.raw("list"), nullptr);
  EXPECT_EQ(b.raw("list")->size(), 2u);
}

TEST(Body, IdsComeAsStrongIdsToo) {
  const auto b = json(R"({"microcosmId":12})");
  const auto id = b.required_id<agora::MicrocosmId>("microcosmId");
  static_assert(std::is_same_v<decltype(id), const agora::MicrocosmId>);
  EXPECT_EQ(id, agora::MicrocosmId{12});
  EXPECT_EQ(b.optional_id<agora::ProfileId>("microcosmId"), agora::ProfileId{12});
  EXPECT_EQ(b.optional_id<agora::ProfileId>("profileId"), std::nullopt);
}

TEST(Body, AbsentAndNullFieldsAreNoValue) {
  const auto b = json(R"({"nothing":null})");
  for (const char* field : {"nothing", "missing"}) {
    EXPECT_EQ(b.optional_id(field), std::nullopt);
    EXPECT_EQ(b.optional_int(field), std::nullopt);
    EXPECT_EQ(b.optional_bool(field), std::nullopt);
    EXPECT_EQ(b.optional_string(field, any_length), std::nullopt);
  }
  EXPECT_TRUE(b.has("nothing"));
  EXPECT_FALSE(b.has("missing"));
  ASSERT_NE(b.raw("nothing"), nullptr);
  EXPECT_TRUE(b.raw("nothing")->is_null());
  EXPECT_EQ(b.raw("missing"), nullptr);
}

TEST(Body, RequiredFieldsNameTheMissingField) {
  const auto b = json(R"({"nothing":null,"empty":""})");
  EXPECT_EQ(refusal([&] { b.required_id("itemId"); }).message, "The post data is invalid: itemId is required");
  EXPECT_EQ(refusal([&] { b.required_id("nothing"); }).message, "The post data is invalid: nothing is required");
  EXPECT_EQ(refusal([&] { b.required_bool("value"); }).message, "The post data is invalid: value is required");
  EXPECT_EQ(refusal([&] { b.required_string("email", any_length); }).message,
            "The post data is invalid: email is required");
  EXPECT_EQ(refusal([&] { b.required_string("empty", any_length); }).message,
            "The post data is invalid: empty is required");
  EXPECT_EQ(refusal([&] { b.required_string("email", any_length); }).code, std::nullopt);
}

TEST(Body, WrongTypesNameTheFieldAndTheType) {
  const auto b = json(R"({"id":"7","n":1.5,"flag":"yes","name":5,"obj":{}})");
  auto expect = [](Refusal r, const std::string& message) {
    EXPECT_EQ(r.message, message);
    EXPECT_EQ(r.code, error_code::unexpected_type) << message;
  };
  expect(refusal([&] { b.required_id("id"); }), "The post data is invalid: id must be an integer");
  expect(refusal([&] { b.optional_id("id"); }), "The post data is invalid: id must be an integer");
  expect(refusal([&] { b.optional_int("n"); }), "The post data is invalid: n must be an integer");
  expect(refusal([&] { b.optional_bool("flag"); }), "The post data is invalid: flag must be true or false");
  expect(refusal([&] { b.required_bool("flag"); }), "The post data is invalid: flag must be true or false");
  expect(refusal([&] { b.optional_string("name", any_length); }), "The post data is invalid: name must be a string");
  expect(refusal([&] { b.required_string("obj", any_length); }), "The post data is invalid: obj must be a string");
}

TEST(Body, IdsMustBePositiveAndFitInt64) {
  const auto b = json(R"({"zero":0,"negative":-4,"big":9223372036854775807,"over":9223372036854775808,
                          "huge":1e30})");
  EXPECT_EQ(b.required_id("big"), INT64_MAX);
  for (const char* field : {"zero", "negative"}) {
    const auto r = refusal([&] { b.required_id(field); });
    EXPECT_EQ(r.message, "The post data is invalid: " + std::string(field) + " must be a positive integer");
    EXPECT_EQ(r.code, error_code::out_of_range);
    EXPECT_EQ(refusal([&] { b.optional_id<agora::RoleId>(field); }).message, r.message);
  }
  const auto over = refusal([&] { b.required_id("over"); });
  EXPECT_EQ(over.message, "The post data is invalid: over is out of range");
  EXPECT_EQ(over.code, error_code::out_of_range);
  EXPECT_EQ(refusal([&] { b.optional_int("over"); }).message, over.message);
  EXPECT_EQ(refusal([&] { b.optional_int("huge"); }).message, "The post data is invalid: huge must be an integer");
  EXPECT_EQ(b.optional_int("negative"), -4);
  EXPECT_EQ(b.optional_int("zero"), 0);
}

TEST(Body, StringsAreLimitedInCharactersOrBytes) {
  const auto b = json(R"({"word":"héllo"})");  // 5 characters, 6 bytes
  EXPECT_EQ(b.required_string("word", max_chars(5)), "héllo");
  EXPECT_EQ(b.optional_string("word", max_bytes(6)), "héllo");
  const auto chars = refusal([&] { b.required_string("word", max_chars(4)); });
  EXPECT_EQ(chars.message, "The post data is invalid: word must be at most 4 characters");
  EXPECT_EQ(chars.code, error_code::out_of_range);
  EXPECT_EQ(refusal([&] { b.optional_string("word", max_bytes(5)); }).message,
            "The post data is invalid: word must be at most 5 bytes");
}

TEST(Body, JsonKeysMatchCaseInsensitively) {
  const auto b = json(R"({"MicrocosmID":3,"TITLE":"t","isdeleted":false})");
  EXPECT_EQ(b.required_id("microcosmId"), 3);
  EXPECT_EQ(b.required_string("title", any_length), "t");
  EXPECT_EQ(b.optional_bool("isDeleted"), false);
  EXPECT_TRUE(b.has("Title"));
  // The message names the field as the server knows it.
  EXPECT_EQ(refusal([&] { json(R"({"TITLE":1})").required_string("title", any_length); }).message,
            "The post data is invalid: title must be a string");
}

TEST(Body, OnlyObjectsAreBodies) {
  for (const char* text : {"[]", "[1]", "\"x\"", "5", "null"}) {
    const auto r = refusal([&] { json(text); });
    EXPECT_EQ(r.message, "The post data is invalid: expected a JSON object") << text;
  }
  EXPECT_EQ(refusal([] { Body(request("[1]", "application/json"), 64); }).message,
            "The post data is invalid: expected a JSON object");
}

TEST(Body, FormFieldsMatchExactlyAndAreParsed) {
  const auto b = form("Email=a%40b.org&ItemID=42&InReplyTo=-1&On=yes&Off=0&Empty=");
  EXPECT_EQ(b.required_string("Email", any_length), "a@b.org");
  EXPECT_EQ(b.optional_string("email", any_length), std::nullopt) << "form names are case-sensitive";
  EXPECT_FALSE(b.has("email"));
  EXPECT_TRUE(b.has("Empty"));
  EXPECT_EQ(b.required_id("ItemID"), 42);
  EXPECT_EQ(b.optional_int("InReplyTo"), -1);
  EXPECT_EQ(b.optional_bool("On"), true);
  EXPECT_EQ(b.optional_bool("Off"), false);
  EXPECT_EQ(b.raw("Email"), nullptr);
  // An empty form field is the empty string, and no number or boolean.
  EXPECT_EQ(b.optional_string("Empty", any_length), "");
  EXPECT_EQ(b.optional_int("Empty"), std::nullopt);
  EXPECT_EQ(b.optional_bool("Empty"), std::nullopt);
  EXPECT_EQ(refusal([&] { b.required_string("Empty", any_length); }).message,
            "The post data is invalid: Empty is required");
}

TEST(Body, FormValuesOfTheWrongShapeNameTheField) {
  const auto b = form("ItemID=abc&Part=12x&Big=99999999999999999999&Flag=maybe");
  EXPECT_EQ(refusal([&] { b.required_id("ItemID"); }).message, "The post data is invalid: ItemID must be an integer");
  EXPECT_EQ(refusal([&] { b.optional_int("Part"); }).message, "The post data is invalid: Part must be an integer");
  EXPECT_EQ(refusal([&] { b.optional_id("Big"); }).message, "The post data is invalid: Big is out of range");
  EXPECT_EQ(refusal([&] { b.optional_bool("Flag"); }).message, "The post data is invalid: Flag must be true or false");
}

TEST(Body, TheContentTypeChoosesFormOrJson) {
  const auto no_type = Body(request("email=x", ""), 64);
  EXPECT_EQ(no_type.optional_string("email", any_length), "x");
  const auto with_charset = Body(request("email=y", "application/x-www-form-urlencoded; charset=utf-8"), 64);
  EXPECT_EQ(with_charset.optional_string("email", any_length), "y");
  const auto as_json = Body(request(R"({"Email":"z"})", "application/json"), 64);
  EXPECT_EQ(as_json.optional_string("email", any_length), "z");
  const auto xml = refusal([] { Body(request("<a/>", "text/xml"), 64); });
  EXPECT_EQ(xml.message, "The post data is invalid: Cannot decode request for text/xml data");
  EXPECT_EQ(xml.code, error_code::bad_content_type);
}

TEST(Body, JsonObjectRefusesForms) {
  EXPECT_EQ(Body::json_object(request(R"({"a":1})", "application/json"), 64).optional_int("a"), 1);
  const auto r = refusal([] { Body::json_object(request("a=1", ""), 64); });
  EXPECT_EQ(r.message, "The post data is invalid: Cannot decode request for empty data");
  EXPECT_EQ(r.code, error_code::bad_content_type);
}

TEST(Body, NestedObjectsAndArrayElementsReadTheSameWay) {
  const auto b = json(R"({"meta":{"editReason":"typo","flags":{"deleted":"no"}},"rows":[{"Id":4},{"id":0}]})");
  const auto meta = b.lenient<Body>("meta");
  ASSERT_TRUE(meta);
  EXPECT_EQ(meta->required_string("editReason", max_chars(150)), "typo");
  EXPECT_EQ(refusal([&] { meta->lenient<Body>("flags")->optional_bool("deleted"); }).message,
            "The post data is invalid: deleted must be true or false");
  const auto& rows = *b.raw("rows");
  EXPECT_EQ(Body(rows[0]).required_id<agora::ProfileId>("id"), agora::ProfileId{4});
  EXPECT_EQ(refusal([&] { Body(rows[1]).required_id("id"); }).message,
            "The post data is invalid: id must be a positive integer");
}

TEST(Body, LenientReadsIgnoreWrongTypes) {
  const auto b = json(R"({"id":"7","meta":"x","reason":5,"remove":1,"n":3,"ok":true,"s":"v","o":{"a":1}})");
  EXPECT_EQ(b.lenient<std::int64_t>("id"), std::nullopt);
  EXPECT_FALSE(b.lenient<Body>("meta"));
  EXPECT_EQ(b.lenient<std::string>("reason"), std::nullopt);
  EXPECT_EQ(b.lenient<bool>("remove"), std::nullopt);
  EXPECT_EQ(b.lenient<std::int64_t>("missing"), std::nullopt);
  EXPECT_EQ(b.lenient<std::int64_t>("n"), 3);
  EXPECT_EQ(b.lenient<bool>("ok"), true);
  EXPECT_EQ(b.lenient<std::string>("s"), "v");
  ASSERT_TRUE(b.lenient<Body>("o"));
  EXPECT_EQ(b.lenient<Body>("o")->optional_int("A"), 1);
}
