-- User triggers on the tables of the given schemas ($1); the ones PostgreSQL makes for
-- foreign keys are internal. tgtype is a bit set: 1 row-level, 2 before, 4 insert,
-- 8 delete, 16 update, 32 truncate, 64 instead of. What the model has no words for
-- (arguments, a column list, WHEN) is flagged, with the server's own text of the trigger.
SELECT n.nspname AS schema,
       c.relname AS "table",
       t.tgname AS name,
       t.tgtype::pg_catalog.int4 AS type,
       fn.nspname AS function_schema,
       p.proname AS function,
       t.tgenabled <> 'D' AS enabled,
       (t.tgnargs > 0 OR t.tgattr::pg_catalog.text <> '' OR t.tgqual IS NOT NULL) AS has_options,
       pg_catalog.pg_get_triggerdef(t.oid) AS definition
FROM pg_catalog.pg_trigger t
JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
JOIN pg_catalog.pg_proc p ON p.oid = t.tgfoid
JOIN pg_catalog.pg_namespace fn ON fn.oid = p.pronamespace
WHERE n.nspname = ANY($1)
  AND NOT t.tgisinternal
  AND c.relkind IN ('r', 'p')
ORDER BY 1, 2, 3
