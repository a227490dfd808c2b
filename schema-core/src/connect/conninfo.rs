//! Taking the TLS keys out of a connection string.
//!
//! The `postgres` crate knows `sslmode` only as disable/prefer/require and refuses
//! `sslrootcert`, so those two keys are read here and removed before the crate parses
//! the rest, in both forms: a URL's query (`?sslmode=verify-full&sslrootcert=ca.pem`)
//! and `key=value` pairs (`sslmode=verify-full sslrootcert='/etc/ca.pem'`).

use crate::database::split_url;

/// A connection string without its TLS keys, and their values.
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Conninfo {
    /// What the `postgres` crate parses.
    pub rest: String,
    pub sslmode: Option<String>,
    pub sslrootcert: Option<String>,
}

/// Splits `text` (a URL or `key=value` pairs); the error says what is malformed.
pub(super) fn split(text: &str) -> Result<Conninfo, String> {
    let mut info = Conninfo::default();
    match split_url(text) {
        Some((_, query)) => {
            let path_end = text.len() - query.len();
            let mut kept = Vec::new();
            for pair in query.trim_start_matches('?').split('&') {
                let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
                if !info.take(key, || percent_decode(value))? {
                    kept.push(pair);
                }
            }
            info.rest = text[..path_end].to_owned();
            kept.retain(|pair| !pair.is_empty());
            if !kept.is_empty() {
                info.rest.push('?');
                info.rest.push_str(&kept.join("&"));
            }
        }
        None => {
            let mut kept = Vec::new();
            for (key, value, raw) in pairs(text)? {
                if !info.take(key, || Ok(value))? {
                    kept.push(raw);
                }
            }
            info.rest = kept.join(" ");
        }
    }
    Ok(info)
}

impl Conninfo {
    /// Stores `key`'s value when it is a TLS key (later ones win, as in libpq).
    fn take(
        &mut self,
        key: &str,
        value: impl FnOnce() -> Result<String, String>,
    ) -> Result<bool, String> {
        let slot = match key {
            "sslmode" => &mut self.sslmode,
            "sslrootcert" => &mut self.sslrootcert,
            _ => return Ok(false),
        };
        *slot = Some(value()?);
        Ok(true)
    }
}

/// `key=value` pairs as the `postgres` crate reads them: spaces around `=` allowed,
/// values unquoted (backslash escapes) or in single quotes (backslash escapes `'` and
/// `\`). Yields each key, its unescaped value and its original text.
fn pairs(text: &str) -> Result<Vec<(&str, String, &str)>, String> {
    let mut pairs = Vec::new();
    let mut rest = text.trim_start();
    while !rest.is_empty() {
        let start = rest;
        let key_len = rest
            .find(|c: char| c == '=' || c.is_whitespace())
            .unwrap_or(rest.len());
        let key = &rest[..key_len];
        rest = rest[key_len..].trim_start();
        rest = rest
            .strip_prefix('=')
            .ok_or_else(|| format!("expected `=` after `{key}`"))?
            .trim_start();
        let mut value = String::new();
        let mut chars = rest.char_indices();
        let quoted = rest.starts_with('\'');
        if quoted {
            chars.next();
        }
        let mut end = None;
        while let Some((i, c)) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some((_, escaped)) => value.push(escaped),
                    None => return Err(format!("unfinished escape in the value of `{key}`")),
                },
                '\'' if quoted => {
                    end = Some(i + 1);
                    break;
                }
                c if c.is_whitespace() && !quoted => {
                    end = Some(i);
                    break;
                }
                c => value.push(c),
            }
        }
        let end = match end {
            Some(end) => end,
            None if quoted => return Err(format!("unterminated quote in the value of `{key}`")),
            None => rest.len(),
        };
        let consumed = start.len() - rest.len() + end;
        pairs.push((key, value, &start[..consumed]));
        rest = rest[end..].trim_start();
    }
    Ok(pairs)
}

/// Decodes `%XX` escapes in a URL query value.
fn percent_decode(text: &str) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut decoded = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text
                .get(i + 1..i + 3)
                .and_then(|hex| u8::from_str_radix(hex, 16).ok())
                .ok_or_else(|| format!("invalid percent-encoding in `{text}`"))?;
            decoded.push(hex);
            i += 3;
        } else {
            decoded.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(decoded).map_err(|_| format!("`{text}` does not decode to UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn takes_the_tls_keys_out_of_a_url_query() {
        let info = split(
            "postgresql://app:pw@db:5433/app?connect_timeout=5&sslmode=verify-full&sslrootcert=%2Fetc%2Fca.pem",
        )
        .unwrap();
        assert_eq!(
            info.rest,
            "postgresql://app:pw@db:5433/app?connect_timeout=5"
        );
        assert_eq!(info.sslmode.as_deref(), Some("verify-full"));
        assert_eq!(info.sslrootcert.as_deref(), Some("/etc/ca.pem"));
        let info = split("postgres://db/app?sslmode=require").unwrap();
        assert_eq!(info.rest, "postgres://db/app");
        assert_eq!(split("postgres://db").unwrap().rest, "postgres://db");
    }

    #[test]
    fn takes_the_tls_keys_out_of_key_value_pairs() {
        let info = split(
            r"host=db sslmode = verify-ca password='it\'s secret' sslrootcert='/etc/my ca.pem' dbname=app",
        )
        .unwrap();
        assert_eq!(info.rest, r"host=db password='it\'s secret' dbname=app");
        assert_eq!(info.sslmode.as_deref(), Some("verify-ca"));
        assert_eq!(info.sslrootcert.as_deref(), Some("/etc/my ca.pem"));
        assert!(split("host='oops").is_err());
    }
}
