-- Every item a diff looks at in the given schemas ($1), one row each: the schema it
-- belongs to and a text naming it and its state. digest.sql sums their hashes for one
-- sync; the tenant fan-out sums them per schema (tenant/fastpath.rs).
--
-- Raw catalog fields instead of pg_get_*def: the digest only has to change when the
-- catalog does, and deparsing thousands of constraints would cost more than everything
-- else here. What PostgreSQL never changes in place is named by its OID instead of its
-- node tree, which is the bulk of the text: a column default (SET DEFAULT, a type change
-- and DROP DEFAULT replace the pg_attrdef row), a constraint's expression and columns,
-- and everything of an index but its name and validity (changing any of it means a new
-- index). What can change in place keeps its text: policies (ALTER POLICY), function
-- bodies and triggers (CREATE OR REPLACE), views (CREATE OR REPLACE VIEW).
--
-- Every item names its object, so the same catalog always gives the same sum.
    SELECT n.nspname AS schema,
           pg_catalog.format('rel %s.%s %s %s %s %s', n.nspname, c.relname, c.relkind,
                             c.relispartition, c.relrowsecurity,
                             c.relforcerowsecurity) AS item
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('col %s.%s.%s %s %s %s %s %s %s', n.nspname, c.relname,
                             a.attname, a.atttypid, a.atttypmod, a.attnotnull, a.attidentity,
                             a.attgenerated, d.oid)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
    WHERE n.nspname = ANY($1) AND c.relkind IN ('r', 'p')
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('con %s.%s %s %s %s %s %s %s', n.nspname, k.conname, k.oid,
                             k.conrelid, k.contype, k.condeferrable, k.condeferred,
                             k.convalidated)
    FROM pg_catalog.pg_constraint k
    JOIN pg_catalog.pg_namespace n ON n.oid = k.connamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('idx %s.%s %s %s %s', n.nspname, i.relname, x.indexrelid,
                             x.indrelid, x.indisvalid)
    FROM pg_catalog.pg_index x
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = i.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('enum %s.%s %s', n.nspname, t.typname,
                             (SELECT pg_catalog.array_agg(e.enumlabel ORDER BY e.enumsortorder)
                              FROM pg_catalog.pg_enum e
                              WHERE e.enumtypid = t.oid))
    FROM pg_catalog.pg_type t
    JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
    WHERE n.nspname = ANY($1) AND t.typtype = 'e'
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('comment %s.%s.%s %s', n.nspname, c.relname, d.objsubid,
                             d.description)
    FROM pg_catalog.pg_description d
    JOIN pg_catalog.pg_class c
      ON c.oid = d.objoid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('pol %s.%s.%s %s %s %s', n.nspname, c.relname, p.polname,
                             p.polcmd, p.polpermissive, p.polroles)
           || coalesce(p.polqual::text, '') || coalesce(p.polwithcheck::text, '')
    FROM pg_catalog.pg_policy p
    JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1)
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('fn %s.%s %s %s %s %s', n.nspname, p.proname, p.prorettype,
                             p.pronargs, p.prolang, p.prosrc)
    FROM pg_catalog.pg_proc p
    JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    WHERE n.nspname = ANY($1) AND p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype
  UNION ALL
    SELECT n.nspname,
           pg_catalog.format('trg %s.%s.%s %s %s %s %s %s', n.nspname, c.relname, t.tgname,
                             t.tgtype, t.tgfoid, t.tgenabled, t.tgattr, t.tgargs)
           || coalesce(t.tgqual::text, '')
    FROM pg_catalog.pg_trigger t
    JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE n.nspname = ANY($1) AND NOT t.tgisinternal
  UNION ALL
    -- A view's query tree is its rewrite rule's action.
    SELECT n.nspname,
           pg_catalog.format('view %s.%s %s %s', n.nspname, c.relname, c.reloptions,
                             w.ev_action)
    FROM pg_catalog.pg_class c
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_rewrite w ON w.ev_class = c.oid
    WHERE n.nspname = ANY($1) AND c.relkind = 'v'
