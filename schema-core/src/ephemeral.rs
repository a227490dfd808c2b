//! A throwaway PostgreSQL server, started from the installed binaries.
//!
//! Tests and first runs need a real server without anyone setting one up. [`Server`]
//! runs `initdb` into a fresh temporary directory and starts `postgres` on a unix
//! socket inside it: no TCP port, so no port races between parallel test processes and
//! nothing reachable from outside. Durability is switched off (the data is thrown away)
//! and the server is stopped and its directory removed when the value is dropped, or,
//! through a guard process, when the owning process exits in any way.
//!
//! ```no_run
//! let server = schema_core::ephemeral::Server::start()?;
//! let mut client = server.config("postgres").connect(postgres::NoTls)?;
//! client.batch_execute("SELECT 1")?;
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod account;
mod binaries;
mod options;
mod watchdog;

use std::fs::File;
use std::io;
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use postgres::NoTls;

use crate::database::percent_encode;
use crate::pg_error::describe;
use account::Account;
use binaries::Binaries;
pub use options::{ServerOptions, ServerTls};
use watchdog::Watchdog;

/// The superuser `initdb` creates, whatever the operating-system user is.
pub const SUPERUSER: &str = "postgres";
/// Without TCP, only names the socket file (`.s.PGSQL.5432`).
const PORT: u16 = 5432;
/// Enough for `initdb`, a cold disk cache and a loaded CI machine.
const STARTUP_TIMEOUT: Duration = Duration::from_secs(60);
/// How long a fast shutdown may take before the server is killed.
const SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(10);
/// Unix socket paths are limited to 107 bytes, and the socket lives at
/// `<base>/schema-core-pg-XXXXXX/.s.PGSQL.5432`: a longer temporary directory
/// (`TMPDIR`) is passed over for `/tmp`.
const MAX_TEMP_BASE_BYTES: usize = 70;
/// Memory-backed storage makes `initdb` and `CREATE DATABASE` several times faster;
/// it is used when it has this much room (containers often give /dev/shm 64 MiB).
const MIN_SHM_FREE_BYTES: u64 = 2 << 30;

/// Server settings for tests: durability off (the data is disposable), and room for
/// many concurrent connections (parallel tests, each syncing from many threads).
const SETTINGS: &[(&str, &str)] = &[
    ("listen_addresses", ""),
    ("fsync", "off"),
    ("synchronous_commit", "off"),
    ("full_page_writes", "off"),
    ("max_connections", "200"),
    ("wal_level", "minimal"),
    ("max_wal_senders", "0"),
    // The file-based implementation needs no /dev/shm, which containers keep tiny.
    ("dynamic_shared_memory_type", "mmap"),
    // Bounds the WAL kept between checkpoints, which may be memory (see `temp_base`).
    ("max_wal_size", "256MB"),
    ("min_wal_size", "32MB"),
];

/// What stopped a throwaway server from starting.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    #[error(
        "PostgreSQL server binaries not found: install postgresql (apt-get install postgresql) or set DATABASE_URL (looked for initdb and postgres in PATH, `pg_config --bindir` and /usr/lib/postgresql/*/bin)"
    )]
    BinariesNotFound,
    #[error(
        "running as root, and there is no `postgres` user to run the server as (initdb refuses root): install postgresql, which creates it, or set DATABASE_URL"
    )]
    NoServerUser,
    #[error("could not {action}: {source}")]
    Io { action: String, source: io::Error },
    #[error("initdb ({program}) failed as {account} with {status}:\n{output}")]
    Initdb {
        program: PathBuf,
        account: &'static str,
        status: ExitStatus,
        output: String,
    },
    #[error("the PostgreSQL server exited during startup with {status}; its log:\n{log}")]
    Exited { status: ExitStatus, log: String },
    #[error(
        "the PostgreSQL server did not accept connections within {}s (last error: {last_error}); its log:\n{log}",
        STARTUP_TIMEOUT.as_secs()
    )]
    NotReady { last_error: String, log: String },
}

/// A running throwaway server; dropping it stops the server and deletes its files.
#[derive(Debug)]
pub struct Server {
    process: Child,
    /// The TCP port with [`ServerOptions::tcp`], else [`PORT`].
    port: u16,
    watchdog: Watchdog,
    /// Holds the data directory, the socket and the log; removed last.
    dir: tempfile::TempDir,
}

