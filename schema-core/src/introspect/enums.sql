-- Enum types with their labels in sort order: those defined in the requested schemas
-- (`listed`, they go into Catalog.enums) and those elsewhere that a column of a table
-- in those schemas uses, directly or as an array element.
SELECT t.oid AS oid,
       n.nspname::text AS schema,
       t.typname::text AS name,
       ARRAY(
           SELECT e.enumlabel::text
           FROM pg_catalog.pg_enum e
           WHERE e.enumtypid = t.oid
           ORDER BY e.enumsortorder
       ) AS labels,
       n.nspname = ANY($1) AS listed
FROM pg_catalog.pg_type t
JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
WHERE t.typtype = 'e'
  AND (
      n.nspname = ANY($1)
      OR t.oid IN (
          SELECT u.typid
          FROM pg_catalog.pg_attribute a
          JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
          JOIN pg_catalog.pg_namespace cn ON cn.oid = c.relnamespace
          JOIN pg_catalog.pg_type at ON at.oid = a.atttypid
          CROSS JOIN LATERAL (VALUES (a.atttypid), (at.typelem)) AS u(typid)
          WHERE cn.nspname = ANY($1)
            AND c.relkind IN ('r', 'p')
            AND a.attnum > 0
            AND NOT a.attisdropped
            -- Only a column whose type is an enum or has an element type can match:
            -- the others are left out before each column is paired with its element.
            AND (at.typtype = 'e' OR at.typelem <> 0)
      )
  )
ORDER BY n.nspname, t.typname
