#pragma once
// The HTTP methods the API knows. Any other token a client sends has no Method: routes
// answer it like a method they lack (405 with Allow).

#include <optional>
#include <string_view>

namespace agora::http {

enum class Method { get, head, post, put, patch, del, options };

/// The method a request token names, matched exactly (methods are case-sensitive); nullopt
/// for any other token.
std::optional<Method> parse_method(std::string_view token);

/// The token for a method, as requests and `Allow` headers spell it.
std::string_view method_name(Method method);

}  // namespace agora::http
