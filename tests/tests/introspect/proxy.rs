//! A pass-through proxy between a client and the test server that counts the
//! statements the client sends, so a test can check how many queries a call costs
//! without instrumenting the code under test.
//!
//! Every statement reaches the server as a `Parse` message (extended protocol, what
//! `query` uses) or a `Query` message (simple protocol, what `batch_execute` uses); the
//! proxy counts both in the client-to-server stream and forwards every byte unchanged.

use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpStream};
use std::os::unix::net::{UnixListener, UnixStream};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use postgres::config::Host;
use postgres::{Client, Config, NoTls};

/// Startup-phase request codes that a real startup message follows.
const SSL_REQUEST: u32 = 80877103;
const GSSENC_REQUEST: u32 = 80877104;

/// A proxy listening on a Unix socket of its own, in front of `upstream`.
pub struct Proxy {
    dir: PathBuf,
    port: u16,
    config: Config,
    statements: Arc<AtomicUsize>,
}

#[derive(Clone)]
enum Upstream {
    Unix(PathBuf),
    Tcp(String, u16),
}

enum Stream {
    Unix(UnixStream),
    Tcp(TcpStream),
}

impl Proxy {
    /// Starts a proxy in front of the server `config` points at.
    pub fn start(config: &Config) -> io::Result<Proxy> {
        let port = config.get_ports().first().copied().unwrap_or(5432);
        let upstream = match config.get_hosts().first() {
            Some(Host::Unix(dir)) => Upstream::Unix(dir.join(format!(".s.PGSQL.{port}"))),
            Some(Host::Tcp(host)) => Upstream::Tcp(host.clone(), port),
            None => Upstream::Unix(PathBuf::from(format!(
                "/var/run/postgresql/.s.PGSQL.{port}"
            ))),
        };
        let dir = std::env::temp_dir().join(format!(
            "schema-core-proxy-{}-{}",
            std::process::id(),
            unique_suffix()
        ));
        std::fs::create_dir_all(&dir)?;
        let listener = UnixListener::bind(dir.join(format!(".s.PGSQL.{port}")))?;
        let statements = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&statements);
        thread::spawn(move || {
            for client in listener.incoming().flatten() {
                let upstream = upstream.clone();
                let counter = Arc::clone(&counter);
                thread::spawn(move || {
                    let _ = relay(client, &upstream, &counter);
                });
            }
        });

        let mut proxied = Config::new();
        proxied.host_path(&dir).port(port);
        if let Some(user) = config.get_user() {
            proxied.user(user);
        }
        if let Some(password) = config.get_password() {
            proxied.password(password);
        }
        if let Some(dbname) = config.get_dbname() {
            proxied.dbname(dbname);
        }
        Ok(Proxy {
            dir,
            port,
            config: proxied,
            statements,
        })
    }

    /// A new connection through the proxy.
    pub fn connect(&self) -> Result<Client, postgres::Error> {
        self.config.connect(NoTls)
    }

    /// Statements sent through the proxy so far, by every connection.
    pub fn statements(&self) -> usize {
        self.statements.load(Ordering::SeqCst)
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(self.dir.join(format!(".s.PGSQL.{}", self.port)));
        let _ = std::fs::remove_dir(&self.dir);
    }
}

fn unique_suffix() -> u128 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos())
}

impl Stream {
    fn connect(upstream: &Upstream) -> io::Result<Stream> {
        Ok(match upstream {
            Upstream::Unix(path) => Stream::Unix(UnixStream::connect(path)?),
            Upstream::Tcp(host, port) => Stream::Tcp(TcpStream::connect((host.as_str(), *port))?),
        })
    }

    fn try_clone(&self) -> io::Result<Stream> {
        Ok(match self {
            Stream::Unix(s) => Stream::Unix(s.try_clone()?),
            Stream::Tcp(s) => Stream::Tcp(s.try_clone()?),
        })
    }

    fn shutdown(&self) {
        let _ = match self {
            Stream::Unix(s) => s.shutdown(Shutdown::Both),
            Stream::Tcp(s) => s.shutdown(Shutdown::Both),
        };
    }
}

impl Read for Stream {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.read(buf),
            Stream::Tcp(s) => s.read(buf),
        }
    }
}

impl Write for Stream {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        match self {
            Stream::Unix(s) => s.write(buf),
            Stream::Tcp(s) => s.write(buf),
        }
    }

    fn flush(&mut self) -> io::Result<()> {
        match self {
            Stream::Unix(s) => s.flush(),
            Stream::Tcp(s) => s.flush(),
        }
    }
}

/// Copies server → client on a thread and client → server here, counting statements.
fn relay(client: UnixStream, upstream: &Upstream, counter: &AtomicUsize) -> io::Result<()> {
    let server = Stream::connect(upstream)?;
    let mut server_reader = server.try_clone()?;
    let mut client_writer = client.try_clone()?;
    let back = thread::spawn(move || {
        let _ = io::copy(&mut server_reader, &mut client_writer);
        let _ = client_writer.shutdown(Shutdown::Both);
    });
    let result = forward_counting(client, server.try_clone()?, counter);
    server.shutdown();
    let _ = back.join();
    result
}

fn forward_counting(
    mut client: UnixStream,
    mut server: Stream,
    counter: &AtomicUsize,
) -> io::Result<()> {
    // Startup phase: length-prefixed messages without a type byte. An SSL or GSS
    // request (answered by the server with one byte) precedes the real one.
    loop {
        let mut len = [0u8; 4];
        client.read_exact(&mut len)?;
        let body = read_body(&mut client, u32::from_be_bytes(len))?;
        server.write_all(&len)?;
        server.write_all(&body)?;
        let code = body
            .get(..4)
            .map_or(0, |c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]));
        if code != SSL_REQUEST && code != GSSENC_REQUEST {
            break;
        }
    }
    // Regular phase: a type byte, then a length that counts itself.
    loop {
        let mut head = [0u8; 5];
        client.read_exact(&mut head)?;
        if head[0] == b'P' || head[0] == b'Q' {
            counter.fetch_add(1, Ordering::SeqCst);
        }
        let body = read_body(
            &mut client,
            u32::from_be_bytes([head[1], head[2], head[3], head[4]]),
        )?;
        server.write_all(&head)?;
        server.write_all(&body)?;
    }
}

fn read_body(stream: &mut UnixStream, len: u32) -> io::Result<Vec<u8>> {
    let mut body = vec![0u8; (len as usize).saturating_sub(4)];
    stream.read_exact(&mut body)?;
    Ok(body)
}
