-- Watchers (platform.md §2) and the update types with their delivery preferences (§3.1, §3.2,
-- §3.4, §3.5). The updates themselves come with their generation.
CREATE TABLE watchers (
  watcher_id     bigserial PRIMARY KEY,
  site_id        bigint NOT NULL REFERENCES sites (site_id),
  profile_id     bigint NOT NULL REFERENCES profiles (profile_id),
  item_type_id   smallint NOT NULL,
  item_id        bigint NOT NULL,
  last_notified  timestamp without time zone,
  send_email     boolean NOT NULL DEFAULT false,
  send_sms       boolean NOT NULL DEFAULT false,
  UNIQUE (profile_id, item_type_id, item_id)
);
-- Who watches an item (the fan-out of its updates).
CREATE INDEX watchers_item_idx ON watchers (item_type_id, item_id);

CREATE TABLE update_types (
  update_type_id   smallint PRIMARY KEY,
  title            varchar(50) NOT NULL UNIQUE,
  description      text NOT NULL,
  email_subject    text NOT NULL DEFAULT '',
  email_body_text  text NOT NULL DEFAULT '',
  email_body_html  text NOT NULL DEFAULT ''
);
INSERT INTO update_types (update_type_id, title, description) VALUES
  (1, 'new_comment', 'When a comment is posted in something you watch'),
  (2, 'reply_to_comment', 'When someone replies to your comment'),
  (3, 'mentioned', 'When someone mentions you in a comment'),
  (4, 'new_comment_in_huddle', 'When a comment is posted in a private message you are in'),
  (5, 'new_attendee', 'When someone says they will attend an event you watch'),
  (6, 'new_vote', 'When someone votes in a poll you watch'),
  (7, 'event_reminder', 'When an event you attend is about to start'),
  (8, 'new_item', 'When something new is posted in a forum you watch'),
  (9, 'new_user', 'When someone joins a site whose people you watch');

CREATE TABLE update_options_defaults (
  update_type_id  smallint PRIMARY KEY REFERENCES update_types (update_type_id),
  send_email      boolean NOT NULL,
  send_sms        boolean NOT NULL
);
INSERT INTO update_options_defaults (update_type_id, send_email, send_sms)
  SELECT update_type_id, update_type_id = 9, false FROM update_types;

-- A profile's choice per update type, made from the defaults when first needed (§3.5).
CREATE TABLE update_options (
  profile_id      bigint NOT NULL REFERENCES profiles (profile_id),
  update_type_id  smallint NOT NULL REFERENCES update_types (update_type_id),
  send_email      boolean NOT NULL,
  send_sms        boolean NOT NULL,
  PRIMARY KEY (profile_id, update_type_id)
);
