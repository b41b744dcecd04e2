-- The forum data generator shared by the tests and bench/ (issue: data at scale).
-- Fills one existing site ({{site}}, which must have its root microcosm) with
-- {{profiles}} profiles, {{microcosms}} microcosms two levels deep, {{conversations}}
-- conversations and {{comments}} comments (with their revisions), and sets every counter
-- to the value recomputed from the rows. Tokens {{name}} are replaced before running.
-- Users and profiles are named gen{{site}}_<n> so several sites can be generated.

BEGIN;

INSERT INTO users (email, canonical_email)
SELECT 'gen{{site}}_' || n || '@example.org', 'gen{{site}}_' || n || '@example.org'
  FROM generate_series(1, {{profiles}}) AS n;

INSERT INTO profiles (site_id, user_id, profile_name, created, last_active)
SELECT {{site}}, u.user_id, 'gen{{site}}_' || substr(u.email, length('gen{{site}}_') + 1, strpos(u.email, '@') - length('gen{{site}}_') - 1),
       (now() AT TIME ZONE 'UTC') - interval '400 days', (now() AT TIME ZONE 'UTC') - interval '1 day'
  FROM users u WHERE u.email LIKE 'gen{{site}}\_%@example.org';

CREATE TEMP TABLE gen_profiles ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY profile_id) AS n, profile_id FROM profiles
 WHERE site_id = {{site}} AND profile_name LIKE 'gen{{site}}\_%';

-- A first level of forums under the root, then a second level under the first ones. Paths
-- are set by separate statements: a statement does not see the rows its own CTE inserted.
INSERT INTO microcosms (site_id, parent_id, path, title, description)
SELECT {{site}}, r.microcosm_id, '{}', 'Forum ' || n, 'Generated forum ' || n
  FROM (SELECT microcosm_id FROM microcosms WHERE site_id = {{site}} AND parent_id IS NULL) r,
       generate_series(1, GREATEST({{microcosms}} / 4, 1)) AS n;
UPDATE microcosms m SET path = p.path || m.microcosm_id
  FROM microcosms p WHERE m.site_id = {{site}} AND m.path = '{}' AND p.microcosm_id = m.parent_id;

INSERT INTO microcosms (site_id, parent_id, path, title, description)
SELECT {{site}}, p.microcosm_id, '{}', 'Sub-forum ' || k, 'Generated sub-forum ' || k
  FROM generate_series(1, GREATEST({{microcosms}} - GREATEST({{microcosms}} / 4, 1), 0)) AS k
  JOIN (SELECT row_number() OVER (ORDER BY microcosm_id) AS n, microcosm_id FROM microcosms
         WHERE site_id = {{site}} AND array_length(path, 1) = 2) p
    ON p.n = 1 + (k % GREATEST({{microcosms}} / 4, 1));
UPDATE microcosms m SET path = p.path || m.microcosm_id
  FROM microcosms p WHERE m.site_id = {{site}} AND m.path = '{}' AND p.microcosm_id = m.parent_id;

CREATE TEMP TABLE gen_microcosms ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY microcosm_id) AS n, microcosm_id FROM microcosms
 WHERE site_id = {{site}} AND parent_id IS NOT NULL;

INSERT INTO conversations (site_id, microcosm_id, title, created, created_by, last_modified)
SELECT {{site}}, m.microcosm_id, 'Generated conversation ' || c,
       (now() AT TIME ZONE 'UTC') - make_interval(secs => 86400 + c * 60), p.profile_id,
       (now() AT TIME ZONE 'UTC') - make_interval(secs => 86400 + c * 60)
  FROM generate_series(1, {{conversations}}) AS c
  JOIN gen_microcosms m ON m.n = 1 + (c % (SELECT COUNT(*) FROM gen_microcosms))
  JOIN gen_profiles p ON p.n = 1 + (c % (SELECT COUNT(*) FROM gen_profiles));

CREATE TEMP TABLE gen_conversations ON COMMIT DROP AS
SELECT row_number() OVER (ORDER BY conversation_id) AS n, conversation_id, created FROM conversations
 WHERE site_id = {{site}} AND title LIKE 'Generated conversation %';

-- Comments: spread over the conversations, a minute apart within one (the j-th comment of a
-- conversation is k / conversations; a day of room keeps them all in the past), by many authors.
WITH made AS (
  INSERT INTO comments (site_id, item_type_id, item_id, profile_id, created)
  SELECT {{site}}, 6, c.conversation_id, p.profile_id,
         c.created + make_interval(secs => (k / GREATEST({{conversations}}, 1)) * 60)
    FROM generate_series(1, {{comments}}) AS k
    JOIN gen_conversations c ON c.n = 1 + (k % (SELECT COUNT(*) FROM gen_conversations))
    JOIN gen_profiles p ON p.n = 1 + ((k * 7 + (k / GREATEST({{conversations}}, 1)) * 13) % (SELECT COUNT(*) FROM gen_profiles))
  RETURNING comment_id, profile_id, created)
INSERT INTO revisions (comment_id, profile_id, raw, html, created)
SELECT comment_id, profile_id, 'Generated **comment** ' || comment_id,
       '<p>Generated <strong>comment</strong> ' || comment_id || '</p>' || chr(10), created
  FROM made;

-- Counters from the rows.
UPDATE conversations c SET comment_count = s.n, last_modified = GREATEST(c.last_modified, s.newest)
  FROM (SELECT item_id, COUNT(*) AS n, MAX(created) AS newest FROM comments
         WHERE site_id = {{site}} AND item_type_id = 6 GROUP BY item_id) s
 WHERE c.conversation_id = s.item_id;
UPDATE microcosms m SET item_count = s.items, conversation_count = s.items, comment_count = s.comments
  FROM (SELECT microcosm_id, COUNT(*) AS items, SUM(comment_count) AS comments FROM conversations
         WHERE site_id = {{site}} GROUP BY microcosm_id) s
 WHERE m.microcosm_id = s.microcosm_id;
UPDATE profiles p SET comment_count = s.n
  FROM (SELECT profile_id, COUNT(*) AS n FROM comments WHERE site_id = {{site}} GROUP BY profile_id) s
 WHERE p.profile_id = s.profile_id;

COMMIT;
-- Run `VACUUM ANALYZE` afterwards (it cannot run in this file's transaction block): the
-- listing queries rely on index-only scans, which need the visibility map.
