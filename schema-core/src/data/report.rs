//! [`CompareReport`]: what a comparison found, per table, as text or JSON.

use std::fmt;

use crate::data::key::Key;

/// The result of [`crate::data::compare`].
#[derive(Debug, Clone, serde::Serialize)]
pub struct CompareReport {
    pub tables: Vec<TableComparison>,
    pub duration_ms: u64,
}

/// One table's differences. Keys are sorted as the tables were read.
#[derive(Debug, Clone, serde::Serialize)]
pub struct TableComparison {
    pub schema: String,
    pub table: String,
    pub key_columns: Vec<String>,
    /// The filter both sides were read with.
    pub filter: Option<String>,
    /// Columns left out of the comparison.
    pub ignored_columns: Vec<String>,
    pub source_rows: u64,
    pub target_rows: u64,
    pub only_in_source: Vec<Key>,
    pub only_in_target: Vec<Key>,
    pub changed: Vec<ChangedRow>,
}

/// A key present on both sides whose rows differ.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct ChangedRow {
    pub key: Key,
    /// The differing columns, when asked for ([`crate::data::CompareOptions::column_details`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub columns: Option<Vec<String>>,
}

impl TableComparison {
    pub fn is_identical(&self) -> bool {
        self.only_in_source.is_empty() && self.only_in_target.is_empty() && self.changed.is_empty()
    }
}

impl CompareReport {
    /// Whether every compared table holds the same rows on both sides.
    pub fn is_identical(&self) -> bool {
        self.tables.iter().all(TableComparison::is_identical)
    }

    /// The table called `name`, if it was compared.
    pub fn table(&self, name: &str) -> Option<&TableComparison> {
        self.tables.iter().find(|t| t.table == name)
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).unwrap_or_default()
    }
}

/// At most this many keys per list in the text report; JSON has them all.
const SHOWN_KEYS: usize = 20;

fn keys(list: impl Iterator<Item = String>, total: usize) -> String {
    let mut shown: Vec<String> = list.take(SHOWN_KEYS).collect();
    if total > SHOWN_KEYS {
        shown.push(format!("… {} more", total - SHOWN_KEYS));
    }
    shown.join(", ")
}

impl fmt::Display for CompareReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "{:<28} {:>10} {:>10} {:>12} {:>12} {:>8}",
            "table", "source", "target", "only source", "only target", "changed"
        )?;
        for t in &self.tables {
            writeln!(
                f,
                "{:<28} {:>10} {:>10} {:>12} {:>12} {:>8}",
                format!("{}.{}", t.schema, t.table),
                t.source_rows,
                t.target_rows,
                t.only_in_source.len(),
                t.only_in_target.len(),
                t.changed.len()
            )?;
        }
        for t in self.tables.iter().filter(|t| !t.is_identical()) {
            writeln!(f, "\n{} (key: {}):", t.table, t.key_columns.join(", "))?;
            if let Some(filter) = &t.filter {
                writeln!(f, "  where: {filter}")?;
            }
            if !t.only_in_source.is_empty() {
                let list = t.only_in_source.iter().map(Key::to_string);
                writeln!(
                    f,
                    "  only in source: {}",
                    keys(list, t.only_in_source.len())
                )?;
            }
            if !t.only_in_target.is_empty() {
                let list = t.only_in_target.iter().map(Key::to_string);
                writeln!(
                    f,
                    "  only in target: {}",
                    keys(list, t.only_in_target.len())
                )?;
            }
            if !t.changed.is_empty() {
                let list = t.changed.iter().map(|c| match &c.columns {
                    Some(columns) => format!("{} [{}]", c.key, columns.join(", ")),
                    None => c.key.to_string(),
                });
                writeln!(f, "  changed: {}", keys(list, t.changed.len()))?;
            }
        }
        let verdict = if self.is_identical() {
            "identical"
        } else {
            "different"
        };
        writeln!(
            f,
            "\n{} table(s) compared in {} ms: {verdict}",
            self.tables.len(),
            self.duration_ms
        )
    }
}
