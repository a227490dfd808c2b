//! Views: `pg_class` rows of kind `v` → the model.

use postgres::GenericClient;

use super::{IntrospectError, fetch, query};
use crate::catalog::Catalog;
use crate::model::ViewDef;
use crate::sql_lexer::tokens;

/// Reads the views of `schemas` into `catalog` (one query).
pub(super) fn read(
    client: &mut impl GenericClient,
    schemas: &[&str],
    catalog: &mut Catalog,
) -> Result<(), IntrospectError> {
    catalog.views = fetch(client, query::VIEWS, schemas, |row| {
        let schema: String = row.try_get("schema")?;
        let body: String = row.try_get("body")?;
        let reads: Vec<String> = row.try_get("reads")?;
        Ok(ViewDef {
            body: unqualify(&body, &schema).into(),
            schema: Some(schema.into()),
            name: row.try_get::<_, String>("name")?.into(),
            security_invoker: row.try_get("security_invoker")?,
            reads: reads.into_iter().map(Into::into).collect(),
        })
    })?;
    Ok(())
}

/// `sql` with the qualification `schema.` taken off the names it qualifies.
///
/// The server prints a view's body for the session reading it: a relation of a schema
/// that is not on the search path prints qualified. A view is declared naming its own
/// schema's relations without one, so the body is compared as seen from that schema.
pub(crate) fn unqualify(sql: &str, schema: &str) -> String {
    let tokens: Vec<_> = tokens(sql).collect();
    let mut out = String::with_capacity(sql.len());
    let mut i = 0;
    while i < tokens.len() {
        let qualifies = matches!(
            &tokens[i..],
            [first, dot, name, ..]
                if dot.text == "." && name.name().is_some()
                    && first.name().as_deref() == Some(schema)
                    && (i == 0 || tokens[i - 1].text != ".")
        );
        if qualifies {
            i += 2;
            continue;
        }
        out.push_str(tokens[i].text);
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::unqualify;

    #[test]
    fn takes_the_own_schema_off_and_leaves_the_rest() {
        assert_eq!(
            unqualify(
                " SELECT c.id FROM tenant_a.customers c JOIN public.tenants t ON true",
                "tenant_a"
            ),
            " SELECT c.id FROM customers c JOIN public.tenants t ON true"
        );
        assert_eq!(
            unqualify(r#"SELECT "My App".x.id FROM "My App".x"#, "My App"),
            "SELECT x.id FROM x"
        );
        assert_eq!(
            unqualify("SELECT 'tenant_a.customers' AS t", "tenant_a"),
            "SELECT 'tenant_a.customers' AS t"
        );
    }
}
