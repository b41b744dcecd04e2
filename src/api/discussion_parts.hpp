#pragma once
// Private to the files implementing DiscussionApi and CommentsApi.

#include <optional>
#include <string>
#include <vector>

#include "content_json.hpp"
#include "discussion_api.hpp"
#include "agora/core/item_ref.hpp"
#include "agora/store/conversation.hpp"
#include "agora/store/microcosm.hpp"

namespace agora::api {

struct DiscussionApi::Located {
  store::Conversation conversation;
  store::Microcosm microcosm;
  std::vector<store::Microcosm> path;  // the microcosm's ancestors and itself, root first
};

inline constexpr const char* no_permission = "You do not have permission to do that";
/// The id in a path parameter (the router has checked it is an int64).
std::int64_t path_id(const http::Request& req, const char* name);
template <class Id>
Id path_id(const http::Request& req, const char* name) {
  return Id{path_id(req, name)};
}

}  // namespace agora::api
