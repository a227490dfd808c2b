//! A guard process that stops the server and deletes its directory once the process
//! that started it is gone.
//!
//! `Drop` is not enough: a server kept in a `static` (one per test process) is never
//! dropped, and a process killed by a signal runs no destructors at all. The guard is
//! a tiny shell that blocks reading a pipe whose only write end this process holds.
//! However this process ends, the kernel closes that end, the read returns, and the
//! shell shuts the server down and removes its files. No orphan servers pile up in CI.
//!
//! `PR_SET_PDEATHSIG` was the other candidate, but it fires when the *thread* that
//! spawned the server exits (in a test harness, the first test's thread) and it
//! cannot remove the data directory.

use std::fs::File;
use std::io;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Runs with `$1` = the directory to remove (the data directory is `$1/data`).
///
/// The guard starts before `initdb`, so no moment of the start-up is unguarded; it
/// learns the server's pid from `postmaster.pid` when it acts, and signals that pid only
/// while the file still names it (the server deletes the file as the last step of a
/// clean shutdown), so a recycled pid is never hit. SIGINT is PostgreSQL's fast
/// shutdown; after ten seconds the server gets SIGKILL. The guard ignores hangups and
/// Ctrl-C so that it outlives an interrupted terminal session.
const SCRIPT: &str = r#"trap '' HUP INT
read -r _ || :
pidfile="$1/data/postmaster.pid"
pid=$(head -n 1 "$pidfile" 2>/dev/null) || pid=
running() { [ -n "$pid" ] && [ "$(head -n 1 "$pidfile" 2>/dev/null)" = "$pid" ] && kill -0 "$pid" 2>/dev/null; }
if running; then kill -INT "$pid" 2>/dev/null || :; fi
i=0
while running && [ "$i" -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
if running; then kill -KILL "$pid" 2>/dev/null || :; fi
rm -rf -- "$1"
"#;

/// The running guard and the write end of its pipe.
#[derive(Debug)]
pub(super) struct Watchdog {
    guard: Child,
    /// Never written to: closing it (at any exit) is the signal.
    _lifeline: File,
}

impl Watchdog {
    /// Starts a guard for the server that will live in `dir`.
    pub(super) fn spawn(dir: &Path) -> io::Result<Watchdog> {
        let (read, write) = pipe()?;
        let guard = Command::new("/bin/sh")
            .arg("-c")
            .arg(SCRIPT)
            .arg("schema-core-postgres-watchdog")
            .arg(dir)
            .stdin(Stdio::from(read))
            // Holding the test runner's stdout open would keep its reader waiting.
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            // Out of the terminal's foreground group: Ctrl-C stops the tests, and the
            // guard then cleans up after them.
            .process_group(0)
            .spawn()?;
        Ok(Watchdog {
            guard,
            _lifeline: File::from(write),
        })
    }

    /// Ends the guard without letting it act: the owner stops the server itself.
    pub(super) fn disarm(&mut self) {
        // The guard is our own child and cannot have been reaped, so the pid is safe.
        let _ = self.guard.kill();
        let _ = self.guard.wait();
    }
}

/// A pipe whose both ends close on exec, so no other child process (the server, a
/// compiler run by a test) inherits the write end and keeps the guard waiting.
fn pipe() -> io::Result<(OwnedFd, OwnedFd)> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: fds has room for the two descriptors pipe2 writes.
    if unsafe { libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) } != 0 {
        return Err(io::Error::last_os_error());
    }
    // SAFETY: pipe2 succeeded, so both descriptors are open and owned by nobody else.
    Ok(unsafe { (OwnedFd::from_raw_fd(fds[0]), OwnedFd::from_raw_fd(fds[1])) })
}
