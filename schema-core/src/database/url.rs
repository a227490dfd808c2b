//! Pointing a connection string at another database on the same server.
//!
//! The `postgres` crate parses connection strings but cannot print them back, so the
//! rewriting is done on the text, following the crate's own parser: a
//! `postgres[ql]://` URL gets a new path, a `key=value` string gets a trailing
//! `dbname=...` (later keys win).

use std::str::FromStr;

use super::Error;

/// The connection strings the `postgres` crate parses, for messages.
pub(crate) const ACCEPTED_FORMS: &str = "postgresql://user:password@host:port/database \
    (or postgres://…), or key=value pairs such as `host=localhost user=app dbname=app`";

/// The URL schemes the `postgres` crate parses, exactly (it compares them case-sensitively).
const SCHEMES: [&str; 2] = ["postgresql", "postgres"];

/// Refuses a URL of another scheme (`mysql://…`) up front: the crate would read it as
/// `key=value` pairs and report only "unexpected EOF". Names only the scheme, never the
/// rest, which may hold a password.
pub(crate) fn check_scheme(url: &str) -> Result<(), Error> {
    let Some((scheme, _)) = url.trim_start().split_once("://") else {
        return Ok(());
    };
    // Text before `://` in a key=value string (`password=a://b`) is no scheme.
    let is_scheme = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'));
    if !is_scheme || SCHEMES.contains(&scheme) {
        return Ok(());
    }
    Err(Error::UnsupportedScheme {
        scheme: scheme.to_owned(),
    })
}

/// `url` with its database replaced by `database`, which may hold any character
/// (it is percent-encoded or quoted as the form requires).
///
/// ```
/// use schema_core::database::url_with_database;
///
/// let url = url_with_database("postgresql://app@db.internal:5433/app?connect_timeout=5", "app test").unwrap();
/// assert_eq!(url, "postgresql://app@db.internal:5433/app%20test?connect_timeout=5");
/// let kv = url_with_database("host=/run/postgresql user=app", "it's").unwrap();
/// assert_eq!(kv, r"host=/run/postgresql user=app dbname='it\'s'");
/// ```
pub fn url_with_database(url: &str, database: &str) -> Result<String, Error> {
    let rewritten = match split_url(url) {
        Some((head, query)) => format!("{head}/{}{query}", percent_encode(database)),
        None => format!("{} dbname={}", url.trim_end(), quote_value(database)),
    };
    // Parse the result so a malformed input is reported here, not at connect time.
    let config = postgres::Config::from_str(&rewritten).map_err(|source| Error::InvalidUrl {
        reason: super::describe(&source),
    })?;
    if config.get_dbname() != Some(database) {
        return Err(Error::InvalidUrl {
            reason: format!("could not set the database name to `{database}`"),
        });
    }
    Ok(rewritten)
}

/// Splits a URL into everything before its path (scheme, credentials, hosts) and its
/// query string (with the `?`), dropping the path; `None` for key=value strings.
pub(crate) fn split_url(url: &str) -> Option<(&str, &str)> {
    let scheme_len = SCHEMES
        .iter()
        .find(|scheme| {
            url.strip_prefix(**scheme)
                .is_some_and(|r| r.starts_with("://"))
        })?
        .len()
        + "://".len();
    let rest = &url[scheme_len..];
    // Same order as the crate's parser: credentials end at the first `@`, then the
    // host list ends at the first `/` or `?`.
    let hosts_start = rest.find('@').map_or(0, |at| at + 1);
    let hosts_end = rest[hosts_start..]
        .find(['/', '?'])
        .map_or(rest.len(), |i| hosts_start + i);
    let query_start = rest[hosts_end..]
        .find('?')
        .map_or(rest.len(), |i| hosts_end + i);
    Some((
        &url[..scheme_len + hosts_end],
        &url[scheme_len + query_start..],
    ))
}

/// Percent-encodes everything but RFC 3986 unreserved characters, which is always
/// safe inside a URL host or path.
pub(crate) fn percent_encode(text: &str) -> String {
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'.' | b'_' | b'~') {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// A single-quoted key=value value: backslash escapes `'` and `\`.
fn quote_value(value: &str) -> String {
    let mut quoted = String::with_capacity(value.len() + 2);
    quoted.push('\'');
    for c in value.chars() {
        if matches!(c, '\'' | '\\') {
            quoted.push('\\');
        }
        quoted.push(c);
    }
    quoted.push('\'');
    quoted
}

#[cfg(test)]
mod tests {
    use super::*;

    fn dbname(url: &str) -> String {
        let config = postgres::Config::from_str(url).unwrap();
        config.get_dbname().unwrap().to_owned()
    }

    #[test]
    fn replaces_the_path_and_keeps_the_query() {
        let url =
            url_with_database("postgres://u:p%40ss@h1:1,h2/old?sslmode=disable", "new").unwrap();
        assert_eq!(url, "postgres://u:p%40ss@h1:1,h2/new?sslmode=disable");
    }

    #[test]
    fn adds_a_path_when_there_is_none() {
        assert_eq!(
            url_with_database("postgresql://localhost", "x").unwrap(),
            "postgresql://localhost/x"
        );
        assert_eq!(
            url_with_database("postgresql://localhost?user=me", "x").unwrap(),
            "postgresql://localhost/x?user=me"
        );
        assert_eq!(
            url_with_database("postgresql://", "x").unwrap(),
            "postgresql:///x"
        );
    }

    #[test]
    fn round_trips_awkward_names() {
        for name in [
            "a \"quoted\" name",
            "100%",
            "semi;colon/slash?",
            "it's \\ odd",
            "ünï",
        ] {
            let url = url_with_database("postgresql://%2Ftmp%2Fpg:5432/postgres", name).unwrap();
            assert_eq!(dbname(&url), name, "{url}");
            let kv = url_with_database("host=/tmp/pg dbname=postgres", name).unwrap();
            assert_eq!(dbname(&kv), name, "{kv}");
        }
    }

    #[test]
    fn other_schemes_are_refused_without_showing_the_rest() {
        for url in [
            "mysql://app:s3cret@db/app",
            " PostgreSQL://db/app",
            "jdbc+pg://db",
        ] {
            let error = check_scheme(url).unwrap_err().to_string();
            assert!(error.contains("postgresql://user"), "{error}");
            assert!(
                !error.contains("s3cret") && !error.contains("db/"),
                "{error}"
            );
        }
        for url in [
            "postgresql://db/app",
            "postgres://db/app",
            "host=db password=a://b",
            "host=/run/postgresql",
        ] {
            assert!(check_scheme(url).is_ok(), "{url}");
        }
    }

    #[test]
    fn reports_malformed_input() {
        assert!(url_with_database("host='unterminated", "x").is_err());
    }
}
