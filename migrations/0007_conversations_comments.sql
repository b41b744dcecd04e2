-- Conversations, comments and their revisions, short links and mentions
-- (content-conversations-comments.md §1.8, §2.8). Counters (item and comment counts on
-- microcosms, conversations and profiles) are kept exact in the writing transaction.

CREATE TABLE conversations (
  conversation_id  bigserial PRIMARY KEY,
  site_id          bigint NOT NULL REFERENCES sites (site_id),
  microcosm_id     bigint NOT NULL REFERENCES microcosms (microcosm_id),
  title            varchar(150) NOT NULL,
  created          timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by       bigint NOT NULL REFERENCES profiles (profile_id),
  edited           timestamp without time zone,
  edited_by        bigint REFERENCES profiles (profile_id),
  edit_reason      varchar(150) NOT NULL DEFAULT '',
  is_sticky        boolean NOT NULL DEFAULT false,
  is_open          boolean NOT NULL DEFAULT true,
  is_deleted       boolean NOT NULL DEFAULT false,
  is_moderated     boolean NOT NULL DEFAULT false,
  comment_count    integer NOT NULL DEFAULT 0,
  view_count       bigint NOT NULL DEFAULT 0,
  last_modified    timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
-- Listings: per microcosm and site-wide, sticky first, newest activity first.
CREATE INDEX conversations_microcosm_list_idx
  ON conversations (microcosm_id, is_sticky DESC, last_modified DESC, conversation_id DESC)
  WHERE NOT is_deleted AND NOT is_moderated;
CREATE INDEX conversations_site_list_idx
  ON conversations (site_id, is_sticky DESC, last_modified DESC, conversation_id DESC) INCLUDE (microcosm_id)
  WHERE NOT is_deleted AND NOT is_moderated;
CREATE INDEX conversations_author_idx ON conversations (created_by, created);

CREATE TABLE comments (
  comment_id    bigserial PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES sites (site_id),
  item_type_id  smallint NOT NULL,
  item_id       bigint NOT NULL,
  profile_id    bigint NOT NULL REFERENCES profiles (profile_id),
  created       timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  in_reply_to   bigint REFERENCES comments (comment_id),
  is_deleted    boolean NOT NULL DEFAULT false,
  is_moderated  boolean NOT NULL DEFAULT false
);
-- The page of an item: oldest first.
CREATE INDEX comments_item_page_idx ON comments (item_type_id, item_id, created, comment_id)
  WHERE NOT is_deleted AND NOT is_moderated;
CREATE INDEX comments_replies_idx ON comments (in_reply_to, created) WHERE in_reply_to IS NOT NULL;
CREATE INDEX comments_author_idx ON comments (profile_id, created);

CREATE TABLE revisions (
  revision_id  bigserial PRIMARY KEY,
  comment_id   bigint NOT NULL REFERENCES comments (comment_id),
  profile_id   bigint NOT NULL REFERENCES profiles (profile_id),
  raw          text NOT NULL,
  html         text NOT NULL,
  created      timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  is_current   boolean NOT NULL DEFAULT true
);
CREATE INDEX revisions_comment_idx ON revisions (comment_id, created);
CREATE UNIQUE INDEX revisions_current_idx ON revisions (comment_id) WHERE is_current;

-- Short links (platform.md §8): one row per distinct URL, found again by its digest.
CREATE TABLE links (
  link_id     bigserial PRIMARY KEY,
  url         text NOT NULL,
  url_sha256  char(64) NOT NULL UNIQUE,
  domain      varchar(253) NOT NULL DEFAULT '',
  created     timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  hits        bigint NOT NULL DEFAULT 0
);
CREATE TABLE revision_links (
  revision_id  bigint NOT NULL REFERENCES revisions (revision_id),
  link_id      bigint NOT NULL REFERENCES links (link_id),
  PRIMARY KEY (revision_id, link_id)
);

-- Profiles mentioned by a comment, for the notifications that come with updates.
CREATE TABLE mentions (
  comment_id  bigint NOT NULL REFERENCES comments (comment_id),
  profile_id  bigint NOT NULL REFERENCES profiles (profile_id),
  created     timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  PRIMARY KEY (comment_id, profile_id)
);
