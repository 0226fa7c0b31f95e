//! Atomic file output: write to a temporary file in the target's folder, then
//! rename it over the target. A failure at any point leaves no partial file.
//!
//! Every temporary file or folder is registered while it exists, so that a
//! signal handler can remove them all ([`remove_pending`]) before the
//! process exits: an interrupted run leaves nothing behind.

use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

/// Temporary files and folders that exist right now.
static PENDING: Mutex<Vec<PathBuf>> = Mutex::new(Vec::new());

fn pending() -> MutexGuard<'static, Vec<PathBuf>> {
    PENDING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Register a temporary path, to be removed by [`remove_pending`].
pub(crate) fn register(path: &Path) {
    pending().push(path.to_owned());
}

/// Run `f` (which moves temporary paths into place) with the registry
/// locked, then forget `paths`: a signal arriving meanwhile waits, so it
/// finds either every temporary path or none of them.
pub(crate) fn commit<R>(paths: &[&Path], f: impl FnOnce() -> R) -> R {
    let mut guard = pending();
    let result = f();
    guard.retain(|p| !paths.contains(&p.as_path()));
    result
}

/// Forget a temporary path that was removed.
pub(crate) fn unregister(path: &Path) {
    pending().retain(|p| p != path);
}

/// Remove every registered temporary file and folder; for a signal handler
/// just before the process exits. The registry stays locked afterwards, so
/// that no output is moved into place once this has run.
pub fn remove_pending() {
    let guard = pending();
    for path in guard.iter() {
        let _ = if path.is_dir() {
            std::fs::remove_dir_all(path)
        } else {
            std::fs::remove_file(path)
        };
    }
    std::mem::forget(guard);
}

/// Write `path` atomically with the bytes that `write` produces.
///
/// The parent folder is created if needed. The temporary file is removed if
/// `write` fails.
pub fn write_atomic<F>(path: &Path, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> Result<()>,
{
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(|e| Error::io(dir, e))?;
    let tmp = tempfile::Builder::new()
        .prefix(".infrange-")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|e| Error::io(dir, e))?;
    // Temporary files are created private (0600); outputs get the usual 0644.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(tmp.path(), std::fs::Permissions::from_mode(0o644))
            .map_err(|e| Error::io(tmp.path(), e))?;
    }
    let tmp_path = tmp.path().to_owned();
    register(&tmp_path);
    let result = (|| {
        let mut out = BufWriter::new(tmp);
        write(&mut out)?;
        out.flush().map_err(|e| Error::io(path, e))?;
        let tmp = out
            .into_inner()
            .map_err(|e| Error::io(path, e.into_error()))?;
        // Written to the disk before it replaces the earlier file.
        tmp.as_file().sync_all().map_err(|e| Error::io(path, e))?;
        commit(&[&tmp_path], || {
            tmp.persist(path)
                .map(|_| ())
                .map_err(|e| Error::io(path, e.error))
        })
    })();
    // On an error the temporary file was removed when it was dropped.
    unregister(&tmp_path);
    result
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn failure_leaves_no_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.csv");
        let err = write_atomic(&path, |w| {
            w.write_all(b"partial").unwrap();
            Err(Error::input(crate::error::Location::new("x"), "boom"))
        });
        assert!(err.is_err());
        assert!(!path.exists());
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 0);
        write_atomic(&path, |w| w.write_all(b"ok").map_err(|e| Error::io("x", e))).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "ok");
    }
}
