//! Where a run's numbers come from: the infrange version, the command line
//! and the SHA-256 of every embedded data set, recorded in `summary.json`
//! so that a cited figure can be traced and reproduced.

use serde::Serialize;
use sha2::{Digest, Sha256};
use std::sync::OnceLock;

/// One embedded data set and its checksum.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DataSet {
    /// Path in the source tree, e.g. `data/cities15000.csv`.
    pub file: String,
    /// Size, bytes.
    pub bytes: usize,
    /// SHA-256 of the file's bytes, lower-case hex.
    pub sha256: String,
}

/// What produced a set of outputs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Provenance {
    /// `infrange` and its version, e.g. `infrange 0.1.0`.
    pub program: String,
    /// The command line, one argument per element (the program name first).
    pub command_line: Vec<String>,
    /// Every data set compiled into the binary.
    pub data: Vec<DataSet>,
}

impl Provenance {
    /// The provenance of a run with this command line.
    ///
    /// # Examples
    /// ```
    /// let p = infrange::provenance::Provenance::new(vec!["infrange".into(), "run".into()]);
    /// assert!(p.program.starts_with("infrange "));
    /// let cities = p.data.iter().find(|d| d.file == "data/cities15000.csv").unwrap();
    /// assert_eq!(cities.sha256.len(), 64);
    /// ```
    pub fn new(command_line: Vec<String>) -> Self {
        Self {
            program: program(),
            command_line,
            data: data_sets().to_vec(),
        }
    }
}

/// `infrange 0.1.0`.
pub fn program() -> String {
    format!("infrange {}", env!("CARGO_PKG_VERSION"))
}

/// The embedded data sets with their checksums (computed once).
pub fn data_sets() -> &'static [DataSet] {
    static SETS: OnceLock<Vec<DataSet>> = OnceLock::new();
    SETS.get_or_init(|| {
        let mut files: Vec<(String, &'static [u8])> = vec![
            (
                "data/cities15000.csv".into(),
                crate::cities::CITIES_CSV.as_bytes(),
            ),
            (
                "data/countries.csv".into(),
                crate::countries::COUNTRIES_CSV.as_bytes(),
            ),
            (
                "data/alliances.csv".into(),
                crate::allies::ALLIANCES_CSV.as_bytes(),
            ),
            (
                "data/systems.csv".into(),
                crate::systems::SYSTEMS_CSV.as_bytes(),
            ),
            (
                "data/naturalearth/countries-50m.json".into(),
                crate::render::basemap::COUNTRIES_50M.as_bytes(),
            ),
            (
                "data/naturalearth/countries-110m.json".into(),
                crate::render::basemap::COUNTRIES_110M.as_bytes(),
            ),
        ];
        for (name, text) in crate::scenario::BUILTIN {
            files.push((format!("data/scenarios/{name}.toml"), text.as_bytes()));
        }
        files
            .into_iter()
            .map(|(file, bytes)| DataSet {
                file,
                bytes: bytes.len(),
                sha256: hex(&Sha256::digest(bytes)),
            })
            .collect()
    })
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checksums_match_the_files_in_the_tree() {
        let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
        for set in data_sets() {
            let bytes = std::fs::read(root.join(&set.file)).unwrap();
            assert_eq!(set.bytes, bytes.len(), "{}", set.file);
            assert_eq!(set.sha256, hex(&Sha256::digest(&bytes)), "{}", set.file);
        }
        // A known vector: SHA-256 of "abc".
        assert_eq!(
            hex(&Sha256::digest(b"abc")),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
