//! Plain-text report for the terminal (`analyze --format table`).

use crate::analysis::CityResult;
use crate::error::{Error, Result};
use crate::export::json::CityRecord;
use crate::numbers::group_count;
use crate::scenario::Scenario;
use crate::summary::{Counts, Summary, Tally};
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
    writeln!(out, "{}{date}", clean(&scenario.title))?;
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
            clean(&site.name),
            site.lat_deg,
            site.lon_deg
        )?;
    }
    writeln!(out, "  allies: {}", scenario.allies.description)?;
    writeln!(out, "  bands:  {}", scenario.bands)?;
    writeln!(out)?;
    write_summary_inner(out, scenario, summary)?;
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
            truncate(&clean(c.name), 28),
            clean(c.country),
            c.population.map(|p| p.to_string()).unwrap_or_default(),
            c.distance_km,
            clean(c.band),
            clean(c.nearest_site),
            c.bearing_deg
        )?;
    }
    Ok(())
}

/// Write the per-band totals — cities, population, and how many of them a
/// site's system reaches — then the capitals per band, reached or not, and
/// what each system reaches. The console report of `run` and the head of
/// `analyze --format table`.
///
/// # Examples
/// ```
/// use infrange::{analysis, cities, export::table, scenario::ScenarioOptions, summary};
///
/// let scenario = ScenarioOptions::default().resolve()?;
/// let results = analysis::analyze(&scenario, cities::embedded()?, Default::default());
/// let s = summary::summarize(&scenario, &results)?;
/// let mut text = Vec::new();
/// table::write_summary(&mut text, &scenario, &s)?;
/// let text = String::from_utf8(text).unwrap();
/// assert!(text.lines().any(|l| l.starts_with("below ")));
/// assert!(text.contains("not reached (9): ") && text.contains("London"));
/// # Ok::<(), infrange::Error>(())
/// ```
pub fn write_summary(out: &mut dyn Write, scenario: &Scenario, summary: &Summary) -> Result<()> {
    write_summary_inner(out, scenario, summary).map_err(|e| Error::io("standard output", e))
}

fn write_summary_inner(
    out: &mut dyn Write,
    scenario: &Scenario,
    summary: &Summary,
) -> std::io::Result<()> {
    let zones = zones(scenario, summary);
    let edges = scenario.bands.edges_km();
    let in_bands = format!(
        "{}–{} km",
        crate::numbers::format_km_grouped(edges[0]),
        crate::numbers::format_km_grouped(*edges.last().unwrap_or(&0.0))
    );
    let mut lines = zones.clone();
    lines.push(("in the bands".into(), in_bands, &summary.in_bands));
    lines.push(("all analysed".into(), String::new(), &summary.all));
    let name_w = lines.iter().map(|l| l.0.chars().count()).max().unwrap_or(0);
    let int_w = lines.iter().map(|l| l.1.chars().count()).max().unwrap_or(0);
    let num = group_count;
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    writeln!(
        out,
        "{} {} {:>8} {:>13}   {:>8} {:>13}",
        pad("band", name_w),
        pad("interval", int_w),
        "cities",
        "population",
        "reached",
        "reached pop."
    )?;
    for (name, interval, c) in &lines {
        writeln!(
            out,
            "{} {} {:>8} {:>13}   {:>8} {:>13}",
            pad(&clean(name), name_w),
            pad(&clean(interval), int_w),
            num(c.cities as u64),
            num(c.population),
            num(c.reached.cities as u64),
            num(c.reached.population)
        )?;
    }
    writeln!(out, "capitals (reached by a site's system, or not):")?;
    for (name, _, c) in &zones {
        let list = |names: Vec<&str>| {
            if names.is_empty() {
                "-".to_owned()
            } else {
                names.join(", ")
            }
        };
        let reached: Vec<&str> = c.reached.capitals.iter().map(String::as_str).collect();
        writeln!(
            out,
            "  {}  reached ({}): {}; not reached ({}): {}",
            pad(&clean(name), name_w),
            reached.len(),
            clean(&list(reached)),
            c.capitals.len() - c.reached.capitals.len(),
            clean(&list(c.unreached_capitals()))
        )?;
    }
    let unarmed: Vec<&str> = scenario
        .sites
        .iter()
        .filter(|s| s.reach.is_none())
        .map(|s| s.name.as_str())
        .collect();
    if !unarmed.is_empty() {
        writeln!(
            out,
            "note: {} no system or range, so {} nothing; give --system NAME or --range-km N (or a system column) to count what is reached",
            clean(&match unarmed.as_slice() {
                [one] => format!("site {one} has"),
                many => format!("sites {} have", names_up_to(many, SITES_LISTED)),
            }),
            if unarmed.len() == 1 { "it reaches" } else { "they reach" }
        )?;
    }
    for s in &summary.systems {
        let name = match &s.system {
            Some(n) => format!("{n} ({} km)", crate::numbers::format_km_grouped(s.range_km)),
            None => format!("range {} km", crate::numbers::format_km_grouped(s.range_km)),
        };
        let t: &Tally = &s.reached;
        writeln!(
            out,
            "{name} at {}: reaches {} cities, population {}, {} capitals",
            clean(&names_up_to(&s.sites, SITES_LISTED)),
            num(t.cities as u64),
            num(t.population),
            t.capitals.len()
        )?;
    }
    if crate::flight::any_model(&scenario.sites) {
        write_flight_times(out, &summary.capital_flight_times)?;
    }
    Ok(())
}

