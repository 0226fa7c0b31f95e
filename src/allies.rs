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

/// The embedded alliance table, `data/alliances.csv`.
pub const ALLIANCES_CSV: &str = include_str!("../data/alliances.csv");

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
    /// Items separated by commas are joined: an alliance (`nato`,
    /// `nato@DATE`), ISO alpha-2 codes or English country names, e.g.
    /// `nato@2019-08-02,SE,FI`.
    ///
    /// # Examples
    /// ```
    /// use infrange::allies::Allies;
    /// use infrange::error::Location;
    /// let loc = Location::new("--allies");
    /// assert_eq!(Allies::parse("nato@2019-08-02", &loc).unwrap().countries.unwrap().len(), 29);
    /// assert_eq!(Allies::parse("nato", &loc).unwrap().countries.unwrap().len(), 32);
    /// assert!(Allies::parse("PL,DE,lt", &loc).unwrap().contains("LT"));
    /// assert_eq!(Allies::parse("nato@2019-08-02,SE,Finland", &loc).unwrap().countries.unwrap().len(), 31);
    /// ```
    pub fn parse(spec: &str, location: &Location) -> Result<Self> {
        let spec = spec.trim();
        let items: Vec<&str> = spec
            .split(',')
            .map(str::trim)
            .filter(|i| !i.is_empty())
            .collect();
        if items.is_empty() {
            return Err(Error::input(
                location.clone(),
                "no allies given: use `nato`, `nato@YYYY-MM-DD`, `all` or ISO codes such as `PL,DE` (see `infrange countries`)",
            ));
        }
        if items.iter().any(|i| i.eq_ignore_ascii_case("all")) {
            return Ok(Self {
                spec: "all".into(),
                description: "all countries".into(),
                countries: None,
            });
        }
        let memberships = memberships()?;
        let mut set = BTreeSet::new();
        let mut alliances: Vec<String> = Vec::new();
        let mut codes: Vec<String> = Vec::new();
        for item in items {
            let (name, date) = match item.split_once('@') {
                Some((a, d)) => (a.trim(), Some(d.trim())),
                None => (item, None),
            };
            let key = name.to_ascii_lowercase();
            if memberships.iter().any(|m| m.alliance == key) {
                let members = members_on(&memberships, &key, date, location)?;
                let label = key.to_ascii_uppercase();
                alliances.push(match date {
                    Some(d) => format!("{label} members on {d} ({})", members.len()),
                    None => format!("{label} members today ({})", members.len()),
                });
                set.extend(members);
            } else if date.is_some() {
                return Err(unknown_ally(name, location));
            } else {
                let country = country_named(item).ok_or_else(|| unknown_ally(item, location))?;
                set.insert(country.iso2.clone());
                codes.push(country.iso2.clone());
            }
        }
        let description = match (alliances.as_slice(), codes.is_empty()) {
            ([one], true) => one.clone(),
            ([], _) => format!("{} ({})", codes.join(", "), set.len()),
            (many, _) => {
                let mut parts = many.to_vec();
                if !codes.is_empty() {
                    parts.push(codes.join(", "));
                }
                format!("{} ({} in all)", parts.join(" + "), set.len())
            }
        };
        Ok(Self {
            spec: spec.to_owned(),
            description,
            countries: Some(set),
        })
    }

    /// Allies pinned to a list of countries (as `scenario.toml` records
    /// them), keeping the specification and description they came from.
    pub fn pinned(
        spec: &str,
        description: &str,
        codes: &[String],
        location: &Location,
    ) -> Result<Self> {
        let mut set = BTreeSet::new();
        for code in codes {
            let country =
                countries::by_iso2(code.trim())?.ok_or_else(|| unknown_ally(code, location))?;
            set.insert(country.iso2.clone());
        }
        if set.is_empty() {
            return Err(Error::input(
                location.clone(),
                "`countries` is empty: list at least one ISO alpha-2 code",
            ));
        }
        Ok(Self {
            spec: spec.to_owned(),
            description: description.to_owned(),
            countries: Some(set),
        })
    }
}

