//! Alliances and the `--allies` specification: which countries — and which
//! cities — count as allied.
//!
//! Membership comes from `data/alliances.csv` (accession dates, and departure
//! dates where a member left). Specifications:
//!
//! | spec | meaning |
//! |---|---|
//! | `nato` | current members (32 since 7 March 2024) |
//! | `nato@2019-08-02` | members on that day (29 on the INF Treaty's end) |
//! | `warsaw-pact@1987-12-08` | Warsaw Pact members on that day (1955-05-14 to 1991-07-01) |
//! | `PL,DE,LT` | these ISO 3166-1 alpha-2 codes |
//! | `all` | every country |
//!
//! **Historical territory.** Members that no longer exist are mapped to
//! today's countries: the Soviet Union to its 15 successor states,
//! Czechoslovakia to CZ and SK, West Germany (NATO, 1955-05-06 to 1990-10-03)
//! and East Germany (Warsaw Pact, to 1990-10-03) to *parts* of DE. A part is
//! a [`Territory`] given by GeoNames first-level division codes (`admin1`):
//! the GDR is the five eastern Länder (Brandenburg 11, Mecklenburg-Vorpommern
//! 12, Sachsen 13, Sachsen-Anhalt 14, Thüringen 15) and Berlin (16). Berlin is
//! one place in GeoNames, at 52.524°N 13.411°E (Mitte, in the former Soviet
//! sector): all of Berlin is counted with the GDR. Splitting it along the
//! sector line would need the line's geometry, which infrange does not
//! carry. So membership is decided per city ([`Allies::contains_city`]);
//! [`Allies::contains`] says whether a country is allied at least in part
//! (what the map tints).

use crate::countries;
use crate::error::{Error, Location, Result};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// The embedded alliance table, `data/alliances.csv`.
pub const ALLIANCES_CSV: &str = include_str!("../data/alliances.csv");

/// The allied countries of an analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Allies {
    /// The specification as given, e.g. `nato@2019-08-02`.
    pub spec: String,
    /// A readable description, e.g. `NATO members on 2019-08-02 (29)`.
    pub description: String,
    /// ISO alpha-2 codes of the countries allied wholly or in part; `None`
    /// means every country.
    pub countries: Option<BTreeSet<String>>,
    /// The countries of `countries` allied only in part, with the part
    /// (e.g. DE on 1987-12-08: West Germany for NATO, East Germany for the
    /// Warsaw Pact).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub parts: BTreeMap<String, Territory>,
}

/// The part of today's country that a historical member covered, by GeoNames
/// first-level division codes (`admin1`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Territory {
    /// Cities whose `admin1` is one of these (written `admin1=11;12`).
    Admin1In(BTreeSet<String>),
    /// Cities with an `admin1` that is none of these (written `admin1!=11;12`).
    Admin1NotIn(BTreeSet<String>),
}

impl Territory {
    /// Parse `admin1=A;B` or `admin1!=A;B`; `None` for anything else.
    ///
    /// # Examples
    /// ```
    /// use infrange::allies::Territory;
    /// let east = Territory::parse("admin1=11;12;13;14;15;16").unwrap();
    /// assert!(east.contains("13") && !east.contains("04"));
    /// assert_eq!(east.to_string(), "admin1=11;12;13;14;15;16");
    /// ```
    pub fn parse(text: &str) -> Option<Self> {
        let codes = |list: &str| -> BTreeSet<String> {
            list.split(';')
                .map(str::trim)
                .filter(|c| !c.is_empty())
                .map(str::to_owned)
                .collect()
        };
        let text = text.trim();
        if let Some(list) = text.strip_prefix("admin1!=") {
            Some(Self::Admin1NotIn(codes(list)))
        } else {
            text.strip_prefix("admin1=")
                .map(|list| Self::Admin1In(codes(list)))
        }
    }

    /// Whether a city with this GeoNames `admin1` code lies in the part. A
    /// city without an `admin1` code (e.g. from a plain CSV) lies in no part:
    /// where it lay cannot be decided.
    pub fn contains(&self, admin1: &str) -> bool {
        let admin1 = admin1.trim();
        !admin1.is_empty()
            && match self {
                Self::Admin1In(set) => set.contains(admin1),
                Self::Admin1NotIn(set) => !set.contains(admin1),
            }
    }

