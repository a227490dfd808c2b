-- A digest of everything a diff looks at in the given schemas ($1), as one scalar
-- expression (digest.rs adds the history table's state and the session settings).
-- Raw catalog fields (node trees as text, OIDs, key arrays) instead of pg_get_*def:
-- the digest only has to change when the catalog does, and deparsing thousands of
-- constraints would cost more than everything else here.
--
-- Each item is hashed on its own (64 bits) and the hashes are summed: a sum does not
-- depend on the order of the rows, so nothing is sorted and no long text is built.
-- Every item names its object, so the same catalog always gives the same sum.
(SELECT pg_catalog.md5(pg_catalog.format('%s %s', count(*),
                                         sum(pg_catalog.hashtextextended(item, 0))))
FROM (
    SELECT pg_catalog.format('rel %s.%s %s %s %s %s', n.nspname, c.relname, c.relkind,
                             c.relispartition, c.relrowsecurity,
                             c.relforcerowsecurity) AS item
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  UNION ALL
    SELECT pg_catalog.format('col %s.%s.%s %s %s %s %s %s %s', n.nspname, c.relname,
                             a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity,
                             a.attgenerated, d.adbin)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  UNION ALL
    SELECT pg_catalog.format('con %s.%s %s %s %s %s %s %s %s %s %s %s', n.nspname,
                             k.conname, k.conrelid, k.contype, k.conkey, k.confrelid,
                             k.confkey, k.confupdtype, k.confdeltype, k.condeferrable,
                             k.condeferred, k.convalidated)
           || coalesce(k.conbin::text, '')
           -- The columns of ON DELETE SET NULL (...) (confdelsetcols exists from
           -- PostgreSQL 15 only), deparsed for the few keys that set anything.
           || CASE WHEN k.contype = 'f' AND k.confdeltype IN ('n', 'd')
                   THEN pg_catalog.pg_get_constraintdef(k.oid) ELSE '' END
    FROM pg_catalog.pg_constraint k
    JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    -- indnullsnotdistinct exists from PostgreSQL 15, so it is not named here. to_jsonb(x)
    -- would read it, but costs more than everything else in this query; the row's text
    -- is cheap, and pg_index keeps its fixed-width columns (oids, int2s and bools, none
    -- printed with a comma or quotes) ahead of the variable-length ones, so column n is
    -- the n-th comma-separated field. Before 15 there is no such column: null.
    SELECT pg_catalog.format('idx %s.%s %s %s %s %s %s %s %s %s %s', n.nspname,
                             i.relname, x.indrelid, i.relam, x.indkey, x.indclass,
                             x.indoption, x.indcollation, x.indisunique, x.indisvalid,
                             pg_catalog.split_part(x::text, ',', (
                                 SELECT a.attnum
                                 FROM pg_catalog.pg_attribute a
                                 WHERE a.attrelid = 'pg_catalog.pg_index'::pg_catalog.regclass
                                   AND a.attname = 'indnullsnotdistinct')))
           || coalesce(x.indexprs::text, '') || coalesce(x.indpred::text, '')
    FROM pg_catalog.pg_index x
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT pg_catalog.format('enum %s.%s %s', n.nspname, t.typname,
                             (SELECT pg_catalog.array_agg(e.enumlabel ORDER BY e.enumsortorder)
                              FROM pg_catalog.pg_enum e
                              WHERE e.enumtypid = t.oid))
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = ANY($1) AND t.typtype = 'e'
  UNION ALL
    SELECT pg_catalog.format('comment %s.%s.%s %s', n.nspname, c.relname, d.objsubid,
                             d.description)
    FROM pg_catalog.pg_description d
    JOIN pg_catalog.pg_class c
      ON c.oid = d.objoid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT pg_catalog.format('pol %s.%s.%s %s %s %s', n.nspname, c.relname, p.polname,
                             p.polcmd, p.polpermissive, p.polroles)
           || coalesce(p.polqual::text, '') || coalesce(p.polwithcheck::text, '')
    FROM pg_catalog.pg_policy p
    JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT pg_catalog.format('fn %s.%s %s %s %s %s', n.nspname, p.proname, p.prorettype,
                             p.pronargs, p.prolang, p.prosrc)
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = ANY($1) AND p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype
  UNION ALL
    SELECT pg_catalog.format('trg %s.%s.%s %s %s %s %s %s', n.nspname, c.relname, t.tgname,
                             t.tgtype, t.tgfoid, t.tgenabled, t.tgattr, t.tgargs)
           || coalesce(t.tgqual::text, '')
    FROM pg_catalog.pg_trigger t
    JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1) AND NOT t.tgisinternal
  UNION ALL
    -- A view's query tree is its rewrite rule's action.
    SELECT pg_catalog.format('view %s.%s %s %s', n.nspname, c.relname, c.reloptions,
                             w.ev_action)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_rewrite w ON w.ev_class = c.oid
    WHERE n.nspname = ANY($1) AND c.relkind = 'v'
) AS items)
