//! Alliances and the `--allies` specification: which countries count as allied.
//!
//! Membership comes from `data/alliances.csv` (accession dates, and departure
//! dates where a member left). Specifications:
//!
//! | spec | meaning |
//! |---|---|
//! | `nato` | current members (32 since 7 March 2024) |
//! | `nato@2019-08-02` | members on that day (29 on the INF Treaty's end) |
//! | `PL,DE,LT` | these ISO 3166-1 alpha-2 codes |
//! | `all` | every country |

use crate::countries;
use crate::error::{Error, Location, Result};
use serde::Serialize;
use std::collections::BTreeSet;

const ALLIANCES_CSV: &str = include_str!("../data/alliances.csv");

/// The allied countries of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allies {
    /// The specification as given, e.g. `nato@2019-08-02`.
    pub spec: String,
    /// A readable description, e.g. `NATO members on 2019-08-02 (29)`.
    pub description: String,
    /// Allied ISO alpha-2 codes; `None` means every country.
    pub countries: Option<BTreeSet<String>>,
}

impl Allies {
    /// Whether a country (ISO alpha-2) is allied.
    pub fn contains(&self, iso2: &str) -> bool {
        self.countries.as_ref().is_none_or(|set| set.contains(iso2))
    }

    /// Parse an allies specification (see the module documentation).
    ///
    /// # Examples
    /// ```
    /// use infrange::allies::Allies;
    /// use infrange::error::Location;
    /// let loc = Location::new("--allies");
    /// assert_eq!(Allies::parse("nato@2019-08-02", &loc).unwrap().countries.unwrap().len(), 29);
    /// assert_eq!(Allies::parse("nato", &loc).unwrap().countries.unwrap().len(), 32);
    /// assert!(Allies::parse("PL,DE,lt", &loc).unwrap().contains("LT"));
    /// ```
    pub fn parse(spec: &str, location: &Location) -> Result<Self> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("all") {
            return Ok(Self {
                spec: "all".into(),
                description: "all countries".into(),
                countries: None,
            });
        }
        let (alliance, date) = match spec.split_once('@') {
            Some((a, d)) => (a.trim(), Some(d.trim())),
            None => (spec, None),
        };
        let memberships = memberships()?;
        let alliance_lc = alliance.to_ascii_lowercase();
        if memberships.iter().any(|m| m.alliance == alliance_lc) {
            if let Some(d) = date {
                check_date(d, location)?;
            }
            let set: BTreeSet<String> = memberships
                .iter()
                .filter(|m| m.alliance == alliance_lc)
                .filter(|m| match date {
                    Some(d) => m.joined.as_str() <= d && m.left.as_deref().is_none_or(|l| d < l),
                    None => m.left.is_none(),
                })
                .map(|m| m.country.clone())
                .collect();
            let name = alliance_lc.to_ascii_uppercase();
            let description = match date {
                Some(d) => format!("{name} members on {d} ({})", set.len()),
                None => format!("{name} members today ({})", set.len()),
            };
            return Ok(Self {
                spec: spec.to_owned(),
                description,
                countries: Some(set),
            });
        }
        if date.is_some() || !spec.contains(',') && spec.len() != 2 {
            return Err(unknown_ally(alliance, location));
        }
        let mut set = BTreeSet::new();
        for code in spec.split(',').map(str::trim).filter(|c| !c.is_empty()) {
            let country = countries::by_iso2(code)?.ok_or_else(|| unknown_ally(code, location))?;
            set.insert(country.iso2.clone());
        }
        if set.is_empty() {
            return Err(unknown_ally(spec, location));
        }
        let codes: Vec<&str> = set.iter().map(String::as_str).collect();
        Ok(Self {
            spec: spec.to_owned(),
            description: format!("{} ({})", codes.join(", "), set.len()),
            countries: Some(set),
        })
    }
}

fn unknown_ally(name: &str, location: &Location) -> Error {
    let codes: Vec<String> = countries::all()
        .map(|all| all.iter().map(|c| c.iso2.clone()).collect())
        .unwrap_or_default();
    Error::unknown(
        location.clone(),
        "ally",
        name,
        format!(
            "`nato`, `nato@YYYY-MM-DD`, `all`, or comma-separated ISO 3166-1 alpha-2 codes: {}",
            codes.join(" ")
        ),
    )
}

