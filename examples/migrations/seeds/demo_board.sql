-- Seeds run whenever asked for: insert only what is missing.
INSERT INTO boards (name, slug) VALUES ('Launch plan', 'launch-plan')
ON CONFLICT (slug) DO NOTHING;

INSERT INTO cards (board_id, title, sort_order)
SELECT b.id, t.title, t.sort_order
FROM boards b, (VALUES ('Write the announcement', 1), ('Book the venue', 2)) AS t (title, sort_order)
WHERE b.slug = 'launch-plan'
  AND NOT EXISTS (SELECT FROM cards c WHERE c.board_id = b.id AND c.title = t.title);
