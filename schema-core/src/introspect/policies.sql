-- Row-level security policies of the tables in tables.sql, by table and name.
-- `polroles` holds 0 for PUBLIC, which the model spells as an empty role list.
SELECT p.polrelid AS table_oid,
       p.polname::text AS name,
       p.polcmd::text AS command,
       p.polpermissive AS permissive,
       ARRAY(
           SELECT pg_catalog.pg_get_userbyid(r)::text
           FROM pg_catalog.unnest(p.polroles) AS r
           WHERE r <> 0
           ORDER BY 1
       ) AS roles,
       pg_catalog.pg_get_expr(p.polqual, p.polrelid) AS using_expr,
       pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid) AS with_check
FROM pg_catalog.pg_policy p
JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
WHERE n.nspname = ANY($1)
  AND c.relkind IN ('r', 'p')
  AND NOT c.relispartition
ORDER BY p.polrelid, p.polname
