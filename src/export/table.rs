//! Plain-text report for the terminal (`analyze --format table`).

use crate::analysis::CityResult;
use crate::error::{Error, Result};
use crate::export::json::CityRecord;
use crate::scenario::Scenario;
use crate::summary::{Counts, Summary};
use std::io::Write;

/// Write the scenario, the per-band summary and the cities.
pub fn write(
    out: &mut dyn Write,
    scenario: &Scenario,
    summary: &Summary,
    results: &[&CityResult<'_>],
) -> Result<()> {
    write_inner(out, scenario, summary, results).map_err(|e| Error::io("standard output", e))
}

fn write_inner(
    out: &mut dyn Write,
    scenario: &Scenario,
    summary: &Summary,
    results: &[&CityResult<'_>],
) -> std::io::Result<()> {
    let date = scenario
        .date
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default();
    writeln!(out, "{}{date}", scenario.title)?;
    for site in &scenario.sites {
        let reach = match &site.reach {
            Some(r) => format!(
                "{} {} km",
                r.system.as_deref().unwrap_or("range"),
                crate::bands::format_km(r.range_km)
            ),
            None => "no system".into(),
        };
        writeln!(
            out,
            "  site {:<20} {:>9.4}°N {:>9.4}°E  {reach}",
            site.name, site.lat_deg, site.lon_deg
        )?;
    }
    writeln!(out, "  allies: {}", scenario.allies.description)?;
    writeln!(out, "  bands:  {}", scenario.bands)?;
    writeln!(out, "  cities analysed: {}", summary.cities_analysed)?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<22} {:<18} {:>7} {:>13}  capitals",
        "band", "interval", "cities", "population"
    )?;
    let first_km = crate::bands::format_km(scenario.bands.edges_km()[0]);
    let last_km = crate::bands::format_km(*scenario.bands.edges_km().last().unwrap_or(&0.0));
    let mut row = |name: &str, interval: &str, c: &Counts| {
        writeln!(
            out,
            "{name:<22} {interval:<18} {:>7} {:>13}  {}",
            c.cities,
            c.population,
            c.capitals.join(", ")
        )
    };
    row("below", &format!("< {first_km} km"), &summary.below)?;
    for b in &summary.bands {
        row(&b.band, &b.interval, &b.counts)?;
    }
    row("beyond", &format!("> {last_km} km"), &summary.beyond)?;
    writeln!(out)?;
    writeln!(
        out,
        "{:<28} {:<2} {:>11} {:>12}  {:<20} {:<16} {:>7}",
        "city", "cc", "population", "distance_km", "band", "nearest site", "bearing"
    )?;
    for r in results {
        let c = CityRecord::new(scenario, r);
        writeln!(
            out,
            "{:<28} {:<2} {:>11} {:>12.3}  {:<20} {:<16} {:>7.1}",
            truncate(c.name, 28),
            c.country,
            c.population.map(|p| p.to_string()).unwrap_or_default(),
            c.distance_km,
            c.band,
            c.nearest_site,
            c.bearing_deg
        )?;
    }
    Ok(())
}

fn truncate(s: &str, max_chars: usize) -> String {
    if s.chars().count() <= max_chars {
        s.to_owned()
    } else {
        let mut t: String = s.chars().take(max_chars - 1).collect();
        t.push('…');
        t
    }
}
