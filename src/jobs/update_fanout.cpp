#include "agora/jobs/update_fanout.hpp"

#include <pqxx/pqxx>
#include <set>

#include "agora/perm/engine.hpp"
#include "agora/store/ban_store.hpp"
#include "agora/store/comment_store.hpp"
#include "agora/store/conversation_store.hpp"
#include "agora/store/event_store.hpp"
#include "agora/store/huddle_store.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/poll_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/site_store.hpp"

namespace agora::jobs {
namespace {

/// Where an item lives, as far as reading it goes.
struct Target {
  bool visible = false;
  std::optional<store::Microcosm> microcosm;  // conversations, events, polls
  ProfileId owner;
  std::optional<HuddleId> huddle;
};

}  // namespace

std::size_t UpdateFanout::run(pqxx::connection& conn, std::size_t budget) {
  std::size_t done = 0;
  while (done < budget) {
    pqxx::work tx(conn);
    const auto t = store::UpdateStore::claim(tx);
    if (!t) break;
    try {
      store::UpdateStore::complete(tx, *t, updates_for(*t));
      tx.commit();
      ++done;
    } catch (const std::exception& e) {
      tx.abort();
      log_->warn("update fan-out of queued trigger {} failed: {}", t->id, e.what());
      s_.updates.failed(t->id, e.what());
      break;  // retried at the next run, not in a tight loop
    }
  }
  return done;
}

std::vector<store::NewUpdate> UpdateFanout::updates_for(const store::QueuedTrigger& t) {
  const auto site = s_.sites.get(t.site);
  if (!site) return {};
  auto locate = [&](ItemRef item) {
    Target at;
    auto under = [&](const auto& found) {
      if (!found || found->deleted || found->moderated) return;
      auto m = s_.microcosms.get(t.site, found->microcosm_id);
      if (!m || s_.microcosms.hidden(t.site, *m)) return;
      at = {true, *m, found->created_by, std::nullopt};
    };
    switch (item.type) {
      case ItemType::conversation: under(s_.conversations.get(t.site, item.as<ConversationId>())); break;
      case ItemType::event: under(s_.events.get(t.site, item.as<EventId>())); break;
      case ItemType::poll: under(s_.polls.get(t.site, item.as<PollId>())); break;
      case ItemType::huddle:
        if (s_.huddles.get(t.site, item.as<HuddleId>())) at = {true, std::nullopt, ProfileId{}, item.as<HuddleId>()};
        break;
      default: break;
    }
    return at;
  };
  // §3.5 Decision: only those who can read the item now, a banned profile never.
  auto can_read = [&](ProfileId who, const Target& at) {
    if (at.huddle) return s_.huddles.is_participant(t.site, *at.huddle, who);
    const auto p = s_.profiles.get(t.site, who);
    if (!p) return false;
    const bool banned = s_.bans.active(t.site, p->user_id).has_value();
    return engine_.item(*site, perm::Caller{who, banned, p->user_id, &*p}, *at.microcosm, at.owner).read;
  };

  std::vector<store::NewUpdate> out;
  switch (t.trigger) {
    case store::UpdateTrigger::comment: {
      const auto c = s_.comments.get(t.site, CommentId{t.item.id});
      if (!c || !c->visible()) return {};
      const auto at = locate(c->item);
      if (!at.visible) return {};
      const bool huddle = at.huddle.has_value();
      const auto type = huddle ? store::UpdateType::new_comment_in_huddle : store::UpdateType::new_comment;
      const auto home = at.microcosm ? std::optional<MicrocosmId>(at.microcosm->id) : std::nullopt;
      for (const auto& r : s_.updates.watchers_of(t.site, c->item, true, home, !huddle, t.actor)) {
        if (can_read(r.profile, at)) out.push_back({r.profile, type, c->id, c->item});
      }
      // §3.5.4 Decision: the replied-to author and the mentioned, when they can read it, never
      // the author; no mention updates from huddles (content-conversations-comments.md §7).
      if (c->in_reply_to.valid()) {
        const auto parent = s_.comments.get(t.site, c->in_reply_to);
        if (parent && parent->author != t.actor && can_read(parent->author, at)) {
          out.push_back({parent->author, store::UpdateType::reply_to_comment, c->id, c->item});
        }
      }
      if (!huddle) {
        for (auto who : s_.updates.mentioned(t.site, c->id)) {
          if (who != t.actor && can_read(who, at)) out.push_back({who, store::UpdateType::mentioned, c->id, c->item});
        }
      }
      break;
    }
    case store::UpdateTrigger::rsvp_yes: {
      const auto at = locate(t.item);
      if (!at.visible) return {};
      for (const auto& r : s_.updates.watchers_of(t.site, t.item, true, std::nullopt, false, t.actor)) {
        if (can_read(r.profile, at)) out.push_back({r.profile, store::UpdateType::new_attendee, t.item, {}});
      }
      break;
    }
    case store::UpdateTrigger::new_item: {
      const auto at = locate(t.item);
      if (!at.visible) return {};
      // Those watching the forum or the site: the item's own watchers, when the fan-out runs,
      // are people who already know it (its author, its first commenters).
      for (const auto& r : s_.updates.watchers_of(t.site, t.item, false, at.microcosm->id, true, t.actor)) {
        if (can_read(r.profile, at)) out.push_back({r.profile, store::UpdateType::new_item, t.item, {}});
      }
      break;
    }
  }
  return out;
}

}  // namespace agora::jobs
