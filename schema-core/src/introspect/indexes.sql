-- Indexes of the tables in tables.sql that do not back a primary key, unique or
-- exclusion constraint (those are read as constraints).
--
-- Key columns come in key order; an expression (indkey entry 0) is printed by
-- pg_get_indexdef and wrapped in parentheses, the form CREATE INDEX accepts back.
-- INCLUDE columns (past indnkeyatts) are not key columns and are left out.
SELECT ix.indrelid AS table_oid,
       i.relname::text AS name,
       ix.indisunique AS is_unique,
       ix.indisvalid AS valid,
       am.amname::text AS method,
       pg_catalog.pg_get_expr(ix.indpred, ix.indrelid) AS predicate,
       -- What the model cannot express: read so that a diff reports it, not hides it.
       -- (NULLS NOT DISTINCT through to_jsonb: the column exists from PostgreSQL 15.)
       NULLIF(concat_ws('; ',
           CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.unnest(ix.indoption::int2[]) AS o
                             WHERE o <> 0)
                THEN 'a key sorts DESC or NULLS FIRST' END,
           CASE WHEN EXISTS (SELECT 1 FROM pg_catalog.unnest(ix.indclass::oid[]) AS c
                             JOIN pg_catalog.pg_opclass oc ON oc.oid = c
                             WHERE NOT oc.opcdefault)
                THEN 'a key has a non-default operator class' END,
           CASE WHEN EXISTS (SELECT 1
                             FROM pg_catalog.generate_series(1, ix.indnkeyatts::integer) AS k(n)
                             JOIN pg_catalog.pg_attribute a
                               ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k.n - 1]
                             WHERE ix.indcollation[k.n - 1] NOT IN (0, a.attcollation))
                THEN 'a key has a non-default collation' END,
           CASE WHEN ix.indnatts > ix.indnkeyatts THEN 'INCLUDE columns' END,
           CASE WHEN pg_catalog.to_jsonb(ix) ->> 'indnullsnotdistinct' = 'true'
                THEN 'NULLS NOT DISTINCT' END
       ), '') AS options,
       ARRAY(
           SELECT CASE WHEN ix.indkey[k.n - 1] = 0
                       THEN '(' || pg_catalog.pg_get_indexdef(ix.indexrelid, k.n, true) || ')'
                       ELSE a.attname::text END
           FROM pg_catalog.generate_series(1, ix.indnkeyatts::integer) AS k(n)
           LEFT JOIN pg_catalog.pg_attribute a
                  ON a.attrelid = ix.indrelid AND a.attnum = ix.indkey[k.n - 1]
           ORDER BY k.n
       ) AS columns
FROM pg_catalog.pg_index ix
JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
JOIN pg_catalog.pg_am am ON am.oid = i.relam
JOIN pg_catalog.pg_class c ON c.oid = ix.indrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
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
