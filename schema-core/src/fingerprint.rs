//! The fingerprint of a declared schema: a hash of its canonical form.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

use sha2::{Digest, Sha256};

use crate::ddl::render_plan;
use crate::expected::ExpectedSchema;

/// Where a declaration lives (its `'static` table and enum lists never change) and its
/// default schema.
type Key = (usize, usize, usize, String);

/// [`compute`], once per declaration and default schema in a process: health probes and
/// fan-out over many tenants ask again and again, and rendering a big schema's DDL costs
/// milliseconds.
pub fn fingerprint(expected: &ExpectedSchema, default_schema: &str) -> String {
    static KNOWN: OnceLock<Mutex<HashMap<Key, String>>> = OnceLock::new();
    let key = (
        expected.tables.as_ptr() as usize,
        expected.tables.len(),
        expected.enum_uses.as_ptr() as usize,
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
    let mut hasher = Sha256::new();
    hasher.update(b"schema-core fingerprint v1\n");
    hasher.update(render_plan(&expected.plan_in(default_schema)).as_bytes());
    for table in expected.tables {
        let o = &table.options;
        hasher.update(format!(
            "\n{} required={} renamed_from={:?}",
            table.name, o.required, o.renamed_from
        ));
        for c in table.columns.iter().filter(|c| !c.renamed_from.is_empty()) {
            hasher.update(format!(
                "\n{}.{} renamed_from={:?}",
                table.name, c.name, c.renamed_from
            ));
        }
    }
    hex::encode(hasher.finalize())
}
