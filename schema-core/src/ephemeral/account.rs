//! The operating-system user the throwaway server runs as.
//!
//! `initdb` and `postgres` refuse to run as root (a server process that can rewrite
//! any file is one SQL injection away from owning the machine). CI and containers
//! often run as root, so there the server runs as the `postgres` user that the
//! distribution's package creates; everyone else runs it as themselves.

use std::ffi::CString;
use std::os::unix::ffi::OsStrExt;
use std::os::unix::process::CommandExt;
use std::path::Path;
use std::process::Command;
use std::{io, mem, ptr};

use super::Error;

/// The account the distribution packages create for PostgreSQL.
const SERVER_USER: &str = "postgres";

/// Whose identity `initdb` and `postgres` take.
#[derive(Debug, Clone, Copy)]
pub(super) enum Account {
    /// The current user, who is not root.
    Current,
    /// Root switches to this user and group for the server's processes.
    Switch { uid: libc::uid_t, gid: libc::gid_t },
}

impl Account {
    /// The current user, or the `postgres` user when running as root.
    pub(super) fn for_server() -> Result<Account, Error> {
        // SAFETY: geteuid has no preconditions and cannot fail.
        if unsafe { libc::geteuid() } != 0 {
            return Ok(Account::Current);
        }
        let (uid, gid) = lookup(SERVER_USER)?.ok_or(Error::NoServerUser)?;
        Ok(Account::Switch { uid, gid })
    }

    /// Who this is, for messages.
    pub(super) fn label(self) -> &'static str {
        match self {
            Account::Current => "the current user",
            Account::Switch { .. } => "the `postgres` user",
        }
    }

    /// Makes `command` run as this account.
    pub(super) fn apply(self, command: &mut Command) {
        if let Account::Switch { uid, gid } = self {
            // std sets the group first and drops root's supplementary groups.
            command.uid(uid).gid(gid);
        }
    }

    /// Hands `path` to this account, so the server can create its files in it.
    pub(super) fn give(self, path: &Path) -> io::Result<()> {
        let Account::Switch { uid, gid } = self else {
            return Ok(());
        };
        let c_path = CString::new(path.as_os_str().as_bytes())
            .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "path contains a NUL byte"))?;
        // SAFETY: c_path is a valid NUL-terminated string that outlives the call.
        if unsafe { libc::chown(c_path.as_ptr(), uid, gid) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(())
    }
}

/// The uid and gid of `name`, through the reentrant `getpwnam_r` (tests start
/// servers from many threads at once).
fn lookup(name: &str) -> Result<Option<(libc::uid_t, libc::gid_t)>, Error> {
    let c_name = CString::new(name).map_err(|_| Error::NoServerUser)?;
    let mut buffer = vec![0 as libc::c_char; 4096];
    loop {
        // SAFETY: passwd is plain old data; getpwnam_r fills it in.
        let mut entry: libc::passwd = unsafe { mem::zeroed() };
        let mut result: *mut libc::passwd = ptr::null_mut();
        // SAFETY: every pointer is valid for the duration of the call, and the buffer
        // length is the buffer's real length.
        let code = unsafe {
            libc::getpwnam_r(
                c_name.as_ptr(),
                &mut entry,
                buffer.as_mut_ptr(),
                buffer.len(),
                &mut result,
            )
        };
        match code {
            0 if result.is_null() => return Ok(None),
            0 => return Ok(Some((entry.pw_uid, entry.pw_gid))),
            libc::ERANGE if buffer.len() < 1 << 20 => buffer.resize(buffer.len() * 2, 0),
            code => {
                return Err(Error::Io {
                    action: format!("look up the `{name}` user"),
                    source: io::Error::from_raw_os_error(code),
                });
            }
        }
    }
}