    /// The union of two parts of one country; `None` when it is the whole
    /// country.
    fn union(&self, other: &Self) -> Option<Self> {
        use Territory::*;
        let part = match (self, other) {
            (Admin1In(a), Admin1In(b)) => Admin1In(a.union(b).cloned().collect()),
            (Admin1NotIn(a), Admin1NotIn(b)) => Admin1NotIn(a.intersection(b).cloned().collect()),
            (Admin1In(a), Admin1NotIn(b)) | (Admin1NotIn(b), Admin1In(a)) => {
                Admin1NotIn(b.difference(a).cloned().collect())
            }
        };
        match &part {
            Admin1NotIn(set) if set.is_empty() => None,
            _ => Some(part),
        }
    }
}

impl std::fmt::Display for Territory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (op, set) = match self {
            Self::Admin1In(set) => ("=", set),
            Self::Admin1NotIn(set) => ("!=", set),
        };
        let list: Vec<&str> = set.iter().map(String::as_str).collect();
        write!(f, "admin1{op}{}", list.join(";"))
    }
}

impl Serialize for Territory {
    fn serialize<S: serde::Serializer>(&self, s: S) -> std::result::Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The display name of an alliance key (`nato` → `NATO`, `warsaw-pact` →
/// `Warsaw Pact`).
pub fn alliance_name(key: &str) -> String {
    match key {
        "warsaw-pact" => "Warsaw Pact".into(),
        other => other.to_ascii_uppercase(),
    }
}

impl Allies {
    /// Whether a country (ISO alpha-2) is allied, wholly or in part (what a
    /// map tints: it draws today's countries). Cities are decided by
    /// [`Allies::contains_city`].
    pub fn contains(&self, iso2: &str) -> bool {
        self.countries.as_ref().is_none_or(|set| set.contains(iso2))
    }

    /// Whether a city (its country's ISO alpha-2 code and its GeoNames
    /// `admin1` code) lay on allied territory: in an allied country, and for
    /// a country allied in part, in that part.
    ///
    /// # Examples
    /// ```
    /// use infrange::allies::Allies;
    /// use infrange::error::Location;
    /// let nato_1987 = Allies::parse("nato@1987-12-08", &Location::new("--allies")).unwrap();
    /// assert!(nato_1987.contains_city("DE", "04")); // Hamburg
    /// assert!(!nato_1987.contains_city("DE", "13")); // Leipzig (GDR)
    /// assert!(nato_1987.contains("DE")); // Germany is allied in part
    /// ```
    pub fn contains_city(&self, iso2: &str, admin1: &str) -> bool {
        self.contains(iso2)
            && self
                .parts
                .get(iso2)
                .is_none_or(|part| part.contains(admin1))
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
                "no allies given: use `nato`, `nato@YYYY-MM-DD`, `warsaw-pact@YYYY-MM-DD`, `all` or ISO codes such as `PL,DE` (see `infrange countries`)",
            ));
        }
        if items.iter().any(|i| i.eq_ignore_ascii_case("all")) {
            return Ok(Self {
                spec: "all".into(),
                description: "all countries".into(),
                countries: None,
                parts: BTreeMap::new(),
            });
        }
        let memberships = memberships()?;
        let mut set = BTreeSet::new();
        let mut parts: BTreeMap<String, Territory> = BTreeMap::new();
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
                let label = alliance_name(&key);
                let count = members.describe_count();
                alliances.push(match date {
                    Some(d) => format!("{label} members on {d} ({count})"),
                    None => format!(
                        "{label} members today ({count}; membership as of {})",
                        latest_change(&memberships, &key)
                    ),
                });
                add_members(&mut set, &mut parts, members);
            } else if date.is_some() {
                return Err(unknown_ally(name, location));
            } else {
                let country = country_named(item).ok_or_else(|| unknown_ally(item, location))?;
                set.insert(country.iso2.clone());
                parts.remove(&country.iso2);
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
            parts,
        })
    }

    /// Allies pinned to a list of countries (as `scenario.toml` records
    /// them), keeping the specification and description they came from.
    pub fn pinned(
        spec: &str,
        description: &str,
        codes: &[String],
        parts: BTreeMap<String, Territory>,
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
        if let Some(code) = parts.keys().find(|c| !set.contains(*c)) {
            return Err(Error::input(
                location.clone(),
                format!("`parts` names {code}, which is not among `countries`"),
            ));
        }
        Ok(Self {
            spec: spec.to_owned(),
            description: description.to_owned(),
            countries: Some(set),
            parts,
        })
    }
}

/// The members of an alliance on a date: today's countries, those covered
/// only in part, and how many historical members they stand for.
#[derive(Debug)]
struct Members {
    whole: BTreeSet<String>,
    parts: BTreeMap<String, Territory>,
    historical: usize,
}

impl Members {
    fn len(&self) -> usize {
        self.whole.len() + self.parts.len()
    }

