//! Scenarios: a saved, shareable analysis (sites, system, bands, allies).
//!
//! A scenario is a TOML file:
//!
//! ```toml
//! name = "inf-2019"                  # short identifier
//! title = "9M729 battalions …"       # map title
//! date = "2019-08-02"                # the moment it depicts (optional)
//! description = "…"                  # one paragraph (optional)
//! system = "9M729"                   # default system for sites without one (optional)
//! # range_km = 2350                  # or a default range instead of a system
//! allies = "nato@2019-08-02"         # see `--allies`
//! bands = "inf"                      # or edges in km: [500, 1000, 2500, 5500]
//! min_population = 50000             # only cities this large (optional)
//! all_cities = true                  # list every allied city, as --all (optional)
//!
//! [[site]]                           # one table per site
//! name = "Kapustin Yar"
//! lat = 48.5833                      # degrees north, WGS84
//! lon = 45.75                        # degrees east, WGS84
//! system = "9M729"                   # optional; or range_km = …
//! note = "Znamensk, Astrakhan oblast"  # optional
//! ```
//!
//! [`ScenarioOptions`] layers command-line choices over a scenario file (or the
//! built-in default) and [`ScenarioOptions::resolve`] turns the result into a
//! checked [`Scenario`].

use crate::allies::Allies;
use crate::bands::Bands;
use crate::error::{Error, Location, Result};
use crate::flight::FlightModel;
use crate::input;
use crate::sites::{self, Reach, Site};
use crate::systems;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use toml::Spanned;

/// The name of the scenario analysed when the user gives none.
pub const DEFAULT_SCENARIO: &str = "inf-2019";

/// Built-in scenarios: `(name, TOML text)`.
pub const BUILTIN: &[(&str, &str)] = &[
    ("inf-2019", include_str!("../data/scenarios/inf-2019.toml")),
    (
        "chernyakhovsk-2024",
        include_str!("../data/scenarios/chernyakhovsk-2024.toml"),
    ),
    (
        "ss20-1987",
        include_str!("../data/scenarios/ss20-1987.toml"),
    ),
    (
        "nato-1987",
        include_str!("../data/scenarios/nato-1987.toml"),
    ),
];

/// A checked scenario, ready for analysis.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Scenario {
    /// Short identifier.
    pub name: String,
    /// Title for maps and reports.
    pub title: String,
    /// The date the scenario depicts, `YYYY-MM-DD`, when set.
    pub date: Option<String>,
    /// One-paragraph description.
    pub description: String,
    /// Sites; each has its reach filled in from the scenario's default where
    /// it had none of its own.
    pub sites: Vec<Site>,
    /// The scenario-wide default reach, if any.
    pub default_reach: Option<Reach>,
    /// Range bands.
    pub bands: Bands,
    /// Allied countries.
    pub allies: Allies,
    /// Only cities with at least this many inhabitants (0: all).
    pub min_population: u64,
    /// List every allied city (`--all`), not only those within the last band.
    pub all_cities: bool,
}

impl Scenario {
    /// Give every site without a reach of its own the scenario's default.
    pub fn fill_default_reach(&mut self) {
        for site in &mut self.sites {
            if site.reach.is_none() {
                site.reach.clone_from(&self.default_reach);
            }
        }
    }
}

/// Command-line (or API) choices layered over a scenario.
#[derive(Debug, Clone, Default)]
pub struct ScenarioOptions {
    /// A scenario file, or the name of a built-in scenario.
    pub scenario: Option<String>,
    /// `NAME=LAT,LON[,SYSTEM]` site arguments; replace the scenario's sites.
    pub site_args: Vec<String>,
    /// A sites file; its sites are added to those of `site_args`.
    pub sites_file: Option<PathBuf>,
    /// Default system for sites without one.
    pub system: Option<String>,
    /// Default range for sites without one, km (instead of `system`).
    pub range_km: Option<f64>,
    /// `inf` or comma-separated edges in km.
    pub bands: Option<String>,
    /// Allies specification.
    pub allies: Option<String>,
    /// Only cities with at least this many inhabitants.
    pub min_population: Option<u64>,
    /// List every allied city.
    pub all_cities: bool,
}

