-- Site bans (identity.md §9): a user banned from a site gets 403 there, except the routes
-- that let a client show why. `expires` NULL = until lifted.
CREATE TABLE bans (
  ban_id          bigserial PRIMARY KEY,
  site_id         bigint NOT NULL REFERENCES sites (site_id),
  user_id         bigint NOT NULL REFERENCES users (user_id),
  created         timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by      bigint REFERENCES profiles (profile_id),
  expires         timestamp without time zone,
  display_reason  varchar(1000) NOT NULL DEFAULT '',
  admin_reason    varchar(1000) NOT NULL DEFAULT '',
  UNIQUE (site_id, user_id)
);
