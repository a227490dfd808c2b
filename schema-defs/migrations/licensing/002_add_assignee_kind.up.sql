-- Seats go to people (an e-mail address) or to machines (an id): record which, so that
-- reports can tell them apart. Sync cannot make this change on a table with rows: the
-- column is required and its value depends on each row.

-- 1. Add the column without constraints, so that existing rows can be filled first.
ALTER TABLE license_assignments ADD COLUMN assignee_kind varchar(16);

-- 2. Backfill: an assignee with an @ is a person, anything else a machine id.
UPDATE license_assignments
SET assignee_kind = CASE WHEN position('@' IN assignee) > 0 THEN 'user' ELSE 'machine' END;

-- 3. Only now require a value, default new rows to people, and allow the two kinds.
ALTER TABLE license_assignments
    ALTER COLUMN assignee_kind SET DEFAULT 'user',
    ALTER COLUMN assignee_kind SET NOT NULL,
    ADD CONSTRAINT license_assignments_assignee_kind_check
        CHECK (assignee_kind IN ('user', 'machine'));
