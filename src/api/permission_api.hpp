#pragma once
// GET /api/v1/permission?microcosmId&itemType&itemId (permissions.md §8): the caller's
// permission object for any item, computed by the engine.

#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

/// Conversations and comments named by `itemId` are resolved to their microcosm and author.
void add_permission_routes(RouteTable& table, perm::Engine& engine, store::MicrocosmStore& microcosms,
                           store::ConversationStore& conversations, store::CommentStore& comments);

}  // namespace agora::api
