#include "permission_api.hpp"

#include <charconv>
#include <nlohmann/json.hpp>

#include "agora/core/error.hpp"
#include "agora/core/item_types.hpp"
#include "agora/perm/engine.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/microcosm_store.hpp"

namespace agora::api {
namespace {

/// A non-negative integer query parameter (0 when absent).
std::int64_t non_negative(const http::Request& req, std::string_view name, const char* message) {
  auto v = req.query_param(name);
  if (!v || v->empty()) return 0;
  std::int64_t out = 0;
  auto [end, ec] = std::from_chars(v->data(), v->data() + v->size(), out);
  if (ec != std::errc{} || end != v->data() + v->size() || out < 0) throw Error(ErrorKind::bad_request, message);
  return out;
}

}  // namespace

void add_permission_routes(RouteTable& t, perm::Engine& engine, store::MicrocosmStore& microcosms,
                           store::ConversationStore& conversations, store::CommentStore& comments) {
  t.add("/api/v1/permission", http::HostScope::site, http::Method::get, [&](Context& ctx, const http::Request& req) {
    const MicrocosmId microcosm{non_negative(req, "microcosmId", "microcosmId needs to be a positive integer")};
    const auto item = non_negative(req, "itemId", "itemId needs to be a positive integer");
    std::optional<ItemType> type;
    if (auto name = req.query_param("itemType"); name && !name->empty()) {
      type = item_type_from_name(*name);
      if (!type) throw Error(ErrorKind::bad_request, "You must specify a valid itemType");
    }
    // Content items resolve to their conversation's microcosm; a missing one gets no rights.
    if (type && (*type == ItemType::conversation || *type == ItemType::comment) && item > 0) {
      std::optional<store::Comment> comment;
      ConversationId conversation_id{item};
      if (*type == ItemType::comment) {
        comment = comments.get(ctx.site->id, CommentId{item});
        conversation_id = comment ? comment->item.as<ConversationId>() : ConversationId{};
      }
      auto c = conversation_id.valid() ? conversations.get(ctx.site->id, conversation_id) : std::nullopt;
      auto m = c ? microcosms.get(ctx.site->id, c->microcosm_id) : std::nullopt;
      if (!m) return http::Response::ok(engine.query(*ctx.site, ctx.perm_caller(), MicrocosmId{}, {}, 0).to_json());
      const auto owner = comment ? comment->author : c->created_by;
      return http::Response::ok(engine.item(*ctx.site, ctx.perm_caller(), *m, owner).to_json());
    }
    return http::Response::ok(engine.query(*ctx.site, ctx.perm_caller(), microcosm, type, item).to_json());
  });
}

}  // namespace agora::api
