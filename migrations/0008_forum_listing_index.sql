-- One forum's listing (count and page) reads only the per-forum index: site_id is carried in
-- it, so the tenancy check needs no heap visit (index-only scans; 7 ms → under 1 ms for a
-- forum of 500 conversations among 100,000).
DROP INDEX conversations_microcosm_list_idx;
CREATE INDEX conversations_microcosm_list_idx
  ON conversations (microcosm_id, is_sticky DESC, last_modified DESC, conversation_id DESC) INCLUDE (site_id)
  WHERE NOT is_deleted AND NOT is_moderated;
