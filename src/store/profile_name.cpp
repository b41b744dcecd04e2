#include "agora/store/profile_name.hpp"

#include "agora/core/error.hpp"
#include "agora/core/text.hpp"

namespace agora::store {
namespace {

constexpr std::size_t min_name_chars = 2;
constexpr std::size_t max_name_chars = 25;

}  // namespace

std::string clean_profile_name(std::string_view name) {
  std::string out;
  bool in_tag = false;
  for (char c : name) {
    if (c == '<') in_tag = true;
    if (!in_tag && !(c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')) {
      if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) continue;  // control characters
      out += c;
    }
    if (c == '>') in_tag = false;
  }
  if (out.find('@') != std::string::npos || out.find('+') != std::string::npos) {
    throw Error(ErrorKind::bad_request, "A profile name cannot contain '@' or '+'; try '_' instead");
  }
  bool has_lower = false;
  for (char c : out) has_lower = has_lower || (c >= 'a' && c <= 'z');
  if (!has_lower) {
    for (auto& c : out) {
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
    }
  }
  const auto chars = utf8_length(out);
  if (chars < min_name_chars || chars > max_name_chars) {
    throw Error(ErrorKind::bad_request, "A profile name must be 2 to 25 characters long, without spaces");
  }
  return out;
}

}  // namespace agora::store
