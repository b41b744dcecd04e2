-- Sites, their themes, menus and statistics (platform.md §1.1).
-- Times are `timestamp without time zone` holding UTC (conventions.md §11).

CREATE TABLE themes (
  theme_id            bigserial PRIMARY KEY,
  title               varchar(50)  NOT NULL,
  logo_url            varchar(2000) NOT NULL DEFAULT '',
  background_url      varchar(2000) NOT NULL DEFAULT '',
  background_color    varchar(30)  NOT NULL DEFAULT '#FFFFFF',
  background_position varchar(6)   NOT NULL DEFAULT 'cover',
  link_color          varchar(30)  NOT NULL DEFAULT '#4082C3',
  favicon_url         varchar(2000) NOT NULL DEFAULT '/static/img/favico.png'
);

INSERT INTO themes (theme_id, title, logo_url, background_url)
VALUES (1, 'Microcosm Default', '/static/themes/1/logo.png', '/static/themes/1/background.png');
SELECT setval('themes_theme_id_seq', 1);

CREATE TABLE sites (
  site_id             bigserial PRIMARY KEY,
  title               varchar(50)  NOT NULL,
  description         text         NOT NULL DEFAULT '',
  subdomain_key       varchar(50)  NOT NULL UNIQUE,
  domain              varchar(253) UNIQUE,
  created             timestamp without time zone NOT NULL DEFAULT (now() AT TIME ZONE 'UTC'),
  created_by          bigint,
  owned_by            bigint,
  theme_id            bigint       NOT NULL DEFAULT 1 REFERENCES themes (theme_id),
  logo_url            varchar(2000) NOT NULL DEFAULT '',
  background_url      varchar(2000) NOT NULL DEFAULT '',
  favicon_url         varchar(2000) NOT NULL DEFAULT '',
  background_color    varchar(30)  NOT NULL DEFAULT '#FFFFFF',
  background_position varchar(6)   NOT NULL DEFAULT 'cover',
  link_color          varchar(30)  NOT NULL DEFAULT '#4082C3',
  ga_web_property_id  varchar(15)  NOT NULL DEFAULT '',
  is_deleted          boolean      NOT NULL DEFAULT false,
  force_ssl           boolean      NOT NULL DEFAULT false,
  auth0_domain        varchar(100) NOT NULL DEFAULT '',
  auth0_client_id     varchar(100) NOT NULL DEFAULT '',
  auth0_client_secret varchar(100) NOT NULL DEFAULT ''
);

-- Site 1 is the mandatory root (management) site.
INSERT INTO sites (site_id, title, description, subdomain_key)
VALUES (1, 'Root', 'The management site', 'root');
SELECT setval('sites_site_id_seq', 1);

CREATE INDEX sites_live_idx ON sites (site_id) WHERE NOT is_deleted;

CREATE TABLE site_options (
  site_id                            bigint PRIMARY KEY REFERENCES sites (site_id),
  send_email                         boolean NOT NULL DEFAULT true,
  send_sms                           boolean NOT NULL DEFAULT false,
  only_admins_can_create_microcosms  boolean NOT NULL DEFAULT true
);

CREATE TABLE site_stats (
  site_id             bigint PRIMARY KEY REFERENCES sites (site_id),
  active_profiles     integer NOT NULL DEFAULT 0,
  online_profiles     integer NOT NULL DEFAULT 0,
  total_profiles      integer NOT NULL DEFAULT 0,
  total_conversations integer NOT NULL DEFAULT 0,
  total_events        integer NOT NULL DEFAULT 0,
  total_comments      integer NOT NULL DEFAULT 0
);

CREATE TABLE menus (
  menu_id   bigserial PRIMARY KEY,
  site_id   bigint NOT NULL REFERENCES sites (site_id),
  href      varchar(2000) NOT NULL,
  title     varchar(512),
  text      varchar(50) NOT NULL,
  sequence  integer NOT NULL CHECK (sequence BETWEEN 0 AND 10),
  UNIQUE (site_id, sequence)
);
