#pragma once
// Access token values: 128 characters of [A-Za-z0-9] from a CSPRNG (identity.md §3), and
// the SHA-256 digest that is all the database and cache ever see.

#include <string>
#include <string_view>

namespace agora::auth {

inline constexpr std::size_t token_length = 128;

/// A new random token.
std::string new_token();

/// Lower-case hex SHA-256 of the token.
std::string token_digest(std::string_view token);

/// True when the text has the token format (so garbage never reaches the database).
bool looks_like_token(std::string_view text);

}  // namespace agora::auth
