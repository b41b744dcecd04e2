-- Users (global accounts), profiles (a user's persona on one site), profile options and
-- access tokens (identity.md §1, §3). Tokens are stored only as SHA-256 digests and are
-- bound to the site that issued them.

CREATE TABLE users (
  user_id          bigserial PRIMARY KEY,
  email            varchar(254) NOT NULL,
  canonical_email  varchar(254) NOT NULL,
  password_hash    text,         -- argon2id (libsodium crypto_pwhash_str); NULL: no password login
  language         varchar(10)  NOT NULL DEFAULT 'en',
  is_banned        boolean      NOT NULL DEFAULT false,
  created          timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC')
);
CREATE UNIQUE INDEX users_canonical_email_idx ON users (canonical_email);

CREATE TABLE profiles (
  profile_id     bigserial PRIMARY KEY,
  site_id        bigint NOT NULL REFERENCES sites (site_id),
  user_id        bigint NOT NULL REFERENCES users (user_id),
  profile_name   varchar(50) NOT NULL,
  is_visible     boolean NOT NULL DEFAULT true,
  style_id       bigint  NOT NULL DEFAULT 0,
  item_count     integer NOT NULL DEFAULT 0,
  comment_count  integer NOT NULL DEFAULT 0,
  avatar_url     varchar(2000) NOT NULL DEFAULT '',
  created        timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  last_active    timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  UNIQUE (site_id, user_id)
);
CREATE UNIQUE INDEX profiles_site_name_idx ON profiles (site_id, lower(profile_name));

CREATE TABLE profile_options (
  profile_id      bigint PRIMARY KEY REFERENCES profiles (profile_id),
  show_dob        boolean NOT NULL DEFAULT false,
  show_dob_year   boolean NOT NULL DEFAULT false,
  send_email      boolean NOT NULL DEFAULT true,
  send_sms        boolean NOT NULL DEFAULT false,
  is_discouraged  boolean NOT NULL DEFAULT false
);

CREATE TABLE access_tokens (
  access_token_id  bigserial PRIMARY KEY,
  token_sha256     char(64) NOT NULL UNIQUE,  -- hex SHA-256 of the token; the token itself is never stored
  user_id          bigint NOT NULL REFERENCES users (user_id),
  site_id          bigint NOT NULL REFERENCES sites (site_id),
  client_id        bigint NOT NULL DEFAULT 1,
  created          timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  expires          timestamp without time zone NOT NULL
);
CREATE INDEX access_tokens_expires_idx ON access_tokens (expires);
CREATE INDEX access_tokens_user_idx ON access_tokens (user_id);
