//! Countries: ISO 3166-1 codes, names and populations (GeoNames, embedded).

use crate::error::{Error, Result};
use std::sync::OnceLock;

/// One country of GeoNames' `countries.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct Country {
    /// ISO 3166-1 alpha-2 code, e.g. `PL`.
    pub iso2: String,
    /// ISO 3166-1 alpha-3 code, e.g. `POL`.
    pub iso3: String,
    /// ISO 3166-1 numeric code, three digits, e.g. `616`.
    pub numeric: String,
    /// English short name.
    pub name: String,
    /// Population as published by GeoNames.
    pub population: u64,
}

/// The embedded country table, `data/countries.csv`.
pub const COUNTRIES_CSV: &str = include_str!("../data/countries.csv");

/// All countries, sorted by alpha-2 code.
pub fn all() -> Result<&'static [Country]> {
    static COUNTRIES: OnceLock<std::result::Result<Vec<Country>, String>> = OnceLock::new();
    COUNTRIES
        .get_or_init(|| parse(COUNTRIES_CSV))
        .as_deref()
        .map_err(|message| Error::EmbeddedData {
            file: "data/countries.csv",
            message: message.clone(),
        })
}

/// The country with this alpha-2 code (case-insensitive).
pub fn by_iso2(iso2: &str) -> Result<Option<&'static Country>> {
    Ok(all()?.iter().find(|c| c.iso2.eq_ignore_ascii_case(iso2)))
}

fn parse(text: &str) -> std::result::Result<Vec<Country>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.map_err(|e| e.to_string())?;
            let field = |i: usize| row.get(i).unwrap_or_default().to_owned();
            Ok(Country {
                iso2: field(0),
                iso3: field(1),
                numeric: field(2),
                name: field(3),
                population: field(4).parse().map_err(|e| format!("population: {e}"))?,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_countries_load() {
        let all = all().unwrap();
        assert_eq!(all.len(), 252);
        let pl = by_iso2("pl").unwrap().unwrap();
        assert_eq!((pl.iso3.as_str(), pl.numeric.as_str()), ("POL", "616"));
        assert_eq!(by_iso2("AL").unwrap().unwrap().numeric, "008");
    }
}
