-- schema-core: no-transaction
-- A concurrent build does not block writes, and cannot run in a transaction. Dropping
-- first removes the INVALID index a failed build leaves, so the file can run again.
DROP INDEX CONCURRENTLY IF EXISTS books_title_idx;
CREATE INDEX CONCURRENTLY books_title_idx ON books (title);
