-- Runs every time seeds are asked for: insert only what is missing.
INSERT INTO authors (name)
SELECT 'Octavia E. Butler'
WHERE NOT EXISTS (SELECT FROM authors WHERE name = 'Octavia E. Butler');
