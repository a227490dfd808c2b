-- schema-core: no-transaction
-- Built without blocking writes to cards, which PostgreSQL only does outside a
-- transaction. A failed concurrent build leaves an INVALID index behind, which
-- `IF NOT EXISTS` would keep: dropping it first lets the file run again after a failure.
DROP INDEX CONCURRENTLY IF EXISTS cards_board_id_sort_order_idx;
CREATE INDEX CONCURRENTLY cards_board_id_sort_order_idx ON cards (board_id, sort_order);
