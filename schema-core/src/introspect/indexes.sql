-- Indexes of the tables in tables.sql that do not back a primary key, unique or
-- exclusion constraint (those are read as constraints).
--
-- Key columns come in key order; an expression (indkey entry 0) is printed by
-- pg_get_indexdef and wrapped in parentheses, the form CREATE INDEX accepts back.
-- INCLUDE columns (past indnkeyatts) are not key columns and are left out.
--
-- Everything per key is read in one pass over the keys (`keys` below), looking up
-- each key's attribute by (attrelid, attnum): a join against the whole
-- pg_attribute of the table, per index, is what made this query slow.
SELECT ix.indrelid AS table_oid,
       i.relname::text AS name,
       ix.indisunique AS is_unique,
       ix.indisvalid AS valid,
       am.amname::text AS method,
       pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       -- What the model cannot express: read so that a diff reports it, not hides it.
       -- (NULLS NOT DISTINCT: indnullsnotdistinct exists from PostgreSQL 15, so it is
       -- not named. It is read from the row's text, much cheaper than to_jsonb: pg_index
       -- keeps its fixed-width columns (oids, int2s and bools, none printed with a comma
       -- or quotes) ahead of the variable-length ones, so column n is the n-th
       -- comma-separated field. Before 15 the column's number is null, and so is this.)
       NULLIF(concat_ws('; ',
           CASE WHEN 0 <> ANY (ix.indoption::int2[])
                THEN 'a key sorts DESC or NULLS FIRST' END,
           -- One array of all non-default operator classes, built once for the query.
           CASE WHEN ix.indclass::oid[] &&
                     ARRAY(SELECT oc.oid FROM pg_catalog.pg_opclass oc WHERE NOT oc.opcdefault)
                THEN 'a key has a non-default operator class' END,
           CASE WHEN keys.other_collation
                THEN 'a key has a non-default collation' END,
           CASE WHEN ix.indnatts > ix.indnkeyatts THEN 'INCLUDE columns' END,
           CASE WHEN pg_catalog.split_part(ix::text, ',', (
                         SELECT a.attnum
                         FROM pg_catalog.pg_attribute a
                         WHERE a.attrelid = 'pg_catalog.pg_index'::pg_catalog.regclass
                           AND a.attname = 'indnullsnotdistinct')) = 't'
                THEN 'NULLS NOT DISTINCT' END
       ), '') AS options,
       keys.columns
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = i.relam
JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
CROSS JOIN LATERAL (
    SELECT pg_catalog.array_agg(
               CASE WHEN k.attnum = 0
                    THEN '(' || pg_catalog.pg_get_indexdef(ix.indexrelid, k.n::integer, true) || ')'
                    ELSE (SELECT a.attname::text
                          FROM pg_catalog.pg_attribute a
                          WHERE a.attrelid = ix.indrelid AND a.attnum = k.attnum) END
               ORDER BY k.n) AS columns,
           -- A collation other than the column's own (0: the key is not collatable;
           -- an expression has no column, so the comparison is null and does not count).
           pg_catalog.bool_or(ix.indcollation[k.n - 1] <> 0
                              AND ix.indcollation[k.n - 1] <> (
                                  SELECT a.attcollation
                                  FROM pg_catalog.pg_attribute a
                                  WHERE a.attrelid = ix.indrelid AND a.attnum = k.attnum)
           ) AS other_collation
    -- indkey and indcollation are 0-based vectors: key n is entry n - 1.
    FROM pg_catalog.unnest(ix.indkey::int2[]) WITH ORDINALITY AS k(attnum, n)
    WHERE k.n <= ix.indnkeyatts
) AS keys
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND NOT EXISTS (
      SELECT 1
      FROM pg_catalog.pg_constraint con
      WHERE con.conindid = ix.indexrelid
        AND con.conrelid = ix.indrelid
        AND con.contype IN ('p', 'u', 'x')
  )
ORDER BY ix.indrelid, i.relname
