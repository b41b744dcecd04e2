#pragma once
// The byte format of cached items: a tag byte naming the kind, then the fields in a fixed
// order (integers as zigzag varints, strings length-prefixed). Decoding a comment from it
// costs about a twentieth of parsing the same fields as JSON, and cached items are decoded
// on every page (docs/performance.md). Anything malformed or of another kind throws, and
// the read path drops the entry and reloads it.

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>
#include <type_traits>

#include "agora/core/ids.hpp"

namespace agora::store {

class RecordWriter {
 public:
  explicit RecordWriter(char tag, std::size_t reserve = 64);

  template <class T>
    requires(std::is_integral_v<T> && !std::is_same_v<T, bool>)
  RecordWriter& add(T n) {
    return integer(static_cast<std::int64_t>(n));
  }
  template <class Tag>
  RecordWriter& add(StrongId<Tag> id) {
    return integer(id.value());
  }
  RecordWriter& add(bool b);
  /// Its bits, exactly: what is read back is the same double.
  RecordWriter& add(double d);
  RecordWriter& add(std::string_view s);
  RecordWriter& add(const std::string& s) { return add(std::string_view(s)); }
  RecordWriter& add(const char* s) = delete;  // would become a bool

  std::string take() { return std::move(out_); }

 private:
  RecordWriter& integer(std::int64_t n);
  void varint(std::uint64_t v);

  std::string out_;
};

struct MalformedRecord : std::runtime_error {
  using std::runtime_error::runtime_error;
};

class RecordReader {
 public:
  /// Throws MalformedRecord unless the bytes start with `tag`. The reader views the bytes:
  /// they must outlive it.
  RecordReader(std::string_view bytes, char tag);

  std::int64_t integer();
  template <class Id>
  Id id() {
    return Id{integer()};
  }
  bool boolean();
  double real();
  std::string text();
  /// Throws MalformedRecord when bytes are left over (a format this binary does not know).
  void finish() const;

 private:
  std::uint64_t varint();

  std::string_view in_;
  std::size_t at_ = 1;
};

}  // namespace agora::store
