//! The example service over real HTTP on 127.0.0.1: every endpoint's status and body,
//! while its database does not exist yet and after it appears, in development and in
//! production (where `POST /schema/sync` needs the bearer token).

mod common;

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::thread;
use std::time::{Duration, Instant};

use examples::service::{Config, serve};
use schema_core::SyncOptions;
use schema_core::connect::Settings;
use schema_core::health::RetryPolicy;
use serde_json::Value;

use common::fresh;

/// Generous: the bound only stops a hung test.
const WAIT: Duration = Duration::from_secs(120);

/// Never sent by the client below, and must never come back in a body.
const PASSWORD: &str = "pw-not-to-show";

/// A running service; dropping it shuts the server down.
struct Service {
    address: SocketAddr,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    thread: Option<thread::JoinHandle<()>>,
}

impl Service {
    /// Binds 127.0.0.1 on a free port and serves `config` on a runtime of its own.
    fn start(config: Config) -> Service {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("a free port");
        let address = listener.local_addr().unwrap();
        listener.set_nonblocking(true).unwrap();
        let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
        let thread = thread::spawn(move || {
            let runtime = tokio::runtime::Builder::new_multi_thread()
                .worker_threads(2)
                .enable_all()
                .build()
                .expect("a runtime");
            runtime.block_on(async move {
                let listener = tokio::net::TcpListener::from_std(listener).unwrap();
                serve(listener, config, async {
                    let _ = stopped.await;
                })
                .await
                .expect("the service serves");
            });
        });
        Service {
            address,
            stop: Some(stop),
            thread: Some(thread),
        }
    }

    fn get(&self, path: &str) -> Response {
        self.request("GET", path, None)
    }

    /// One HTTP/1.1 request on a connection of its own (`Connection: close`).
    fn request(&self, method: &str, path: &str, authorization: Option<&str>) -> Response {
        let mut stream =
            TcpStream::connect_timeout(&self.address, Duration::from_secs(5)).expect("connect");
        stream
            .set_read_timeout(Some(Duration::from_secs(60)))
            .unwrap();
        let authorization = authorization
            .map(|value| format!("Authorization: {value}\r\n"))
            .unwrap_or_default();
        write!(
            stream,
            "{method} {path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: 0\r\n{authorization}\r\n",
            self.address
        )
        .unwrap();
        let mut raw = String::new();
        stream.read_to_string(&mut raw).expect("a response");
        let (head, body) = raw.split_once("\r\n\r\n").expect("headers and a body");
        let status = head
            .split(' ')
            .nth(1)
            .and_then(|code| code.parse().ok())
            .expect("a status line");
        assert!(
            !raw.contains(PASSWORD),
            "{method} {path} shows the password: {raw}"
        );
        Response {
            status,
            head: head.to_owned(),
            body: body.to_owned(),
        }
    }

    /// Polls `/readyz` until it answers 200, for at most [`WAIT`].
    fn wait_ready(&self) -> Response {
        let deadline = Instant::now() + WAIT;
        loop {
            let response = self.get("/readyz");
            if response.status == 200 || Instant::now() > deadline {
                return response;
            }
            thread::sleep(Duration::from_millis(50));
        }
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

#[derive(Debug)]
struct Response {
    status: u16,
    head: String,
    body: String,
}

impl Response {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// The value of the sample `series` (name and labels as written) in a metrics body.
    fn metric(&self, series: &str) -> Option<f64> {
        self.body.lines().find_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            (name == series).then(|| value.parse().unwrap())
        })
    }
}

/// Many quick attempts: the test database appears after a few of them.
fn patient() -> RetryPolicy {
    RetryPolicy {
        attempts: 2_000,
        initial_delay: Duration::from_millis(20),
        max_delay: Duration::from_millis(100),
    }
}

/// The test database's URL with a password added (the harness's server trusts its
/// socket, so it is never asked for) and, when given, another database name.
fn url_with_password(url: &str, database: Option<(&str, &str)>) -> String {
    let url = match database {
        Some((from, to)) => url.replace(from, to),
        None => url.to_owned(),
    };
    let separator = if url.contains('?') { '&' } else { '?' };
    format!("{url}{separator}password={PASSWORD}")
}

