//! [`DatabaseIdentity`]: which database a connection reached, as the server sees it.
//!
//! Two URLs can name one database (an alias, a pooler, a socket and a TCP address), so
//! "same database" is decided from what the servers report: the cluster's system
//! identifier (from `pg_control_system()`) and the database name.

use postgres::GenericClient;

/// What a server says about the database a connection is on.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct DatabaseIdentity {
    /// The cluster's `system_identifier`; `None` when the role may not read it.
    pub system_identifier: Option<String>,
    pub database: String,
    /// The server's address and port as it sees the connection (`None` over a socket).
    pub server_address: Option<String>,
    pub server_port: Option<i32>,
    pub current_user: String,
}

impl DatabaseIdentity {
    /// Reads the identity of the database `client` is connected to.
    pub fn of(client: &mut impl GenericClient) -> Result<DatabaseIdentity, postgres::Error> {
        let rest = "current_database()::text, host(inet_server_addr()), inet_server_port(), \
                    current_user::text";
        let with_id = format!(
            "SELECT (SELECT system_identifier::text FROM pg_catalog.pg_control_system()), {rest}"
        );
        let row = match client.query_one(&with_id, &[]) {
            Ok(row) => row,
            // Without the privilege to read the control file, address and port decide.
            Err(e) if crate::PgError::code_of(&e) == Some("42501") => {
                client.query_one(&format!("SELECT NULL::text, {rest}"), &[])?
            }
            Err(e) => return Err(e),
        };
        Ok(DatabaseIdentity {
            system_identifier: row.get(0),
            database: row.get(1),
            server_address: row.get(2),
            server_port: row.get(3),
            current_user: row.get(4),
        })
    }

    /// Whether both identities are one database: the same cluster (by system
    /// identifier, or by address and port when one is unknown) and the same name.
    pub fn same_database(&self, other: &DatabaseIdentity) -> bool {
        let same_cluster = match (&self.system_identifier, &other.system_identifier) {
            (Some(a), Some(b)) => a == b,
            _ => {
                self.server_address == other.server_address && self.server_port == other.server_port
            }
        };
        same_cluster && self.database == other.database
    }

    /// `database on address:port`, for reports and the audit row.
    pub fn describe(&self) -> String {
        match (&self.server_address, self.server_port) {
            (Some(address), Some(port)) => format!("{} on {address}:{port}", self.database),
            _ => format!("{} on a local socket", self.database),
        }
    }
}
