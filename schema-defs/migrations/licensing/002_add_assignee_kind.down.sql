-- Drops the column with its default and check. Nothing is lost that cannot be derived
-- again: the kind follows from the assignee.
ALTER TABLE license_assignments DROP COLUMN assignee_kind;