/// The members of an alliance on a date (or today), never none.
fn members_on(
    memberships: &[Membership],
    alliance: &str,
    date: Option<&str>,
    location: &Location,
) -> Result<BTreeSet<String>> {
    if let Some(d) = date {
        check_date(d, location)?;
    }
    let rows: Vec<&Membership> = memberships
        .iter()
        .filter(|m| m.alliance == alliance)
        .collect();
    let set: BTreeSet<String> = rows
        .iter()
        .filter(|m| match date {
            Some(d) => m.joined.as_str() <= d && m.left.as_deref().is_none_or(|l| d < l),
            None => m.left.is_none(),
        })
        .map(|m| m.country.clone())
        .collect();
    if set.is_empty() {
        let first = rows.iter().map(|m| m.joined.as_str()).min().unwrap_or("?");
        let last = rows
            .iter()
            .filter_map(|m| m.left.as_deref())
            .max()
            .unwrap_or("?");
        let when = date.unwrap_or("today");
        let span = if date.is_some_and(|d| d < first) {
            format!("its first members joined on {first}")
        } else {
            format!("its last members left on {last}")
        };
        return Err(Error::input(
            location.clone(),
            format!(
                "{} had no members on {when}: {span}",
                alliance.to_ascii_uppercase()
            ),
        ));
    }
    Ok(set)
}

/// A country by ISO alpha-2 code or English name (case-insensitive).
fn country_named(text: &str) -> Option<&'static countries::Country> {
    let all = countries::all().ok()?;
    all.iter()
        .find(|c| c.iso2.eq_ignore_ascii_case(text))
        .or_else(|| all.iter().find(|c| c.name.eq_ignore_ascii_case(text)))
}

fn unknown_ally(name: &str, location: &Location) -> Error {
    let needle = name.to_lowercase();
    let mut scored: Vec<(f64, String)> = countries::all()
        .map(|all| {
            all.iter()
                .map(|c| {
                    let score = strsim::jaro_winkler(&needle, &c.name.to_lowercase())
                        .max(strsim::jaro_winkler(&needle, &c.iso2.to_lowercase()))
                        .max(if c.iso3.eq_ignore_ascii_case(name) {
                            1.0
                        } else {
                            0.0
                        });
                    (score, format!("{} ({})", c.iso2, c.name))
                })
                .collect()
        })
        .unwrap_or_default();
    scored.sort_by(|a, b| b.0.total_cmp(&a.0));
    let near: Vec<String> = scored.into_iter().take(4).map(|(_, s)| s).collect();
    Error::unknown(
        location.clone(),
        "ally",
        name,
        format!(
            "`nato`, `nato@YYYY-MM-DD`, `all`, or ISO 3166-1 alpha-2 codes or country names, comma-separated (`infrange countries` lists them); nearest: {}",
            near.join(", ")
        ),
    )
}

/// Check a `YYYY-MM-DD` calendar date.
pub fn check_date(date: &str, location: &Location) -> Result<()> {
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
        assert!(Allies::parse("nato@1949-04-03", &loc()).is_err());
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
        let mixed = Allies::parse("nato,PL", &loc()).unwrap();
        assert_eq!(mixed.countries.unwrap().len(), 32);
        let mixed = Allies::parse("nato@2019-08-02, SE, finland", &loc()).unwrap();
        assert_eq!(
            mixed.description,
            "NATO members on 2019-08-02 (29) + SE, FI (31 in all)"
        );
    }

    #[test]
    fn unknown_codes_and_bad_dates_are_errors() {
        let err = Allies::parse("PL,XX", &loc()).unwrap_err().to_string();
        assert!(err.contains("unknown ally `XX`"), "{err}");
        assert!(err.len() < 400, "no list of every code: {err}");
        let err = Allies::parse("Polnad", &loc()).unwrap_err().to_string();
        assert!(err.contains("nearest: PL (Poland)"), "{err}");
        let err = Allies::parse("DEU", &loc()).unwrap_err().to_string();
        assert!(err.contains("nearest: DE (Germany)"), "{err}");
        let err = Allies::parse("nato@1949-01-01", &loc())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "NATO had no members on 1949-01-01: its first members joined on 1949-04-04"
            ),
            "{err}"
        );
        assert!(Allies::parse(" , ", &loc()).is_err());
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