    /// `29`, or `7; 22 of today's countries, DE in part`.
    fn describe_count(&self) -> String {
        let mut extra = Vec::new();
        if self.historical != self.len() {
            extra.push(format!("{} of today's countries", self.len()));
        }
        if !self.parts.is_empty() {
            let codes: Vec<&str> = self.parts.keys().map(String::as_str).collect();
            extra.push(format!("{} in part", codes.join(", ")));
        }
        if extra.is_empty() {
            self.historical.to_string()
        } else {
            format!("{}; {}", self.historical, extra.join(", "))
        }
    }
}

/// Join an alliance's members into a set of countries and parts.
fn add_members(
    set: &mut BTreeSet<String>,
    parts: &mut BTreeMap<String, Territory>,
    members: Members,
) {
    for code in members.whole {
        parts.remove(&code);
        set.insert(code);
    }
    for (code, part) in members.parts {
        if set.contains(&code) && !parts.contains_key(&code) {
            continue; // already allied as a whole
        }
        let joined = match parts.get(&code) {
            Some(old) => old.union(&part),
            None => Some(part),
        };
        match joined {
            Some(p) => parts.insert(code.clone(), p),
            None => parts.remove(&code),
        };
        set.insert(code);
    }
}

/// The members of an alliance on a date (or today), never none.
fn members_on(
    memberships: &[Membership],
    alliance: &str,
    date: Option<&str>,
    location: &Location,
) -> Result<Members> {
    if let Some(d) = date {
        check_date(d, location)?;
    }
    let rows: Vec<&Membership> = memberships
        .iter()
        .filter(|m| m.alliance == alliance)
        .collect();
    let active: Vec<&&Membership> = rows
        .iter()
        .filter(|m| match date {
            Some(d) => m.joined.as_str() <= d && m.left.as_deref().is_none_or(|l| d < l),
            None => m.left.is_none(),
        })
        .collect();
    if active.is_empty() {
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
                alliance_name(alliance)
            ),
        ));
    }
    let mut members = Members {
        whole: BTreeSet::new(),
        parts: BTreeMap::new(),
        historical: active
            .iter()
            .map(|m| m.historical_name())
            .collect::<BTreeSet<_>>()
            .len(),
    };
    for m in &active {
        match &m.territory {
            None => {
                members.whole.insert(m.country.clone());
            }
            Some(part) => {
                let mut whole = BTreeSet::new();
                add_members(
                    &mut whole,
                    &mut members.parts,
                    Members {
                        whole: BTreeSet::new(),
                        parts: BTreeMap::from([(m.country.clone(), part.clone())]),
                        historical: 0,
                    },
                );
                if !members.parts.contains_key(&m.country) {
                    // two parts that make up the whole country
                    members.whole.insert(m.country.clone());
                }
            }
        }
    }
    for code in &members.whole {
        members.parts.remove(code);
    }
    Ok(members)
}

/// The latest accession or departure date of an alliance in the data.
fn latest_change(memberships: &[Membership], alliance: &str) -> String {
    memberships
        .iter()
        .filter(|m| m.alliance == alliance)
        .flat_map(|m| std::iter::once(m.joined.as_str()).chain(m.left.as_deref()))
        .max()
        .unwrap_or("?")
        .to_owned()
}

/// Everyday names of countries that GeoNames spells otherwise.
const COUNTRY_ALIASES: &[(&str, &str)] = &[
    ("uk", "GB"),
    ("britain", "GB"),
    ("great britain", "GB"),
    ("england", "GB"),
    ("usa", "US"),
    ("united states of america", "US"),
    ("america", "US"),
    ("netherlands", "NL"),
    ("holland", "NL"),
    ("czech republic", "CZ"),
    ("turkey", "TR"),
    ("türkiye", "TR"),
    ("turkiye", "TR"),
    ("russia", "RU"),
    ("macedonia", "MK"),
    ("north macedonia", "MK"),
    ("south korea", "KR"),
    ("north korea", "KP"),
    ("ivory coast", "CI"),
    ("vatican", "VA"),
];

