#pragma once
// Integer arrays to and from PostgreSQL text: `{1,2,3}` as a parameter, `1,2,3` from
// array_to_string(). Passed as parameters, never spliced into SQL.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "agora/core/ids.hpp"

namespace agora::store {

std::string int_array_literal(const std::vector<std::int64_t>& values);
template <class Tag>
std::string int_array_literal(const std::vector<StrongId<Tag>>& ids) {
  return int_array_literal(raw_ids(ids));
}
std::vector<std::int64_t> parse_int_list(std::string_view comma_separated);

}  // namespace agora::store
