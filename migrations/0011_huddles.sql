-- Huddles: private conversations between participants of one site
-- (content-events-polls-huddles.md §H.1, §H.11). A huddle is visible to its current
-- participants only; one with no participants left is purged by the nightly job.

CREATE TABLE huddles (
  huddle_id        bigserial PRIMARY KEY,
  site_id          bigint NOT NULL REFERENCES sites (site_id),
  title            varchar(150) NOT NULL,
  created          timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by       bigint NOT NULL REFERENCES profiles (profile_id),
  is_confidential  boolean NOT NULL DEFAULT false,
  last_modified    timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  comment_count    integer NOT NULL DEFAULT 0
);
-- The duplicate guard: same author and title within minutes.
CREATE INDEX huddles_author_idx ON huddles (created_by, created);

CREATE TABLE huddle_profiles (
  site_id     bigint NOT NULL REFERENCES sites (site_id),
  huddle_id   bigint NOT NULL REFERENCES huddles (huddle_id) ON DELETE CASCADE,
  profile_id  bigint NOT NULL REFERENCES profiles (profile_id),
  PRIMARY KEY (huddle_id, profile_id)
);
-- A profile's huddles (the list, and the participation check of every request).
CREATE INDEX huddle_profiles_profile_idx ON huddle_profiles (profile_id, huddle_id);

ALTER TABLE profiles ADD COLUMN IF NOT EXISTS unread_huddles integer NOT NULL DEFAULT 0;
