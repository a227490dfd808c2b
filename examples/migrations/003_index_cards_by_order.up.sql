-- schema-core: no-transaction
-- Built without blocking writes to cards, which PostgreSQL only does outside a
-- transaction. IF NOT EXISTS lets the file run again after a failed attempt.
CREATE INDEX CONCURRENTLY IF NOT EXISTS cards_board_id_sort_order_idx ON cards (board_id, sort_order);