impl ScenarioOptions {
    /// Build the checked scenario.
    ///
    /// With no scenario and no sites, this is the built-in default
    /// ([`DEFAULT_SCENARIO`]). With sites but no scenario, the sites are
    /// analysed with INF bands against today's NATO members unless `bands` or
    /// `allies` say otherwise.
    pub fn resolve(&self) -> Result<Scenario> {
        let custom_sites = !self.site_args.is_empty() || self.sites_file.is_some();
        let mut scenario = match (&self.scenario, custom_sites) {
            (Some(s), _) => load(s)?,
            (None, false) => load(DEFAULT_SCENARIO)?,
            (None, true) => Scenario {
                name: "custom".into(),
                title: "Custom sites".into(),
                date: None,
                description: String::new(),
                sites: Vec::new(),
                default_reach: None,
                bands: Bands::inf(),
                allies: Allies::parse("nato", &Location::new("default allies"))?,
                min_population: 0,
                all_cities: false,
            },
        };
        if custom_sites {
            let mut sites = self
                .site_args
                .iter()
                .map(|a| sites::parse_site_arg(a))
                .collect::<Result<Vec<_>>>()?;
            if let Some(path) = &self.sites_file {
                sites.extend(sites::read_file(path)?);
            }
            scenario.sites = sites;
        }
        if let Some(system) = &self.system {
            let system = systems::find(system, &Location::new("--system"))?;
            scenario.default_reach = Some(Reach::of_system(&system));
        }
        if let Some(km) = self.range_km {
            scenario.default_reach = Some(Reach::user_range(km, &Location::new("--range-km"))?);
        }
        if let Some(bands) = &self.bands {
            scenario.bands = Bands::parse(bands, &Location::new("--bands"))?;
        }
        if let Some(allies) = &self.allies {
            scenario.allies = Allies::parse(allies, &Location::new("--allies"))?;
        }
        if let Some(n) = self.min_population {
            scenario.min_population = n;
        }
        scenario.all_cities |= self.all_cities;
        let mut names: Vec<&str> = scenario.sites.iter().map(|s| s.name.as_str()).collect();
        names.sort_unstable();
        if let Some(w) = names.windows(2).find(|w| w[0] == w[1]) {
            return Err(Error::input(
                Location::new("sites"),
                format!(
                    "two sites are named `{}`; give each its own name, or outputs (nearest_site, reached_by) could not tell them apart",
                    w[0]
                ),
            ));
        }
        if scenario.sites.is_empty() {
            return Err(Error::input(
                Location::new(format!("scenario `{}`", scenario.name)),
                "no sites: give --site NAME=LAT,LON or --sites FILE",
            ));
        }
        scenario.fill_default_reach();
        if custom_sites {
            // The sites are the user's: a title from them, not the scenario's.
            scenario.title = data_title(&scenario);
        }
        Ok(scenario)
    }
}

/// A title made from the data: system(s), place, allies and bands, e.g.
/// "Iskander-M at Kaliningrad: NATO cities in INF range bands".
pub fn data_title(scenario: &Scenario) -> String {
    let mut systems: Vec<String> = Vec::new();
    for site in &scenario.sites {
        let name = match &site.reach {
            Some(r) => r.system.clone().unwrap_or_else(|| {
                format!("{} km reach", crate::numbers::format_km_grouped(r.range_km))
            }),
            None => continue,
        };
        if !systems.contains(&name) {
            systems.push(name);
        }
    }
    let what = match systems.len() {
        0 => "Sites".to_string(),
        1 | 2 => systems.join(" and "),
        _ => "Missile sites".to_string(),
    };
    let place = match scenario.sites.as_slice() {
        [one] => one.name.clone(),
        many => format!("{} sites", crate::numbers::group_count(many.len() as u64)),
    };
    let spec = scenario.allies.spec.trim();
    let family = spec.split('@').next().unwrap_or_default();
    let allies = match family.to_ascii_lowercase().as_str() {
        "nato" => "NATO".to_string(),
        "warsaw-pact" => "Warsaw Pact".to_string(),
        "all" | "" => "all".to_string(),
        _ => {
            let codes: Vec<&str> = spec.split(',').map(str::trim).collect();
            if codes.len() <= 3 {
                codes.join(", ").to_ascii_uppercase()
            } else {
                "allied".to_string()
            }
        }
    };
    let bands = if scenario.bands == Bands::inf() {
        "INF range bands"
    } else {
        "range bands"
    };
    format!("{what} at {place}: {allies} cities in {bands}")
}

