-- schema-core: no-transaction
DROP INDEX CONCURRENTLY IF EXISTS books_title_idx;
