-- Updates (platform.md §3.1) and the queue their fan-out works from (§3.6: generated after
-- the triggering write commits). A write enqueues one row in its own transaction; the
-- fan-out job turns it into updates and deletes it in one transaction, so a crash between
-- the two loses nothing and repeats nothing.
CREATE TABLE updates (
  update_id            bigserial PRIMARY KEY,
  site_id              bigint NOT NULL REFERENCES sites (site_id),
  for_profile_id       bigint NOT NULL REFERENCES profiles (profile_id),
  update_type_id       smallint NOT NULL REFERENCES update_types (update_type_id),
  item_type_id         smallint NOT NULL,
  item_id              bigint NOT NULL,
  created_by           bigint NOT NULL REFERENCES profiles (profile_id),
  created              timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  parent_item_type_id  smallint NOT NULL DEFAULT 0,
  parent_item_id       bigint NOT NULL DEFAULT 0
);
-- A profile's updates, newest first.
CREATE INDEX updates_for_profile_idx ON updates (for_profile_id, created DESC, update_id DESC);
-- "Already told": one mention update per (profile, comment).
CREATE INDEX updates_item_idx ON updates (item_type_id, item_id, update_type_id);

CREATE TABLE update_queue (
  queue_id      bigserial PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES sites (site_id),
  trigger_type  smallint NOT NULL,  -- the update type it starts from: 1 comment, 5 RSVP yes, 8 new item
  item_type_id  smallint NOT NULL,
  item_id       bigint NOT NULL,
  actor_id      bigint NOT NULL,
  created       timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  attempts      integer NOT NULL DEFAULT 0,
  last_error    text
);
