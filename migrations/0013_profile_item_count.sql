-- A profile's item_count (its `itemCount`) is the number of visible conversations and events it
-- created, kept exact in the transactions that create, delete or moderate them. Until now the
-- column was never written: set it from the rows once.
UPDATE profiles p SET item_count = COALESCE(c.n, 0) + COALESCE(e.n, 0)
  FROM profiles q
  LEFT JOIN (SELECT created_by, COUNT(*) AS n FROM conversations
              WHERE NOT is_deleted AND NOT is_moderated GROUP BY created_by) c ON c.created_by = q.profile_id
  LEFT JOIN (SELECT created_by, COUNT(*) AS n FROM events
              WHERE NOT is_deleted AND NOT is_moderated GROUP BY created_by) e ON e.created_by = q.profile_id
 WHERE p.profile_id = q.profile_id AND p.item_count <> COALESCE(c.n, 0) + COALESCE(e.n, 0);
