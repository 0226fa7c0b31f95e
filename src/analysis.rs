//! The analysis: for every allied city, its nearest site, geodesic distance,
//! bearing, band, and the sites whose reach covers it.
//!
//! Distances are Karney's geodesics on WGS84 ([`crate::geodesy`]); bands come
//! from the band rule ([`crate::bands::Bands::classify_m`]). The work is done
//! by [`crate::engine::Engine`], which reproduces the all-pairs Karney
//! computation ([`reference`](mod@reference)) exactly while solving Karney only where its
//! rigorous bounds cannot decide.

use crate::bands::BandClass;
use crate::cities::City;
use crate::engine::{Classified, Engine};
use crate::scenario::Scenario;
use rayon::prelude::*;

/// What the analysis found for one city.
#[derive(Debug, Clone, PartialEq)]
pub struct CityResult<'c> {
    /// The city.
    pub city: &'c City,
    /// Index of the nearest site in the scenario (the first, on a tie).
    pub nearest_site: usize,
    /// Geodesic distance from the nearest site, metres.
    pub distance_m: f64,
    /// Initial azimuth from the nearest site towards the city, degrees
    /// clockwise from north in [0, 360).
    pub bearing_deg: f64,
    /// The band of `distance_m`.
    pub class: BandClass,
    /// Indices of the sites whose reach covers the city, in scenario order.
    pub reached_by: Vec<usize>,
}

/// Which cities to consider.
#[derive(Debug, Clone, Copy, Default)]
pub struct CityFilter {
    /// Skip cities with fewer inhabitants (cities of unknown population are
    /// skipped when this is above zero).
    pub min_population: u64,
}

/// Analyse every allied city that passes the filter, nearest first.
///
/// # Examples
/// ```
/// use infrange::analysis::{analyze, CityFilter};
/// use infrange::scenario::ScenarioOptions;
///
/// let scenario = ScenarioOptions::default().resolve().unwrap(); // the INF 2019 default
/// let cities = infrange::cities::embedded().unwrap();
/// let results = analyze(&scenario, cities, CityFilter::default());
/// let warsaw = results.iter().find(|r| r.city.name == "Warsaw").unwrap();
/// assert_eq!(scenario.bands.label(warsaw.class), "intermediate-range");
/// ```
pub fn analyze<'c>(
    scenario: &Scenario,
    cities: &'c [City],
    filter: CityFilter,
) -> Vec<CityResult<'c>> {
    let engine = Engine::new(&scenario.sites, &scenario.bands);
    analyze_with(&engine, scenario, cities, filter)
}

/// [`analyze`] with a prebuilt engine (for callers that analyse several city
/// sets against the same scenario).
pub fn analyze_with<'c>(
    engine: &Engine,
    scenario: &Scenario,
    cities: &'c [City],
    filter: CityFilter,
) -> Vec<CityResult<'c>> {
    let selected: Vec<&'c City> = cities
        .iter()
        .filter(|c| selects(scenario, filter, c))
        .collect();
    let points: Vec<(f64, f64)> = selected.iter().map(|c| (c.lon_deg, c.lat_deg)).collect();
    let classified = engine.classify_many(&points);
    let mut results: Vec<CityResult<'c>> = selected
        .into_iter()
        .zip(classified)
        .map(|(city, c)| CityResult::new(city, c))
        .collect();
    sort_results(&mut results);
    results
}

/// Analyse one city against every site of the scenario.
///
/// Builds an [`Engine`] per call; to analyse many cities use [`analyze`].
pub fn analyze_city<'c>(scenario: &Scenario, city: &'c City) -> CityResult<'c> {
    let engine = Engine::new(&scenario.sites, &scenario.bands);
    CityResult::new(city, engine.classify(city.lon_deg, city.lat_deg))
}

impl<'c> CityResult<'c> {
    fn new(city: &'c City, c: Classified) -> Self {
        CityResult {
            city,
            nearest_site: c.nearest_site,
            distance_m: c.distance_m,
            bearing_deg: c.bearing_deg,
            class: c.class,
            reached_by: c.reached_by,
        }
    }
}

/// Whether the analysis considers a city: on allied territory on the
/// scenario's date (see [`crate::allies::Allies::contains_city`]: East German
/// cities were not NATO's before 1990-10-03), and populous enough.
pub fn selects(scenario: &Scenario, filter: CityFilter, city: &City) -> bool {
    scenario.allies.contains_city(&city.country, &city.admin1)
        && (filter.min_population == 0 || city.population.unwrap_or(0) >= filter.min_population)
}

