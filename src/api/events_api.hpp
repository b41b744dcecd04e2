#pragma once
// Events and attendees (content-events-polls-huddles.md §E), site hosts:
//   GET|POST /api/v1/events                         site-wide list (isAttending), create → 302
//   GET|PUT|PATCH|DELETE /api/v1/events/{id}        detail, edit → 302, flags (§F), soft delete
//   GET|PUT /api/v1/events/{id}/attendees           list, RSVP/invite (array body) → 200
//   GET|PUT|DELETE /api/v1/events/{id}/attendees/{profileId}
//   GET /api/v1/events/{id}/attendeescsv            yes attendees as RFC 4180 CSV
//   GET /api/v1/events/{id}/lastcomment|newcomment  307 to the comment's page
// Existence before permission: an event deleted, moderated or under a hidden microcosm is 404.

#include <vector>

#include "agora/api/fragment_memo.hpp"
#include "agora/api/route_table.hpp"
#include "agora/api/services.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/microcosm.hpp"

namespace agora::api {

class CommentThreads;
class EventsApi {
 public:
  struct Stores {
    store::EventStore& events;
    store::CommentStore& comments;
    store::MicrocosmStore& microcosms;
    store::ProfileStore& profiles;
    store::ReaderStateStore& reader;
    store::ViewCounter& views;
    store::AuditLog& audit;
  };
  EventsApi(Stores stores, CommentThreads& threads, Fragments fragments, perm::Engine& engine,
            const ConfigHolder& config)
      : s_(stores), threads_(threads), fragments_(fragments), engine_(engine), config_(config) {}
  void add_routes(RouteTable& table);

  struct Located {
    store::Event event;
    store::Microcosm microcosm;
    std::vector<store::Microcosm> path;  // the microcosm's ancestors and itself, root first
  };

 private:
  // events_api.cpp
  http::Response list(Context& ctx, const http::Request& req);
  http::Response create(Context& ctx, const http::Request& req);
  http::Response detail(Context& ctx, const http::Request& req);
  http::Response replace(Context& ctx, const http::Request& req);
  http::Response patch(Context& ctx, const http::Request& req);
  http::Response remove(Context& ctx, const http::Request& req);
  http::Response last_comment(Context& ctx, const http::Request& req);
  http::Response new_comment(Context& ctx, const http::Request& req);
  // event_attendees.cpp
  http::Response attendees(Context& ctx, const http::Request& req);
  http::Response answer_all(Context& ctx, const http::Request& req);
  http::Response attendee(Context& ctx, const http::Request& req);
  http::Response answer_one(Context& ctx, const http::Request& req);
  http::Response remove_attendee(Context& ctx, const http::Request& req);
  http::Response attendees_csv(Context& ctx, const http::Request& req);

  /// A visible event and its microcosm, else 404; `itself_hidden_ok` for PATCH (un-delete).
  Located locate(const Context& ctx, EventId id, bool itself_hidden_ok = false);
  perm::PermissionSet rights(const Context& ctx, const Located& at, ProfileId owner);

  Stores s_;
  CommentThreads& threads_;
  Fragments fragments_;
  perm::Engine& engine_;
  const ConfigHolder& config_;
};

}  // namespace agora::api