/// A country by ISO alpha-2 or alpha-3 code or English name
/// (case-insensitive; a leading "the" and everyday names such as `UK`,
/// `USA`, `Netherlands`, `Czech Republic`, `Türkiye` accepted).
fn country_named(text: &str) -> Option<&'static countries::Country> {
    let all = countries::all().ok()?;
    let text = text.trim();
    let lower = text.to_lowercase();
    let bare = lower.strip_prefix("the ").unwrap_or(&lower);
    let by_name = |name: &str| {
        let n = name.to_lowercase();
        n == bare || n.strip_prefix("the ") == Some(bare)
    };
    all.iter()
        .find(|c| c.iso2.eq_ignore_ascii_case(text))
        .or_else(|| all.iter().find(|c| c.iso3.eq_ignore_ascii_case(text)))
        .or_else(|| all.iter().find(|c| by_name(&c.name)))
        .or_else(|| {
            let code = COUNTRY_ALIASES.iter().find(|(a, _)| *a == bare)?.1;
            all.iter().find(|c| c.iso2 == code)
        })
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
            "`nato`, `nato@YYYY-MM-DD`, `warsaw-pact@YYYY-MM-DD`, `all`, or ISO 3166-1 alpha-2 codes or country names, comma-separated (`infrange countries` lists them); nearest: {}",
            near.join(", ")
        ),
    )
}

