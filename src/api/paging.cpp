#include "agora/api/paging.hpp"

#include <algorithm>
#include <charconv>
#include <nlohmann/json.hpp>

#include "agora/core/error.hpp"
#include "agora/core/json_writer.hpp"

namespace agora::api {
namespace {

std::optional<std::int64_t> parse_int(std::string_view s) {
  std::int64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

std::string page_href(const http::Request& request, std::int64_t offset) {
  std::vector<std::pair<std::string, std::string>> params;
  for (auto& kv : request.query) {
    if (kv.first == "access_token" || kv.first == "offset") continue;
    params.push_back(kv);
  }
  if (offset > 0) params.emplace_back("offset", std::to_string(offset));
  std::stable_sort(params.begin(), params.end(), [](auto& a, auto& b) { return a.first < b.first; });
  std::string href = request.path;
  for (std::size_t i = 0; i < params.size(); ++i) {
    href += (i == 0 ? "?" : "&") + http::percent_encode(params[i].first) + "=" + http::percent_encode(params[i].second);
  }
  return href;
}

struct PageLink {
  const char* rel;
  std::int64_t offset;
};

std::vector<PageLink> page_links(const Paging& p, const PageMaths& m) {
  std::vector<PageLink> links;
  if (p.offset > p.limit) links.push_back({"first", 0});
  if (p.offset > 0) links.push_back({"prev", std::max<std::int64_t>(0, p.offset - p.limit)});
  links.push_back({"self", p.offset});
  if (p.offset < m.max_offset) links.push_back({"next", p.offset + p.limit});
  if (p.offset + p.limit < m.max_offset) links.push_back({"last", m.max_offset});
  return links;
}

}  // namespace

Paging parse_paging(const http::Request& request) {
  Paging p;
  if (auto v = request.query_param("limit")) {
    auto n = parse_int(*v);
    if (!n) throw Error(ErrorKind::bad_request, "limit (" + std::string(*v) + ") must be an integer");
    if (*n < 1) throw Error(ErrorKind::bad_request, "limit must be greater than zero");
    if (*n % 5 != 0) throw Error(ErrorKind::bad_request, "limit must be a multiple of 5");
    if (*n > max_page_limit) throw Error(ErrorKind::bad_request, "limit cannot exceed 250");
    p.limit = static_cast<int>(*n);
  }
  if (auto v = request.query_param("offset")) {
    auto n = parse_int(*v);
    if (!n) throw Error(ErrorKind::bad_request, "offset (" + std::string(*v) + ") must be an integer");
    if (*n < 0) throw Error(ErrorKind::bad_request, "offset cannot be negative");
    if (*n % p.limit != 0) throw Error(ErrorKind::bad_request, "offset must be a multiple of limit");
    if (*n > std::numeric_limits<int>::max()) throw Error(ErrorKind::bad_request, "offset is too large");
    p.offset = static_cast<int>(*n);
  }
  return p;
}

PageMaths page_maths(std::int64_t total, const Paging& p) {
  PageMaths m;
  m.max_offset = total > 0 ? ((total - 1) / p.limit) * p.limit : 0;
  m.total_pages = (total + p.limit - 1) / p.limit;
  m.page = p.offset / p.limit + 1;
  return m;
}

void check_offset(std::int64_t total, const Paging& p) {
  if (p.offset > 0 && p.offset > page_maths(total, p).max_offset) {
    throw Error(ErrorKind::bad_request,
                "not enough records, offset (" + std::to_string(p.offset) + ") would return an empty page");
  }
}

nlohmann::json collection(std::int64_t total, const Paging& p, nlohmann::json items, const std::string& type,
                          const http::Request& request) {
  const auto m = page_maths(total, p);
  nlohmann::json links = nlohmann::json::array();
  for (const auto& l : page_links(p, m)) {
    links.push_back({{"rel", l.rel}, {"href", page_href(request, l.offset)}, {"title", std::to_string(l.offset / p.limit + 1)}});
  }
  return {{"total", total},       {"limit", p.limit},       {"offset", p.offset},
          {"maxOffset", m.max_offset}, {"totalPages", m.total_pages}, {"page", m.page},
          {"links", std::move(links)},  {"type", type},          {"items", std::move(items)}};
}

void write_collection(JsonWriter& w, std::int64_t total, const Paging& p, std::string_view type,
                      const http::Request& request, const std::function<void(JsonWriter&)>& items) {
  const auto m = page_maths(total, p);
  w.begin_object().field("total", total).field("limit", p.limit).field("offset", p.offset);
  w.field("maxOffset", m.max_offset).field("totalPages", m.total_pages).field("page", m.page);
  w.key("links").begin_array();
  for (const auto& l : page_links(p, m)) {
    w.begin_object().field("rel", l.rel).field("href", page_href(request, l.offset));
    w.field("title", std::to_string(l.offset / p.limit + 1)).end_object();
  }
  w.end_array().field("type", type).key("items").begin_array();
  items(w);
  w.end_array().end_object();
}

}  // namespace agora::api
