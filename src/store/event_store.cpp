#include "agora/store/event_store.hpp"

#include <algorithm>

#include "agora/cache/cache.hpp"
#include "agora/cache/keys.hpp"
#include "agora/core/config.hpp"
#include "agora/core/error.hpp"
#include "agora/db/call.hpp"
#include "agora/db/statements.hpp"
#include "agora/store/cached_items.hpp"
#include "agora/store/microcosm_store.hpp"
#include "agora/store/profile_store.hpp"
#include "agora/store/update_store.hpp"
#include "agora/store/watcher_store.hpp"
#include "agora/store/sql_arrays.hpp"

namespace agora::store {

const char* rsvp_name(Rsvp r) {
  switch (r) {
    case Rsvp::yes: return "yes";
    case Rsvp::maybe: return "maybe";
    case Rsvp::invited: return "invited";
    case Rsvp::no: return "no";
  }
  return "invited";
}

std::optional<Rsvp> rsvp_from_name(const std::string& name) {
  for (auto r : {Rsvp::yes, Rsvp::maybe, Rsvp::invited, Rsvp::no}) {
    if (name == rsvp_name(r)) return r;
  }
  return std::nullopt;
}

namespace {

// `whentz`: the stored wall time read as local time in tz_name, by PostgreSQL's zone rules.
constexpr db::Query kSelectMany{"event_select_many", R"sql(
  SELECT event_id, site_id, microcosm_id, title,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason, is_sticky, is_open, is_deleted, is_moderated,
         comment_count, view_count, (EXTRACT(EPOCH FROM last_modified) * 1000000)::bigint AS last_modified_micros,
         (EXTRACT(EPOCH FROM "when") * 1000000)::bigint AS when_micros,
         (EXTRACT(EPOCH FROM ("when" AT TIME ZONE tz_name)) * 1000000)::bigint AS whentz_micros,
         tz_name, duration, COALESCE("where", '') AS "where", lat, lon, bounds_north, bounds_east, bounds_south,
         bounds_west, status, rsvp_limit, rsvp_attending, rsvp_spaces
  FROM events WHERE site_id = $1 AND event_id = ANY($2::bigint[]))sql"};

constexpr db::Query kValidZone{"event_valid_zone", R"sql(
  SELECT EXISTS (SELECT 1 FROM pg_timezone_names WHERE name = $1) AS valid)sql"};

constexpr db::Query kCount{"event_list_count", R"sql(
  SELECT COUNT(*) AS total FROM events e
  WHERE e.site_id = $1 AND e.microcosm_id = ANY($2::bigint[]) AND NOT (e.event_id = ANY($3::bigint[]))
    AND NOT e.is_deleted AND NOT e.is_moderated
    AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM attendees a WHERE a.event_id = e.event_id
                                       AND a.profile_id = $4 AND a.state_id = 1)))sql"};

constexpr db::Query kPage{"event_list_page", R"sql(
  SELECT e.event_id FROM events e
  WHERE e.site_id = $1 AND e.microcosm_id = ANY($2::bigint[]) AND NOT (e.event_id = ANY($3::bigint[]))
    AND NOT e.is_deleted AND NOT e.is_moderated
    AND ($4::bigint IS NULL OR EXISTS (SELECT 1 FROM attendees a WHERE a.event_id = e.event_id
                                       AND a.profile_id = $4 AND a.state_id = 1))
  ORDER BY e.is_sticky DESC, e.last_modified DESC, e.event_id DESC LIMIT $5 OFFSET $6)sql"};

constexpr db::Query kAttending{"event_attending", R"sql(
  SELECT event_id FROM attendees
  WHERE site_id = $1 AND profile_id = $2 AND state_id = 1 AND event_id = ANY($3::bigint[]))sql"};

