//! [`Key`]: a primary key value, ordered the way the key-ordered queries sort.
//!
//! Integer key columns are read and sorted as integers; every other type is read and
//! sorted as its text form under `COLLATE "C"`, which is byte order, the order Rust
//! compares `String`s in. The server's sort and the client's merge therefore agree on
//! every column type, whatever collation the databases use.

use std::fmt;

use crate::data::error::DataError;
use crate::model::{ColumnDef, SqlType, TableDef};

/// One column of a key.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(untagged)]
pub enum KeyValue {
    Int(i64),
    /// The column's text form (`::text`), for every type but the integers.
    Text(String),
}

/// A primary key value, one entry per key column.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, serde::Serialize)]
#[serde(transparent)]
pub struct Key(pub Vec<KeyValue>);

impl KeyValue {
    /// The text form, as bound to a `text[]` parameter and cast back on the server.
    pub fn as_text(&self) -> String {
        match self {
            KeyValue::Int(n) => n.to_string(),
            KeyValue::Text(s) => s.clone(),
        }
    }
}

impl Key {
    /// A key of `table` from the text of each key column (`["42"]`, `["7", "fr"]`).
    pub fn parse(table: &TableDef, parts: &[&str]) -> Result<Key, DataError> {
        let columns = key_columns(table)?;
        if parts.len() != columns.len() {
            return Err(DataError::KeyArity {
                table: table.name.to_string(),
                columns: names(&columns),
                given: parts.len(),
                expected: columns.len(),
            });
        }
        let values = columns
            .iter()
            .zip(parts)
            .map(|(column, part)| {
                if is_integer(column) {
                    part.trim()
                        .parse()
                        .map(KeyValue::Int)
                        .map_err(|_| DataError::KeyValue {
                            table: table.name.to_string(),
                            column: column.name.to_string(),
                            value: (*part).to_owned(),
                        })
                } else {
                    Ok(KeyValue::Text((*part).to_owned()))
                }
            })
            .collect::<Result<_, _>>()?;
        Ok(Key(values))
    }
}

impl fmt::Display for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self.0.iter().map(KeyValue::as_text).collect();
        match parts.as_slice() {
            [one] => f.write_str(one),
            _ => write!(f, "({})", parts.join(", ")),
        }
    }
}

/// Whether a key column is read and ordered as an integer.
pub(crate) fn is_integer(column: &ColumnDef) -> bool {
    !column.array
        && matches!(
            column.sql_type,
            SqlType::SmallInt | SqlType::Integer | SqlType::BigInt
        )
}

/// The primary key's columns, in key order.
pub(crate) fn key_columns(table: &TableDef) -> Result<Vec<&ColumnDef>, DataError> {
    let key = table
        .primary_key
        .as_ref()
        .ok_or_else(|| DataError::NoPrimaryKey(table.name.to_string()))?;
    key.columns
        .iter()
        .map(|name| {
            table
                .columns
                .iter()
                .find(|c| c.name == *name)
                .ok_or_else(|| DataError::UnknownColumn {
                    table: table.name.to_string(),
                    column: name.to_string(),
                })
        })
        .collect()
}

pub(crate) fn names(columns: &[&ColumnDef]) -> String {
    columns
        .iter()
        .map(|c| c.name.as_ref())
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_order_as_the_queries_sort() {
        let int = |n| KeyValue::Int(n);
        let text = |s: &str| KeyValue::Text(s.to_owned());
        assert!(Key(vec![int(2)]) < Key(vec![int(10)]));
        // Byte order, as `COLLATE "C"`: upper case before lower case, `é` after `z`.
        assert!(Key(vec![text("Z")]) < Key(vec![text("a")]));
        assert!(Key(vec![text("z")]) < Key(vec![text("é")]));
        assert!(Key(vec![int(1), text("b")]) < Key(vec![int(2), text("a")]));
        assert_eq!(Key(vec![int(1), text("b")]).to_string(), "(1, b)");
    }
}
