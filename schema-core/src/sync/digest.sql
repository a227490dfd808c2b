-- A digest of everything a diff looks at in the given schemas ($1), as one scalar
-- expression (digest.rs adds the history table's state and the session settings).
-- Raw catalog fields (node trees as text, OIDs, key arrays) instead of pg_get_*def:
-- the digest only has to change when the catalog does, and deparsing thousands of
-- constraints would cost more than everything else here.
(SELECT md5(coalesce(string_agg(item, E'\n' ORDER BY item), ''))
FROM (
    SELECT format('rel %s.%s %s %s', n.nspname, c.relname, c.relkind, c.relispartition) AS item
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  UNION ALL
    SELECT format('col %s.%s.%s %s %s %s %s %s', n.nspname, c.relname, a.attname,
                  a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, d.adbin)
    FROM pg_class c
    JOIN pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  UNION ALL
    SELECT format('con %s.%s %s %s %s %s %s %s %s %s %s %s', n.nspname, k.conname, k.conrelid,
                  k.contype, k.conkey, k.confrelid, k.confkey, k.confupdtype, k.confdeltype,
                  k.condeferrable, k.condeferred, k.convalidated) || coalesce(k.conbin::text, '')
    FROM pg_constraint k
    JOIN pg_namespace n ON n.oid = k.connamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT format('idx %s.%s %s %s %s %s %s %s %s %s %s', n.nspname, i.relname, x.indrelid,
                  i.relam, x.indkey, x.indclass, x.indoption, x.indcollation, x.indisunique,
                  x.indisvalid, to_jsonb(x) ->> 'indnullsnotdistinct')
           || coalesce(x.indexprs::text, '') || coalesce(x.indpred::text, '')
    FROM pg_index x
    JOIN pg_class i ON i.oid = x.indexrelid
    JOIN pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT format('enum %s.%s %s', n.nspname, t.typname,
                  (SELECT array_agg(e.enumlabel ORDER BY e.enumsortorder) FROM pg_enum e WHERE e.enumtypid = t.oid))
    FROM pg_type t
    JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = ANY($1) AND t.typtype = 'e'
  UNION ALL
    SELECT format('comment %s.%s.%s %s', n.nspname, c.relname, d.objsubid, d.description)
    FROM pg_description d
    JOIN pg_class c ON c.oid = d.objoid AND d.classoid = 'pg_class'::regclass
    JOIN pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1)
) AS items)