// Same microcosm, title, time, place, bounds, status, limit and author within 5 minutes.
constexpr db::Query kFindDuplicate{"event_duplicate", R"sql(
  SELECT event_id FROM events
  WHERE site_id = $1 AND microcosm_id = $2 AND created_by = $3 AND title = $4
    AND "when" IS NOT DISTINCT FROM ('epoch'::timestamp + $5::bigint * interval '1 microsecond')
    AND "where" IS NOT DISTINCT FROM NULLIF($6, '') AND lat = $7 AND lon = $8
    AND bounds_north = $9 AND bounds_east = $10 AND bounds_south = $11 AND bounds_west = $12
    AND status = (CASE WHEN $5::bigint IS NULL THEN 'proposed' ELSE 'upcoming' END) AND rsvp_limit = $13
    AND created > (now() AT TIME ZONE 'UTC') - interval '5 minutes' AND NOT is_deleted
  ORDER BY event_id DESC LIMIT 1)sql"};

constexpr db::Query kInsert{"event_insert", R"sql(
  INSERT INTO events (site_id, microcosm_id, created_by, title, "when", "where", lat, lon,
                      bounds_north, bounds_east, bounds_south, bounds_west, rsvp_limit, tz_name, duration,
                      status, rsvp_spaces)
  VALUES ($1, $2, $3, $4, 'epoch'::timestamp + $5::bigint * interval '1 microsecond', NULLIF($6, ''), $7, $8,
          $9, $10, $11, $12, $13, $14, $15, CASE WHEN $5::bigint IS NULL THEN 'proposed' ELSE 'upcoming' END, $13)
  RETURNING event_id)sql"};

// Event $4 enters ($3 = 1) or leaves ($3 = -1) microcosm $2's counts with its comments. The
// event row is locked by the statement before, so its comment count is exact.
constexpr db::Query kAddItems{"event_microcosm_items", R"sql(
  UPDATE microcosms SET item_count = GREATEST(item_count + $3, 0),
    comment_count = GREATEST(comment_count + $3 * (SELECT comment_count FROM events WHERE event_id = $4), 0)
  WHERE site_id = $1 AND microcosm_id = $2)sql"};

// Returns the row's state before the change, read under the row lock, so that concurrent
// writers adjust the counters exactly once. Attendance is recomputed from the attendees.
constexpr db::Query kUpdate{"event_update", R"sql(
  UPDATE events e SET microcosm_id = $3, title = $4, "when" = 'epoch'::timestamp + $5::bigint * interval '1 microsecond',
    "where" = NULLIF($6, ''), lat = $7, lon = $8, bounds_north = $9, bounds_east = $10, bounds_south = $11,
    bounds_west = $12, rsvp_limit = $13, tz_name = $14, duration = $15,
    status = CASE WHEN $5::bigint IS NULL THEN 'proposed' ELSE 'upcoming' END,
    edited = (now() AT TIME ZONE 'UTC'), edited_by = $16, edit_reason = $17,
    last_modified = (now() AT TIME ZONE 'UTC'),
    rsvp_attending = (SELECT COUNT(*) FROM attendees a WHERE a.event_id = $2 AND a.state_id = 1),
    rsvp_spaces = CASE WHEN $13 = 0 THEN 0
                       ELSE $13 - (SELECT COUNT(*) FROM attendees a WHERE a.event_id = $2 AND a.state_id = 1) END
  FROM (SELECT event_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted, is_moderated AS was_moderated
        FROM events WHERE site_id = $1 AND event_id = $2 FOR UPDATE) o
  WHERE e.event_id = o.id
  RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated) AS counted)sql"};

constexpr db::Query kUpdateFlags{"event_flags", R"sql(
  UPDATE events e SET is_sticky = COALESCE($3::boolean, e.is_sticky), is_open = COALESCE($4::boolean, e.is_open),
    is_deleted = COALESCE($5::boolean, e.is_deleted), is_moderated = COALESCE($6::boolean, e.is_moderated),
    edited = (now() AT TIME ZONE 'UTC'), edited_by = $7, edit_reason = $8
  FROM (SELECT event_id AS id, microcosm_id AS old_microcosm, is_deleted AS was_deleted, is_moderated AS was_moderated
        FROM events WHERE site_id = $1 AND event_id = $2 FOR UPDATE) o
  WHERE e.event_id = o.id
  RETURNING o.old_microcosm, NOT (o.was_deleted OR o.was_moderated) AS counted_before,
            NOT (e.is_deleted OR e.is_moderated) AS counted_now)sql"};

