//! Reading user tables: CSV with a header, or GeoJSON Point features.
//!
//! Both the cities and the sites readers go through here, so every file gets
//! the same treatment: a UTF-8 byte-order mark is accepted, columns are found
//! by header name (case-insensitive, in any order), and every bad value is
//! reported with file, line (CSV) or feature number (GeoJSON) and field.

use crate::error::{Error, Location, Result};
use std::path::Path;

/// One record of a user table: values by column, and where it came from.
#[derive(Debug, Clone)]
pub struct Record {
    /// Where the record starts: the file plus its line (CSV) or feature number.
    pub location: Location,
    values: Vec<(String, String)>,
}

impl Record {
    /// The trimmed value of a column (case-insensitive), if present and non-empty.
    pub fn get(&self, column: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(column))
            .map(|(_, v)| v.trim())
            .filter(|v| !v.is_empty())
    }

    /// The location of one field of this record.
    pub fn at(&self, column: &str) -> Location {
        self.location.clone().field(column)
    }

    /// A required text value.
    pub fn text(&self, column: &str) -> Result<&str> {
        self.get(column)
            .ok_or_else(|| Error::input(self.at(column), "value is missing"))
    }

    /// A required finite number.
    pub fn number(&self, column: &str) -> Result<f64> {
        parse_finite(self.text(column)?, &self.at(column))
    }

    /// An optional finite number.
    pub fn opt_number(&self, column: &str) -> Result<Option<f64>> {
        self.get(column)
            .map(|v| parse_finite(v, &self.at(column)))
            .transpose()
    }

    /// A required latitude in [-90, 90] degrees.
    pub fn lat_deg(&self, column: &str) -> Result<f64> {
        check_lat_deg(self.number(column)?, &self.at(column))
    }

    /// A required longitude in [-180, 180] degrees.
    pub fn lon_deg(&self, column: &str) -> Result<f64> {
        check_lon_deg(self.number(column)?, &self.at(column))
    }

    /// An optional non-negative whole number (e.g. a population).
    pub fn opt_count(&self, column: &str) -> Result<Option<u64>> {
        self.get(column)
            .map(|v| parse_count(v, &self.at(column)))
            .transpose()
    }
}

/// Parse a non-negative whole number (a population, an id) of at most
/// 9·10¹⁵; any number notation that [`parse_finite`] takes is accepted
/// (`1e3` is 1000).
pub fn parse_count(text: &str, location: &Location) -> Result<u64> {
    let text = text.trim();
    // Plain digits (nearly every value) need no float round trip.
    if (1..=15).contains(&text.len()) && text.bytes().all(|b| b.is_ascii_digit()) {
        return Ok(text.parse().expect("at most 15 decimal digits fit a u64"));
    }
    let n = parse_finite(text, location)?;
    if n > 9.0e15 {
        return Err(Error::input(
            location.clone(),
            format!("`{text}` is too large for a number of people (at most 9,000,000,000,000,000)"),
        ));
    }
    if n < 0.0 || n.fract() != 0.0 {
        return Err(Error::input(
            location.clone(),
            format!("`{text}` is not a non-negative whole number"),
        ));
    }
    Ok(n as u64)
}

/// Check an ISO 3166-1 alpha-2 country code (two ASCII letters, any case).
pub fn check_country_iso2(code: &str, location: &Location) -> Result<()> {
    if code.len() == 2 && code.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        Err(Error::input(
            location.clone(),
            format!("`{code}` is not an ISO 3166-1 alpha-2 code (e.g. PL)"),
        ))
    }
}

/// Parse a finite `f64`, rejecting `NaN`, `inf` and non-numbers.
pub fn parse_finite(text: &str, location: &Location) -> Result<f64> {
    match text.trim().parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        Ok(_) => Err(Error::input(
            location.clone(),
            format!("`{}` is not a finite number", text.trim()),
        )),
        Err(_) => Err(Error::input(
            location.clone(),
            format!("`{}` is not a number", text.trim()),
        )),
    }
}

/// Check a latitude is within [-90, 90] degrees.
pub fn check_lat_deg(lat_deg: f64, location: &Location) -> Result<f64> {
    if lat_deg.is_finite() && (-90.0..=90.0).contains(&lat_deg) {
        Ok(lat_deg)
    } else {
        Err(Error::input(
            location.clone(),
            format!("latitude {lat_deg} is outside [-90, 90] degrees"),
        ))
    }
}