/// Load a scenario by file path, or by built-in name.
pub fn load(name_or_path: &str) -> Result<Scenario> {
    let path = Path::new(name_or_path);
    if path.is_file() {
        let text = input::read_text(path)?;
        return parse(&text, &path.display().to_string());
    }
    match BUILTIN
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(name_or_path))
    {
        Some((name, text)) => parse(text, &format!("built-in scenario {name}")),
        None => Err(Error::unknown(
            Location::new("--scenario"),
            "scenario (no such file, nor built-in name)",
            name_or_path,
            BUILTIN
                .iter()
                .map(|(n, _)| *n)
                .collect::<Vec<_>>()
                .join(", ")
                + ", or the path of a scenario TOML file",
        )),
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ScenarioFile {
    name: Option<String>,
    title: Option<String>,
    date: Option<Spanned<toml::Value>>,
    #[serde(default)]
    description: String,
    system: Option<Spanned<String>>,
    range_km: Option<Spanned<f64>>,
    source: Option<String>,
    flight: Option<FlightModel>,
    allies: Option<Spanned<toml::Value>>,
    bands: Option<Spanned<toml::Value>>,
    #[serde(default)]
    min_population: u64,
    #[serde(default)]
    all_cities: bool,
    #[serde(default, rename = "site")]
    sites: Vec<SiteEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct SiteEntry {
    name: Spanned<String>,
    lat: Spanned<f64>,
    lon: Spanned<f64>,
    system: Option<Spanned<String>>,
    range_km: Option<Spanned<f64>>,
    source: Option<String>,
    flight: Option<FlightModel>,
    #[serde(default)]
    note: String,
}

/// Parse scenario TOML; `source` names it in errors.
pub fn parse(text: &str, source: &str) -> Result<Scenario> {
    let text = input::strip_bom(text);
    let at = |span: std::ops::Range<usize>, field: &str| {
        Location::new(source)
            .at_line(line_of(text, span.start))
            .field(field)
    };
    let file: ScenarioFile = toml::from_str(text).map_err(|e| {
        let mut loc = Location::new(source);
        if let Some(span) = e.span() {
            loc = loc.at_line(line_of(text, span.start));
        }
        Error::input(loc, e.message().trim().to_owned())
    })?;
    let name = file.name.unwrap_or_else(|| {
        Path::new(source)
            .file_stem()
            .and_then(|s| s.to_str())
            .unwrap_or("scenario")
            .to_owned()
    });
    // A `system` or `range_km` key with its location, for `reach_of`.
    fn system_at<'a>(
        s: &'a Option<Spanned<String>>,
        at: &impl Fn(std::ops::Range<usize>, &str) -> Location,
    ) -> Option<(&'a str, Location)> {
        s.as_ref()
            .map(|s| (s.get_ref().as_str(), at(s.span(), "system")))
    }
    fn range_at(
        k: &Option<Spanned<f64>>,
        at: &impl Fn(std::ops::Range<usize>, &str) -> Location,
    ) -> Option<(f64, Location)> {
        k.as_ref().map(|k| (*k.get_ref(), at(k.span(), "range_km")))
    }
    let default_reach = reach_of(
        system_at(&file.system, &at),
        range_at(&file.range_km, &at),
        file.source.as_deref(),
        file.flight.clone(),
    )?;
    let bands = match &file.bands {
        None => Bands::inf(),
        Some(b) => {
            let loc = at(b.span(), "bands");
            match b.get_ref() {
                toml::Value::String(n) => Bands::parse(n, &loc)?,
                toml::Value::Array(edges) => {
                    let edges_km = edges
                        .iter()
                        .map(|e| match e {
                            toml::Value::Float(x) => Ok(*x),
                            toml::Value::Integer(i) => Ok(*i as f64),
                            other => Err(Error::input(
                                loc.clone(),
                                format!("band edge `{other}` is not a number of km"),
                            )),
                        })
                        .collect::<Result<Vec<f64>>>()?;
                    Bands::from_edges_km(&edges_km, &loc)?
                }
                other => {
                    return Err(Error::input(
                        loc,
                        format!(
                            "expected \"inf\" or edges in km such as [500, 1000, 5500], found a {}",
                            other.type_str()
                        ),
                    ))
                }
            }
        }
    };
    let allies = match &file.allies {
        None => Allies::parse("nato", &Location::new(source))?,
        Some(a) => allies_of(a.get_ref(), &at(a.span(), "allies"))?,
    };
    let date = match &file.date {
        None => None,
        Some(d) => {
            let loc = at(d.span(), "date");
            let text = match d.get_ref() {
                toml::Value::String(t) => t.clone(),
                toml::Value::Datetime(t) => t.to_string(),
                other => {
                    return Err(Error::input(
                        loc,
                        format!("expected a date YYYY-MM-DD, found a {}", other.type_str()),
                    ))
                }
            };
            // Reuse the allies date check: `nato@DATE` validates DATE.
            crate::allies::check_date(&text, &loc)?;
            Some(text)
        }
    };
    let sites = file
        .sites
        .iter()
        .map(|s| {
            let lat_loc = at(s.lat.span(), "lat");
            let lon_loc = at(s.lon.span(), "lon");
            let reach = reach_of(
                system_at(&s.system, &at),
                range_at(&s.range_km, &at),
                s.source.as_deref(),
                s.flight.clone(),
            )?;
            let name = s.name.get_ref().trim();
            if name.is_empty() {
                return Err(Error::input(
                    at(s.name.span(), "name"),
                    "site name is empty",
                ));
            }
            Ok(Site {
                name: input::clean_text(name),
                lat_deg: input::check_lat_deg(*s.lat.get_ref(), &lat_loc)?,
                lon_deg: input::check_lon_deg(*s.lon.get_ref(), &lon_loc)?,
                reach,
                note: s.note.clone(),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Scenario {
        title: file.title.unwrap_or_else(|| name.clone()),
        name,
        date,
        description: file.description,
        sites,
        default_reach,
        bands,
        allies,
        min_population: file.min_population,
        all_cities: file.all_cities,
    })
}

/// A reach from a scenario file's `system`, `range_km` and `source`: a system
/// alone takes the catalogue's range; a range alone is the user's; both
/// pin the system's range to the figure given (as `scenario.toml` does).
/// A `flight` model given pins the time-of-flight model too; otherwise a
/// system brings the catalogue's.
fn reach_of(
    system: Option<(&str, Location)>,
    range_km: Option<(f64, Location)>,
    source: Option<&str>,
    flight: Option<FlightModel>,
) -> Result<Option<Reach>> {
    let reach = match (system, range_km) {
        (None, None) => None,
        (Some((name, loc)), None) => {
            let mut reach = Reach::of_system(&systems::find(name, &loc)?);
            if let Some(src) = source {
                reach.source = src.to_owned();
            }
            Some(reach)
        }
        (None, Some((km, loc))) => {
            let mut reach = Reach::user_range(km, &loc)?;
            if let Some(src) = source {
                reach.source = src.to_owned();
            }
            Some(reach)
        }
        (Some((name, sys_loc)), Some((km, km_loc))) => {
            let system = systems::find(name, &sys_loc)?;
            let mut reach = Reach::user_range(km, &km_loc)?;
            reach.source = match source {
                Some(src) => src.to_owned(),
                None if km == system.range_km => system.source.clone(),
                None => format!(
                    "range set in the scenario file ({} lists {} km)",
                    system.name, system.range_km
                ),
            };
            reach.system = Some(system.name);
            reach.flight = system.flight;
            Some(reach)
        }
    };
    Ok(reach.map(|mut r| {
        if flight.is_some() {
            r.flight = flight;
        }
        r
    }))
}

/// Allies from a scenario file: a specification string, or a pinned table
/// `{ spec, description, countries = [...] }` as `scenario.toml` records it.
fn allies_of(value: &toml::Value, loc: &Location) -> Result<Allies> {
    match value {
        toml::Value::String(spec) => Allies::parse(spec, loc),
        toml::Value::Table(t) => {
            let text = |key: &str| t.get(key).and_then(toml::Value::as_str);
            let spec = text("spec").unwrap_or("pinned");
            let countries = t
                .get("countries")
                .and_then(toml::Value::as_array)
                .ok_or_else(|| {
                    Error::input(
                        loc.clone(),
                        "a pinned allies table needs `countries = [\"PL\", …]`",
                    )
                })?
                .iter()
                .map(|c| {
                    c.as_str().map(str::to_owned).ok_or_else(|| {
                        Error::input(loc.clone(), format!("country `{c}` is not a string"))
                    })
                })
                .collect::<Result<Vec<String>>>()?;
            let description = match text("description") {
                Some(d) => d.to_owned(),
                None => format!("{} ({})", countries.join(", "), countries.len()),
            };
            let mut parts = std::collections::BTreeMap::new();
            if let Some(table) = t.get("parts") {
                let table = table.as_table().ok_or_else(|| {
                    Error::input(
                        loc.clone(),
                        "`parts` must be a table such as { DE = \"admin1=11;12\" }",
                    )
                })?;
                for (code, part) in table {
                    let part = part
                        .as_str()
                        .and_then(crate::allies::Territory::parse)
                        .ok_or_else(|| {
                            Error::input(
                                loc.clone(),
                                format!("part of {code}: expected \"admin1=A;B\" or \"admin1!=A;B\""),
                            )
                        })?;
                    parts.insert(code.clone(), part);
                }
            }
            Allies::pinned(spec, &description, &countries, parts, loc)
        }
        other => Err(Error::input(
            loc.clone(),
            format!(
                "expected a specification such as \"nato@2019-08-02\" or a table with `countries`, found a {}",
                other.type_str()
            ),
        )),
    }
}

/// The effective scenario as TOML, in the format [`parse`] reads: sites with
/// their system and range pinned, bands, and the allies resolved to a list
/// of countries. `infrange run --scenario FILE` on it repeats the analysis
/// exactly, whatever the catalogue or the alliance membership becomes.
///
/// # Examples
/// ```
/// use infrange::scenario::{self, ScenarioOptions};
///
/// let s = ScenarioOptions::default().resolve()?;
/// let text = scenario::to_toml(&s, "infrange run")?;
/// assert!(text.contains("countries = ["));
/// assert_eq!(scenario::parse(&text, "scenario.toml")?, s);
/// # Ok::<(), infrange::Error>(())
/// ```
pub fn to_toml(scenario: &Scenario, written_by: &str) -> Result<String> {
    #[derive(Serialize)]
    struct FileOut<'a> {
        name: &'a str,
        title: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        date: Option<&'a str>,
        description: &'a str,
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        range_km: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        flight: Option<&'a FlightModel>,
        bands: toml::Value,
        #[serde(skip_serializing_if = "is_zero")]
        min_population: u64,
        #[serde(skip_serializing_if = "std::ops::Not::not")]
        all_cities: bool,
        allies: toml::Value,
        site: Vec<SiteOut<'a>>,
    }
    #[derive(Serialize)]
    struct SiteOut<'a> {
        name: &'a str,
        lat: f64,
        lon: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        system: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        range_km: Option<f64>,
        #[serde(skip_serializing_if = "Option::is_none")]
        source: Option<&'a str>,
        #[serde(skip_serializing_if = "Option::is_none")]
        flight: Option<&'a FlightModel>,
        #[serde(skip_serializing_if = "str::is_empty")]
        note: &'a str,
    }
    let bands = if scenario.bands == Bands::inf() {
        toml::Value::String("inf".into())
    } else {
        toml::Value::Array(
            scenario
                .bands
                .edges_km()
                .iter()
                .map(|&km| toml::Value::Float(km))
                .collect(),
        )
    };
    let allies = match &scenario.allies.countries {
        None => toml::Value::String("all".into()),
        Some(set) => {
            let mut t = toml::map::Map::new();
            t.insert("spec".into(), scenario.allies.spec.clone().into());
            t.insert(
                "description".into(),
                scenario.allies.description.clone().into(),
            );
            t.insert(
                "countries".into(),
                toml::Value::Array(set.iter().map(|c| c.clone().into()).collect()),
            );
            if !scenario.allies.parts.is_empty() {
                let parts: toml::map::Map<String, toml::Value> = scenario
                    .allies
                    .parts
                    .iter()
                    .map(|(code, part)| (code.clone(), part.to_string().into()))
                    .collect();
                t.insert("parts".into(), toml::Value::Table(parts));
            }
            toml::Value::Table(t)
        }
    };
    let def = scenario.default_reach.as_ref();
    let file = FileOut {
        name: &scenario.name,
        title: &scenario.title,
        date: scenario.date.as_deref(),
        description: &scenario.description,
        system: def.and_then(|r| r.system.as_deref()),
        range_km: def.map(|r| r.range_km),
        source: def.map(|r| r.source.as_str()),
        flight: def.and_then(|r| r.flight.as_ref()),
        bands,
        min_population: scenario.min_population,
        all_cities: scenario.all_cities,
        allies,
        site: scenario
            .sites
            .iter()
            .map(|s| SiteOut {
                name: &s.name,
                lat: s.lat_deg,
                lon: s.lon_deg,
                system: s.reach.as_ref().and_then(|r| r.system.as_deref()),
                range_km: s.reach.as_ref().map(|r| r.range_km),
                source: s.reach.as_ref().map(|r| r.source.as_str()),
                flight: s.reach.as_ref().and_then(|r| r.flight.as_ref()),
                note: &s.note,
            })
            .collect(),
    };
    let body = toml::to_string(&file).map_err(|e| Error::EmbeddedData {
        file: "scenario.toml",
        message: e.to_string(),
    })?;
    Ok(format!(
        "# The effective scenario of this run, written by {written_by}.\n\
         # `infrange run --scenario scenario.toml` repeats the run exactly: the sites,\n\
         # their systems' ranges and the allied countries are pinned here.\n\n{body}"
    ))
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

fn line_of(text: &str, byte_offset: usize) -> u64 {
    1 + text.as_bytes()[..byte_offset.min(text.len())]
        .iter()
        .filter(|&&b| b == b'\n')
        .count() as u64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_scenarios_load() {
        for (name, _) in BUILTIN {
            let s = load(name).unwrap();
            assert_eq!(&s.name, name);
        }
        let s = ScenarioOptions::default().resolve().unwrap();
        assert_eq!(s.name, "inf-2019");
        assert_eq!(s.sites.len(), 4);
        assert!(s
            .sites
            .iter()
            .all(|s| s.reach.as_ref().unwrap().range_km == 2350.0));
        assert_eq!(s.allies.countries.as_ref().unwrap().len(), 29);
        assert_eq!(s.bands, Bands::inf());
    }

    #[test]
    fn options_override_the_scenario() {
        let s = ScenarioOptions {
            site_args: vec!["A=50,30".into()],
            range_km: Some(1234.0),
            bands: Some("100,200".into()),
            allies: Some("PL".into()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        assert_eq!(s.sites.len(), 1);
        assert_eq!(s.sites[0].reach.as_ref().unwrap().range_km, 1234.0);
        assert_eq!(s.bands.len(), 1);
        assert!(s.allies.contains("PL") && !s.allies.contains("DE"));
    }

    #[test]
    fn errors_carry_line_and_field() {
        let text = "name = \"t\"\nbands = [500, 400]\n[[site]]\nname = \"A\"\nlat = 95\nlon = 0\n";
        let err = parse(text, "t.toml").unwrap_err().to_string();
        assert!(err.starts_with("t.toml, line 2, field `bands`"), "{err}");
        let err = parse(&text.replace("[500, 400]", "\"inf\""), "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml, line 5, field `lat`: latitude 95"),
            "{err}"
        );
        let err = parse("name = \"t\"\nsystm = \"x\"\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(
            err.starts_with("t.toml, line 2:") && err.contains("systm"),
            "{err}"
        );
        let err = parse("[[site]]\nname = \"A\"\nlat = \"x\"\nlon = 1\n", "t.toml")
            .unwrap_err()
            .to_string();
        assert!(err.starts_with("t.toml, line 3"), "{err}");
        let err = load("no-such-scenario").unwrap_err().to_string();
        assert!(err.contains("inf-2019, chernyakhovsk-2024"), "{err}");
    }
}