fn config(url: &str, options: SyncOptions, sync_token: Option<&str>, retry: RetryPolicy) -> Config {
    Config {
        settings: Settings::from_url(url).expect("the URL parses"),
        options,
        sync_token: sync_token.map(str::to_owned),
        retry,
    }
}

#[test]
fn development_serves_every_endpoint_before_and_after_the_database_appears() {
    let (db, mut admin) = fresh();
    let later = format!("{}_later", db.name());
    let url = url_with_password(db.url(), Some((db.name(), &later)));
    let service = Service::start(config(&url, SyncOptions::development(), None, patient()));

    // The database does not exist yet: alive, not ready, unhealthy.
    let alive = service.get("/healthz");
    assert_eq!(
        (alive.status, alive.json()["status"].as_str()),
        (200, Some("alive"))
    );
    let ready = service.get("/readyz");
    assert_eq!(ready.status, 503, "{}", ready.body);
    assert_eq!(ready.json()["state"], "starting");
    let schema = service.get("/schema");
    assert_eq!(schema.status, 503, "{}", schema.body);
    assert_eq!(schema.json()["status"], "unhealthy");
    assert_eq!(schema.json()["database"]["reachable"], false);
    assert!(
        schema.json()["error"].as_str().unwrap().contains(&later),
        "the error names the database: {}",
        schema.body
    );
    let plan = service.get("/schema/plan");
    assert_eq!(plan.status, 503, "{}", plan.body);
    let metrics = service.get("/metrics");
    assert_eq!(metrics.status, 200);
    assert!(
        metrics.head.contains("text/plain; version=0.0.4"),
        "{}",
        metrics.head
    );
    assert_eq!(
        metrics.metric("schema_ready"),
        Some(0.0),
        "{}",
        metrics.body
    );
    assert_eq!(metrics.metric("schema_database_up"), Some(0.0));
    assert_eq!(
        metrics.metric("schema_health_status{status=\"unhealthy\"}"),
        Some(1.0)
    );
    assert_eq!(metrics.metric("schema_drift_changes{class=\"safe\"}"), None);
    assert!(
        metrics.body.contains("# TYPE schema_drift_changes gauge"),
        "{}",
        metrics.body
    );

    // The database appears: the start-up connects, migrates, syncs.
    admin
        .batch_execute(&format!("CREATE DATABASE \"{later}\""))
        .unwrap();
    let ready = service.wait_ready();
    assert_eq!(ready.status, 200, "{}", ready.body);
    assert_eq!(ready.json(), serde_json::json!({ "state": "ready" }));
    let schema = service.get("/schema");
    assert_eq!(schema.status, 200, "{}", schema.body);
    assert_eq!(schema.json()["status"], "healthy", "{}", schema.body);
    assert_eq!(
        schema.json()["migrations"]["applied"],
        serde_json::json!([1, 2, 3])
    );
    let plan = service.get("/schema/plan");
    assert_eq!(plan.status, 200, "{}", plan.body);
    assert_eq!(plan.json()["outcome"], "up-to-date", "{}", plan.body);
    let metrics = service.get("/metrics");
    assert_eq!(
        metrics.metric("schema_ready"),
        Some(1.0),
        "{}",
        metrics.body
    );
    assert_eq!(metrics.metric("schema_database_up"), Some(1.0));
    assert_eq!(
        metrics.metric("schema_drift_changes{class=\"safe\"}"),
        Some(0.0)
    );
    assert_eq!(metrics.metric("schema_migrations_pending"), Some(0.0));
    assert!(
        metrics
            .metric("schema_last_sync_duration_seconds")
            .is_some()
    );

    // Drift that a safe fix repairs: degraded (still 200), planned, then synced away.
    let mut client =
        postgres::Client::connect(&db.url().replace(db.name(), &later), postgres::NoTls).unwrap();
    client
        .batch_execute("DROP INDEX cards_board_id_sort_order_idx")
        .unwrap();
    let schema = service.get("/schema");
    assert_eq!(
        (schema.status, &schema.json()["status"]),
        (200, &Value::from("degraded")),
        "{}",
        schema.body
    );
    let plan = service.get("/schema/plan");
    assert_eq!(plan.json()["outcome"], "planned", "{}", plan.body);
    assert_eq!(
        plan.json()["pending"].as_array().unwrap().len(),
        1,
        "{}",
        plan.body
    );
    let metrics = service.get("/metrics");
    assert_eq!(
        metrics.metric("schema_drift_changes{class=\"safe\"}"),
        Some(1.0),
        "{}",
        metrics.body
    );
    let synced = service.request("POST", "/schema/sync", None);
    assert_eq!(synced.status, 200, "{}", synced.body);
    assert_eq!(synced.json()["outcome"], "applied", "{}", synced.body);
    assert_eq!(service.get("/schema").json()["status"], "healthy");
    let metrics = service.get("/metrics");
    assert_eq!(
        metrics.metric("schema_drift_changes{class=\"safe\"}"),
        Some(0.0)
    );
    assert_eq!(
        metrics.metric("schema_last_sync_outcome{outcome=\"applied\"}"),
        Some(1.0),
        "{}",
        metrics.body
    );
    assert_eq!(service.get("/schema/sync").status, 405);

    drop(service);
    drop(client);
    admin
        .batch_execute(&format!("DROP DATABASE \"{later}\" WITH (FORCE)"))
        .unwrap();
}

