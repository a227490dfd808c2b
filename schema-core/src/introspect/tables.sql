-- Ordinary and partitioned tables of the requested schemas, with their comments.
-- Partitions are left out: they are storage of their parent and carry copies of its
-- constraints and indexes, which would otherwise show up as unmanaged tables.
SELECT c.oid AS oid,
       n.nspname::text AS schema,
       c.relname::text AS name,
       d.description AS comment,
       c.relrowsecurity AS row_security,
       c.relforcerowsecurity AS force_row_security
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_description d
       ON d.objoid = c.oid
      AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
      AND d.objsubid = 0
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
ORDER BY n.nspname, c.relname
