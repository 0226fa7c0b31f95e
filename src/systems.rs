//! Missile systems: the embedded catalogue of `data/systems.csv`.
//!
//! Range figures are public reporting, never fact: each entry carries its
//! source, and the Western estimate and Russia's claim for the 9M729 are two
//! separate entries.

use crate::error::{Error, Location, Result};
use serde::Serialize;

/// The embedded systems table, `data/systems.csv`.
pub const SYSTEMS_CSV: &str = include_str!("../data/systems.csv");

/// A missile system with its reported range.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MissileSystem {
    /// Canonical name, e.g. `9M729`.
    pub name: String,
    /// Other names it is known by (`SSC-8`, …).
    pub aliases: Vec<String>,
    /// `ballistic` or `cruise`.
    pub kind: String,
    /// Reported range, kilometres.
    pub range_km: f64,
    /// Where the range figure comes from.
    pub source: String,
}

/// All built-in systems, in file order.
pub fn all() -> Result<Vec<MissileSystem>> {
    let corrupt = |message: String| Error::EmbeddedData {
        file: "data/systems.csv",
        message,
    };
    let mut reader = csv::Reader::from_reader(SYSTEMS_CSV.as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.map_err(|e| corrupt(e.to_string()))?;
            let field = |i: usize| row.get(i).unwrap_or_default().to_owned();
            Ok(MissileSystem {
                name: field(0),
                aliases: field(1)
                    .split(';')
                    .map(|a| a.trim().to_owned())
                    .filter(|a| !a.is_empty())
                    .collect(),
                kind: field(2),
                range_km: field(3)
                    .parse()
                    .map_err(|e| corrupt(format!("range_km: {e}")))?,
                source: field(4),
            })
        })
        .collect()
}

/// Look a system up by name or alias (case-insensitive). An unknown name is
/// an error that lists the valid names.
///
/// # Examples
/// ```
/// use infrange::error::Location;
/// let s = infrange::systems::find("ssc-8", &Location::new("--system")).unwrap();
/// assert_eq!((s.name.as_str(), s.range_km), ("9M729", 2350.0));
/// ```
pub fn find(name: &str, location: &Location) -> Result<MissileSystem> {
    let systems = all()?;
    let name = name.trim();
    systems
        .iter()
        .find(|s| {
            s.name.eq_ignore_ascii_case(name)
                || s.aliases.iter().any(|a| a.eq_ignore_ascii_case(name))
        })
        .cloned()
        .ok_or_else(|| {
            Error::unknown(
                location.clone(),
                "missile system",
                name,
                systems
                    .iter()
                    .map(|s| s.name.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
                    + " (see `infrange systems`), or give --range-km N",
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn catalogue_has_the_required_entries_with_sources() {
        let all = all().unwrap();
        let loc = Location::new("test");
        for (name, km) in [
            ("9M729", 2350.0),
            ("9M729-claimed", 480.0),
            ("Iskander-M", 500.0),
            ("Pershing II", 1770.0),
            ("BGM-109G", 2500.0),
            ("SS-20", 5000.0),
        ] {
            assert_eq!(find(name, &loc).unwrap().range_km, km, "{name}");
        }
        assert!(all.iter().all(|s| !s.source.is_empty() && s.range_km > 0.0));
        assert!(all
            .iter()
            .all(|s| s.kind == "ballistic" || s.kind == "cruise"));
    }

    #[test]
    fn unknown_system_lists_valid_names() {
        let err = find("Tomahawk", &Location::new("--system"))
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("--system: unknown missile system `Tomahawk`"),
            "{err}"
        );
        assert!(err.contains("9M729, 9M729-claimed, Iskander-M"), "{err}");
    }
}
