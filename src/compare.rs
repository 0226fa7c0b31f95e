//! Comparing two runs: which cities and capitals change band or reach.
//!
//! Reads the `cities.csv` of two output folders (as `infrange run` writes
//! them; `--all` in both, or a city beyond the last band is simply "not
//! listed") and counts, per country, the cities whose band or whose reach
//! differs, naming the capitals. Cities are matched by GeoNames id, or by
//! name, country and coordinates where there is none.

use crate::error::{Error, Location, Result};
use serde::Serialize;
use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;

/// What one run says of one city.
#[derive(Debug, Clone, PartialEq)]
struct CityState {
    name: String,
    country: String,
    band: String,
    reached: bool,
    capital: bool,
}

/// The changes in one country between run A and run B.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CountryChange {
    /// ISO alpha-2 code.
    pub country: String,
    /// Cities listed in A.
    pub cities_a: usize,
    /// Cities listed in B.
    pub cities_b: usize,
    /// Cities listed in both whose band differs, or listed in one only.
    pub band_changed: usize,
    /// Cities reached in B but not in A.
    pub newly_reached: usize,
    /// Cities reached in A but not in B.
    pub no_longer_reached: usize,
    /// Capitals that change, e.g. `Warsaw: intermediate-range → shorter-range; reached → not reached`.
    pub capitals: Vec<String>,
}

/// The comparison of two runs, countries with a change only, by code.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    /// The first folder (A), as given.
    pub a: String,
    /// The second folder (B), as given.
    pub b: String,
    /// Per country with a change.
    pub countries: Vec<CountryChange>,
}

/// Compare the `cities.csv` of two output folders.
pub fn compare(a: &Path, b: &Path) -> Result<Comparison> {
    let (ra, rb) = (read_run(a)?, read_run(b)?);
    let mut per: BTreeMap<String, CountryChange> = BTreeMap::new();
    let mut keys: Vec<&String> = ra.keys().chain(rb.keys()).collect();
    keys.sort();
    keys.dedup();
    for key in keys {
        let (x, y) = (ra.get(key), rb.get(key));
        let any = x.or(y).expect("a key of one run");
        let c = per
            .entry(any.country.clone())
            .or_insert_with(|| CountryChange {
                country: any.country.clone(),
                cities_a: 0,
                cities_b: 0,
                band_changed: 0,
                newly_reached: 0,
                no_longer_reached: 0,
                capitals: Vec::new(),
            });
        c.cities_a += usize::from(x.is_some());
        c.cities_b += usize::from(y.is_some());
        let band = |s: Option<&CityState>| s.map_or("not listed".to_owned(), |s| s.band.clone());
        let reached = |s: Option<&CityState>| s.is_some_and(|s| s.reached);
        let (band_a, band_b) = (band(x), band(y));
        let band_moved = band_a != band_b;
        let reach_moved = reached(x) != reached(y);
        c.band_changed += usize::from(band_moved);
        c.newly_reached += usize::from(!reached(x) && reached(y));
        c.no_longer_reached += usize::from(reached(x) && !reached(y));
        if any.capital && (band_moved || reach_moved) {
            let word = |r: bool| if r { "reached" } else { "not reached" };
            let mut parts = Vec::new();
            if band_moved {
                parts.push(format!("{band_a} → {band_b}"));
            }
            if reach_moved {
                parts.push(format!("{} → {}", word(reached(x)), word(reached(y))));
            }
            c.capitals
                .push(format!("{}: {}", any.name, parts.join("; ")));
        }
    }
    Ok(Comparison {
        a: a.display().to_string(),
        b: b.display().to_string(),
        countries: per
            .into_values()
            .filter(|c| c.band_changed + c.newly_reached + c.no_longer_reached > 0)
            .collect(),
    })
}

/// The cities of one run's `cities.csv`, by key.
fn read_run(dir: &Path) -> Result<BTreeMap<String, CityState>> {
    let path = dir.join("cities.csv");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    let loc = |line: Option<u64>| {
        let l = Location::new(path.display().to_string());
        match line {
            Some(n) => l.at_line(n),
            None => l,
        }
    };
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader
        .headers()
        .map_err(|e| Error::input(loc(Some(1)), e.to_string()))?
        .clone();
    let col = |name: &str| {
        header.iter().position(|h| h == name).ok_or_else(|| {
            Error::input(
                loc(Some(1)),
                format!("no `{name}` column: is this a cities.csv of infrange run?"),
            )
        })
    };
    let (name, country, lat, lon, band, reached_by, capital) = (
        col("name")?,
        col("country")?,
        col("lat")?,
        col("lon")?,
        col("band")?,
        col("reached_by")?,
        col("capital")?,
    );
    let geonameid = header.iter().position(|h| h == "geonameid");
    let mut cities = BTreeMap::new();
    for (i, row) in reader.records().enumerate() {
        let row = row.map_err(|e| Error::input(loc(Some(i as u64 + 2)), e.to_string()))?;
        let f = |c: usize| row.get(c).unwrap_or_default().to_owned();
        let key = match geonameid.map(f).filter(|g| !g.is_empty()) {
            Some(g) => format!("geonameid:{g}"),
            None => format!("{}|{}|{}|{}", f(name), f(country), f(lat), f(lon)),
        };
        cities.insert(
            key,
            CityState {
                name: f(name),
                country: f(country),
                band: f(band),
                reached: !f(reached_by).is_empty(),
                capital: f(capital) == "1",
            },
        );
    }
    Ok(cities)
}