constexpr db::Query kAttendeeCount{"event_attendee_count", R"sql(
  SELECT COUNT(*) AS total FROM attendees WHERE site_id = $1 AND event_id = $2 AND (NOT $3 OR state_id = 1))sql"};

constexpr db::Query kAttendeePage{"event_attendee_page", R"sql(
  SELECT event_id, profile_id, state_id, (EXTRACT(EPOCH FROM state_date) * 1000000)::bigint AS state_micros,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason
  FROM attendees WHERE site_id = $1 AND event_id = $2 AND (NOT $3 OR state_id = 1)
  ORDER BY state_id, state_date, profile_id LIMIT $4 OFFSET $5)sql"};

constexpr db::Query kAttendeeOne{"event_attendee_one", R"sql(
  SELECT event_id, profile_id, state_id, (EXTRACT(EPOCH FROM state_date) * 1000000)::bigint AS state_micros,
         (EXTRACT(EPOCH FROM created) * 1000000)::bigint AS created_micros, created_by,
         COALESCE((EXTRACT(EPOCH FROM edited) * 1000000)::bigint, 0) AS edited_micros,
         COALESCE(edited_by, 0) AS edited_by, edit_reason
  FROM attendees WHERE site_id = $1 AND event_id = $2 AND profile_id = $3)sql"};

// Every RSVP starts here: the event row's lock serialises the answers to one event. The
// places are counted by the next statement, not here: a subquery of the locking statement
// would read the snapshot taken before waiting for the lock and miss the answers committed
// meanwhile (READ COMMITTED takes a new snapshot per statement).
constexpr db::Query kLockEvent{"event_lock_for_rsvp", R"sql(
  SELECT rsvp_limit FROM events WHERE site_id = $1 AND event_id = $2 FOR UPDATE)sql"};

constexpr db::Query kCountYes{"event_count_yes", R"sql(
  SELECT COUNT(*) AS yes FROM attendees WHERE site_id = $1 AND event_id = $2 AND state_id = 1)sql"};

constexpr db::Query kCurrentState{"event_attendee_state", R"sql(
  SELECT state_id FROM attendees WHERE site_id = $1 AND event_id = $2 AND profile_id = $3)sql"};

constexpr db::Query kUpsertAttendee{"event_attendee_upsert", R"sql(
  INSERT INTO attendees (site_id, event_id, profile_id, created_by, state_id)
  VALUES ($1, $2, $3, $4, $5)
  ON CONFLICT (event_id, profile_id) DO UPDATE SET state_id = EXCLUDED.state_id,
    state_date = (now() AT TIME ZONE 'UTC'), edited = (now() AT TIME ZONE 'UTC'), edited_by = $4,
    edit_reason = $6)sql"};

constexpr db::Query kRecount{"event_recount_attendees", R"sql(
  UPDATE events e SET rsvp_attending = c.yes,
    rsvp_spaces = CASE WHEN e.rsvp_limit = 0 THEN 0 ELSE e.rsvp_limit - c.yes END
  FROM (SELECT COUNT(*) AS yes FROM attendees WHERE event_id = $2 AND state_id = 1) c
  WHERE e.site_id = $1 AND e.event_id = $2)sql"};

constexpr db::Query kDeleteAttendee{"event_attendee_delete", R"sql(
  DELETE FROM attendees WHERE site_id = $1 AND event_id = $2 AND profile_id = $3 RETURNING profile_id)sql"};

constexpr db::Query kContacts{"event_attendee_contacts", R"sql(
  SELECT a.profile_id, p.profile_name, COALESCE(u.email, '') AS email,
         (EXTRACT(EPOCH FROM date_trunc('second', a.state_date)) * 1000000)::bigint AS state_micros
  FROM attendees a JOIN profiles p ON p.profile_id = a.profile_id AND p.site_id = $1
  LEFT JOIN users u ON u.user_id = p.user_id
  WHERE a.site_id = $1 AND a.event_id = $2 AND a.state_id = 1
  ORDER BY p.profile_name, a.profile_id)sql"};

