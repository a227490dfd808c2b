-- Every item a diff looks at in the given schemas ($1), one row each: the schema it
-- belongs to and a 64-bit hash of a record naming it and its state
-- (hash_record_extended, PostgreSQL 14 or later: each field hashed by its own type's
-- hash function, nothing printed as text). digest.rs sums them, mixed, for one sync;
-- the tenant fan-out sums them per schema (tenant/fastpath.rs).
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
-- The relations of the schemas are read once (`rels`) and every other catalog is
-- reached from them through its index on the relation's OID: at thousands of tables a
-- scan of pg_class per kind of item cost more than all the items of one schema.
--
-- Every item names its object, so the same catalog always gives the same sum.
WITH ns AS MATERIALIZED (
    SELECT n.oid, n.nspname
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname = ANY($1)
), rels AS MATERIALIZED (
    SELECT c.oid, ns.nspname, c.relname, c.relkind, c.relispartition, c.relrowsecurity,
           c.relforcerowsecurity, c.reloptions
    FROM pg_catalog.pg_class c
    JOIN ns ON ns.oid = c.relnamespace
    WHERE c.relkind IN ('r', 'p', 'v', 'm')
)
    SELECT r.nspname AS schema,
           pg_catalog.hash_record_extended(ROW('rel'::text, r.nspname, r.relname, r.relkind,
               r.relispartition, r.relrowsecurity, r.relforcerowsecurity), 0) AS hash
    FROM rels r
    WHERE r.relkind IN ('r', 'p')
  UNION ALL
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('col'::text, r.nspname, r.relname, a.attname,
               a.atttypid, a.atttypmod, a.attnotnull, a.attidentity, a.attgenerated,
               d.oid), 0)
    FROM rels r
    JOIN pg_catalog.pg_attribute a ON a.attrelid = r.oid AND a.attnum > 0 AND NOT a.attisdropped
    LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = r.oid AND d.adnum = a.attnum
    WHERE r.relkind IN ('r', 'p')
  UNION ALL
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('con'::text, r.nspname, k.conname, k.oid,
               k.conrelid, k.contype, k.condeferrable, k.condeferred, k.convalidated), 0)
    FROM rels r
    JOIN pg_catalog.pg_constraint k ON k.conrelid = r.oid
  UNION ALL
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('idx'::text, r.nspname, i.relname,
               x.indexrelid, x.indrelid, x.indisvalid), 0)
    FROM rels r
    JOIN pg_catalog.pg_index x ON x.indrelid = r.oid
    JOIN pg_catalog.pg_class i ON i.oid = x.indexrelid
  UNION ALL
    SELECT ns.nspname,
           pg_catalog.hash_record_extended(ROW('enum'::text, ns.nspname, t.typname,
               (SELECT pg_catalog.array_agg(e.enumlabel ORDER BY e.enumsortorder)
                FROM pg_catalog.pg_enum e
                WHERE e.enumtypid = t.oid)), 0)
    FROM pg_catalog.pg_type t
    JOIN ns ON ns.oid = t.typnamespace
    WHERE t.typtype = 'e'
  UNION ALL
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('comment'::text, r.nspname, r.relname,
               d.objsubid, d.description), 0)
    FROM rels r
    JOIN pg_catalog.pg_description d
      ON d.objoid = r.oid AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
  UNION ALL
    -- Node trees have no hash function of their own: they are hashed as text.
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('pol'::text, r.nspname, r.relname, p.polname,
               p.polcmd, p.polpermissive, p.polroles, p.polqual::text,
               p.polwithcheck::text), 0)
    FROM rels r
    JOIN pg_catalog.pg_policy p ON p.polrelid = r.oid
  UNION ALL
    SELECT ns.nspname,
           pg_catalog.hash_record_extended(ROW('fn'::text, ns.nspname, p.proname,
               p.prorettype, p.pronargs, p.prolang, p.prosrc), 0)
    FROM pg_catalog.pg_proc p
    JOIN ns ON ns.oid = p.pronamespace
    WHERE p.prorettype = 'pg_catalog.trigger'::pg_catalog.regtype
  UNION ALL
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('trg'::text, r.nspname, r.relname, t.tgname,
               t.tgtype, t.tgfoid, t.tgenabled, t.tgattr::text, t.tgargs,
               t.tgqual::text), 0)
    FROM rels r
    JOIN pg_catalog.pg_trigger t ON t.tgrelid = r.oid AND NOT t.tgisinternal
  UNION ALL
    -- A view's query tree is its rewrite rule's action.
    SELECT r.nspname,
           pg_catalog.hash_record_extended(ROW('view'::text, r.nspname, r.relname,
               r.reloptions, w.ev_action::text), 0)
    FROM rels r
    JOIN pg_catalog.pg_rewrite w ON w.ev_class = r.oid
    WHERE r.relkind = 'v'
