#pragma once
// Profile name rules (identity.md §6.5): tags and all white space stripped; a name with no
// lower-case letter is lower-cased (no shouting); 2 to 25 characters; no `@` or `+`.

#include <string>
#include <string_view>

namespace agora::store {

/// The cleaned name, or Error{bad_request} saying which rule it breaks.
std::string clean_profile_name(std::string_view name);

}  // namespace agora::store
