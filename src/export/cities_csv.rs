//! The cities CSV — a contract other tools depend on.
//!
//! The header starts with exactly
//! `name,country,lat,lon,population,nearest_site,distance_km,band`; more
//! columns follow (`bearing_deg,reached_by,capital,geonameid,admin1`).
//! `lat`/`lon` are printed as the shortest text that round-trips the f64;
//! `distance_km` has 6 decimals (millimetres); `reached_by` lists the sites
//! whose reach covers the city, separated by `;`.

use crate::analysis::CityResult;
use crate::error::{Error, Result};
use crate::export::json::CityRecord;
use crate::scenario::Scenario;
use std::io::Write;

/// The CSV header, in order.
pub const HEADER: [&str; 13] = [
    "name",
    "country",
    "lat",
    "lon",
    "population",
    "nearest_site",
    "distance_km",
    "band",
    "bearing_deg",
    "reached_by",
    "capital",
    "geonameid",
    "admin1",
];

/// Write the results as CSV.
pub fn write(out: &mut dyn Write, scenario: &Scenario, results: &[&CityResult<'_>]) -> Result<()> {
    let io = |e: csv::Error| Error::io("cities CSV", std::io::Error::other(e));
    let mut w = csv::Writer::from_writer(out);
    w.write_record(HEADER).map_err(io)?;
    for r in results {
        let c = CityRecord::new(scenario, r);
        w.write_record([
            c.name,
            c.country,
            &c.lat.to_string(),
            &c.lon.to_string(),
            &c.population.map(|p| p.to_string()).unwrap_or_default(),
            c.nearest_site,
            &format!("{:.6}", c.distance_km),
            c.band,
            &format!("{:.3}", c.bearing_deg),
            &c.reached_by.join(";"),
            if c.capital { "1" } else { "0" },
            &c.geonameid.map(|g| g.to_string()).unwrap_or_default(),
            c.admin1,
        ])
        .map_err(io)?;
    }
    w.flush().map_err(|e| Error::io("cities CSV", e))?;
    Ok(())
}