/// "capitals within 10 minutes: …" for 10, 15, 30 and 60 minutes and beyond
/// (time of flight from the fastest reaching site with a trajectory model).
fn write_flight_times(
    out: &mut dyn Write,
    times: &[crate::summary::CapitalFlightTime],
) -> std::io::Result<()> {
    writeln!(
        out,
        "time of flight to capitals (fastest reaching site; ballistic: minimum-energy + boost, cruise: distance / speed):"
    )?;
    let mut lower = 0.0;
    for limit in [10.0, 15.0, 30.0, 60.0, f64::INFINITY] {
        let names: Vec<String> = times
            .iter()
            .filter(|t| t.flight_time_min > lower && t.flight_time_min <= limit)
            .map(|t| format!("{} {:.1}", clean(&t.name), t.flight_time_min))
            .collect();
        let label = if limit.is_finite() {
            format!("within {limit} minutes")
        } else {
            format!("over {lower} minutes")
        };
        let list = if names.is_empty() {
            "-".to_owned()
        } else {
            names.join(", ")
        };
        writeln!(out, "  {label} ({}): {list}", names.len())?;
        lower = limit;
    }
    Ok(())
}

/// Write the per-band totals and the cities as Markdown pipe tables, ready
/// for a paper, with a source line under them.
pub fn write_markdown(
    out: &mut dyn Write,
    scenario: &Scenario,
    summary: &Summary,
    results: &[&CityResult<'_>],
) -> Result<()> {
    write_markdown_inner(out, scenario, summary, results)
        .map_err(|e| Error::io("Markdown table", e))
}

fn write_markdown_inner(
    out: &mut dyn Write,
    scenario: &Scenario,
    summary: &Summary,
    results: &[&CityResult<'_>],
) -> std::io::Result<()> {
    use crate::export::countries::{markdown_cell as cell, markdown_source};
    let num = group_count;
    writeln!(
        out,
        "| Band | Interval | Cities | Population | Reached cities | Reached population | Capitals reached | Capitals not reached |"
    )?;
    writeln!(out, "|---|---|--:|--:|--:|--:|---|---|")?;
    for (name, interval, c) in zones(scenario, summary) {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} | {} |",
            cell(&name),
            cell(&interval),
            num(c.cities as u64),
            num(c.population),
            num(c.reached.cities as u64),
            num(c.reached.population),
            cell(&c.reached.capitals.join(", ")),
            cell(&c.unreached_capitals().join(", "))
        )?;
    }
    writeln!(out)?;
    writeln!(
        out,
        "| City | Country | Population | Distance (km) | Band | Nearest site | Bearing (°) | Reached by |"
    )?;
    writeln!(out, "|---|---|--:|--:|---|---|--:|---|")?;
    for r in results {
        let c = CityRecord::new(scenario, r);
        let name = if c.capital {
            format!("**{}**", cell(c.name))
        } else {
            cell(c.name)
        };
        writeln!(
            out,
            "| {name} | {} | {} | {} | {} | {} | {:.1} | {} |",
            cell(c.country),
            c.population.map(num).unwrap_or_default(),
            {
                let tenths = (c.distance_km * 10.0).round() as i64;
                format!("{}.{}", num((tenths / 10) as u64), tenths % 10)
            },
            cell(c.band),
            cell(c.nearest_site),
            c.bearing_deg,
            cell(&c.reached_by.join(", "))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "Capitals in bold. {}", markdown_source(summary))
}

/// The zones of a summary in order — `below`, each band, `beyond` — with
/// their intervals (`< 500 km`, `[500, 1000] km`, …) and counts.
fn zones<'s>(scenario: &Scenario, summary: &'s Summary) -> Vec<(String, String, &'s Counts)> {
    let edges = scenario.bands.edges_km();
    let km = crate::numbers::format_km_grouped;
    let mut zones = vec![(
        "below".to_owned(),
        format!("< {} km", km(edges[0])),
        &summary.below,
    )];
    for b in &summary.bands {
        zones.push((b.band.clone(), b.interval.clone(), &b.counts));
    }
    zones.push((
        "beyond".to_owned(),
        format!("> {} km", km(*edges.last().unwrap_or(&0.0))),
        &summary.beyond,
    ));
    zones
}

/// Text safe for a terminal: control characters (escape sequences, NUL,
/// line breaks) become U+FFFD, so data cannot move the cursor or colour the
/// screen.
pub fn clean(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
        .collect()
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

/// Sites named in one line of the console summary; more are counted ("and 990 more").
const SITES_LISTED: usize = 12;

/// The first `max` names joined with ", ", and how many more there are.
fn names_up_to<S: AsRef<str>>(names: &[S], max: usize) -> String {
    let shown: Vec<&str> = names.iter().take(max).map(AsRef::as_ref).collect();
    match names.len().saturating_sub(max) {
        0 => shown.join(", "),
        more => format!(
            "{} and {} more",
            shown.join(", "),
            crate::numbers::group_count(more as u64)
        ),
    }
}
