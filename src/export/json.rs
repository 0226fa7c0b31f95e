//! JSON outputs: `summary.json`, and the `analyze --format json` document.

use crate::analysis::CityResult;
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::summary::Summary;
use serde::Serialize;
use std::io::Write;

/// One city as written to JSON (same fields as the CSV).
#[derive(Debug, Serialize)]
pub struct CityRecord<'a> {
    pub name: &'a str,
    pub country: &'a str,
    pub lat: f64,
    pub lon: f64,
    pub population: Option<u64>,
    pub nearest_site: &'a str,
    pub distance_km: f64,
    pub band: &'a str,
    pub bearing_deg: f64,
    pub reached_by: Vec<&'a str>,
    pub capital: bool,
    pub geonameid: Option<u64>,
    pub admin1: &'a str,
    /// Time of flight, minutes, one decimal ([`crate::flight::city_time_min`]);
    /// left out when no site with a trajectory model reaches the city (so
    /// the records, and `cities.geojson`'s properties, of scenarios without
    /// a trajectory model are as before).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight_time_min: Option<f64>,
}

impl<'a> CityRecord<'a> {
    /// The record of one analysed city.
    pub fn new(scenario: &'a Scenario, r: &'a CityResult<'a>) -> Self {
        let c = r.city;
        Self {
            name: &c.name,
            country: &c.country,
            lat: c.lat_deg,
            lon: c.lon_deg,
            population: c.population,
            nearest_site: &scenario.sites[r.nearest_site].name,
            distance_km: r.distance_m / 1000.0,
            band: scenario.bands.label(r.class),
            bearing_deg: r.bearing_deg,
            reached_by: r
                .reached_by
                .iter()
                .map(|&i| scenario.sites[i].name.as_str())
                .collect(),
            capital: c.capital,
            geonameid: c.geonameid,
            admin1: &c.admin1,
            flight_time_min: crate::flight::result_time_min(&scenario.sites, r)
                .map(crate::flight::round_min),
        }
    }
}

/// Write any serialisable value as pretty JSON with a final newline.
pub fn write_pretty<T: Serialize>(out: &mut dyn Write, value: &T) -> Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)
        .map_err(|e| Error::io("JSON output", std::io::Error::other(e)))?;
    out.write_all(b"\n")
        .map_err(|e| Error::io("JSON output", e))
}

/// Write `{"summary": …, "cities": […]}`.
pub fn write_analysis(
    out: &mut dyn Write,
    scenario: &Scenario,
    summary: &Summary,
    results: &[&CityResult<'_>],
) -> Result<()> {
    #[derive(Serialize)]
    struct Doc<'a> {
        summary: &'a Summary,
        cities: Vec<CityRecord<'a>>,
    }
    let doc = Doc {
        summary,
        cities: results
            .iter()
            .map(|r| CityRecord::new(scenario, r))
            .collect(),
    };
    write_pretty(out, &doc)
}
