-- Polls, their choices and votes (content-events-polls-huddles.md §P.6, with the voting
-- Decision of §P.5). Every row carries its site. Counters (choices' vote and voter counts,
-- the poll's voter count, the microcosm's item count) are kept exact in the writing
-- transaction, which locks the poll row first.

CREATE TABLE polls (
  poll_id             bigserial PRIMARY KEY,
  site_id             bigint NOT NULL REFERENCES sites (site_id),
  microcosm_id        bigint NOT NULL REFERENCES microcosms (microcosm_id),
  title               varchar(150) NOT NULL,
  question            varchar(512) NOT NULL,
  created             timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by          bigint NOT NULL REFERENCES profiles (profile_id),
  edited              timestamp without time zone,
  edited_by           bigint REFERENCES profiles (profile_id),
  edit_reason         varchar(150) NOT NULL DEFAULT '',
  voter_count         integer NOT NULL DEFAULT 0,
  voting_ends         timestamp without time zone,
  is_sticky           boolean NOT NULL DEFAULT false,
  is_open             boolean NOT NULL DEFAULT true,
  is_deleted          boolean NOT NULL DEFAULT false,
  is_moderated        boolean NOT NULL DEFAULT false,
  comment_count       integer NOT NULL DEFAULT 0,
  view_count          bigint NOT NULL DEFAULT 0,
  is_poll_open        boolean NOT NULL DEFAULT false,
  is_multiple_choice  boolean NOT NULL DEFAULT false,
  last_modified       timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
-- The site-wide list: sticky first, newest activity first.
CREATE INDEX polls_site_list_idx
  ON polls (site_id, is_sticky DESC, last_modified DESC, poll_id DESC) INCLUDE (microcosm_id)
  WHERE NOT is_deleted AND NOT is_moderated;
CREATE INDEX polls_microcosm_idx ON polls (microcosm_id);

CREATE TABLE choices (
  choice_id    bigserial PRIMARY KEY,
  site_id      bigint NOT NULL REFERENCES sites (site_id),
  poll_id      bigint NOT NULL REFERENCES polls (poll_id),
  title        varchar(150) NOT NULL,
  sequence     integer NOT NULL,
  vote_count   integer NOT NULL DEFAULT 0,
  voter_count  integer NOT NULL DEFAULT 0
);
CREATE INDEX choices_poll_idx ON choices (poll_id, sequence);

-- One vote set per user (not per profile), replaced on re-voting.
CREATE TABLE votes (
  site_id    bigint NOT NULL REFERENCES sites (site_id),
  poll_id    bigint NOT NULL REFERENCES polls (poll_id),
  user_id    bigint NOT NULL REFERENCES users (user_id),
  choice_id  bigint NOT NULL REFERENCES choices (choice_id),
  voted      timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  PRIMARY KEY (poll_id, user_id, choice_id)
);
CREATE INDEX votes_choice_idx ON votes (choice_id);
