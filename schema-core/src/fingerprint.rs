//! The fingerprint of a declared schema: a hash of its canonical form.

use sha2::{Digest, Sha256};

use crate::ddl::render_plan;
use crate::expected::ExpectedSchema;

/// A SHA-256 (hex) over the creation DDL in `default_schema` and the declaration
/// metadata the DDL does not show (required flags, previous names).
pub fn fingerprint(expected: &ExpectedSchema, default_schema: &str) -> String {
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
