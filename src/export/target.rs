//! Where one output file goes (`analyze -o`, `map --out`): standard output,
//! a special file written through, or a regular file replaced atomically —
//! and never one of the run's inputs.
//!
//! | `-o` names | written |
//! |---|---|
//! | `-` | to standard output |
//! | a device (`/dev/null`, `/dev/stdout`), a FIFO, a socket | through, as it is: never replaced |
//! | a symbolic link | its target, replaced atomically; the link stays |
//! | a regular file, or nothing yet | atomically: a temporary file renamed over it |
//!
//! A regular file with several hard links is replaced like any other (its
//! other names keep the old content), as `sed -i` and editors do.

use super::atomic::write_atomic;
use crate::error::{Error, Location, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// How an output path is written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// Standard output (`-`).
    Stdout,
    /// A device, FIFO or socket: opened and written as it is.
    Through(PathBuf),
    /// A regular file (maybe reached through symbolic links), replaced
    /// atomically.
    Atomic(PathBuf),
}

impl Target {
    /// Classify an output path.
    ///
    /// # Examples
    /// ```
    /// use infrange::export::target::Target;
    /// use std::path::Path;
    /// assert_eq!(Target::of(Path::new("-")), Target::Stdout);
    /// assert_eq!(Target::of(Path::new("/dev/null")), Target::Through("/dev/null".into()));
    /// assert_eq!(Target::of(Path::new("new.csv")), Target::Atomic("new.csv".into()));
    /// ```
    pub fn of(path: &Path) -> Self {
        if path.as_os_str() == "-" {
            return Target::Stdout;
        }
        match std::fs::metadata(path) {
            Ok(m) if !m.is_file() && !m.is_dir() => Target::Through(path.to_owned()),
            _ => Target::Atomic(resolve_links(path)),
        }
    }

    /// Write the bytes `write` produces to this target.
    pub fn write<F>(&self, write: F) -> Result<()>
    where
        F: FnOnce(&mut dyn Write) -> Result<()>,
    {
        match self {
            Target::Stdout => {
                let mut out = BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
                write(&mut out)?;
                out.flush().map_err(|e| Error::io("standard output", e))
            }
            Target::Through(path) => {
                let file = std::fs::OpenOptions::new()
                    .write(true)
                    .open(path)
                    .map_err(|e| Error::io(path, e))?;
                let mut out = BufWriter::with_capacity(1 << 20, file);
                write(&mut out)?;
                out.flush().map_err(|e| Error::io(path, e))
            }
            Target::Atomic(path) => {
                if path.is_dir() {
                    return Err(Error::input(
                        Location::new(path.display().to_string()),
                        "is a folder; give a file name",
                    ));
                }
                write_atomic(path, write)
            }
        }
    }
}

/// The file a chain of symbolic links ends at (relative links resolved
/// against their own folder); `path` itself when it is no link. A dangling
/// link gives the path it points to, which is then created.
fn resolve_links(path: &Path) -> PathBuf {
    let mut current = path.to_owned();
    for _ in 0..40 {
        match std::fs::symlink_metadata(&current) {
            Ok(m) if m.file_type().is_symlink() => {
                let Ok(next) = std::fs::read_link(&current) else {
                    return current;
                };
                current = match current.parent() {
                    Some(parent) if next.is_relative() => parent.join(next),
                    _ => next,
                };
            }
            _ => return current,
        }
    }
    current
}

/// Refuse to write `output` when it is one of `inputs` (the same file,
/// through any name): checked before anything is read or written.
///
/// `option` names the output in the message, e.g. `-o` or `--out`.
pub fn refuse_input_as_output(output: &Path, inputs: &[(&str, &Path)], option: &str) -> Result<()> {
    for (what, input) in inputs {
        if same_file(output, input) {
            return Err(Error::input(
                Location::new(option),
                format!(
                    "{} is the {what} input; writing it would destroy the input: choose another output",
                    output.display()
                ),
            ));
        }
    }
    Ok(())
}

/// Whether two paths name the same existing file.
pub fn same_file(a: &Path, b: &Path) -> bool {
    #[cfg(unix)]
    {
        use std::os::unix::fs::MetadataExt;
        match (std::fs::metadata(a), std::fs::metadata(b)) {
            (Ok(x), Ok(y)) => x.dev() == y.dev() && x.ino() == y.ino() && x.is_file(),
            _ => false,
        }
    }
    #[cfg(not(unix))]
    {
        match (std::fs::canonicalize(a), std::fs::canonicalize(b)) {
            (Ok(x), Ok(y)) => x == y,
            _ => false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_link_is_followed_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.csv");
        std::fs::write(&real, "old").unwrap();
        let link = dir.path().join("link.csv");
        std::os::unix::fs::symlink("real.csv", &link).unwrap();
        Target::of(&link)
            .write(|w| w.write_all(b"new").map_err(|e| Error::io("x", e)))
            .unwrap();
        assert!(std::fs::symlink_metadata(&link)
            .unwrap()
            .file_type()
            .is_symlink());
        assert_eq!(std::fs::read_to_string(&real).unwrap(), "new");
    }

    #[test]
    fn inputs_are_recognised_through_other_names() {
        let dir = tempfile::tempdir().unwrap();
        let input = dir.path().join("c.csv");
        std::fs::write(&input, "x").unwrap();
        let other = dir.path().join(".").join("c.csv");
        let err = refuse_input_as_output(&other, &[("--cities", &input)], "-o")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("-o: "), "{err}");
        assert!(err.contains("is the --cities input"), "{err}");
        assert!(
            refuse_input_as_output(&dir.path().join("new.csv"), &[("--cities", &input)], "-o")
                .is_ok()
        );
    }
}
