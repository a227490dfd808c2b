//! The fingerprint of a declared schema: a hash of its canonical form.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::ddl::render_plan;
use crate::expected::ExpectedSchema;

/// Where a declaration lives (its `'static` table, enum and view lists never change) and its
/// default schema.
type Key = (usize, usize, usize, usize, String);

/// [`compute`], once per declaration and default schema in a process: health probes and
/// fan-out over many tenants ask again and again, and rendering a big schema's DDL costs
/// milliseconds.
pub fn fingerprint(expected: &ExpectedSchema, default_schema: &str) -> String {
    static KNOWN: OnceLock<Mutex<HashMap<Key, String>>> = OnceLock::new();
    let key = (
        expected.tables.as_ptr() as usize,
        expected.tables.len(),
        expected.enum_uses.as_ptr() as usize,
        expected.views.as_ptr() as usize,
        default_schema.to_owned(),
    );
    let known = KNOWN.get_or_init(Default::default);
    if let Some(found) = known.lock().ok().and_then(|k| k.get(&key).cloned()) {
        return found;
    }
    let computed = compute(expected, default_schema);
    if let Ok(mut k) = known.lock() {
        k.insert(key, computed.clone());
    }
    computed
}

/// A SHA-256 (hex) over the creation DDL in `default_schema` and the declaration
/// metadata the DDL does not show (required flags, previous names).
fn compute(expected: &ExpectedSchema, default_schema: &str) -> String {
    hash(
        &render_plan(&expected.plan_in(default_schema)),
        &metadata(expected),
    )
}

fn hash(ddl: &str, metadata: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(b"schema-core fingerprint v1\n");
    hasher.update(ddl.as_bytes());
    hasher.update(metadata.as_bytes());
    hex::encode(hasher.finalize())
}

/// The declaration metadata the DDL does not show (required flags, previous names).
fn metadata(expected: &ExpectedSchema) -> String {
    let mut out = String::new();
    for table in expected.tables {
        let o = &table.options;
        out.push_str(&format!(
            "\n{} required={} renamed_from={:?}",
            table.name, o.required, o.renamed_from
        ));
        for c in table.columns.iter().filter(|c| !c.renamed_from.is_empty()) {
            out.push_str(&format!(
                "\n{}.{} renamed_from={:?}",
                table.name, c.name, c.renamed_from
            ));
        }
    }
    out
}

/// [`fingerprint`] of `expected` in each of `schemas`, rendering the DDL once: a
/// fan-out over a thousand tenants would otherwise render it a thousand times. When
/// every table and enum type of the set takes the default schema, that schema appears
/// in the DDL only as a quoted identifier, so the DDL for any schema is the DDL for a
/// placeholder with the placeholder's identifier replaced (`public`, which the plan
/// does not create, is the exception). Other sets are computed one by one.
pub fn fingerprints(expected: &ExpectedSchema, schemas: &[String]) -> Vec<String> {
    const PLACEHOLDER: &str = "\u{1}schema-core default schema\u{1}";
    let all_default = expected.tables.iter().all(|t| t.schema.is_none())
        && expected.enums().iter().all(|e| e.schema.is_none());
    if !all_default {
        return schemas.iter().map(|s| fingerprint(expected, s)).collect();
    }
    let template = render_plan(&expected.plan_in(PLACEHOLDER));
    let placeholder = crate::ddl::ident(PLACEHOLDER);
    let metadata = metadata(expected);
    schemas
        .iter()
        .map(|schema| {
            if schema == crate::model::DEFAULT_SCHEMA {
                return fingerprint(expected, schema);
            }
            let ddl = template.replace(&placeholder, &crate::ddl::ident(schema));
            hash(&ddl, &metadata)
        })
        .collect()
}

#[cfg(test)]
// The test schema's types are declarations: nothing reads their fields or builds them.
#[allow(dead_code)]
mod tests {
    use super::*;
    use crate::{SchemaSet, SqlEnum, Table, schema_set};

    #[derive(SqlEnum, Debug, Clone, Copy, PartialEq, Eq)]
    enum Grade {
        Petrol,
        Diesel,
    }

    #[derive(Table)]
    #[table(name = "stations")]
    struct Station {
        #[column(primary_key, serial)]
        id: i32,
        #[column(check = "id > 0", default = "'petrol'")]
        grade: Grade,
    }

    #[derive(Table)]
    #[table(name = "pumps", index(station_id))]
    struct Pump {
        #[column(primary_key, serial)]
        id: i32,
        #[column(references = Station, on_delete = "cascade")]
        station_id: i32,
    }

    schema_set!(Tenants = [Station, Pump]);

    #[test]
    fn many_at_once_equal_one_by_one() {
        let schemas: Vec<String> = ["tenant_1", "a\"b", "public"].map(String::from).into();
        let expected = Tenants::EXPECTED_SCHEMA;
        let one_by_one: Vec<String> = schemas.iter().map(|s| compute(&expected, s)).collect();
        assert_eq!(fingerprints(&expected, &schemas), one_by_one);
        assert_ne!(one_by_one[0], one_by_one[1]);
    }
}
