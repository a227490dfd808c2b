-- Views of the given schemas ($1): the body as pg_get_viewdef prints it, whether they
-- read as the querying role (security_invoker), and every relation the body reads
-- (pg_depend of the view's rewrite rule), schema-qualified.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       pg_catalog.pg_get_viewdef(c.oid) AS body,
       coalesce('security_invoker=true' = ANY (c.reloptions)
                OR 'security_invoker=on' = ANY (c.reloptions), false) AS security_invoker,
       ARRAY(SELECT DISTINCT pg_catalog.format('%s.%s', rn.nspname, r.relname)
             FROM pg_catalog.pg_rewrite w
             JOIN pg_catalog.pg_depend d
               ON d.classid = 'pg_catalog.pg_rewrite'::pg_catalog.regclass
              AND d.objid = w.oid
              AND d.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
             JOIN pg_catalog.pg_class r ON r.oid = d.refobjid AND r.oid <> c.oid
             JOIN pg_catalog.pg_namespace rn ON rn.oid = r.relnamespace
             WHERE w.ev_class = c.oid
             ORDER BY 1) AS reads
FROM pg_catalog.pg_class c
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1) AND c.relkind = 'v'
ORDER BY 1, 2