impl Server {
    /// Runs `initdb` and starts `postgres`, returning once it accepts connections.
    ///
    /// Takes about a second, most of it `initdb`. When running as root, the server
    /// runs as the `postgres` user.
    pub fn start() -> Result<Server, Error> {
        Self::start_with(ServerOptions::default())
    }

    /// [`Self::start`] with TLS and a TCP port on 127.0.0.1, for tests of
    /// connections as a service makes them (see [`ServerOptions`]).
    pub fn start_with(options: ServerOptions) -> Result<Server, Error> {
        let binaries = binaries::locate()?;
        let account = Account::for_server()?;
        let dir = tempfile::Builder::new()
            .prefix("schema-core-pg-")
            .tempdir_in(temp_base())
            .map_err(io_error("create a temporary directory for PostgreSQL"))?;
        account.give(dir.path()).map_err(io_error(
            "hand the temporary directory to the `postgres` user",
        ))?;
        // The guard first: from here on, however this process ends, the directory and
        // any server in it are cleaned up.
        let watchdog = Watchdog::spawn(dir.path()).map_err(|source| Error::Io {
            action: "start the server's watchdog (/bin/sh)".to_owned(),
            source,
        })?;
        run_initdb(&binaries, account, dir.path())?;
        let port = match options.tcp {
            true => options::free_port().map_err(io_error("find a free TCP port"))?,
            false => PORT,
        };
        let mut settings: Vec<(&str, String)> = SETTINGS
            .iter()
            .map(|(name, value)| (*name, (*value).to_owned()))
            .collect();
        settings.extend(options.apply(&dir.path().join("data"), account)?);
        let process = spawn_postgres(&binaries, account, dir.path(), port, &settings)?;
        let mut server = Server {
            process,
            port,
            watchdog,
            dir,
        };
        // On error `server` is dropped here, which stops the process.
        server.wait_until_ready()?;
        Ok(server)
    }

    /// The directory holding the server's unix socket (the `host` to connect to).
    pub fn socket_dir(&self) -> &Path {
        self.dir.path()
    }

    /// The TCP port on 127.0.0.1 with [`ServerOptions::tcp`]; else only the number in
    /// the socket's file name.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// The server's data directory.
    pub fn data_dir(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Connection settings for `database`, as the superuser.
    pub fn config(&self, database: &str) -> postgres::Config {
        let mut config = postgres::Config::new();
        config
            .host_path(self.socket_dir())
            .port(self.port)
            .user(SUPERUSER)
            .dbname(database)
            .application_name("schema-core");
        config
    }

    /// A URL for `database`, as the superuser, that `psql` and subprocesses accept:
    /// `postgresql://postgres@%2Ftmp%2Fschema-core-pg-XXXX:5432/database`.
    pub fn url(&self, database: &str) -> String {
        format!(
            "postgresql://{SUPERUSER}@{}:{}/{}",
            percent_encode(&self.socket_dir().to_string_lossy()),
            self.port,
            percent_encode(database)
        )
    }

    /// Polls until a connection succeeds, the server exits, or the timeout passes.
    fn wait_until_ready(&mut self) -> Result<(), Error> {
        let deadline = Instant::now() + STARTUP_TIMEOUT;
        let mut config = self.config("postgres");
        config.connect_timeout(Duration::from_secs(5));
        loop {
            if let Ok(Some(status)) = self.process.try_wait() {
                return Err(Error::Exited {
                    status,
                    log: self.log(),
                });
            }
            // Fails with "No such file" until the socket exists, then "the database
            // system is starting up" until recovery ends.
            let last_error = match config.connect(NoTls) {
                Ok(_) => return Ok(()),
                Err(error) => describe(&error),
            };
            if Instant::now() >= deadline {
                return Err(Error::NotReady {
                    last_error,
                    log: self.log(),
                });
            }
            thread::sleep(Duration::from_millis(20));
        }
    }

    fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("postgres.log"))
            .unwrap_or_else(|error| format!("(could not read the log: {error})"))
    }
}

