//! Helpers for integration tests that run the binary on bad input.
//! Included by path (`#[path = "support/cli.rs"] mod cli;`).
#![allow(dead_code)]

use std::path::Path;

/// Write `text` to `dir/name`; returns the path as text.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

/// A run that should have failed on bad input: exit code 2, no panic, every
/// needle in the message, and nothing left in the output folder `out`.
pub fn failed_cleanly(command: &mut assert_cmd::Command, out: &Path, needles: &[&str]) {
    let assert = command.assert().code(2);
    let stderr = String::from_utf8_lossy(&assert.get_output().stderr).to_string();
    assert!(!stderr.contains("panicked"), "{stderr}");
    for needle in needles {
        assert!(stderr.contains(needle), "missing `{needle}` in: {stderr}");
    }
    let leftovers: Vec<_> = std::fs::read_dir(out)
        .map(|d| d.map(|e| e.unwrap().file_name()).collect())
        .unwrap_or_default();
    assert!(leftovers.is_empty(), "output files left: {leftovers:?}");
}
