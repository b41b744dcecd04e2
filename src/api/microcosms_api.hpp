#pragma once
// Microcosm routes (content-microcosms.md §M), site hosts:
//   GET    /api/v1/microcosms           the root microcosm with its readable children
//   POST   /api/v1/microcosms           create (under the root when parentId is absent) → 302
//   GET    /api/v1/microcosms/tree      every readable, visible microcosm, depth first
//   GET    /api/v1/microcosms/{id}      detail with a page of children: sticky first, forums
//                                       before conversations, then newest activity
//   PUT    /api/v1/microcosms/{id}      edit or move (editReason required) → 302
//   PATCH  /api/v1/microcosms/{id}      sticky, open, deleted, moderated (§F)
//   DELETE /api/v1/microcosms/{id}      soft delete; the root cannot be deleted
// Existence comes before permission: a missing, deleted or moderated microcosm, or one
// under a deleted or moderated ancestor, is 404 whoever asks.

#include <nlohmann/json_fwd.hpp>

#include "agora/api/fragment_memo.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"


namespace agora::api {

class MicrocosmsApi {
 public:
  MicrocosmsApi(store::MicrocosmStore& microcosms, store::ConversationStore& conversations, store::EventStore& events,
                store::CommentStore& comments, store::ProfileStore& profiles, store::ReaderStateStore& reader,
                perm::Engine& engine, store::AuditLog& audit, Fragments fragments, const ConfigHolder& config)
      : microcosms_(microcosms), conversations_(conversations), events_(events), comments_(comments),
        profiles_(profiles),
        reader_(reader), engine_(engine), audit_(audit), fragments_(fragments), config_(config) {}
  void add_routes(RouteTable& table);

 private:
  http::Response root(Context& ctx, const http::Request& req);
  http::Response one(Context& ctx, const http::Request& req);
  http::Response tree(Context& ctx, const http::Request& req);
  http::Response create(Context& ctx, const http::Request& req);
  http::Response replace(Context& ctx, const http::Request& req);
  http::Response patch(Context& ctx, const http::Request& req);
  http::Response remove(Context& ctx, const http::Request& req);

  /// The URL's microcosm if it is visible, else 404.
  store::Microcosm visible(const Context& ctx, const http::Request& req);
  http::Response detail(Context& ctx, const http::Request& req, const store::Microcosm& m);
  /// The microcosms the caller ignores.
  std::vector<MicrocosmId> ignored(const Context& ctx);
  /// Visible microcosms of the site the caller may read and has not ignored, sorted.
  std::vector<MicrocosmId> readable_ids(const Context& ctx, const std::vector<MicrocosmId>& ignored_ids);

  store::MicrocosmStore& microcosms_;
  store::ConversationStore& conversations_;
  store::EventStore& events_;
  store::CommentStore& comments_;
  store::ProfileStore& profiles_;
  store::ReaderStateStore& reader_;
  perm::Engine& engine_;
  store::AuditLog& audit_;
  Fragments fragments_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
