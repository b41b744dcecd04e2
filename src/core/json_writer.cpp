#include "agora/core/json_writer.hpp"

#include <charconv>
#include <cmath>
#include <cstring>
#include <nlohmann/json.hpp>
#include <stdexcept>

#include "agora/core/text.hpp"

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace agora {
namespace {

/// Index of the first byte at or after `i` that is not plain printable ASCII other than
/// `"` and `\` (s.size() when there is none). Comment text is mostly such bytes, so it is
/// scanned 16 at a time where the CPU allows.
std::size_t next_special(std::string_view s, std::size_t i) {
#if defined(__SSE2__)
  const __m128i quote = _mm_set1_epi8('"');
  const __m128i backslash = _mm_set1_epi8('\\');
  const __m128i space = _mm_set1_epi8(0x20);
  for (; i + 16 <= s.size(); i += 16) {
    const __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(s.data() + i));
    // Bytes >= 0x80 are negative as signed chars, so "v < 0x20" (signed) also catches them.
    const __m128i special = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, backslash)),
                                         _mm_cmplt_epi8(v, space));
    if (const int mask = _mm_movemask_epi8(special); mask != 0) return i + static_cast<std::size_t>(__builtin_ctz(mask));
  }
#endif
  for (; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) return i;
  }
  return s.size();
}

}  // namespace

void append_json_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  std::size_t run = 0;  // start of the bytes not yet copied
  for (std::size_t i = next_special(s, 0); i < s.size(); i = next_special(s, i)) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      if (const auto n = utf8_sequence_length(s, i); n > 0) {
        i += n;
        continue;
      }
    }
    out.append(s.data() + run, i - run);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          const char u[] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
          out.append(u, sizeof u);
        } else {
          out += "\xEF\xBF\xBD";  // an invalid UTF-8 byte: U+FFFD
        }
    }
    run = ++i;
  }
  out.append(s.data() + run, s.size() - run);
}

void JsonWriter::separate() {
  if (after_key_) {
    after_key_ = false;
    return;
  }
  if (filled_ & 1) out_ += ',';
  filled_ |= 1;
}

void JsonWriter::open(char bracket) {
  separate();
  if (++depth_ >= 64) throw std::length_error("JsonWriter: nesting deeper than 63");
  filled_ <<= 1;
  out_ += bracket;
}

void JsonWriter::close(char bracket) {
  --depth_;
  filled_ >>= 1;
  out_ += bracket;
}

JsonWriter& JsonWriter::begin_object() {
  open('{');
  return *this;
}

JsonWriter& JsonWriter::end_object() {
  close('}');
  return *this;
}

JsonWriter& JsonWriter::begin_array() {
  open('[');
  return *this;
}

JsonWriter& JsonWriter::end_array() {
  close(']');
  return *this;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  separate();
  // Keys are nearly always the contract's own plain names: copied in one append when so.
  char buf[64];
  if (name.size() + 3 <= sizeof buf && next_special(name, 0) == name.size()) {
    buf[0] = '"';
    std::memcpy(buf + 1, name.data(), name.size());
    buf[name.size() + 1] = '"';
    buf[name.size() + 2] = ':';
    out_.append(buf, name.size() + 3);
  } else {
    escaped(name);
    out_ += ':';
  }
  after_key_ = true;
  return *this;
}

JsonWriter& JsonWriter::value(std::string_view s) {
  separate();
  escaped(s);
  return *this;
}

JsonWriter& JsonWriter::integer(std::int64_t n) {
  separate();
  char buf[24];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, n);
  out_.append(buf, end);
  return *this;
}

JsonWriter& JsonWriter::value(bool b) {
  separate();
  out_ += b ? "true" : "false";
  return *this;
}

JsonWriter& JsonWriter::value(double d) {
  if (!std::isfinite(d)) return null();
  separate();
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  const std::string_view text(buf, static_cast<std::size_t>(end - buf));
  out_ += text;
  if (text.find_first_of(".e") == std::string_view::npos) out_ += ".0";
  return *this;
}

JsonWriter& JsonWriter::null() {
  separate();
  out_ += "null";
  return *this;
}

JsonWriter& JsonWriter::value(const nlohmann::json& j) {
  separate();
  out_ += j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  return *this;
}

JsonWriter& JsonWriter::raw(std::string_view json) {
  separate();
  out_ += json;
  return *this;
}

void JsonWriter::escaped(std::string_view s) {
  out_ += '"';
  append_json_escaped(out_, s);
  out_ += '"';
}

}  // namespace agora