/// Check a `YYYY-MM-DD` calendar date.
fn check_date(date: &str, location: &Location) -> Result<()> {
    let bad = || {
        Error::input(
            location.clone(),
            format!("`{date}` is not a date of the form YYYY-MM-DD"),
        )
    };
    let parts: Vec<&str> = date.split('-').collect();
    let [y, m, d] = parts.as_slice() else {
        return Err(bad());
    };
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return Err(bad());
    }
    let (y, m, d): (u32, u32, u32) = (
        y.parse().map_err(|_| bad())?,
        m.parse().map_err(|_| bad())?,
        d.parse().map_err(|_| bad())?,
    );
    let leap = y % 4 == 0 && (y % 100 != 0 || y % 400 == 0);
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return Err(bad()),
    };
    if d == 0 || d > days {
        return Err(bad());
    }
    Ok(())
}

/// One row of `data/alliances.csv`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Membership {
    /// Alliance key, lower case (`nato`).
    pub alliance: String,
    /// ISO alpha-2 code of the member.
    pub country: String,
    /// Accession date, `YYYY-MM-DD`.
    pub joined: String,
    /// Departure date, when the member left.
    pub left: Option<String>,
    /// Remarks (e.g. West Germany).
    pub note: String,
}

/// All membership rows of the embedded alliances table.
pub fn memberships() -> Result<Vec<Membership>> {
    let mut reader = csv::Reader::from_reader(ALLIANCES_CSV.as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.map_err(|e| Error::EmbeddedData {
                file: "data/alliances.csv",
                message: e.to_string(),
            })?;
            let field = |i: usize| row.get(i).unwrap_or_default().to_owned();
            Ok(Membership {
                alliance: field(0),
                country: field(1),
                joined: field(2),
                left: Some(field(3)).filter(|l| !l.is_empty()),
                note: field(4),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn loc() -> Location {
        Location::new("--allies")
    }

    #[test]
    fn nato_by_date() {
        let on = |d: &str| Allies::parse(&format!("nato@{d}"), &loc()).unwrap();
        let inf_end = on("2019-08-02");
        assert_eq!(inf_end.countries.as_ref().unwrap().len(), 29);
        assert!(inf_end.contains("ME") && !inf_end.contains("MK") && !inf_end.contains("FI"));
        assert_eq!(inf_end.description, "NATO members on 2019-08-02 (29)");
        assert_eq!(on("1949-04-04").countries.unwrap().len(), 12);
        assert_eq!(on("1949-04-03").countries.unwrap().len(), 0);
        assert_eq!(on("2024-03-07").countries.unwrap().len(), 32);
        assert_eq!(on("2024-03-06").countries.unwrap().len(), 31);
    }

    #[test]
    fn every_member_is_a_known_country() {
        for m in memberships().unwrap() {
            assert!(
                countries::by_iso2(&m.country).unwrap().is_some(),
                "{}",
                m.country
            );
            check_date(&m.joined, &loc()).unwrap();
        }
    }

    #[test]
    fn lists_and_all() {
        let a = Allies::parse("pl, DE ,LT", &loc()).unwrap();
        assert_eq!(
            a.countries.unwrap().into_iter().collect::<Vec<_>>(),
            ["DE", "LT", "PL"]
        );
        assert!(Allies::parse("ALL", &loc()).unwrap().contains("RU"));
        assert!(Allies::parse("PL", &loc()).unwrap().contains("PL"));
    }

    #[test]
    fn unknown_codes_and_bad_dates_are_errors() {
        let err = Allies::parse("PL,XX", &loc()).unwrap_err().to_string();
        assert!(
            err.contains("unknown ally `XX`") && err.contains(" PL "),
            "{err}"
        );
        let err = Allies::parse("warsaw-pact", &loc())
            .unwrap_err()
            .to_string();
        assert!(err.contains("unknown ally `warsaw-pact`") && err.contains("nato@YYYY-MM-DD"));
        for bad in [
            "nato@2019-02-30",
            "nato@2019-13-01",
            "nato@19-08-02",
            "nato@soon",
        ] {
            let err = Allies::parse(bad, &loc()).unwrap_err().to_string();
            assert!(err.contains("YYYY-MM-DD"), "{bad}: {err}");
        }
        assert!(Allies::parse("nato@2020-02-29", &loc()).is_ok());
    }
}
