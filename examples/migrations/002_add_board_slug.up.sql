-- Boards get a unique slug for their URLs. Existing boards need one computed from their
-- name, which sync cannot guess: add the column, backfill it, then require it.
ALTER TABLE boards ADD COLUMN slug varchar(80);

UPDATE boards
SET slug = left(trim(BOTH '-' FROM regexp_replace(lower(name), '[^a-z0-9]+', '-', 'g')), 60)
           || '-' || id;

ALTER TABLE boards
    ALTER COLUMN slug SET NOT NULL,
    ADD CONSTRAINT boards_slug_key UNIQUE (slug);
