//! The tenant of a transaction, for tables declared with `row_security`.
//!
//! Their policy compares `tenant_id` with `current_setting('app.tenant_id', true)`.
//! [`set_tenant`] sets it with `set_config($1, $2, true)`: the tenant travels as a bound
//! parameter, never as SQL text, and `true` makes it local to the transaction, so a
//! pooled connection handed to the next request carries no tenant (and sees no rows)
//! until that request sets its own.
//!
//! ```no_run
//! # fn demo(client: &mut postgres::Client) -> Result<(), postgres::Error> {
//! let names: Vec<String> = schema_core::tenant_session::with_tenant(client, 42, |tx| {
//!     let rows = tx.query("SELECT display_name FROM users", &[])?;
//!     Ok(rows.iter().map(|r| r.get(0)).collect())
//! })?;
//! # Ok(()) }
//! ```

use std::fmt::Display;

use postgres::{Client, Transaction};

/// The setting `row_security` policies read unless declared with `setting = "..."`.
pub const DEFAULT_SETTING: &str = "app.tenant_id";

/// Sets the tenant ([`DEFAULT_SETTING`]) until the end of `tx`.
pub fn set_tenant(tx: &mut Transaction<'_>, tenant: impl Display) -> Result<(), postgres::Error> {
    set_tenant_setting(tx, DEFAULT_SETTING, tenant)
}

/// Sets the tenant under another setting name (`row_security(setting = "...")`) until
/// the end of `tx`.
pub fn set_tenant_setting(
    tx: &mut Transaction<'_>,
    setting: &str,
    tenant: impl Display,
) -> Result<(), postgres::Error> {
    tx.execute(
        "SELECT pg_catalog.set_config($1, $2, true)",
        &[&setting, &tenant.to_string()],
    )?;
    Ok(())
}

/// Runs `f` in a transaction whose tenant is `tenant`, and commits when it returns `Ok`
/// (the transaction rolls back on `Err`).
pub fn with_tenant<T>(
    client: &mut Client,
    tenant: impl Display,
    f: impl FnOnce(&mut Transaction<'_>) -> Result<T, postgres::Error>,
) -> Result<T, postgres::Error> {
    let mut tx = client.transaction()?;
    set_tenant(&mut tx, tenant)?;
    let value = f(&mut tx)?;
    tx.commit()?;
    Ok(value)
}
