-- Who holds a table lock that stops a catalog read of the given schemas ($1): reading a
-- table's expressions takes ACCESS SHARE on it, which only ACCESS EXCLUSIVE blocks.
-- The oldest holder first: the others are likely queued behind it.
SELECT n.nspname::text AS schema,
       c.relname::text AS name,
       l.pid,
       a.state::text AS state,
       a.query::text AS query,
       (extract(epoch FROM pg_catalog.now() - a.xact_start) * 1000)::bigint AS held_ms
FROM pg_catalog.pg_locks l
JOIN pg_catalog.pg_class c ON c.oid = l.relation
JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
LEFT JOIN pg_catalog.pg_stat_activity a ON a.pid = l.pid
WHERE l.locktype = 'relation'
  AND l.granted
  AND l.mode = 'AccessExclusiveLock'
  AND l.pid <> pg_catalog.pg_backend_pid()
  AND l.database = (SELECT oid FROM pg_catalog.pg_database
                    WHERE datname = pg_catalog.current_database())
  AND n.nspname = ANY($1)
ORDER BY a.xact_start NULLS LAST, n.nspname, c.relname
LIMIT 1
