-- Trigger functions (no arguments, RETURNS trigger) of the given schemas ($1), except
-- those an extension owns. prosrc is the body exactly as it was written.
SELECT n.nspname AS schema,
       p.proname AS name,
       p.prosrc AS body,
       l.lanname AS language
FROM pg_catalog.pg_proc p
JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
JOIN pg_catalog.pg_language l ON l.oid = p.prolang
WHERE n.nspname = ANY($1)
  AND p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype
  AND p.pronargs = 0
  AND NOT EXISTS (
      SELECT 1 FROM pg_catalog.pg_depend d
      WHERE d.classid = 'pg_catalog.pg_proc'::pg_catalog.regclass
        AND d.objid = p.oid AND d.deptype = 'e')
ORDER BY 1, 2