Event event_from_row(const pqxx::row& r) {
  Event e;
  e.id = r["event_id"].as<EventId>();
  e.site_id = r["site_id"].as<SiteId>();
  e.microcosm_id = r["microcosm_id"].as<MicrocosmId>();
  e.title = r["title"].as<std::string>();
  e.created_micros = r["created_micros"].as<std::int64_t>();
  e.created_by = r["created_by"].as<ProfileId>();
  e.edited_micros = r["edited_micros"].as<std::int64_t>();
  e.edited_by = r["edited_by"].as<ProfileId>();
  e.edit_reason = r["edit_reason"].as<std::string>();
  e.sticky = r["is_sticky"].as<bool>();
  e.open = r["is_open"].as<bool>();
  e.deleted = r["is_deleted"].as<bool>();
  e.moderated = r["is_moderated"].as<bool>();
  e.comment_count = r["comment_count"].as<std::int64_t>();
  e.view_count = r["view_count"].as<std::int64_t>();
  e.last_modified_micros = r["last_modified_micros"].as<std::int64_t>();
  if (!r["when_micros"].is_null()) e.when_micros = r["when_micros"].as<std::int64_t>();
  if (!r["whentz_micros"].is_null()) e.whentz_micros = r["whentz_micros"].as<std::int64_t>();
  e.tz = r["tz_name"].as<std::string>();
  e.duration = r["duration"].as<std::int64_t>();
  e.where = r["where"].as<std::string>();
  e.lat = r["lat"].as<double>();
  e.lon = r["lon"].as<double>();
  e.north = r["bounds_north"].as<double>();
  e.east = r["bounds_east"].as<double>();
  e.south = r["bounds_south"].as<double>();
  e.west = r["bounds_west"].as<double>();
  e.status = r["status"].as<std::string>();
  e.rsvp_limit = r["rsvp_limit"].as<std::int64_t>();
  e.rsvp_attending = r["rsvp_attending"].as<std::int64_t>();
  e.rsvp_spaces = r["rsvp_spaces"].as<std::int64_t>();
  return e;
}

Attendee attendee_from_row(const pqxx::row& r) {
  Attendee a;
  a.event = r["event_id"].as<EventId>();
  a.profile = r["profile_id"].as<ProfileId>();
  a.state = static_cast<Rsvp>(r["state_id"].as<int>());
  a.state_micros = r["state_micros"].as<std::int64_t>();
  a.created_micros = r["created_micros"].as<std::int64_t>();
  a.created_by = r["created_by"].as<ProfileId>();
  a.edited_micros = r["edited_micros"].as<std::int64_t>();
  a.edited_by = r["edited_by"].as<ProfileId>();
  a.edit_reason = r["edit_reason"].as<std::string>();
  return a;
}

AttendeeContact contact_from_row(const pqxx::row& r) {
  return {r["profile_id"].as<ProfileId>(), r["profile_name"].as<std::string>(), r["email"].as<std::string>(),
          r["state_micros"].as<std::int64_t>()};
}

std::optional<std::int64_t> nullable(std::optional<std::int64_t> v) { return v; }

std::string key(EventId id) { return cache::item_key("event", id.value()); }

}  // namespace

void EventStore::register_statements(db::Statements& st) {
  st.add({kSelectMany, kValidZone, kCount, kPage, kAttending, kFindDuplicate, kInsert, kAddItems, kUpdate,
          kUpdateFlags, kAttendeeCount, kAttendeePage, kAttendeeOne, kLockEvent, kCountYes, kCurrentState, kUpsertAttendee,
          kRecount, kDeleteAttendee, kContacts});
}

std::optional<Event> EventStore::get(SiteId site, EventId id) {
  auto found = get_many(site, {id});
  if (found.empty()) return std::nullopt;
  return found.front();
}

std::vector<Event> EventStore::get_many(SiteId site, const std::vector<EventId>& ids) {
  static const ItemCodec<Event, EventId> codec{&key, &encode_event, &decode_event,
                                               [](const Event& e) { return e.id; },
                                               [](const Event& e) { return e.site_id; }};
  return cached_items(cache_, std::chrono::seconds{config_.get()->cache.ttl_seconds}, site, ids, codec,
                      [&](const std::vector<EventId>& missing) {
                        return db::map_rows(db::read(pool_, kSelectMany, site, int_array_literal(missing)),
                                            event_from_row);
                      });
}

