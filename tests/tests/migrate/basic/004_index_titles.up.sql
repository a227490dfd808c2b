-- schema-core: no-transaction
-- A concurrent build does not block writes, and cannot run in a transaction.
CREATE INDEX CONCURRENTLY IF NOT EXISTS books_title_idx ON books (title);