impl Drop for Server {
    /// Fast shutdown (SIGINT: sessions end, no waiting for clients), SIGKILL if that
    /// hangs; the temporary directory goes afterwards.
    fn drop(&mut self) {
        self.watchdog.disarm();
        if let Ok(None) = self.process.try_wait() {
            if let Ok(pid) = libc::pid_t::try_from(self.process.id()) {
                // SAFETY: kill has no memory-safety preconditions; the pid is our
                // unreaped child, so it cannot name another process.
                unsafe { libc::kill(pid, libc::SIGINT) };
            }
            let deadline = Instant::now() + SHUTDOWN_TIMEOUT;
            while let Ok(None) = self.process.try_wait() {
                if Instant::now() >= deadline {
                    let _ = self.process.kill();
                    break;
                }
                thread::sleep(Duration::from_millis(10));
            }
        }
        let _ = self.process.wait();
    }
}

/// `initdb` into `<dir>/data`: trust authentication (only the socket's owner can reach
/// it), UTF-8, the C locale (sorting that does not depend on the machine), no fsync.
fn run_initdb(binaries: &Binaries, account: Account, dir: &Path) -> Result<(), Error> {
    let mut initdb = Command::new(&binaries.initdb);
    initdb
        .arg("--pgdata")
        .arg(dir.join("data"))
        .args(["--username", SUPERUSER, "--auth=trust", "--encoding=UTF8"])
        .args(["--locale=C", "--no-sync"])
        .current_dir(dir)
        .stdin(Stdio::null());
    account.apply(&mut initdb);
    let output = initdb.output().map_err(io_error("run initdb"))?;
    if output.status.success() {
        return Ok(());
    }
    Err(Error::Initdb {
        program: binaries.initdb.clone(),
        account: account.label(),
        status: output.status,
        output: format!(
            "{}{}",
            String::from_utf8_lossy(&output.stderr),
            String::from_utf8_lossy(&output.stdout)
        ),
    })
}

/// Starts `postgres` on `<dir>/data`, listening on a socket in `dir` (and as `settings`
/// say), logging to `<dir>/postgres.log`.
fn spawn_postgres(
    binaries: &Binaries,
    account: Account,
    dir: &Path,
    port: u16,
    settings: &[(&str, String)],
) -> Result<Child, Error> {
    let log = File::create(dir.join("postgres.log")).map_err(io_error("create the server log"))?;
    let log_err = log.try_clone().map_err(io_error("create the server log"))?;
    let mut postgres = Command::new(&binaries.postgres);
    postgres
        .arg("-D")
        .arg(dir.join("data"))
        .arg("-k")
        .arg(dir)
        .arg("-p")
        .arg(port.to_string())
        .current_dir(dir)
        .stdin(Stdio::null())
        .stdout(log)
        .stderr(log_err)
        // Out of the terminal's foreground process group: Ctrl-C stops only the tests,
        // and the watchdog then shuts the server down and removes its files.
        .process_group(0);
    for (name, value) in settings {
        postgres.arg("-c").arg(format!("{name}={value}"));
    }
    account.apply(&mut postgres);
    postgres.spawn().map_err(io_error("start postgres"))
}

/// Where the server's directory goes: `/dev/shm` when it is roomy (the data is
/// disposable, so memory is the fastest disk), else the temporary directory, unless
/// its path would make the socket's too long.
fn temp_base() -> PathBuf {
    let shm = Path::new("/dev/shm");
    if free_bytes(shm).is_some_and(|free| free >= MIN_SHM_FREE_BYTES) {
        return shm.to_owned();
    }
    let base = std::env::temp_dir();
    if base.as_os_str().len() <= MAX_TEMP_BASE_BYTES {
        base
    } else {
        PathBuf::from("/tmp")
    }
}

/// Space available to unprivileged users on the file system holding `path`.
fn free_bytes(path: &Path) -> Option<u64> {
    use std::os::unix::ffi::OsStrExt;
    let c_path = std::ffi::CString::new(path.as_os_str().as_bytes()).ok()?;
    // SAFETY: statvfs is plain old data, filled in by the call.
    let mut stats: libc::statvfs = unsafe { std::mem::zeroed() };
    // SAFETY: c_path is NUL-terminated and stats is a valid out-pointer.
    if unsafe { libc::statvfs(c_path.as_ptr(), &mut stats) } != 0 {
        return None;
    }
    #[allow(clippy::unnecessary_cast)] // the field types differ between platforms
    Some(stats.f_bavail as u64 * stats.f_frsize as u64)
}

fn io_error(action: &'static str) -> impl FnOnce(io::Error) -> Error {
    move |source| Error::Io {
        action: action.to_owned(),
        source,
    }
}
