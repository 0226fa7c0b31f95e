//! The per-country table — `countries.csv` of `run`, and `analyze --by
//! country` as CSV, Markdown or text.
//!
//! One row per allied country and band, `below` and `beyond` included, rows
//! with no city included (a country with nothing in a band is a finding
//! too). The CSV header starts with exactly
//! `country,country_name,band,cities,population,reached_cities,reached_population`;
//! `capitals` and `reached_capitals` (`;`-separated) follow.

use crate::error::{Error, Result};
use crate::numbers::group_count;
use crate::summary::{Counts, Summary};
use std::io::Write;

/// The CSV header, in order.
pub const HEADER: [&str; 9] = [
    "country",
    "country_name",
    "band",
    "cities",
    "population",
    "reached_cities",
    "reached_population",
    "capitals",
    "reached_capitals",
];

/// One row of the table: a country's cities in one band.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    /// ISO 3166-1 alpha-2 code.
    pub country: &'a str,
    /// Country name.
    pub country_name: &'a str,
    /// Band name, `below` or `beyond`.
    pub band: &'a str,
    /// The counts.
    pub counts: &'a Counts,
}

/// The rows of a summary: countries by code; per country `below`, the bands
/// nearest first, `beyond`.
pub fn rows(summary: &Summary) -> Vec<Row<'_>> {
    let mut rows = Vec::new();
    for c in &summary.countries {
        let row = |band: &'static str, counts| Row {
            country: &c.country,
            country_name: &c.name,
            band,
            counts,
        };
        rows.push(row("below", &c.below));
        for b in &c.bands {
            rows.push(Row {
                band: &b.band,
                ..row("", &b.counts)
            });
        }
        rows.push(row("beyond", &c.beyond));
    }
    rows
}

/// Write the table as CSV.
///
/// # Examples
/// ```
/// use infrange::{analysis, cities, export::countries, scenario::ScenarioOptions, summary};
///
/// let scenario = ScenarioOptions::default().resolve()?; // NATO's 29 on 2019-08-02
/// let results = analysis::analyze(&scenario, cities::embedded()?, Default::default());
/// let s = summary::summarize(&scenario, &results)?;
/// let mut csv = Vec::new();
/// countries::write_csv(&mut csv, &s)?;
/// let csv = String::from_utf8(csv).unwrap();
/// assert!(csv.starts_with("country,country_name,band,cities,population,reached_cities,reached_population"));
/// assert_eq!(csv.lines().count(), 1 + 29 * 4); // below, two bands, beyond
/// assert!(csv.contains("\nPL,Poland,intermediate-range,"));
/// # Ok::<(), infrange::Error>(())
/// ```
pub fn write_csv(out: &mut dyn Write, summary: &Summary) -> Result<()> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    let err = |e: csv::Error| Error::io("countries CSV", std::io::Error::other(e));
    w.write_record(HEADER).map_err(err)?;
    for r in rows(summary) {
        let c = r.counts;
        w.write_record([
            r.country,
            r.country_name,
            r.band,
            &c.cities.to_string(),
            &c.population.to_string(),
            &c.reached.cities.to_string(),
            &c.reached.population.to_string(),
            &c.capitals.join(";"),
            &c.reached.capitals.join(";"),
        ])
        .map_err(err)?;
    }
    w.flush().map_err(|e| Error::io("countries CSV", e))
}

/// Write the table as a Markdown (GitHub/pandoc pipe) table for a paper:
/// numbers grouped, countries with no city in any zone left out, and a
/// source line under the table.
pub fn write_markdown(out: &mut dyn Write, summary: &Summary) -> Result<()> {
    write_markdown_inner(out, summary).map_err(|e| Error::io("Markdown table", e))
}

fn write_markdown_inner(out: &mut dyn Write, summary: &Summary) -> std::io::Result<()> {
    let num = group_count;
    writeln!(
        out,
        "| Country | Band | Cities | Population | Reached cities | Reached population | Capitals (reached) |"
    )?;
    writeln!(out, "|---|---|--:|--:|--:|--:|---|")?;
    let with_cities: Vec<&str> = summary
        .countries
        .iter()
        .filter(|c| c.below.cities + c.in_bands.cities + c.beyond.cities > 0)
        .map(|c| c.country.as_str())
        .collect();
    for r in rows(summary)
        .into_iter()
        .filter(|r| with_cities.contains(&r.country))
    {
        let c = r.counts;
        let capitals: Vec<String> = c
            .capitals
            .iter()
            .map(|name| {
                if c.reached.capitals.contains(name) {
                    format!("{name} (reached)")
                } else {
                    name.clone()
                }
            })
            .collect();
        writeln!(
            out,
            "| {} ({}) | {} | {} | {} | {} | {} | {} |",
            markdown_cell(r.country_name),
            r.country,
            markdown_cell(r.band),
            num(c.cities as u64),
            num(c.population),
            num(c.reached.cities as u64),
            num(c.reached.population),
            markdown_cell(&capitals.join(", "))
        )?;
    }
    writeln!(out)?;
    writeln!(out, "{}", markdown_source(summary))
}

