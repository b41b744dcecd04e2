-- Microcosms count their conversations apart from their items: item_count takes events and
-- polls too (content-microcosms.md), while the site-wide conversation list's total is the sum of
-- the readable forums' conversation counts. Kept exact in the same transactions as item_count.
ALTER TABLE microcosms ADD COLUMN conversation_count integer NOT NULL DEFAULT 0;
UPDATE microcosms m SET conversation_count = s.n
  FROM (SELECT microcosm_id, COUNT(*) AS n FROM conversations
         WHERE NOT is_deleted AND NOT is_moderated GROUP BY microcosm_id) s
 WHERE m.microcosm_id = s.microcosm_id;
