-- schema-core: no-transaction
DROP INDEX CONCURRENTLY IF EXISTS cards_board_id_sort_order_idx;