void EventStore::flush(EventId id) { cache_.remove(key(id)); }

bool EventStore::valid_zone(const std::string& name) {
  return db::read(pool_, kValidZone, name)[0]["valid"].as<bool>();
}

EventStore::Page EventStore::list(SiteId site, const std::vector<MicrocosmId>& microcosms,
                                  const std::vector<EventId>& ignored, std::optional<ProfileId> attendee, int limit,
                                  int offset) {
  std::optional<std::int64_t> who;
  if (attendee) who = attendee->value();
  return pool_.run([&](pqxx::connection& c) {
    Page p;
    p.total = db::read(c, kCount, site, int_array_literal(microcosms), int_array_literal(ignored), who)[0]["total"]
                  .as<std::int64_t>();
    p.ids = db::column<EventId>(
        db::read(c, kPage, site, int_array_literal(microcosms), int_array_literal(ignored), who, limit, offset));
    return p;
  });
}

std::set<EventId> EventStore::attending(SiteId site, ProfileId profile, const std::vector<EventId>& events) {
  if (events.empty() || !profile.valid()) return {};
  auto ids = db::column<EventId>(db::read(pool_, kAttending, site, profile, int_array_literal(events)));
  return {ids.begin(), ids.end()};
}

EventStore::Created EventStore::create(SiteId site, const EventFields& f, ProfileId by) {
  auto made = pool_.run([&](pqxx::connection& c) {
    pqxx::work tx(c);
    auto dup = db::exec(tx, kFindDuplicate, site, f.microcosm, by, f.title, nullable(f.when_micros), f.where, f.lat,
                        f.lon, f.north, f.east, f.south, f.west, f.rsvp_limit);
    if (!dup.empty()) return Created{dup[0]["event_id"].as<EventId>(), true};
    const auto id = db::exec(tx, kInsert, site, f.microcosm, by, f.title, nullable(f.when_micros), f.where, f.lat,
                             f.lon, f.north, f.east, f.south, f.west, f.rsvp_limit, f.tz, f.duration)[0]["event_id"]
                        .as<EventId>();
    db::exec(tx, kAddItems, site, f.microcosm, 1, id);
    ProfileStore::add_items(tx, site, by, 1);
    WatcherStore::watch(tx, site, by, id, UpdateType::new_comment);  // §2.3 auto-watch
    UpdateStore::enqueue(tx, site, UpdateTrigger::new_item, id, by);
    tx.commit();
    return Created{id, false};
  });
  if (!made.duplicate) {
    microcosms_.flush(f.microcosm);
    profiles_.flush(by);
  }
  return made;
}

void EventStore::update(SiteId site, const Event& e, const EventFields& f, ProfileId by, const std::string& reason) {
  auto old = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdate, site, e.id, f.microcosm, f.title, nullable(f.when_micros), f.where, f.lat, f.lon,
                      f.north, f.east, f.south, f.west, f.rsvp_limit, f.tz, f.duration, by, reason);
    if (r.empty()) throw Error(ErrorKind::not_found, "Event " + std::to_string(e.id.value()) + " not found");
    const auto from = r[0]["old_microcosm"].as<MicrocosmId>();
    if (from != f.microcosm && r[0]["counted"].as<bool>()) {
      // Both forums' rows are locked in id order, so crossing moves cannot deadlock.
      if (from < f.microcosm) {
        db::exec(tx, kAddItems, site, from, -1, e.id);
        db::exec(tx, kAddItems, site, f.microcosm, 1, e.id);
      } else {
        db::exec(tx, kAddItems, site, f.microcosm, 1, e.id);
        db::exec(tx, kAddItems, site, from, -1, e.id);
      }
    }
    tx.commit();
    return from;
  });
  flush(e.id);
  microcosms_.flush(old);
  microcosms_.flush(f.microcosm);
}

