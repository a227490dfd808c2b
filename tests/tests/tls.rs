//! TLS connections with libpq's `sslmode`s, against the harness's server started with a
//! certificate made here (signed by a CA made here) and refusing plain TCP connections.

use std::path::PathBuf;
use std::sync::OnceLock;

use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair};
use schema_core::connect::Settings;
use schema_core::ephemeral::{Server, ServerOptions, ServerTls};

struct Fixture {
    server: Server,
    /// The CA that signed the server's certificate.
    ca: PathBuf,
    /// A CA that did not.
    other_ca: PathBuf,
    _dir: tempfile::TempDir,
}

/// A CA certificate in PEM and its issuer.
fn make_ca(name: &str) -> (String, Issuer<'static, KeyPair>) {
    let mut params = CertificateParams::new(Vec::<String>::new()).unwrap();
    params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    params.distinguished_name.push(DnType::CommonName, name);
    let key = KeyPair::generate().unwrap();
    let pem = params.self_signed(&key).unwrap().pem();
    (pem, Issuer::new(params, key))
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let (ca_pem, ca) = make_ca("schema-core test CA");
        let (other_pem, _) = make_ca("some other CA");
        let key = KeyPair::generate().unwrap();
        let cert = CertificateParams::new(vec!["localhost".to_owned()])
            .unwrap()
            .signed_by(&key, &ca)
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let (ca_path, other_path) = (dir.path().join("ca.pem"), dir.path().join("other.pem"));
        std::fs::write(&ca_path, ca_pem).unwrap();
        std::fs::write(&other_path, other_pem).unwrap();
        let server = Server::start_with(ServerOptions {
            tcp: true,
            tls: Some(ServerTls {
                cert_pem: cert.pem(),
                key_pem: key.serialize_pem(),
                required: true,
            }),
        })
        .unwrap();
        Fixture {
            server,
            ca: ca_path,
            other_ca: other_path,
            _dir: dir,
        }
    })
}

/// A URL to the server's `postgres` database through `host` with these TLS keys.
fn url(host: &str, sslmode: &str, root: Option<&PathBuf>) -> String {
    let mut url = format!(
        "postgresql://postgres@{host}:{}/postgres?sslmode={sslmode}",
        fixture().server.port()
    );
    if let Some(root) = root {
        url.push_str(&format!("&sslrootcert={}", root.display()));
    }
    url
}

/// Connects and asks the server whether this session is encrypted.
fn encrypted(url: &str) -> Result<bool, String> {
    let settings = Settings::from_url(url).map_err(|e| e.to_string())?;
    let mut client = settings.connect().map_err(|e| e.to_string())?;
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap();
    Ok(row.get(0))
}

#[test]
fn require_encrypts_without_a_root_certificate() {
    assert_eq!(encrypted(&url("127.0.0.1", "require", None)), Ok(true));
    assert_eq!(encrypted(&url("localhost", "prefer", None)), Ok(true));
}

#[test]
fn verify_full_checks_the_chain_and_the_host_name() {
    let f = fixture();
    assert_eq!(
        encrypted(&url("localhost", "verify-full", Some(&f.ca))),
        Ok(true)
    );
    let error = encrypted(&url("127.0.0.1", "verify-full", Some(&f.ca))).unwrap_err();
    assert!(
        error.contains("does not name the host") && error.contains("verify-ca"),
        "{error}"
    );
}

#[test]
fn verify_ca_checks_the_chain_only() {
    let f = fixture();
    assert_eq!(
        encrypted(&url("127.0.0.1", "verify-ca", Some(&f.ca))),
        Ok(true)
    );
    let error = encrypted(&url("localhost", "verify-ca", Some(&f.other_ca))).unwrap_err();
    assert!(
        error.contains("not signed by the root certificate"),
        "{error}"
    );
    // `require` with a root checks the chain too, as libpq does.
    let error = encrypted(&url("localhost", "require", Some(&f.other_ca))).unwrap_err();
    assert!(
        error.contains("not signed by the root certificate"),
        "{error}"
    );
}

#[test]
fn verify_modes_need_a_root_certificate() {
    let error = Settings::from_url(&url("localhost", "verify-full", None))
        .map(|_| ())
        .unwrap_err()
        .to_string();
    assert!(error.contains("sslrootcert"), "{error}");
}

#[test]
fn disable_is_refused_by_a_server_that_requires_tls() {
    let error = encrypted(&url("127.0.0.1", "disable", None)).unwrap_err();
    assert!(
        error.contains("accepts only TLS") && error.contains("sslmode=require"),
        "{error}"
    );
    // `allow` tries plain first, then TLS.
    assert_eq!(encrypted(&url("127.0.0.1", "allow", None)), Ok(true));
}

#[test]
fn pgsslmode_and_pgsslrootcert_apply_to_the_pg_variables() {
    let f = fixture();
    let vars = [
        ("PGHOST", "localhost".to_owned()),
        ("PGPORT", f.server.port().to_string()),
        ("PGUSER", "postgres".to_owned()),
        ("PGDATABASE", "postgres".to_owned()),
        ("PGSSLMODE", "verify-full".to_owned()),
        ("PGSSLROOTCERT", f.ca.display().to_string()),
    ];
    let var = |name: &str| {
        vars.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    let settings = Settings::resolve(None, var).unwrap().unwrap();
    let mut client = settings.connect().unwrap();
    let row = client
        .query_one(
            "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()",
            &[],
        )
        .unwrap();
    assert!(row.get::<_, bool>(0));
}
