//! Missile systems: the embedded catalogue of `data/systems.csv`.
//!
//! Range figures are public reporting, never fact: each entry carries its
//! source, and the Western estimate and Russia's claim for the 9M729 are two
//! separate entries.

use crate::error::{Error, Location, Result};
use crate::flight::FlightModel;
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
    /// The trajectory model for time of flight, when the catalogue has one
    /// (columns `flight_model,boost_s,speed_kmh,flight_source`).
    pub flight: Option<FlightModel>,
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
                flight: flight_model(&field)?,
            })
        })
        .collect()
}

/// The trajectory model of a catalogue row (columns 5–8), if any.
fn flight_model(field: &dyn Fn(usize) -> String) -> Result<Option<FlightModel>> {
    let corrupt = |message: String| Error::EmbeddedData {
        file: "data/systems.csv",
        message,
    };
    let number = |i: usize, name: &str| -> Result<f64> {
        field(i)
            .parse::<f64>()
            .ok()
            .filter(|x| x.is_finite() && *x >= 0.0)
            .ok_or_else(|| corrupt(format!("{name}: `{}` is not a number", field(i))))
    };
    let source = field(8);
    let model = match field(5).as_str() {
        "" => return Ok(None),
        "ballistic" => FlightModel::Ballistic {
            boost_s: number(6, "boost_s")?,
            source,
        },
        "cruise" => FlightModel::Cruise {
            speed_kmh: number(7, "speed_kmh")?,
            source,
        },
        other => {
            return Err(corrupt(format!(
                "flight_model `{other}`: expected ballistic or cruise"
            )))
        }
    };
    if model.source().is_empty() {
        return Err(corrupt("a flight model without flight_source".into()));
    }
    Ok(Some(model))
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
    let key = normalise(name);
    systems
        .iter()
        .find(|s| normalise(&s.name) == key || s.aliases.iter().any(|a| normalise(a) == key))
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
                    + " (see `infrange systems` for every alias), or give --range-km N",
            )
        })
}

/// A system name as compared: lower case, without spaces, hyphens, dots or
/// underscores (`SS-26` = `ss26` = `SS 26`).
fn normalise(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, ' ' | '-' | '_' | '.'))
        .flat_map(char::to_lowercase)
        .collect()
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
        // Every common name, however it is spelt.
        for (alias, name) in [
            ("iskander", "Iskander-M"),
            ("Iskander M", "Iskander-M"),
            ("ss26", "Iskander-M"),
            ("9K720", "Iskander-M"),
            ("SSC-8 Screwdriver", "9M729"),
            ("Pershing 2", "Pershing II"),
            ("pershing-ii", "Pershing II"),
            ("GLCM", "BGM-109G"),
            ("SS 20", "RSD-10"),
            ("pioneer", "RSD-10"),
        ] {
            assert_eq!(find(alias, &loc).unwrap().name, name, "{alias}");
        }
        // No alias is another system's name or alias.
        let mut keys: Vec<String> = all
            .iter()
            .flat_map(|s| std::iter::once(&s.name).chain(&s.aliases))
            .map(|n| normalise(n))
            .collect();
        let n = keys.len();
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n);
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
