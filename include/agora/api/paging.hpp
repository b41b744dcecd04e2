#pragma once
// Paging (conventions.md §8): limit/offset validation, the collection object and its
// navigation links.

#include <cstdint>
#include <nlohmann/json_fwd.hpp>
#include <functional>
#include <string>
#include <string_view>

#include "agora/http/request.hpp"

namespace agora {
class JsonWriter;
}  // namespace agora

namespace agora::api {

struct Paging {
  int limit = 25;
  int offset = 0;
};

inline constexpr int default_page_limit = 25;
inline constexpr int max_page_limit = 250;

/// Reads `limit` and `offset`; Error{bad_request} naming the parameter when invalid.
Paging parse_paging(const http::Request& request);

struct PageMaths {
  std::int64_t max_offset = 0;
  std::int64_t total_pages = 0;
  std::int64_t page = 1;
};
PageMaths page_maths(std::int64_t total, const Paging& paging);

/// Error{bad_request} when offset is past the last page (offset 0 is always valid).
void check_offset(std::int64_t total, const Paging& paging);

/// The collection object with `items` and navigation links built from the request URL.
nlohmann::json collection(std::int64_t total, const Paging& paging, nlohmann::json items, const std::string& type,
                          const http::Request& request);

/// The same collection written as JSON text; `items` writes the elements of the items array.
void write_collection(JsonWriter& w, std::int64_t total, const Paging& paging, std::string_view type,
                      const http::Request& request, const std::function<void(JsonWriter&)>& items);

}  // namespace agora::api