/// Nearest first; equal distances by name (a total order on the keys, so the
/// parallel sort is deterministic up to fully equal keys, which a stable sort
/// keeps in input order).
fn sort_results(results: &mut [CityResult<'_>]) {
    results.par_sort_by(|a, b| {
        a.distance_m
            .total_cmp(&b.distance_m)
            .then_with(|| a.city.name.cmp(&b.city.name))
    });
}

/// The brute-force definition, Karney on every (site, city) pair: the
/// reference the engine is tested against.
pub mod reference {
    use super::*;

    /// [`super::analyze`], computed pair by pair.
    pub fn analyze<'c>(
        scenario: &Scenario,
        cities: &'c [City],
        filter: CityFilter,
    ) -> Vec<CityResult<'c>> {
        let mut results: Vec<CityResult<'c>> = cities
            .iter()
            .filter(|c| selects(scenario, filter, c))
            .map(|city| analyze_city(scenario, city))
            .collect();
        sort_results(&mut results);
        results
    }

    /// [`super::analyze_city`], computed pair by pair.
    pub fn analyze_city<'c>(scenario: &Scenario, city: &'c City) -> CityResult<'c> {
        CityResult::new(
            city,
            crate::engine::reference(&scenario.sites, &scenario.bands, city.lon_deg, city.lat_deg),
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geodesy;
    use crate::scenario::ScenarioOptions;

    fn city(name: &str, lat_deg: f64, lon_deg: f64) -> City {
        City {
            geonameid: None,
            name: name.into(),
            ascii_name: name.into(),
            country: "PL".into(),
            lon_deg,
            lat_deg,
            population: Some(100_000),
            admin1: String::new(),
            capital: false,
        }
    }

    #[test]
    fn cities_exactly_on_band_edges() {
        // Place cities 1 mm either side of 500 km, 1000 km and 5500 km along
        // a geodesic from the site with Karney's direct problem; the
        // classification must follow the band rule to the millimetre. (A
        // city *exactly* on an edge cannot be placed: its lat/lon rounds to
        // f64. `bands::tests` checks exact edge distances.)
        let scenario = ScenarioOptions {
            site_args: vec!["S=52,21".into()],
            allies: Some("all".into()),
            range_km: Some(1000.0),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let mut cities = Vec::new();
        for edge_m in [500_000.0, 1_000_000.0, 5_500_000.0] {
            for (tag, d_m) in [("in", edge_m - 0.001), ("out", edge_m + 0.001)] {
                let (lat, lon) = geodesy::direct(52.0, 21.0, 37.0, d_m);
                cities.push(city(&format!("{tag}{edge_m}"), lat, lon));
            }
        }
        let results = analyze(&scenario, &cities, CityFilter::default());
        let got: Vec<(String, &str)> = results
            .iter()
            .map(|r| (r.city.name.clone(), scenario.bands.label(r.class)))
            .collect();
        let want = [
            ("in500000", "below"),
            ("out500000", "shorter-range"),
            ("in1000000", "shorter-range"),
            ("out1000000", "intermediate-range"),
            ("in5500000", "intermediate-range"),
            ("out5500000", "beyond"),
        ];
        assert_eq!(got.len(), want.len());
        for ((name, band), (wname, wband)) in got.iter().zip(want) {
            assert_eq!((name.as_str(), *band), (wname, wband));
        }
        // The round trip direct→inverse is good to far below a millimetre.
        for (r, edge_m) in results
            .iter()
            .zip([500e3, 500e3, 1000e3, 1000e3, 5500e3, 5500e3])
        {
            assert!(
                ((r.distance_m - edge_m).abs() - 0.001).abs() < 1e-6,
                "{}",
                r.distance_m
            );
            assert!((r.bearing_deg - 37.0).abs() < 1e-6);
        }
        let reached: Vec<bool> = results.iter().map(|r| !r.reached_by.is_empty()).collect();
        assert_eq!(reached, [true, true, true, false, false, false]);
    }

    #[test]
    fn engine_matches_reference_on_the_embedded_catalogue() {
        let scenario = ScenarioOptions::default().resolve().unwrap();
        let cities = crate::cities::embedded().unwrap();
        let filter = CityFilter::default();
        let fast = analyze(&scenario, cities, filter);
        assert!(fast.len() > 1000);
        assert_eq!(fast, reference::analyze(&scenario, cities, filter));
    }

    #[test]
    fn nearest_site_wins_and_filters_apply() {
        let scenario = ScenarioOptions {
            site_args: vec!["West=50,10".into(), "East=50,30".into()],
            allies: Some("PL".into()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let mut far = city("Far", 50.0, 28.0);
        far.population = Some(10);
        let mut other = city("Other", 50.0, 11.0);
        other.country = "DE".into();
        let cities = [city("Near", 50.0, 12.0), far, other];
        let all = analyze(&scenario, &cities, CityFilter::default());
        assert_eq!(all.len(), 2, "DE is not allied");
        assert_eq!(all[0].city.name, "Far");
        assert_eq!(all[0].nearest_site, 1);
        assert_eq!(all[1].nearest_site, 0);
        let big = analyze(
            &scenario,
            &cities,
            CityFilter {
                min_population: 1000,
            },
        );
        assert_eq!(big.len(), 1);
    }
}
