#include "agora/api/content_routes.hpp"

#include "attributes_api.hpp"
#include "comment_threads.hpp"
#include "comments_api.hpp"
#include "discussion_api.hpp"
#include "events_api.hpp"
#include "huddles_api.hpp"
#include "microcosms_api.hpp"
#include "reader_api.hpp"
#include "polls_api.hpp"
#include "updates_api.hpp"
#include "watchers_api.hpp"

namespace agora::api {

void add_content_routes(RouteTable& t, const Services& s) {
  t.own<MicrocosmsApi>(s.microcosms, s.conversations, s.events, s.comments, s.profiles, s.reader, s.engine, s.audit,
                       s.fragments, s.config)
      .add_routes(t);
  auto& threads = t.own<CommentThreads>(CommentThreads::Stores{s.comments, s.conversations, s.events, s.polls, s.huddles,
                                                               s.microcosms, s.profiles, s.reader},
                                        s.fragments, s.engine);
  t.own<ReaderApi>(s.reader, s.profiles, s.microcosms, s.conversations, threads, s.engine, s.config).add_routes(t);
  t.own<DiscussionApi>(DiscussionApi::Stores{s.conversations, s.comments, s.microcosms, s.profiles, s.reader, s.links,
                                              s.views, s.audit},
                       threads, s.fragments, s.engine, s.config)
      .add_routes(t);
  t.own<CommentsApi>(CommentsApi::Stores{s.comments, s.profiles, s.reader, s.links, s.audit}, threads, s.config)
      .add_routes(t);
  t.own<AttributesApi>(AttributesApi::Stores{s.attributes, s.profiles, s.microcosms, s.conversations, s.comments,
                                             s.audit},
                       threads, s.engine, s.config)
      .add_routes(t);
  t.own<EventsApi>(EventsApi::Stores{s.events, s.comments, s.microcosms, s.profiles, s.reader, s.views, s.audit},
                   threads, s.fragments, s.engine, s.config)
      .add_routes(t);
  t.own<PollsApi>(PollsApi::Stores{s.polls, s.comments, s.microcosms, s.profiles, s.reader, s.views, s.audit},
                  threads, s.fragments,
                  s.engine, s.config)
      .add_routes(t);
  t.own<WatchersApi>(WatchersApi::Stores{s.watchers, s.microcosms, s.profiles}, threads, s.engine, s.config)
      .add_routes(t);
  t.own<UpdatesApi>(UpdatesApi::Stores{s.updates, s.comments, s.conversations, s.events, s.polls, s.huddles, s.microcosms,
                                       s.profiles, s.reader},
                    threads, s.fragments, s.engine, s.config)
      .add_routes(t);
  t.own<HuddlesApi>(HuddlesApi::Stores{s.huddles, s.comments, s.profiles, s.reader, s.audit}, threads, s.fragments, s.config)
      .add_routes(t);
}

}  // namespace agora::api