#[test]
fn production_syncs_on_request_only_with_the_bearer_token() {
    let (db, _client) = fresh();
    let url = url_with_password(db.url(), None);
    let token = "t0ken-for-this-test";
    let service = Service::start(config(
        &url,
        SyncOptions::production(),
        Some(token),
        patient(),
    ));
    let ready = service.wait_ready();
    assert_eq!(ready.status, 200, "{}", ready.body);

    let refused = service.request("POST", "/schema/sync", None);
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(
        refused.json()["error"]
            .as_str()
            .unwrap()
            .contains("SCHEMA_SYNC_TOKEN"),
        "{}",
        refused.body
    );
    for wrong in [
        "Bearer t0ken-for-this-tes",
        "Bearer t0ken-for-this-test2",
        "Basic t0ken-for-this-test",
    ] {
        assert_eq!(
            service.request("POST", "/schema/sync", Some(wrong)).status,
            403,
            "{wrong}"
        );
    }
    let synced = service.request("POST", "/schema/sync", Some(&format!("Bearer {token}")));
    assert_eq!(synced.status, 200, "{}", synced.body);
    assert_eq!(synced.json()["outcome"], "up-to-date", "{}", synced.body);
    assert_eq!(synced.json()["mode"], "production");
    drop(service);

    // Without a token configured, production refuses whatever the request says.
    let service = Service::start(config(&url, SyncOptions::production(), None, patient()));
    assert_eq!(service.wait_ready().status, 200);
    let refused = service.request("POST", "/schema/sync", Some(&format!("Bearer {token}")));
    assert_eq!(refused.status, 403, "{}", refused.body);
}

#[test]
fn a_start_up_that_gives_up_is_not_ready_with_the_reason() {
    let missing = tempfile::tempdir().unwrap();
    let url = format!(
        "host={} user=app password={PASSWORD} dbname=app",
        missing.path().display()
    );
    let retry = RetryPolicy {
        attempts: 2,
        initial_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(10),
    };
    let service = Service::start(config(&url, SyncOptions::development(), None, retry));
    let deadline = Instant::now() + WAIT;
    let failed = loop {
        let response = service.get("/readyz");
        if response.json()["state"] == "failed" || Instant::now() > deadline {
            break response;
        }
        thread::sleep(Duration::from_millis(20));
    };
    assert_eq!(failed.status, 503, "{}", failed.body);
    let reason = failed.json()["reason"].as_str().unwrap().to_owned();
    assert!(
        reason.starts_with("could not connect to the database in 2 attempt(s): "),
        "{reason}"
    );
    assert_eq!(service.get("/healthz").status, 200);
    assert_eq!(service.get("/schema").status, 503);
    let metrics = service.get("/metrics");
    assert_eq!(
        metrics.metric("schema_last_sync_outcome{outcome=\"failed\"}"),
        Some(1.0),
        "{}",
        metrics.body
    );
}