/// Check a `YYYY-MM-DD` calendar date.
pub fn check_date(date: &str, location: &Location) -> Result<()> {
    let bad = || {
        Error::input(
            location.clone(),
            format!("`{date}` is not a calendar date written YYYY-MM-DD"),
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
    /// The historical member the row stands for, when it is not the country
    /// itself (`Soviet Union`, `Czechoslovakia`, `West Germany`, `East Germany`).
    pub member: Option<String>,
    /// The part of the country the member covered; `None`: all of it.
    pub territory: Option<Territory>,
}

impl Membership {
    /// The member's name: the historical member, or the country's code.
    pub fn historical_name(&self) -> &str {
        self.member.as_deref().unwrap_or(&self.country)
    }

    /// One line for `infrange countries`, e.g. `Warsaw Pact 1955-05-14 to
    /// 1991-07-01 as part of the Soviet Union`.
    pub fn describe(&self) -> String {
        let mut text = alliance_name(&self.alliance);
        match &self.left {
            Some(left) => text += &format!(" {} to {left}", self.joined),
            None => text += &format!(" since {}", self.joined),
        }
        if let Some(member) = &self.member {
            text += &format!(" as {member}");
        }
        if let Some(part) = &self.territory {
            text += &format!(" (cities with {part})");
        }
        text
    }
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
                member: Some(field(5)).filter(|m| !m.is_empty()),
                territory: match field(6).trim() {
                    "" => None,
                    text => Some(Territory::parse(text).ok_or_else(|| Error::EmbeddedData {
                        file: "data/alliances.csv",
                        message: format!("territory `{text}`: expected admin1=A;B or admin1!=A;B"),
                    })?),
                },
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
        for (name, code) in [
            ("Netherlands", "NL"),
            ("the Netherlands", "NL"),
            ("Czech Republic", "CZ"),
            ("Türkiye", "TR"),
            ("UK", "GB"),
            ("USA", "US"),
            ("GBR", "GB"),
        ] {
            let a = Allies::parse(name, &loc()).unwrap();
            assert_eq!(
                a.countries.unwrap().into_iter().collect::<Vec<_>>(),
                [code],
                "{name}"
            );
        }
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
        let err = Allies::parse("Germny", &loc()).unwrap_err().to_string();
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
        assert!(
            err.contains(
                "Warsaw Pact had no members on today: its last members left on 1991-07-01"
            ),
            "{err}"
        );
        let err = Allies::parse("varsovia", &loc()).unwrap_err().to_string();
        assert!(err.contains("unknown ally `varsovia`") && err.contains("warsaw-pact@YYYY-MM-DD"));
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

    /// Cities of the embedded catalogue by name (the most populous of a name)
    /// → whether the allies on that day include them.
    fn allied_cities(spec: &str, names: &[&str]) -> Vec<(String, bool)> {
        let allies = Allies::parse(spec, &loc()).unwrap();
        let cities = crate::cities::embedded().unwrap();
        names
            .iter()
            .map(|name| {
                let city = cities
                    .iter()
                    .filter(|c| c.name == *name)
                    .max_by_key(|c| c.population)
                    .unwrap_or_else(|| panic!("{name} is in the catalogue"));
                (
                    name.to_string(),
                    allies.contains_city(&city.country, &city.admin1),
                )
            })
            .collect()
    }

    fn check(spec: &str, inside: &[&str], outside: &[&str]) {
        for (name, allied) in allied_cities(spec, inside) {
            assert!(allied, "{spec} should include {name}");
        }
        for (name, allied) in allied_cities(spec, outside) {
            assert!(!allied, "{spec} should exclude {name}");
        }
    }

    #[test]
    fn the_inner_german_border_in_1987() {
        check(
            "nato@1987-12-08",
            &["Hamburg", "Munich", "Bonn", "Frankfurt am Main", "Paris"],
            &["Leipzig", "Dresden", "Rostock", "Berlin", "Warsaw", "Riga"],
        );
        check(
            "warsaw-pact@1987-12-08",
            &[
                "Leipzig",
                "Dresden",
                "Rostock",
                "Berlin",
                "Warsaw",
                "Kyiv",
                "Prague",
                "Bratislava",
                "Riga",
                "Tallinn",
                "Vilnius",
                "Moscow",
                "Almaty",
            ],
            &["Hamburg", "Munich", "Tirana", "Paris", "Belgrade"],
        );
        let nato = Allies::parse("nato@1987-12-08", &loc()).unwrap();
        assert_eq!(
            nato.description,
            "NATO members on 1987-12-08 (16; DE in part)"
        );
        assert!(nato.contains("DE") && !nato.contains("EE"));
        let wp = Allies::parse("warsaw-pact@1987-12-08", &loc()).unwrap();
        assert_eq!(
            wp.description,
            "Warsaw Pact members on 1987-12-08 (7; 22 of today's countries, DE in part)"
        );
        // Both sides of the border make all of Germany.
        let both = Allies::parse("nato@1987-12-08,warsaw-pact@1987-12-08", &loc()).unwrap();
        assert!(both.parts.is_empty() && both.contains_city("DE", "13"));
        // A German city without an admin1 code cannot be placed before 1990.
        assert!(!nato.contains_city("DE", "") && !wp.contains_city("DE", ""));
    }

    #[test]
    fn german_unification_on_1990_10_03() {
        let east = ["Leipzig", "Dresden", "Rostock", "Berlin"];
        check("nato@1990-10-02", &["Hamburg", "Munich"], &east);
        check("warsaw-pact@1990-10-02", &east, &["Hamburg", "Munich"]);
        let all = [
            "Hamburg", "Munich", "Leipzig", "Dresden", "Rostock", "Berlin",
        ];
        check("nato@1990-10-03", &all, &[]);
        check(
            "warsaw-pact@1990-10-03",
            &["Warsaw", "Kyiv", "Prague"],
            &all,
        );
        let unified = Allies::parse("nato@1990-10-03", &loc()).unwrap();
        assert!(unified.parts.is_empty());
        assert_eq!(unified.description, "NATO members on 1990-10-03 (16)");
    }

    #[test]
    fn the_warsaw_pact_from_1955_to_1991() {
        assert!(Allies::parse("warsaw-pact@1955-05-13", &loc()).is_err());
        check(
            "warsaw-pact@1955-05-14",
            &["Tirana", "Leipzig", "Moscow"],
            &[],
        );
        check("warsaw-pact@1968-09-12", &["Tirana"], &[]);
        check("warsaw-pact@1968-09-13", &["Sofia"], &["Tirana"]);
        check("warsaw-pact@1991-06-30", &["Warsaw", "Moscow"], &[]);
        let err = Allies::parse("warsaw-pact@1991-07-01", &loc())
            .unwrap_err()
            .to_string();
        assert!(err.contains("its last members left on 1991-07-01"), "{err}");
        // The Baltic states: Soviet (Warsaw Pact) in 1987, NATO from 2004.
        check("warsaw-pact@1987-12-08", &["Riga"], &[]);
        check("nato@2004-03-28", &[], &["Riga", "Tallinn", "Vilnius"]);
        check("nato@2004-03-29", &["Riga", "Tallinn", "Vilnius"], &[]);
    }

    #[test]
    fn the_gdr_is_the_five_eastern_laender_and_berlin() {
        // GeoNames admin1 codes of the eastern Länder, checked on their capitals.
        for (city, admin1) in [
            ("Potsdam", "11"),
            ("Schwerin", "12"),
            ("Dresden", "13"),
            ("Magdeburg", "14"),
            ("Erfurt", "15"),
            ("Berlin", "16"),
        ] {
            let c = crate::cities::embedded()
                .unwrap()
                .iter()
                .find(|c| c.name == city && c.country == "DE")
                .unwrap();
            assert_eq!(c.admin1, admin1, "{city}");
        }
        let east = Territory::parse("admin1=11;12;13;14;15;16").unwrap();
        let west = Territory::parse("admin1!=11;12;13;14;15;16").unwrap();
        assert_eq!(east.union(&west), None);
        assert_eq!(
            east.union(&Territory::parse("admin1=01").unwrap())
                .unwrap()
                .to_string(),
            "admin1=01;11;12;13;14;15;16"
        );
    }
}
