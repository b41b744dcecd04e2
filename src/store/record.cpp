#include "agora/store/record.hpp"

#include <bit>

namespace agora::store {

RecordWriter::RecordWriter(char tag, std::size_t reserve) {
  out_.reserve(reserve);
  out_ += tag;
}

void RecordWriter::varint(std::uint64_t v) {
  while (v >= 0x80) {
    out_ += static_cast<char>((v & 0x7F) | 0x80);
    v >>= 7;
  }
  out_ += static_cast<char>(v);
}

RecordWriter& RecordWriter::integer(std::int64_t n) {
  varint((static_cast<std::uint64_t>(n) << 1) ^ static_cast<std::uint64_t>(n >> 63));
  return *this;
}

RecordWriter& RecordWriter::add(bool b) {
  out_ += b ? '\1' : '\0';
  return *this;
}

RecordWriter& RecordWriter::add(double d) {
  varint(std::bit_cast<std::uint64_t>(d));
  return *this;
}

RecordWriter& RecordWriter::add(std::string_view s) {
  varint(s.size());
  out_.append(s);
  return *this;
}

RecordReader::RecordReader(std::string_view bytes, char tag) : in_(bytes) {
  if (in_.empty() || in_[0] != tag) throw MalformedRecord("cached record of another kind");
}

std::uint64_t RecordReader::varint() {
  std::uint64_t v = 0;
  for (int shift = 0; shift < 64; shift += 7) {
    if (at_ >= in_.size()) throw MalformedRecord("cached record cut short");
    const auto byte = static_cast<unsigned char>(in_[at_++]);
    v |= static_cast<std::uint64_t>(byte & 0x7F) << shift;
    if (!(byte & 0x80)) return v;
  }
  throw MalformedRecord("cached record with an overlong number");
}

std::int64_t RecordReader::integer() {
  const auto v = varint();
  return static_cast<std::int64_t>(v >> 1) ^ -static_cast<std::int64_t>(v & 1);
}

double RecordReader::real() { return std::bit_cast<double>(varint()); }

bool RecordReader::boolean() {
  if (at_ >= in_.size()) throw MalformedRecord("cached record cut short");
  const auto b = in_[at_++];
  if (b != '\0' && b != '\1') throw MalformedRecord("cached record with a bad flag");
  return b == '\1';
}

std::string RecordReader::text() {
  const auto n = varint();
  if (n > in_.size() - at_) throw MalformedRecord("cached record cut short");
  std::string s(in_.substr(at_, n));
  at_ += n;
  return s;
}

void RecordReader::finish() const {
  if (at_ != in_.size()) throw MalformedRecord("cached record with bytes left over");
}

}  // namespace agora::store