/// The source line under a Markdown table: scenario, allies, credits.
pub fn markdown_source(summary: &Summary) -> String {
    let cities = match summary.min_population {
        0 => "cities: GeoNames places of 15,000 people or more".to_owned(),
        n => format!(
            "cities: GeoNames places of {} people or more",
            group_count(n)
        ),
    };
    let date = summary
        .date
        .as_deref()
        .map(|d| format!(", {d}"))
        .unwrap_or_default();
    format!(
        "Source: infrange {}, scenario {} ({}{date}); allies: {}; {cities}. Distances are WGS84 geodesics; reached = within the range of at least one site's system. {}.",
        env!("CARGO_PKG_VERSION"),
        markdown_cell(&summary.scenario),
        markdown_cell(&summary.title),
        markdown_cell(&summary.allies.description),
        markdown_cell(&summary.credits.join("; "))
    )
}

/// Text safe inside a Markdown table cell: pipes escaped, line breaks and
/// control characters turned into spaces.
pub fn markdown_cell(text: &str) -> String {
    text.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect::<String>()
        .replace('|', "\\|")
}

/// Write the table as aligned text for the terminal.
pub fn write_text(out: &mut dyn Write, summary: &Summary) -> Result<()> {
    write_text_inner(out, summary).map_err(|e| Error::io("standard output", e))
}

fn write_text_inner(out: &mut dyn Write, summary: &Summary) -> std::io::Result<()> {
    let num = group_count;
    let rows = rows(summary);
    let name_w = rows
        .iter()
        .map(|r| r.country_name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let band_w = rows
        .iter()
        .map(|r| r.band.chars().count())
        .max()
        .unwrap_or(0)
        .max(4);
    let pad = |s: &str, w: usize| format!("{s}{}", " ".repeat(w.saturating_sub(s.chars().count())));
    writeln!(
        out,
        "cc {} {} {:>8} {:>13}   {:>8} {:>13}  capitals",
        pad("country", name_w),
        pad("band", band_w),
        "cities",
        "population",
        "reached",
        "reached pop."
    )?;
    for r in rows {
        let c = r.counts;
        writeln!(
            out,
            "{:<2} {} {} {:>8} {:>13}   {:>8} {:>13}  {}",
            r.country,
            pad(&crate::export::table::clean(r.country_name), name_w),
            pad(&crate::export::table::clean(r.band), band_w),
            num(c.cities as u64),
            num(c.population),
            num(c.reached.cities as u64),
            num(c.reached.population),
            crate::export::table::clean(&c.capitals.join(", "))
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::analyze;
    use crate::scenario::ScenarioOptions;

    fn summary() -> Summary {
        let scenario = ScenarioOptions {
            site_args: vec!["Chernyakhovsk=54.6347,21.8119,Iskander-M".into()],
            allies: Some("PL,LT,LV,IS,BV".into()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let results = analyze(
            &scenario,
            crate::cities::embedded().unwrap(),
            Default::default(),
        );
        crate::summary::summarize(&scenario, &results).unwrap()
    }

    #[test]
    fn one_row_per_country_and_band_zero_rows_included() {
        let s = summary();
        let mut csv = Vec::new();
        write_csv(&mut csv, &s).unwrap();
        let csv = String::from_utf8(csv).unwrap();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 1 + 5 * 4);
        assert_eq!(lines[0], HEADER.join(","));
        // Iceland: allied, nothing anywhere near; its rows are there, zero.
        let iceland: Vec<&&str> = lines.iter().filter(|l| l.starts_with("IS,")).collect();
        assert_eq!(iceland.len(), 4);
        assert!(iceland
            .iter()
            .any(|l| l.starts_with("IS,Iceland,below,0,0,0,0,")));
        // Vilnius and Warsaw are under the 500 km edge and reached.
        let below_lt = lines
            .iter()
            .find(|l| l.starts_with("LT,Lithuania,below,"))
            .unwrap();
        assert!(below_lt.ends_with(",Vilnius,Vilnius"), "{below_lt}");
        // The rows add up to the summary.
        let cities: usize = lines[1..]
            .iter()
            .map(|l| l.split(',').nth(3).unwrap().parse::<usize>().unwrap())
            .sum();
        assert_eq!(cities, s.cities_analysed);
    }

    #[test]
    fn markdown_is_a_pipe_table_with_a_source() {
        let s = summary();
        let mut md = Vec::new();
        write_markdown(&mut md, &s).unwrap();
        let md = String::from_utf8(md).unwrap();
        let lines: Vec<&str> = md.lines().collect();
        assert!(lines[0].starts_with("| Country | Band |"));
        assert!(lines[1].starts_with("|---|"));
        assert!(md.contains("| Lithuania (LT) | below |"));
        assert!(md.contains("Vilnius (reached)"));
        assert!(md.contains("Iceland (IS)"));
        assert!(!md.contains("(BV)"), "countries with no city are left out");
        assert!(lines.last().unwrap().starts_with("Source: infrange "));
        assert_eq!(markdown_cell("a|b\nc"), "a\\|b c");
    }
}