void EventStore::set_flags(SiteId site, const Event& e, const EventFlags& f, ProfileId by, const std::string& reason) {
  auto home = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto r = db::exec(tx, kUpdateFlags, site, e.id, f.sticky, f.open, f.deleted, f.moderated, by, reason);
    const auto locked = r.empty() ? e.microcosm_id : r[0]["old_microcosm"].as<MicrocosmId>();
    if (!r.empty() && r[0]["counted_before"].as<bool>() != r[0]["counted_now"].as<bool>()) {
      const int delta = r[0]["counted_now"].as<bool>() ? 1 : -1;
      db::exec(tx, kAddItems, site, locked, delta, e.id);
      ProfileStore::add_items(tx, site, e.created_by, delta);
    }
    tx.commit();
    return locked;
  });
  flush(e.id);
  microcosms_.flush(home);
  profiles_.flush(e.created_by);
}

EventStore::AttendeePage EventStore::attendees(SiteId site, EventId event, bool only_yes, int limit, int offset) {
  return pool_.run([&](pqxx::connection& c) {
    AttendeePage p;
    p.total = db::read(c, kAttendeeCount, site, event, only_yes)[0]["total"].as<std::int64_t>();
    p.items = db::map_rows(db::read(c, kAttendeePage, site, event, only_yes, limit, offset), attendee_from_row);
    return p;
  });
}

std::optional<Attendee> EventStore::attendee(SiteId site, EventId event, ProfileId profile) {
  return db::first_row(db::read(pool_, kAttendeeOne, site, event, profile), attendee_from_row);
}

void EventStore::answer(SiteId site, EventId event, const std::vector<Answer>& answers, ProfileId by,
                        const std::string& reason) {
  pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto locked = db::exec(tx, kLockEvent, site, event);
    if (locked.empty()) throw Error(ErrorKind::not_found, "Event " + std::to_string(event.value()) + " not found");
    const auto limit = locked[0]["rsvp_limit"].as<std::int64_t>();
    auto yes = db::exec(tx, kCountYes, site, event)[0]["yes"].as<std::int64_t>();
    std::vector<ProfileId> saying_yes;
    for (const auto& a : answers) {
      auto current = db::exec(tx, kCurrentState, site, event, a.profile);
      const bool was_yes = !current.empty() && current[0]["state_id"].as<int>() == static_cast<int>(Rsvp::yes);
      if (a.state == Rsvp::yes && !was_yes) {
        if (limit > 0 && limit - yes <= 0) throw Error(ErrorKind::bad_request, "The event is full");
        ++yes;
      } else if (a.state != Rsvp::yes && was_yes) {
        --yes;
      }
      db::exec(tx, kUpsertAttendee, site, event, a.profile, by, static_cast<int>(a.state), reason);
      if (a.state == Rsvp::yes) saying_yes.push_back(a.profile);
      // A yes again is no new attendee: only a new one tells the event's watchers.
      if (a.state == Rsvp::yes && !was_yes) UpdateStore::enqueue(tx, site, UpdateTrigger::rsvp_yes, event, a.profile);
    }
    db::exec(tx, kRecount, site, event);
    // §2.3: a yes watches the event (from the event_reminder preference), in id order so that
    // two answers writing preference rows never deadlock.
    std::sort(saying_yes.begin(), saying_yes.end());
    saying_yes.erase(std::unique(saying_yes.begin(), saying_yes.end()), saying_yes.end());
    for (auto p : saying_yes) WatcherStore::watch(tx, site, p, event, UpdateType::event_reminder);
    tx.commit();
    return 0;
  });
  flush(event);
}

bool EventStore::remove_attendee(SiteId site, EventId event, ProfileId profile) {
  const bool removed = pool_.run([&](pqxx::connection& conn) {
    pqxx::work tx(conn);
    auto locked = db::exec(tx, kLockEvent, site, event);
    auto gone = db::exec(tx, kDeleteAttendee, site, event, profile);
    if (!locked.empty()) db::exec(tx, kRecount, site, event);
    tx.commit();
    return !gone.empty();
  });
  flush(event);
  return removed;
}

std::vector<AttendeeContact> EventStore::contacts(SiteId site, EventId event) {
  return db::map_rows(db::read(pool_, kContacts, site, event), contact_from_row);
}

}  // namespace agora::store
