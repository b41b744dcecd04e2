#pragma once
// Small ASCII text helpers shared by the parsers.

#include <string>
#include <string_view>

namespace agora {

/// ASCII lower-case copy.
std::string to_lower(std::string_view s);

/// ASCII case-insensitive equality.
bool iequals(std::string_view a, std::string_view b);

}  // namespace agora