/// The table's columns.
const HEADER: [&str; 7] = [
    "country",
    "cities_a",
    "cities_b",
    "band_changed",
    "newly_reached",
    "no_longer_reached",
    "capitals",
];

/// Write the comparison as an aligned text table.
pub fn write_text(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    let io = |e| Error::io("standard output", e);
    writeln!(out, "A: {}\nB: {}", c.a, c.b).map_err(io)?;
    writeln!(
        out,
        "{:<7} {:>8} {:>8} {:>12} {:>13} {:>17}  capitals",
        "country", "cities A", "cities B", "band changed", "newly reached", "no longer reached"
    )
    .map_err(io)?;
    for r in &c.countries {
        writeln!(
            out,
            "{:<7} {:>8} {:>8} {:>12} {:>13} {:>17}  {}",
            r.country,
            r.cities_a,
            r.cities_b,
            r.band_changed,
            r.newly_reached,
            r.no_longer_reached,
            r.capitals.join(" | ")
        )
        .map_err(io)?;
    }
    Ok(())
}

/// Write the comparison as CSV (capitals `;`-separated).
pub fn write_csv(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    let err = |e: csv::Error| Error::io("comparison CSV", std::io::Error::other(e));
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::Any(b'\n'))
        .from_writer(out);
    w.write_record(HEADER).map_err(err)?;
    for r in &c.countries {
        w.write_record([
            r.country.clone(),
            r.cities_a.to_string(),
            r.cities_b.to_string(),
            r.band_changed.to_string(),
            r.newly_reached.to_string(),
            r.no_longer_reached.to_string(),
            r.capitals.join(";"),
        ])
        .map_err(err)?;
    }
    w.flush().map_err(|e| Error::io("comparison CSV", e))
}

/// Write the comparison as a Markdown pipe table.
pub fn write_markdown(out: &mut dyn Write, c: &Comparison) -> Result<()> {
    use crate::export::countries::markdown_cell as cell;
    let io = |e| Error::io("Markdown table", e);
    writeln!(
        out,
        "| Country | Cities (A) | Cities (B) | Band changed | Newly reached | No longer reached | Capitals |\n|---|--:|--:|--:|--:|--:|---|"
    )
    .map_err(io)?;
    for r in &c.countries {
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} | {} |",
            cell(&r.country),
            r.cities_a,
            r.cities_b,
            r.band_changed,
            r.newly_reached,
            r.no_longer_reached,
            cell(&r.capitals.join("; "))
        )
        .map_err(io)?;
    }
    writeln!(out, "\nA: {} · B: {}", cell(&c.a), cell(&c.b)).map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn changes_are_counted_per_country() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        std::fs::create_dir_all(&a).unwrap();
        std::fs::create_dir_all(&b).unwrap();
        let head = "name,country,lat,lon,population,nearest_site,distance_km,band,bearing_deg,reached_by,capital,geonameid,admin1\n";
        std::fs::write(
            a.join("cities.csv"),
            format!("{head}Warsaw,PL,52.2,21.0,1,S,1200,intermediate-range,0,,1,756135,78\nŁódź,PL,51.7,19.4,1,S,1300,intermediate-range,0,S,0,3093133,74\n"),
        )
        .unwrap();
        std::fs::write(
            b.join("cities.csv"),
            format!("{head}Warsaw,PL,52.2,21.0,1,S,900,shorter-range,0,S,1,756135,78\nŁódź,PL,51.7,19.4,1,S,1300,intermediate-range,0,S,0,3093133,74\nVilnius,LT,54.6,25.2,1,S,800,shorter-range,0,S,1,593116,65\n"),
        )
        .unwrap();
        let c = compare(&a, &b).unwrap();
        assert_eq!(c.countries.len(), 2);
        let pl = &c.countries[1];
        assert_eq!(
            (pl.country.as_str(), pl.band_changed, pl.newly_reached),
            ("PL", 1, 1)
        );
        assert_eq!(
            pl.capitals,
            ["Warsaw: intermediate-range → shorter-range; not reached → reached"]
        );
        let lt = &c.countries[0];
        assert_eq!((lt.cities_a, lt.cities_b, lt.band_changed), (0, 1, 1));
        assert_eq!(
            lt.capitals,
            ["Vilnius: not listed → shorter-range; not reached → reached"]
        );
        let mut md = Vec::new();
        write_markdown(&mut md, &c).unwrap();
        assert!(String::from_utf8(md)
            .unwrap()
            .contains("| PL | 2 | 2 | 1 | 1 | 0 |"));
    }
}
