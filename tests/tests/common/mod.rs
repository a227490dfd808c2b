//! Helpers shared by the live-database tests.
#![allow(dead_code)]

pub mod accounts;

use postgres::Client;
use schema_core::data::{self, CompareOptions, CompareReport, DataError, Side};
use schema_core::testing::TestDatabase;
use schema_core::{SchemaSet, Target};

/// A fresh database and a connection to it.
pub fn fresh() -> (TestDatabase, Client) {
    let db = TestDatabase::create().expect("a test database");
    let client = db.connect().expect("a connection");
    (db, client)
}

/// `data::compare` of `S` between two databases whose tables live in `public`.
pub fn compare<S: SchemaSet>(
    source: &mut Client,
    target: &mut Client,
    options: &CompareOptions,
) -> Result<CompareReport, DataError> {
    let schema = Target::default();
    data::compare(
        Side::new(source, &schema),
        Side::new(target, &schema),
        &S::EXPECTED_SCHEMA,
        options,
    )
}

/// Every fact of the catalog a schema is made of, one sorted line each, read through
/// `pg_catalog`: columns (position, type, nullability, default), constraints with their
/// definitions, indexes with their definitions, sequences, enum types, row-level security
/// flags and policies.
pub fn catalog_lines(client: &mut Client, schema: &str) -> Vec<String> {
    let sql = "
        SELECT format('column %s.%s #%s %s%s%s', c.relname, a.attname, a.attnum,
                      format_type(a.atttypid, a.atttypmod),
                      CASE WHEN a.attnotnull THEN ' NOT NULL' ELSE '' END,
                      coalesce(CASE WHEN a.attgenerated = 's' THEN ' GENERATED ' ELSE ' DEFAULT ' END
                               || pg_get_expr(d.adbin, d.adrelid), ''))
        FROM pg_attribute a
        JOIN pg_class c ON c.oid = a.attrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
        WHERE n.nspname = $1 AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
          AND c.relname NOT IN ('schema_versions', 'schema_migrations')
      UNION ALL
        SELECT format('constraint %s.%s %s', c.relname, k.conname, pg_get_constraintdef(k.oid))
        FROM pg_constraint k
        JOIN pg_class c ON c.oid = k.conrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relname NOT IN ('schema_versions', 'schema_migrations')
      UNION ALL
        SELECT format('index %s', pg_get_indexdef(i.oid))
        FROM pg_index x
        JOIN pg_class i ON i.oid = x.indexrelid
        JOIN pg_class t ON t.oid = x.indrelid
        JOIN pg_namespace n ON n.oid = i.relnamespace
        WHERE n.nspname = $1 AND t.relname NOT IN ('schema_versions', 'schema_migrations')
      UNION ALL
        SELECT format('sequence %s', c.relname)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'S' AND c.relname NOT LIKE 'schema_versions%'
      UNION ALL
        SELECT format('enum %s %s', t.typname,
                      (SELECT string_agg(e.enumlabel, ',' ORDER BY e.enumsortorder)
                       FROM pg_enum e WHERE e.enumtypid = t.oid))
        FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = $1 AND t.typtype = 'e'
      UNION ALL
        SELECT format('row security %s %s %s', c.relname, c.relrowsecurity,
                      c.relforcerowsecurity)
        FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1 AND c.relkind = 'r'
          AND (c.relrowsecurity OR c.relforcerowsecurity)
      UNION ALL
        SELECT format('policy %s.%s %s %s %s %s %s', c.relname, p.polname, p.polcmd,
                      p.polpermissive, p.polroles, pg_get_expr(p.polqual, p.polrelid),
                      pg_get_expr(p.polwithcheck, p.polrelid))
        FROM pg_policy p
        JOIN pg_class c ON c.oid = p.polrelid
        JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = $1
      ORDER BY 1";
    client
        .query(sql, &[&schema])
        .expect("catalog query")
        .iter()
        .map(|row| row.get(0))
        .collect()
}

/// Asserts two catalogs are the same, listing the lines only one side has.
pub fn assert_same_catalog(left_name: &str, left: &[String], right_name: &str, right: &[String]) {
    let only_left: Vec<&String> = left.iter().filter(|l| !right.contains(l)).collect();
    let only_right: Vec<&String> = right.iter().filter(|l| !left.contains(l)).collect();
    assert!(
        only_left.is_empty() && only_right.is_empty(),
        "catalogs differ\nonly in {left_name}:\n  {}\nonly in {right_name}:\n  {}",
        only_left
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
        only_right
            .iter()
            .map(|s| s.as_str())
            .collect::<Vec<_>>()
            .join("\n  "),
    );
    assert_eq!(left.len(), right.len(), "same lines, different counts");
}

/// Number of rows in a table.
pub fn count(client: &mut Client, table: &str) -> i64 {
    client
        .query_one(&format!("SELECT count(*) FROM {table}"), &[])
        .expect("count")
        .get(0)
}
