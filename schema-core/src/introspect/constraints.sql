-- Primary keys, uniques, checks, foreign keys and exclusion constraints of the tables in
-- tables.sql (exclusion constraints only by their definition: the model has none).
--
-- Key columns are listed in key order (conkey / confkey order, not attnum order).
-- `conparentid = 0` drops the extra rows PostgreSQL adds for a foreign key that
-- references a partitioned table (one per referenced partition).
--
-- Each key's name is looked up by (attrelid, attnum), one index probe per key:
-- joining the key list to the table's attributes hashed all of them, per constraint.
SELECT con.conrelid AS table_oid,
       con.conname::text AS name,
       con.contype::text AS kind,
       ARRAY(
           SELECT (SELECT a.attname::text
                   FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = con.conrelid AND a.attnum = k.attnum)
           FROM pg_catalog.unnest(con.conkey) WITH ORDINALITY AS k(attnum, ord)
           ORDER BY k.ord
       ) AS columns,
       CASE WHEN con.contype = 'c'
            THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid) END AS expression,
       fn.nspname::text AS ref_schema,
       fc.relname::text AS ref_table,
       ARRAY(
           SELECT (SELECT a.attname::text
                   FROM pg_catalog.pg_attribute a
                   WHERE a.attrelid = con.confrelid AND a.attnum = k.attnum)
           FROM pg_catalog.unnest(con.confkey) WITH ORDINALITY AS k(attnum, ord)
           ORDER BY k.ord
       ) AS ref_columns,
       con.confdeltype::text AS on_delete,
       con.confupdtype::text AS on_update,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       con.convalidated AS validated,
       CASE WHEN con.contype = 'x'
            THEN pg_catalog.pg_get_constraintdef(con.oid, true) END AS definition,
       -- confdelsetcols exists from PostgreSQL 15 only: the definition prints it.
       CASE WHEN con.contype = 'f' AND con.confdeltype IN ('n', 'd')
            THEN pg_catalog.substring(pg_catalog.pg_get_constraintdef(con.oid, true),
                                      'ON DELETE SET (?:NULL|DEFAULT) \(([^)]*)\)')
       END AS set_columns
FROM pg_catalog.pg_constraint con
JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
  AND con.contype IN ('p', 'u', 'c', 'f', 'x')
  AND con.conparentid = 0
ORDER BY con.conrelid, con.conname
