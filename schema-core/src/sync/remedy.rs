//! What to do when the server refuses a sync's DDL for a reason outside the schema: the
//! role lacks a privilege (SQLSTATE 42501) or the transaction is read-only (25006).
//!
//! The server's message ("permission denied for schema app") names neither the role nor
//! the fix, so the catalog is asked which of the managed schemas the role may not create
//! in, and where a read-only default comes from.

use postgres::Client;

use crate::ddl::ident;
use crate::pg_error::PgError;

/// The fix for `error`, when it is one of the two kinds above and the catalog can say.
pub(crate) fn remedy(client: &mut Client, schemas: &[String], error: &PgError) -> Option<String> {
    let found = match error.code()? {
        "42501" => missing_privileges(client, schemas),
        "25006" => read_only(client),
        _ => return None,
    };
    found.ok()
}

/// The `GRANT`s the current role needs to create the schemas' objects.
fn missing_privileges(client: &mut Client, schemas: &[String]) -> Result<String, PgError> {
    let row = client.query_one(
        "SELECT current_user::text, current_database()::text,
                has_database_privilege(current_database(), 'CREATE'),
                ARRAY(SELECT n.nspname::text FROM pg_catalog.pg_namespace n
                      WHERE n.nspname = ANY($1) AND NOT has_schema_privilege(n.oid, 'CREATE')
                      ORDER BY 1),
                ARRAY(SELECT s FROM unnest($1::text[]) s
                      WHERE NOT EXISTS (SELECT FROM pg_catalog.pg_namespace WHERE nspname = s)
                      ORDER BY 1)",
        &[&schemas],
    )?;
    let (role, database, may_create_schemas): (String, String, bool) =
        (row.get(0), row.get(1), row.get(2));
    let (no_create, missing): (Vec<String>, Vec<String>) = (row.get(3), row.get(4));
    let role = ident(&role);
    let mut places = Vec::new();
    let mut grants = Vec::new();
    for schema in no_create.iter().map(|s| ident(s)) {
        places.push(format!("schema {schema}"));
        grants.push(format!("GRANT CREATE ON SCHEMA {schema} TO {role}"));
    }
    let mut alternative = String::new();
    if !missing.is_empty() && !may_create_schemas {
        let missing: Vec<String> = missing.iter().map(|s| ident(s)).collect();
        places.extend(missing.iter().map(|schema| {
            format!("schema {schema} (missing: creating it needs CREATE on the database)")
        }));
        grants.push(format!(
            "GRANT CREATE ON DATABASE {} TO {role}",
            ident(&database)
        ));
        let creates: Vec<String> = missing
            .iter()
            .map(|schema| format!("CREATE SCHEMA {schema} AUTHORIZATION {role}"))
            .collect();
        alternative = format!(" (or create the schema for it: {})", creates.join("; "));
    }
    if grants.is_empty() {
        return Ok(format!(
            "role {role} may create in every managed schema, so the statement needs more: it \
             changes an object the role does not own, or references a table the role has \
             no REFERENCES privilege on; run the sync as the objects' owner"
        ));
    }
    Ok(format!(
        "role {role} may not create objects in {}; as the owner or an admin, run: {}{alternative}",
        places.join(", "),
        grants.join("; ")
    ))
}

/// Why transactions are read-only here, and how to lift it.
fn read_only(client: &mut Client) -> Result<String, PgError> {
    let row = client.query_one(
        "SELECT pg_is_in_recovery(), current_user::text, current_database()::text,
                (SELECT source FROM pg_catalog.pg_settings
                 WHERE name = 'default_transaction_read_only')",
        &[],
    )?;
    let (standby, role, database, source): (bool, String, String, Option<String>) =
        (row.get(0), row.get(1), row.get(2), row.get(3));
    if standby {
        return Ok("the server is a read-only standby: sync against the primary".to_owned());
    }
    let (role, database) = (ident(&role), ident(&database));
    let lift = match source.as_deref() {
        Some("database") => {
            format!("ALTER DATABASE {database} RESET default_transaction_read_only")
        }
        Some("user") => format!("ALTER ROLE {role} RESET default_transaction_read_only"),
        Some("database user") => {
            format!("ALTER ROLE {role} IN DATABASE {database} RESET default_transaction_read_only")
        }
        Some(other) => format!("turn off default_transaction_read_only where it is set ({other})"),
        None => "turn off default_transaction_read_only".to_owned(),
    };
    Ok(format!(
        "transactions are read-only by default here (default_transaction_read_only = on); \
         sync against a writable database, or lift it: {lift}"
    ))
}
