-- The mail outbox (written in the transaction that causes the mail, drained by the sender)
-- and e-mailed one-time sign-in codes (stored only as argon2id hashes: an 8-digit code's plain
-- SHA-256 could be reversed by trying every code).

CREATE TABLE outbox (
  mail_id       bigserial PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES sites (site_id),
  to_address    varchar(254) NOT NULL,
  subject       varchar(250) NOT NULL,
  body          text NOT NULL,
  created       timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  attempts      integer NOT NULL DEFAULT 0,
  next_attempt  timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  sent          timestamp without time zone,
  failed        boolean NOT NULL DEFAULT false,
  last_error    text NOT NULL DEFAULT ''
);
CREATE INDEX outbox_due_idx ON outbox (next_attempt) WHERE sent IS NULL AND NOT failed;

CREATE TABLE login_codes (
  code_id          bigserial PRIMARY KEY,
  site_id          bigint NOT NULL REFERENCES sites (site_id),
  canonical_email  varchar(254) NOT NULL,
  email            varchar(254) NOT NULL,
  code_hash        text NOT NULL,
  created          timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  expires          timestamp without time zone NOT NULL,
  attempts         integer NOT NULL DEFAULT 0,
  used             boolean NOT NULL DEFAULT false
);
CREATE INDEX login_codes_lookup_idx ON login_codes (site_id, canonical_email, code_id DESC);
CREATE INDEX login_codes_expires_idx ON login_codes (expires);
