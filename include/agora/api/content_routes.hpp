#pragma once
// Forums and what is in them (spec content-*.md):
//   /api/v1/microcosms…                              src/api/microcosms_api.cpp
//   /api/v1/conversations…, /out                     src/api/discussion_api.cpp
//   /api/v1/comments…                                src/api/comments_api.cpp (pages: comment_threads.cpp)
//   /api/v1/{kind}/{id}/attributes…                  src/api/attributes_api.cpp
//   /api/v1/ignored, /api/v1/profiles/read…          src/api/reader_api.cpp
//   /api/v1/events…                                  src/api/events_api.cpp, event_attendees.cpp
//   /api/v1/polls…                                   src/api/polls_api.cpp
//   /api/v1/huddles…                                 src/api/huddles_api.cpp
//   /api/v1/watchers…, /api/v1/updates/preferences…  src/api/watchers_api.cpp
//   /api/v1/updates…                                 src/api/updates_api.cpp (fan-out: jobs/update_fanout.cpp)

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"

namespace agora::api {

void add_content_routes(RouteTable& table, const Services& services);

}  // namespace agora::api
