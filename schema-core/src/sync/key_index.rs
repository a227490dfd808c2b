//! Running [`Step::AddKeyUsingIndex`](crate::step::Step::AddKeyUsingIndex) after the
//! commit: build the key's index concurrently, then let the constraint take it over.
//!
//! The build scans the table without blocking writes. Taking the index over is quick but
//! needs an exclusive lock on the table, so it runs in a transaction with the sync's
//! `lock_timeout`: a long query on the table makes it fail instead of queueing every
//! other query behind it. Either failure is a warning and leaves no index behind, so the
//! next sync finds the key missing, looks at the rows again, and retries.

use postgres::Client;

use crate::ddl::{attach_key_index, key_index, render_step};
use crate::model::KeyDef;
use crate::pg_error::PgError;
use crate::step::Step;
use crate::sync::apply::set_timeouts;
use crate::sync::options::SyncOptions;

/// SQLSTATE `duplicate_table`: the name is taken by a relation this step did not make.
const NAME_TAKEN: &str = "42P07";

/// Adds the key and returns the warnings of what failed.
pub(crate) fn add_key_using_index(
    client: &mut Client,
    schema: &str,
    table: &str,
    key: &KeyDef,
    primary_key: bool,
    options: &SyncOptions,
) -> Vec<String> {
    let build = key_index(schema, table, key);
    if let Err(e) = client.batch_execute(&build) {
        let e = PgError(e);
        let mut warnings = vec![format!("`{build}` failed: {e}; the next sync retries it")];
        // Any other failure leaves this build's invalid index behind.
        if e.code() != Some(NAME_TAKEN) {
            warnings.extend(drop_index(client, schema, key));
        }
        return warnings;
    }
    let attach = attach_key_index(schema, table, key, primary_key);
    let attached = client.transaction().map_err(PgError).and_then(|mut tx| {
        set_timeouts(&mut tx, options, true)?;
        tx.batch_execute(&attach)?;
        tx.commit().map_err(PgError)
    });
    match attached {
        Ok(()) => Vec::new(),
        Err(e) => {
            let mut warnings = vec![format!("`{attach}` failed: {e}; the next sync retries it")];
            warnings.extend(drop_index(client, schema, key));
            warnings
        }
    }
}

/// Drops the index the build made; a warning if that fails too.
fn drop_index(client: &mut Client, schema: &str, key: &KeyDef) -> Option<String> {
    let drop = Step::DropIndex {
        schema: schema.to_owned(),
        name: key.name.clone(),
        concurrently: true,
    };
    render_step(&drop).into_iter().find_map(|sql| {
        client
            .batch_execute(&sql)
            .err()
            .map(|e| format!("`{sql}` failed: {}", PgError(e)))
    })
}
