-- Events and their attendees (content-events-polls-huddles.md §E.8). Counters (the
-- microcosm's item_count, an event's rsvp_attending and rsvp_spaces) are kept exact in the
-- writing transaction; an RSVP locks the event row first, so concurrent "yes" answers cannot
-- overfill an event with a limit.

CREATE TABLE events (
  event_id        bigserial PRIMARY KEY,
  site_id         bigint NOT NULL REFERENCES sites (site_id),
  microcosm_id    bigint NOT NULL REFERENCES microcosms (microcosm_id),
  title           varchar(150) NOT NULL,
  created         timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by      bigint NOT NULL REFERENCES profiles (profile_id),
  edited          timestamp without time zone,
  edited_by       bigint REFERENCES profiles (profile_id),
  edit_reason     varchar(150) NOT NULL DEFAULT '',
  is_sticky       boolean NOT NULL DEFAULT false,
  is_open         boolean NOT NULL DEFAULT true,
  is_deleted      boolean NOT NULL DEFAULT false,
  is_moderated    boolean NOT NULL DEFAULT false,
  comment_count   integer NOT NULL DEFAULT 0,
  view_count      bigint NOT NULL DEFAULT 0,
  last_modified   timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  -- The event's local wall-clock time in tz_name (§E.2: the offset sent is discarded).
  "when"          timestamp without time zone,
  tz_name         varchar(250) NOT NULL DEFAULT 'Europe/Belfast',
  duration        integer NOT NULL DEFAULT 0,
  "where"         varchar(150),
  lat             double precision NOT NULL DEFAULT 0,
  lon             double precision NOT NULL DEFAULT 0,
  bounds_north    double precision NOT NULL DEFAULT 0,
  bounds_east     double precision NOT NULL DEFAULT 0,
  bounds_south    double precision NOT NULL DEFAULT 0,
  bounds_west     double precision NOT NULL DEFAULT 0,
  status          varchar(20) NOT NULL DEFAULT 'proposed'
                  CHECK (status IN ('proposed', 'upcoming', 'postponed', 'cancelled', 'past')),
  rsvp_limit      integer NOT NULL DEFAULT 0 CHECK (rsvp_limit >= 0),
  rsvp_attending  integer NOT NULL DEFAULT 0,
  rsvp_spaces     integer NOT NULL DEFAULT 0
);
CREATE INDEX events_site_list_idx
  ON events (site_id, is_sticky DESC, last_modified DESC, event_id DESC) INCLUDE (microcosm_id)
  WHERE NOT is_deleted AND NOT is_moderated;
CREATE INDEX events_microcosm_list_idx
  ON events (microcosm_id, is_sticky DESC, last_modified DESC, event_id DESC) INCLUDE (site_id)
  WHERE NOT is_deleted AND NOT is_moderated;
CREATE INDEX events_author_idx ON events (created_by, created);

CREATE TABLE attendee_state (
  state_id  smallint PRIMARY KEY,
  title     varchar(20) NOT NULL UNIQUE
);
INSERT INTO attendee_state (state_id, title) VALUES (1, 'yes'), (2, 'maybe'), (3, 'invited'), (4, 'no');

CREATE TABLE attendees (
  site_id      bigint NOT NULL REFERENCES sites (site_id),
  event_id     bigint NOT NULL REFERENCES events (event_id),
  profile_id   bigint NOT NULL REFERENCES profiles (profile_id),
  created      timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by   bigint NOT NULL REFERENCES profiles (profile_id),
  edited       timestamp without time zone,
  edited_by    bigint REFERENCES profiles (profile_id),
  edit_reason  varchar(150) NOT NULL DEFAULT '',
  state_id     smallint NOT NULL REFERENCES attendee_state (state_id),
  state_date   timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  PRIMARY KEY (event_id, profile_id)
);
-- The listing order: state, then when it was set.
CREATE INDEX attendees_list_idx ON attendees (event_id, state_id, state_date);
CREATE INDEX attendees_profile_idx ON attendees (profile_id, state_id);