/// Check a longitude is within [-180, 180] degrees.
pub fn check_lon_deg(lon_deg: f64, location: &Location) -> Result<f64> {
    if lon_deg.is_finite() && (-180.0..=180.0).contains(&lon_deg) {
        Ok(lon_deg)
    } else {
        Err(Error::input(
            location.clone(),
            format!("longitude {lon_deg} is outside [-180, 180] degrees"),
        ))
    }
}

/// Read a whole text file, naming it in the error; a UTF-8 BOM is dropped.
pub fn read_text(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    text_from_bytes(bytes, &path.display().to_string())
}

/// A file's bytes as text, naming `source` and the line of the first byte
/// that is not UTF-8; a UTF-8 BOM is dropped.
pub fn text_from_bytes(bytes: Vec<u8>, source: &str) -> Result<String> {
    let text = String::from_utf8(bytes).map_err(|e| {
        let line = 1 + e.as_bytes()[..e.utf8_error().valid_up_to()]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        Error::input(
            Location::new(source).at_line(line),
            "file is not valid UTF-8",
        )
    })?;
    Ok(strip_bom(&text).to_owned())
}

/// Drop a leading UTF-8 byte-order mark.
pub fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// Whether a file holds GeoJSON: by extension, else by its first character.
pub fn looks_like_geojson(path: &Path, text: &str) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    matches!(ext.as_deref(), Some("geojson" | "json")) || text.trim_start().starts_with('{')
}

/// A name as given, without control characters (escape sequences, NUL,
/// line breaks), which no output format can carry safely: they are dropped.
///
/// # Examples
/// ```
/// assert_eq!(infrange::input::clean_text("Bad\u{1b}[31mName\u{0}"), "Bad[31mName");
/// ```
pub fn clean_text(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// The separator of a CSV text, from its header line.
fn sniff_delimiter(text: &str) -> u8 {
    let header = text.lines().next().unwrap_or_default();
    if header.contains(',') {
        b','
    } else if header.contains(';') {
        b';'
    } else if header.contains('\t') {
        b'\t'
    } else {
        b','
    }
}

/// `48,5833` or `-0,5`: a number written with a decimal comma.
fn is_decimal_comma(value: &str) -> bool {
    let v = value.trim().strip_prefix('-').unwrap_or(value.trim());
    match v.split_once(',') {
        Some((whole, frac)) => {
            !whole.is_empty()
                && !frac.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && frac.bytes().all(|b| b.is_ascii_digit())
        }
        None => false,
    }
}

/// Read a CSV table with a header row; `required` columns must be present.
///
/// Lines are numbered from 1 with the header on line 1. An empty file, or a
/// file whose first row lacks the required columns, is an error naming them.
///
/// The separator is found from the header line: a comma, or — as
/// spreadsheets in much of Europe save "CSV" — a semicolon or a tab when the
/// header holds one of those and no comma. With a semicolon, numbers may use
/// a decimal comma (`48,5833`).
pub fn read_csv(text: &str, source: &str, required: &[&str]) -> Result<Vec<Record>> {
    let text = strip_bom(text);
    let file = Location::new(source);
    if text.trim().is_empty() {
        return Err(Error::input(
            file.at_line(1),
            format!(
                "file is empty; expected a CSV header with columns {}",
                required.join(",")
            ),
        ));
    }
    let delimiter = sniff_delimiter(text);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .trim(csv::Trim::All)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| csv_error(e, source, text))?
        .iter()
        .map(|h| h.trim().to_owned())
        .collect();
    let missing: Vec<&str> = required
        .iter()
        .copied()
        .filter(|r| !header.iter().any(|h| h.eq_ignore_ascii_case(r)))
        .collect();
    if !missing.is_empty() {
        return Err(Error::input(
            file.at_line(1),
            format!(
                "header `{}` lacks column{} {}; the first line must name the columns, at least {}",
                header.join(","),
                if missing.len() == 1 { "" } else { "s" },
                missing.join(", "),
                required.join(",")
            ),
        ));
    }
    let mut records = Vec::new();
    // The csv crate does not count blank lines; count newlines ourselves.
    let mut lines = LineCounter::default();
    for row in reader.records() {
        let row = row.map_err(|e| csv_error(e, source, text))?;
        let line = row.position().map_or(0, |p| lines.line_at(text, p.byte()));
        if row.iter().all(|v| v.trim().is_empty()) {
            continue;
        }
        records.push(Record {
            location: Location::new(source).at_line(line),
            values: header
                .iter()
                .cloned()
                .zip(row.iter().map(|v| {
                    if delimiter == b';' && is_decimal_comma(v) {
                        v.replacen(',', ".", 1)
                    } else {
                        v.to_owned()
                    }
                }))
                .collect(),
        });
    }
    if records.is_empty() {
        return Err(Error::input(
            file.at_line(2),
            "no data rows after the header",
        ));
    }
    Ok(records)
}

