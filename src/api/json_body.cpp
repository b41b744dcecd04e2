#include "agora/api/json_body.hpp"

#include <nlohmann/json.hpp>

#include "agora/core/error.hpp"

namespace agora::api {
namespace {

/// Depth is checked while parsing, so a deeply nested body is refused before it is built.
class DepthLimitedSax : public nlohmann::json_sax<nlohmann::json> {
 public:
  explicit DepthLimitedSax(int max_depth) : max_depth_(max_depth) {}
  bool exceeded() const { return exceeded_; }
  std::string error;

  bool null() override { return true; }
  bool boolean(bool) override { return true; }
  bool number_integer(number_integer_t) override { return true; }
  bool number_unsigned(number_unsigned_t) override { return true; }
  bool number_float(number_float_t, const string_t&) override { return true; }
  bool string(string_t&) override { return true; }
  bool binary(binary_t&) override { return true; }
  bool start_object(std::size_t) override { return push(); }
  bool key(string_t&) override { return true; }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override { return push(); }
  bool end_array() override { return pop(); }
  bool parse_error(std::size_t, const std::string&, const nlohmann::detail::exception& ex) override {
    error = ex.what();
    return false;
  }

 private:
  bool push() {
    if (++depth_ > max_depth_) {
      exceeded_ = true;
      return false;
    }
    return true;
  }
  bool pop() {
    --depth_;
    return true;
  }
  int max_depth_;
  int depth_ = 0;
  bool exceeded_ = false;
};

}  // namespace

nlohmann::json parse_json_body(const http::Request& request, int max_depth) {
  auto type = std::string(request.header("content-type").value_or(""));
  type = type.substr(0, type.find(';'));
  while (!type.empty() && type.back() == ' ') type.pop_back();
  if (type != "application/json") {
    throw Error(ErrorKind::bad_request,
                "The post data is invalid: Cannot decode request for " + (type.empty() ? "empty" : type) + " data",
                error_code::bad_content_type);
  }
  DepthLimitedSax sax(max_depth);
  // First pass validates syntax and depth without building anything.
  if (!nlohmann::json::sax_parse(request.body, &sax)) {
    if (sax.exceeded()) {
      throw Error(ErrorKind::bad_request,
                  "The post data is invalid: JSON nesting deeper than " + std::to_string(max_depth) + " levels");
    }
    throw Error(ErrorKind::bad_request, "The post data is invalid: " + sax.error, error_code::invalid_content);
  }
  return nlohmann::json::parse(request.body);
}

}  // namespace agora::api
