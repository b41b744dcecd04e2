-- The microcosm tree, roles and their membership (permissions.md §2, §3), item attributes
-- (content-microcosms.md §A), ignores, read markers and the IP audit log (identity.md §8, §12).

CREATE TABLE microcosms (
  microcosm_id   bigserial PRIMARY KEY,
  site_id        bigint NOT NULL REFERENCES sites (site_id),
  parent_id      bigint REFERENCES microcosms (microcosm_id),
  path           bigint[] NOT NULL,  -- ids from the root down to this microcosm, inclusive
  title          varchar(50) NOT NULL,
  description    text NOT NULL DEFAULT '',
  visibility     varchar(10) NOT NULL DEFAULT 'public' CHECK (visibility IN ('public', 'protected', 'private')),
  logo_url       varchar(2000) NOT NULL DEFAULT '',
  item_types     smallint[] NOT NULL DEFAULT '{2,6,9}',
  sequence       bigint NOT NULL DEFAULT 9999,
  created        timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by     bigint REFERENCES profiles (profile_id),
  owned_by       bigint REFERENCES profiles (profile_id),
  edited         timestamp without time zone,
  edited_by      bigint REFERENCES profiles (profile_id),
  edit_reason    varchar(150) NOT NULL DEFAULT '',
  is_sticky      boolean NOT NULL DEFAULT false,
  is_open        boolean NOT NULL DEFAULT true,
  is_deleted     boolean NOT NULL DEFAULT false,
  is_moderated   boolean NOT NULL DEFAULT false,
  is_visible     boolean NOT NULL DEFAULT true,
  item_count     integer NOT NULL DEFAULT 0,
  comment_count  integer NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX microcosms_one_root_idx ON microcosms (site_id) WHERE parent_id IS NULL;
CREATE INDEX microcosms_children_idx ON microcosms (site_id, parent_id, sequence, microcosm_id);
CREATE INDEX microcosms_path_idx ON microcosms USING gin (path);

CREATE TABLE roles (
  role_id            bigserial PRIMARY KEY,
  site_id            bigint NOT NULL REFERENCES sites (site_id),
  microcosm_id       bigint REFERENCES microcosms (microcosm_id),  -- NULL: a legacy site-level role, never applies
  title              varchar(50) NOT NULL,
  is_moderator_role  boolean NOT NULL DEFAULT false,
  is_banned_role     boolean NOT NULL DEFAULT false,
  include_guests     boolean NOT NULL DEFAULT false,
  include_users      boolean NOT NULL DEFAULT false,
  can_create         boolean NOT NULL DEFAULT false,
  can_read           boolean NOT NULL DEFAULT false,
  can_update         boolean NOT NULL DEFAULT false,
  can_delete         boolean NOT NULL DEFAULT false,
  can_close_own      boolean NOT NULL DEFAULT false,
  can_open_own       boolean NOT NULL DEFAULT false,
  can_read_others    boolean NOT NULL DEFAULT false,
  created            timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by         bigint REFERENCES profiles (profile_id),
  edited             timestamp without time zone,
  edited_by          bigint REFERENCES profiles (profile_id),
  edit_reason        varchar(150) NOT NULL DEFAULT '',
  CHECK (NOT (is_moderator_role AND is_banned_role))
);
CREATE INDEX roles_microcosm_idx ON roles (site_id, microcosm_id);

-- Explicit members of a role.
CREATE TABLE role_profiles (
  role_id     bigint NOT NULL REFERENCES roles (role_id) ON DELETE CASCADE,
  profile_id  bigint NOT NULL REFERENCES profiles (profile_id),
  PRIMARY KEY (role_id, profile_id)
);
CREATE INDEX role_profiles_profile_idx ON role_profiles (profile_id);

CREATE TABLE criteria (
  criterion_id    bigserial PRIMARY KEY,
  role_id         bigint NOT NULL REFERENCES roles (role_id) ON DELETE CASCADE,
  or_group        bigint NOT NULL DEFAULT 0,
  profile_column  varchar(20) NOT NULL DEFAULT '',
  attr_key        varchar(50) NOT NULL DEFAULT '',
  value_type      varchar(10) NOT NULL CHECK (value_type IN ('string', 'number', 'boolean')),
  predicate       varchar(10) NOT NULL,
  value           varchar(250) NOT NULL
);
CREATE INDEX criteria_role_idx ON criteria (role_id);

-- Typed key/value metadata on items; exactly one value column is set per value_type.
CREATE TABLE attributes (
  attribute_id  bigserial PRIMARY KEY,
  site_id       bigint NOT NULL REFERENCES sites (site_id),
  item_type_id  smallint NOT NULL,
  item_id       bigint NOT NULL,
  key           varchar(50) NOT NULL,
  value_type    varchar(10) NOT NULL CHECK (value_type IN ('string', 'date', 'number', 'boolean')),
  string_value  text,
  date_value    date,
  number_value  double precision,
  boolean_value boolean,
  UNIQUE (item_type_id, item_id, key)
);

CREATE TABLE ignores (
  site_id       bigint NOT NULL REFERENCES sites (site_id),
  profile_id    bigint NOT NULL REFERENCES profiles (profile_id),
  item_type_id  smallint NOT NULL,
  item_id       bigint NOT NULL,
  created       timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  PRIMARY KEY (profile_id, item_type_id, item_id)
);

CREATE TABLE read_markers (
  profile_id    bigint NOT NULL REFERENCES profiles (profile_id),
  item_type_id  smallint NOT NULL,
  item_id       bigint NOT NULL,  -- 0: every item of the type (huddles)
  read          timestamp without time zone NOT NULL,
  PRIMARY KEY (profile_id, item_type_id, item_id)
);

-- One row per data-changing action; `action` C create, R replace, U update, D delete.
CREATE TABLE ips (
  site_id       bigint NOT NULL,
  item_type_id  smallint NOT NULL,
  item_id       bigint NOT NULL,
  profile_id    bigint NOT NULL,
  seen          timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  action        char(1) NOT NULL CHECK (action IN ('C', 'R', 'U', 'D')),
  ip            inet NOT NULL
);
CREATE INDEX ips_seen_idx ON ips (seen);
CREATE INDEX ips_site_ip_idx ON ips (site_id, ip);
CREATE INDEX ips_site_profile_idx ON ips (site_id, profile_id);

-- Sites made before this migration get their root microcosm and default roles now.
INSERT INTO microcosms (site_id, path, title, description, created_by, owned_by)
SELECT s.site_id, '{}', 'Forums', s.description, s.owned_by, s.owned_by
  FROM sites s WHERE s.site_id <> 1;
UPDATE microcosms SET path = ARRAY[microcosm_id];

INSERT INTO roles (site_id, microcosm_id, title, include_guests, include_users, is_banned_role,
                   can_read, can_create, can_close_own, can_read_others, created_by)
SELECT m.site_id, m.microcosm_id, r.title, r.include_guests, r.include_users, r.is_banned_role,
       r.can_read, r.can_create, r.can_close_own, r.can_read_others, m.owned_by
  FROM microcosms m
 CROSS JOIN (VALUES (1, 'Guests', true, false, false, true, false, false, false),
                    (2, 'Members', false, true, false, true, true, true, true),
                    (3, 'Banned', false, false, true, false, false, false, false))
       AS r (n, title, include_guests, include_users, is_banned_role, can_read, can_create,
             can_close_own, can_read_others)
 ORDER BY m.microcosm_id, r.n;