/// 1-based line numbers of byte offsets, for offsets visited in order.
#[derive(Default)]
struct LineCounter {
    byte: usize,
    line: u64,
}

impl LineCounter {
    /// The line of the first non-blank character at or after `byte` (the
    /// csv crate reports a record as starting before the blank lines it skips).
    fn line_at(&mut self, text: &str, byte: u64) -> u64 {
        let mut byte = (byte as usize).min(text.len());
        while matches!(text.as_bytes().get(byte), Some(b'\n' | b'\r')) {
            byte += 1;
        }
        if byte < self.byte {
            *self = Self::default();
        }
        self.line += text.as_bytes()[self.byte..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count() as u64;
        self.byte = byte;
        self.line + 1
    }
}

fn csv_error(e: csv::Error, source: &str, text: &str) -> Error {
    let mut loc = Location::new(source);
    if let Some(p) = e.position() {
        loc = loc.at_line(LineCounter::default().line_at(text, p.byte()));
    }
    let message = match e.kind() {
        csv::ErrorKind::UnequalLengths {
            expected_len, len, ..
        } => {
            // A quote that never closes swallows the rest of the file into
            // one field: say that, not the field count it leads to.
            let from = e
                .position()
                .map_or(0, |p| p.byte() as usize)
                .min(text.len());
            let rest = text.get(from..).unwrap_or_default();
            if rest.bytes().filter(|&b| b == b'"').count() % 2 == 1 {
                "a quoted field is never closed: a `\"` opens it and no `\"` ends it (double a quote inside a field: `\"\"`)".to_owned()
            } else {
                format!("row has {len} fields but the header has {expected_len}")
            }
        }
        csv::ErrorKind::Utf8 { .. } => "row is not valid UTF-8".to_owned(),
        _ => e.to_string(),
    };
    Error::input(loc, message)
}

/// Read GeoJSON Point features (a FeatureCollection, a Feature or a bare
/// Point). Properties become columns; the point's coordinates become the
/// `lon` and `lat` columns. Records are located by feature number (1-based).
pub fn read_geojson_points(text: &str, source: &str) -> Result<Vec<Record>> {
    let text = strip_bom(text);
    let file = Location::new(source);
    if text.trim().is_empty() {
        return Err(Error::input(
            file.at_line(1),
            "file is empty; expected GeoJSON",
        ));
    }
    let gj: geojson::GeoJson = text.parse().map_err(|e: geojson::Error| {
        let line = match &e {
            geojson::Error::MalformedGeoJson(j) => Some(j.line() as u64),
            _ => None,
        };
        let mut loc = Location::new(source);
        if let Some(l) = line {
            loc = loc.at_line(l);
        }
        Error::input(loc, format!("not valid GeoJSON: {e}"))
    })?;
    let features: Vec<geojson::Feature> = match gj {
        geojson::GeoJson::FeatureCollection(fc) => fc.features,
        geojson::GeoJson::Feature(f) => vec![f],
        geojson::GeoJson::Geometry(g) => vec![geojson::Feature {
            geometry: Some(g),
            ..Default::default()
        }],
    };
    if features.is_empty() {
        return Err(Error::input(file, "the FeatureCollection has no features"));
    }
    features
        .into_iter()
        .enumerate()
        .map(|(i, f)| {
            let location = Location::new(format!("{source}, feature {}", i + 1));
            let point = match f.geometry.as_ref().map(|g| &g.value) {
                Some(geojson::GeometryValue::Point { coordinates: p }) if p.len() >= 2 => {
                    [p[0], p[1]]
                }
                Some(other) => {
                    return Err(Error::input(
                        location.field("geometry"),
                        format!("expected a Point, got {}", other.type_name()),
                    ))
                }
                None => {
                    return Err(Error::input(
                        location.field("geometry"),
                        "feature has no geometry",
                    ))
                }
            };
            let mut values: Vec<(String, String)> = f
                .properties
                .iter()
                .flatten()
                .map(|(k, v)| {
                    let text = match v {
                        serde_json::Value::String(s) => s.clone(),
                        serde_json::Value::Null => String::new(),
                        other => other.to_string(),
                    };
                    (k.clone(), text)
                })
                .filter(|(k, _)| !k.eq_ignore_ascii_case("lon") && !k.eq_ignore_ascii_case("lat"))
                .collect();
            values.push(("lon".into(), point[0].to_string()));
            values.push(("lat".into(), point[1].to_string()));
            Ok(Record { location, values })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_with_bom_and_any_column_order() {
        let text = "\u{feff}lat,Name,lon\n52.5,Berlin,13.4\n\n48.85,Paris,2.35\n";
        let recs = read_csv(text, "c.csv", &["name", "lat", "lon"]).unwrap();
        assert_eq!(recs.len(), 2);
        assert_eq!(recs[0].text("name").unwrap(), "Berlin");
        assert_eq!(recs[1].lat_deg("lat").unwrap(), 48.85);
        assert_eq!(recs[1].location.line, Some(4));
    }

    #[test]
    fn semicolons_and_decimal_commas_from_a_spreadsheet() {
        let text = "name;lat;lon;system\nKapustin Yar;48,5833;45,75;9M729\nX;-0,5;10;\"a;b\"\n";
        let recs = read_csv(text, "s.csv", &["name", "lat", "lon"]).unwrap();
        assert_eq!(recs[0].lat_deg("lat").unwrap(), 48.5833);
        assert_eq!(recs[0].lon_deg("lon").unwrap(), 45.75);
        assert_eq!(recs[1].lat_deg("lat").unwrap(), -0.5);
        assert_eq!(recs[1].text("system").unwrap(), "a;b");
        let tabs = read_csv(
            "name\tlat\tlon\nA\t1.5\t2\n",
            "t.tsv",
            &["name", "lat", "lon"],
        )
        .unwrap();
        assert_eq!(tabs[0].lat_deg("lat").unwrap(), 1.5);
        // With commas as separators, a decimal comma stays an error.
        assert!(!is_decimal_comma("1,2,3") && !is_decimal_comma(",5") && is_decimal_comma("12,0"));
    }

    #[test]
    fn csv_errors_name_file_line_and_field() {
        let recs = read_csv("name,lat,lon\nX,91,0\n", "c.csv", &["lat"]).unwrap();
        let err = recs[0].lat_deg("lat").unwrap_err().to_string();
        assert_eq!(
            err,
            "c.csv, line 2, field `lat`: latitude 91 is outside [-90, 90] degrees"
        );
        let recs = read_csv("name,lat,lon\nX,NaN,abc\n", "c.csv", &["lat"]).unwrap();
        assert!(recs[0]
            .number("lat")
            .unwrap_err()
            .to_string()
            .contains("`NaN` is not a finite number"));
        assert!(recs[0]
            .number("lon")
            .unwrap_err()
            .to_string()
            .contains("field `lon`: `abc` is not a number"));
        let err = read_csv("", "c.csv", &["lat"]).unwrap_err().to_string();
        assert!(err.contains("line 1") && err.contains("empty"), "{err}");
        let err = read_csv("Berlin,52.5,13.4\n", "c.csv", &["name", "lat"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("lacks columns name, lat"), "{err}");
        let err = read_csv("name,lat\nX,1,2\n", "c.csv", &["lat"])
            .unwrap_err()
            .to_string();
        assert!(err.contains("line 2") && err.contains("3 fields"), "{err}");
    }

    #[test]
    fn geojson_points_become_records() {
        let text = r#"{"type":"FeatureCollection","features":[
            {"type":"Feature","properties":{"name":"A","population":5},"geometry":{"type":"Point","coordinates":[10.5,50.25]}},
            {"type":"Feature","properties":{"name":"B"},"geometry":{"type":"LineString","coordinates":[[0,0],[1,1]]}}]}"#;
        let err = read_geojson_points(text, "p.geojson")
            .unwrap_err()
            .to_string();
        assert!(err.contains("feature 2") && err.contains("Point"), "{err}");
        let ok = &text
            .replace("LineString", "Point")
            .replace("[[0,0],[1,1]]", "[1,2]");
        let recs = read_geojson_points(ok, "p.geojson").unwrap();
        assert_eq!(recs[0].lon_deg("lon").unwrap(), 10.5);
        assert_eq!(recs[0].opt_count("population").unwrap(), Some(5));
        assert_eq!(recs[1].lat_deg("lat").unwrap(), 2.0);
    }
}
