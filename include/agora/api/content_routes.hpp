#pragma once
// Forums and what is in them (spec content-*.md):
//   /api/v1/microcosms…                              src/api/microcosms_api.cpp
//   /api/v1/conversations…, /api/v1/comments…, /out  src/api/discussion_api.cpp, discussion_comments.cpp
//   /api/v1/{kind}/{id}/attributes…                  src/api/attributes_api.cpp
//   /api/v1/ignored, /api/v1/profiles/read…          src/api/reader_api.cpp
//   /api/v1/polls…                                    src/api/polls_api.cpp

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

void add_content_routes(RouteTable& table, const Services& services);

}  // namespace agora::api
