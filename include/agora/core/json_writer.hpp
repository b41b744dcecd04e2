#pragma once
// Writes JSON text straight into one string, for the hot read paths: a page of 25 comments
// built as a nlohmann DOM costs ~40 allocations per comment and a second pass to serialise
// (docs/performance.md). Output is compact, like nlohmann's dump(); strings are escaped the
// same way and invalid UTF-8 becomes U+FFFD, so a stored byte can never break the document.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <string>
#include <string_view>
#include <type_traits>

#include "agora/core/ids.hpp"

namespace agora {

/// Appends s escaped for the inside of a JSON string literal (no quotes): `"`, `\` and
/// control characters escaped, invalid UTF-8 replaced by U+FFFD.
void append_json_escaped(std::string& out, std::string_view s);

class JsonWriter {
 public:
  explicit JsonWriter(std::size_t reserve = 0) { out_.reserve(reserve); }

  JsonWriter& begin_object();
  JsonWriter& end_object();
  JsonWriter& begin_array();
  JsonWriter& end_array();

  /// An object's key; the value written next belongs to it.
  JsonWriter& key(std::string_view name);

  JsonWriter& value(std::string_view s);
  JsonWriter& value(const char* s) { return value(std::string_view(s)); }
  JsonWriter& value(const std::string& s) { return value(std::string_view(s)); }
  template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  JsonWriter& value(T n) {
    return integer(static_cast<std::int64_t>(n));
  }
  template <class Tag>
  JsonWriter& value(StrongId<Tag> id) {
    return integer(id.value());
  }
  JsonWriter& value(bool b);
  /// The shortest text that reads back as `d`, with ".0" on whole numbers (as nlohmann
  /// writes them); NaN and infinities, which JSON cannot hold, become null.
  JsonWriter& value(double d);
  JsonWriter& null();
  /// A DOM value, serialised in place (for the small parts still built as DOMs).
  JsonWriter& value(const nlohmann::json& j);
  /// Text that is already one complete JSON value (a fragment this writer produced).
  JsonWriter& raw(std::string_view json);

  template <class T>
  JsonWriter& field(std::string_view name, const T& v) {
    return key(name).value(v);
  }

  const std::string& str() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  JsonWriter& integer(std::int64_t n);
  void separate();
  void open(char bracket);
  void close(char bracket);
  void escaped(std::string_view s);

  std::string out_;
  // One bit per open container, from the innermost: set once it holds an element (so the
  // next one needs a comma). Nesting deeper than 64 is a programming error.
  std::uint64_t filled_ = 0;
  int depth_ = 0;
  bool after_key_ = false;
};

}  // namespace agora
