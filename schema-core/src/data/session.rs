//! The transactions a comparison and a copy read and write in.
//!
//! Values cross between the two databases as their text form, so both sessions pin
//! every setting that text depends on: the same row prints the same on both sides.

use postgres::{Client, IsolationLevel, Transaction};

/// Settings that fix the text form of dates, times, intervals, floats and bytes.
const TEXT_SETTINGS: &str = "SET LOCAL DateStyle = 'ISO, MDY'; \
     SET LOCAL IntervalStyle = 'postgres'; \
     SET LOCAL TimeZone = 'UTC'; \
     SET LOCAL extra_float_digits = 3; \
     SET LOCAL bytea_output = 'hex'";

/// A read-only, repeatable-read transaction: one snapshot for the whole run, and a
/// filter that tried to write would fail.
pub(crate) fn read_only(client: &mut Client) -> Result<Transaction<'_>, postgres::Error> {
    let mut tx = client
        .build_transaction()
        .isolation_level(IsolationLevel::RepeatableRead)
        .read_only(true)
        .start()?;
    tx.batch_execute(TEXT_SETTINGS)?;
    Ok(tx)
}

/// The copy's transaction on the target.
pub(crate) fn writing(client: &mut Client) -> Result<Transaction<'_>, postgres::Error> {
    let mut tx = client.transaction()?;
    tx.batch_execute(TEXT_SETTINGS)?;
    Ok(tx)
}
