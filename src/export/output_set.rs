//! A run's outputs as one set: every file is written into a private
//! temporary folder beside the destination, and only when all of them are
//! complete are they moved into the destination folder, under a lock.
//!
//! What this guarantees:
//! - a run that fails (bad data found late, a full disk, a write error)
//!   leaves the destination as it was: an earlier run's files stay byte for
//!   byte, and no temporary file remains;
//! - an interrupted run (SIGINT, SIGTERM, SIGHUP, once the program installs
//!   [`super::atomic::remove_pending`] as its handler) removes its temporary
//!   folder; if the signal comes while the files are being moved, the moves
//!   finish first;
//! - two runs into one folder never mix: the second waits for the first
//!   (an advisory lock on the destination folder), then replaces the set.
//!
//! What it cannot guarantee: SIGKILL or a power cut leave a hidden
//! `.infrange-*` folder beside the destination and, during the moves
//! (milliseconds), a set that is part old, part new.

use super::atomic;
use crate::error::{Error, Result};
use std::fs::File;
use std::path::{Path, PathBuf};

/// Outputs being written for one destination folder.
#[derive(Debug)]
pub struct OutputSet {
    dest: PathBuf,
    tmp: PathBuf,
    names: Vec<String>,
    /// Holds the destination's lock until the set is committed or dropped.
    _lock: File,
    committed: bool,
}

impl OutputSet {
    /// Start a set for `dest` (created if missing). Waits while another
    /// infrange writes into the same folder; `on_wait` is called once before
    /// waiting (to tell the user).
    ///
    /// # Examples
    /// ```
    /// use infrange::export::output_set::OutputSet;
    /// let dir = tempfile::tempdir().unwrap();
    /// let dest = dir.path().join("out");
    /// let mut set = OutputSet::begin(&dest, || {})?;
    /// std::fs::write(set.path("a.txt"), "new")?;
    /// assert!(!dest.join("a.txt").exists()); // not before the commit
    /// let written = set.commit()?;
    /// assert_eq!(std::fs::read_to_string(&written[0])?, "new");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn begin(dest: &Path, on_wait: impl FnOnce()) -> Result<Self> {
        if dest.exists() && !dest.is_dir() {
            return Err(Error::input(
                crate::error::Location::new(dest.display().to_string()),
                "is a file, not a folder: --out takes the folder to write the outputs into",
            ));
        }
        std::fs::create_dir_all(dest).map_err(|e| Error::io(dest, e))?;
        let lock = File::open(dest).map_err(|e| Error::io(dest, e))?;
        match lock.try_lock() {
            Ok(()) => {}
            Err(std::fs::TryLockError::WouldBlock) => {
                on_wait();
                lock.lock().map_err(|e| Error::io(dest, e))?;
            }
            Err(std::fs::TryLockError::Error(e)) => return Err(Error::io(dest, e)),
        }
        let parent = match dest.parent() {
            Some(p) if !p.as_os_str().is_empty() => p,
            _ => Path::new("."),
        };
        let tmp = tempfile::Builder::new()
            .prefix(".infrange-")
            .tempdir_in(parent)
            .map_err(|e| Error::io(parent, e))?
            .keep();
        atomic::register(&tmp);
        Ok(Self {
            dest: dest.to_owned(),
            tmp,
            names: Vec::new(),
            _lock: lock,
            committed: false,
        })
    }

    /// Where to write the output `name` (a file name, no folders), taken into the set.
    pub fn path(&mut self, name: &str) -> PathBuf {
        let path = self.temp_path(name);
        self.adopt(&path);
        path
    }

    /// Where the output `name` is written before the set is committed, without taking it
    /// into the set (several threads can write files of one set; [`Self::adopt`] them
    /// afterwards, in the order they are to be listed).
    pub fn temp_path(&self, name: &str) -> PathBuf {
        self.tmp.join(name)
    }

    /// Take into the set a file written into the temporary folder (at
    /// [`Self::temp_path`], or by other means, e.g. a side-car written beside another
    /// output).
    pub fn adopt(&mut self, written: &Path) {
        if let Some(name) = written.file_name().and_then(|n| n.to_str()) {
            if !self.names.iter().any(|n| n == name) {
                self.names.push(name.to_owned());
            }
        }
    }

    /// The destination folder.
    pub fn dest(&self) -> &Path {
        &self.dest
    }

    /// Move every written file into the destination; returns their final
    /// paths in the order they were named. Files named but not written are
    /// left out.
    pub fn commit(mut self) -> Result<Vec<PathBuf>> {
        // Whatever could stop a move is checked before the first one.
        for name in &self.names {
            let to = self.dest.join(name);
            if to.is_dir() {
                return Err(Error::input(
                    crate::error::Location::new(to.display().to_string()),
                    "is a folder, where this output file must go; move it away",
                ));
            }
        }
        for name in &self.names {
            let from = self.tmp.join(name);
            if from.exists() {
                File::open(&from)
                    .and_then(|f| f.sync_all())
                    .map_err(|e| Error::io(&from, e))?;
            }
        }
        let tmp = self.tmp.clone();
        let written = atomic::commit(&[&tmp], || -> Result<Vec<PathBuf>> {
            let mut written = Vec::new();
            for name in &self.names {
                let from = tmp.join(name);
                if !from.exists() {
                    continue;
                }
                let to = self.dest.join(name);
                std::fs::rename(&from, &to).map_err(|e| Error::io(&to, e))?;
                written.push(to);
            }
            Ok(written)
        });
        self.committed = true;
        let _ = std::fs::remove_dir_all(&tmp);
        written
    }
}

impl Drop for OutputSet {
    fn drop(&mut self) {
        if !self.committed {
            let _ = std::fs::remove_dir_all(&self.tmp);
            atomic::unregister(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_dropped_set_leaves_the_earlier_files_and_no_temporary_folder() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        let mut set = OutputSet::begin(&dest, || {}).unwrap();
        std::fs::write(set.path("a.csv"), "first").unwrap();
        set.commit().unwrap();
        {
            let mut set = OutputSet::begin(&dest, || {}).unwrap();
            std::fs::write(set.path("a.csv"), "second, never committed").unwrap();
        }
        assert_eq!(
            std::fs::read_to_string(dest.join("a.csv")).unwrap(),
            "first"
        );
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, ["out"]);
    }

    #[test]
    fn a_second_set_waits_for_the_first() {
        let dir = tempfile::tempdir().unwrap();
        let dest = dir.path().join("out");
        let first = OutputSet::begin(&dest, || {}).unwrap();
        let dest2 = dest.clone();
        let (tx, rx) = std::sync::mpsc::channel();
        let second = std::thread::spawn(move || {
            let set = OutputSet::begin(&dest2, || tx.send("waiting").unwrap()).unwrap();
            set.commit().unwrap();
        });
        assert_eq!(rx.recv().unwrap(), "waiting");
        first.commit().unwrap();
        second.join().unwrap();
    }

    #[test]
    fn a_file_is_not_a_destination() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        let err = OutputSet::begin(&file, || {}).unwrap_err().to_string();
        assert!(err.contains("is a file, not a folder"), "{err}");
    }
}
