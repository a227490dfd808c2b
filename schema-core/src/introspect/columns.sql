-- Live columns of the tables in tables.sql, in attnum order.
--
-- `is_serial` is true when the default is exactly `nextval` of a sequence owned by the
-- column (`OWNED BY`, pg_depend deptype 'a'): what `serial` creates. Identity columns own
-- their sequence with deptype 'i' and have no default, so they never match.
--
-- The default is deparsed once, in `col` (OFFSET 0 keeps that subquery from being
-- merged into the outer one, which would deparse it again for `is_serial`), and only
-- a default that starts like nextval( is checked against the column's sequences.
SELECT col.table_oid,
       col.name,
       col.type_oid,
       col.type_kind,
       col.type_text,
       col.element_oid,
       col.element_kind,
       col.element_text,
       col.nullable,
       col.identity,
       col.generated,
       col.default_expr,
       -- Compared as text, with the sequence's name spelled the way the default prints
       -- it; the column's own sequences are probed only for a nextval(...) default.
       CASE WHEN col.default_expr LIKE 'nextval(%'
            THEN col.default_expr = ANY (ARRAY(
                     SELECT pg_catalog.format('nextval(%L::regclass)',
                                              s.oid::pg_catalog.regclass::text)
                     FROM pg_catalog.pg_depend dep
                     JOIN pg_catalog.pg_class s ON s.oid = dep.objid AND s.relkind = 'S'
                     WHERE dep.classid = 'pg_catalog.pg_class'::pg_catalog.regclass
                       AND dep.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass
                       AND dep.refobjid = col.table_oid
                       AND dep.refobjsubid = col.attnum
                       AND dep.deptype = 'a'))
            ELSE false END AS is_serial,
       col.comment
FROM (
    SELECT a.attrelid AS table_oid,
           a.attnum,
           a.attname::text AS name,
           a.atttypid AS type_oid,
           t.typtype::text AS type_kind,
           pg_catalog.format_type(a.atttypid, a.atttypmod) AS type_text,
           CASE WHEN t.typcategory = 'A' AND t.typelem <> 0 THEN t.typelem END AS element_oid,
           et.typtype::text AS element_kind,
           CASE WHEN t.typcategory = 'A' AND t.typelem <> 0
                THEN pg_catalog.format_type(t.typelem, a.atttypmod) END AS element_text,
           NOT a.attnotnull AS nullable,
           a.attidentity::text AS identity,
           a.attgenerated::text AS generated,
           -- Deparsed against its table even where no column is named: that takes the
           -- table's ACCESS SHARE lock, which bounds the read by lock_timeout when another
           -- session holds the table (lock_wait.rs).
           pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS default_expr,
           d.description AS comment
    FROM pg_catalog.pg_attribute a
    JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
    JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_catalog.pg_type et ON et.oid = t.typelem AND t.typcategory = 'A'
    LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
    LEFT JOIN pg_catalog.pg_description d
           ON d.objoid = a.attrelid
          AND d.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass
          AND d.objsubid = a.attnum
    WHERE n.nspname = ANY($1)
      AND c.relkind IN ('r', 'p')
      AND NOT c.relispartition
      AND a.attnum > 0
      AND NOT a.attisdropped
    OFFSET 0
) AS col
ORDER BY col.table_oid, col.attnum
