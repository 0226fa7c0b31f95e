//! The cities CSV — a contract other tools depend on.
//!
//! The header starts with exactly
//! `name,country,lat,lon,population,nearest_site,distance_km,band`; more
//! columns follow (`bearing_deg,reached_by,capital,geonameid,admin1,flight_time_min`).
//! `lat`/`lon` are printed as the shortest text that round-trips the f64;
//! `distance_km` has 6 decimals (millimetres); `reached_by` lists the sites
//! whose reach covers the city, separated by `;`; `flight_time_min` (one
//! decimal) is [`crate::flight::city_time_min`], empty when no site with a
//! trajectory model reaches the city.

use crate::analysis::CityResult;
use crate::bands::BandClass;
use crate::cities::City;
use crate::engine::Classified;
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use std::io::Write;

/// The CSV header, in order.
pub const HEADER: [&str; 14] = [
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
    "flight_time_min",
];

/// One row: a city and what the analysis found for it.
#[derive(Debug, Clone, Copy)]
pub struct Row<'a> {
    pub city: &'a City,
    /// Index of the nearest site in the scenario.
    pub nearest_site: usize,
    pub distance_m: f64,
    pub bearing_deg: f64,
    pub class: BandClass,
    /// Indices of the sites that reach the city.
    pub reached_by: &'a [usize],
}

impl<'a> Row<'a> {
    /// The row of a city classified by the engine.
    pub fn new(city: &'a City, c: &'a Classified) -> Self {
        Self {
            city,
            nearest_site: c.nearest_site,
            distance_m: c.distance_m,
            bearing_deg: c.bearing_deg,
            class: c.class,
            reached_by: &c.reached_by,
        }
    }
}

impl<'a> From<&'a CityResult<'a>> for Row<'a> {
    fn from(r: &'a CityResult<'a>) -> Self {
        Self {
            city: r.city,
            nearest_site: r.nearest_site,
            distance_m: r.distance_m,
            bearing_deg: r.bearing_deg,
            class: r.class,
            reached_by: &r.reached_by,
        }
    }
}

/// Formats the cities CSV: the one place where its rows are formatted, for
/// the sorted table and for the stream alike.
///
/// Fields are quoted as the `csv` crate quotes them (only when they hold a
/// comma, a double quote or a line break; quotes doubled); rows end in `\n`.
/// Site names and band labels are prepared once per scenario.
#[derive(Debug, Clone)]
pub struct Formatter<'a> {
    scenario: &'a Scenario,
    /// Each site's name as a CSV field (quoted where needed)…
    site_fields: Vec<Vec<u8>>,
    /// …and as raw text, for the `reached_by` list.
    site_names: Vec<&'a [u8]>,
    /// Whether some site name needs quotes inside the `reached_by` list.
    quote_reached_by: bool,
    /// Whether some site has a trajectory model (else `flight_time_min` is
    /// empty without looking).
    flight: bool,
}

impl<'a> Formatter<'a> {
    /// A formatter for the results of one scenario.
    pub fn new(scenario: &'a Scenario) -> Self {
        let site_names: Vec<&[u8]> = scenario.sites.iter().map(|s| s.name.as_bytes()).collect();
        let site_fields = site_names
            .iter()
            .map(|name| {
                let mut field = Vec::with_capacity(name.len());
                text(&mut field, name);
                field
            })
            .collect();
        Self {
            scenario,
            site_fields,
            quote_reached_by: site_names.iter().any(|n| needs_quotes(n)),
            site_names,
            flight: crate::flight::any_model(&scenario.sites),
        }
    }

    /// Append the header row to `buf`.
    pub fn header(&self, buf: &mut Vec<u8>) {
        buf.extend_from_slice(HEADER.join(",").as_bytes());
        buf.push(b'\n');
    }

    /// Append one row to `buf`.
    pub fn row(&self, buf: &mut Vec<u8>, row: Row<'_>) {
        let c = row.city;
        let b = buf;
        text(b, c.name.as_bytes());
        b.push(b',');
        text(b, c.country.as_bytes());
        b.push(b',');
        shortest(b, c.lat_deg);
        b.push(b',');
        shortest(b, c.lon_deg);
        b.push(b',');
        if let Some(p) = c.population {
            push_digits(b, p, 1);
        }
        b.push(b',');
        b.extend_from_slice(&self.site_fields[row.nearest_site]);
        b.push(b',');
        fixed(b, row.distance_m / 1000.0, 6);
        b.push(b',');
        text(b, self.scenario.bands.label(row.class).as_bytes());
        b.push(b',');
        fixed(b, row.bearing_deg, 3);
        b.push(b',');
        let reached_by = b.len();
        for (k, &i) in row.reached_by.iter().enumerate() {
            if k > 0 {
                b.push(b';');
            }
            b.extend_from_slice(self.site_names[i]);
        }
        if self.quote_reached_by && needs_quotes(&b[reached_by..]) {
            let list = b.split_off(reached_by);
            text(b, &list);
        }
        b.extend_from_slice(if c.capital { b",1," } else { b",0," });
        if let Some(g) = c.geonameid {
            push_digits(b, g, 1);
        }
        b.push(b',');
        text(b, c.admin1.as_bytes());
        b.push(b',');
        if self.flight {
            if let Some(t) = crate::flight::city_time_min(
                &self.scenario.sites,
                c.lat_deg,
                c.lon_deg,
                row.nearest_site,
                row.distance_m,
                row.reached_by,
            ) {
                fixed(b, t, 1);
            }
        }
        b.push(b'\n');
    }
}

/// Append `x` as the shortest text that reads back as `x`, byte for byte as
/// `format!("{x}")` writes it (no exponent, no `.0` for whole numbers), with
/// `ryu`'s faster digit generation where its output needs no rewriting.
fn shortest(buf: &mut Vec<u8>, x: f64) {
    // Coordinates are far inside the range where the two agree (tested):
    // `ryu` writes no exponent from 1e-5 (the point 4 places before the
    // first digit) to below 1e16, nor for zero.
    if (1e-5..1e9).contains(&x.abs()) || x == 0.0 {
        let mut ryu = ryu::Buffer::new();
        let text = ryu.format_finite(x);
        let text = text.strip_suffix(".0").unwrap_or(text);
        buf.extend_from_slice(text.as_bytes());
        return;
    }
    write!(buf, "{x}").expect("a Vec takes every write");
}

/// Append `x` with `decimals` digits after the point, byte for byte as
/// `format!("{x:.decimals$}")` writes it (which rounds the exact binary
/// value, ties to even), but without its slow paths where that is provable:
/// `y = x·10^decimals` is within a quarter ulp-scale margin of the exact
/// product, so unless its fraction is that close to one half, rounding `y`
/// rounds the exact value the same way.
fn fixed(buf: &mut Vec<u8>, x: f64, decimals: u32) {
    let scale = 10u64.pow(decimals);
    let y = x * scale as f64;
    if x.is_sign_positive() && y < 1e15 {
        let floor = y.floor();
        let frac = y - floor; // exact: y < 2^52
        if (frac - 0.5).abs() > y * 4e-15 + 1e-300 {
            let n = floor as u64 + u64::from(frac > 0.5);
            let (whole, part) = (n / scale, n % scale);
            push_digits(buf, whole, 1);
            buf.push(b'.');
            push_digits(buf, part, decimals as usize);
            return;
        }
    }
    write!(buf, "{x:.*}", decimals as usize).expect("a Vec takes every write");
}

/// Append the decimal digits of `n`, at least `width` (≤ 20) of them
/// (zero-padded), two at a time.
fn push_digits(buf: &mut Vec<u8>, mut n: u64, width: usize) {
    const PAIRS: &[u8; 200] = b"0001020304050607080910111213141516171819\
        2021222324252627282930313233343536373839\
        4041424344454647484950515253545556575859\
        6061626364656667686970717273747576777879\
        8081828384858687888990919293949596979899";
    let mut digits = [b'0'; 20];
    let mut i = digits.len();
    while n >= 100 {
        let pair = (n % 100) as usize * 2;
        n /= 100;
        i -= 2;
        digits[i..i + 2].copy_from_slice(&PAIRS[pair..pair + 2]);
    }
    if n >= 10 {
        i -= 2;
        digits[i..i + 2].copy_from_slice(&PAIRS[n as usize * 2..n as usize * 2 + 2]);
    } else if n > 0 || i == digits.len() {
        i -= 1;
        digits[i] = b'0' + n as u8;
    }
    let start = i.min(digits.len() - width.min(digits.len()));
    buf.extend_from_slice(&digits[start..]);
}

/// Whether a field must be quoted.
fn needs_quotes(value: &[u8]) -> bool {
    value
        .iter()
        .any(|&b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

/// Append a text field, quoted if needed.
fn text(buf: &mut Vec<u8>, value: &[u8]) {
    if !needs_quotes(value) {
        buf.extend_from_slice(value);
        return;
    }
    buf.push(b'"');
    for part in value.split_inclusive(|&b| b == b'"') {
        buf.extend_from_slice(part);
        if part.ends_with(b"\"") {
            buf.push(b'"');
        }
    }
    buf.push(b'"');
}

/// Write the results as CSV.
pub fn write(out: &mut dyn Write, scenario: &Scenario, results: &[&CityResult<'_>]) -> Result<()> {
    const FLUSH_BYTES: usize = 64 * 1024;
    let io = |e| Error::io("cities CSV", e);
    let formatter = Formatter::new(scenario);
    let mut buf = Vec::with_capacity(FLUSH_BYTES + 4096);
    formatter.header(&mut buf);
    for r in results {
        formatter.row(&mut buf, Row::from(*r));
        if buf.len() >= FLUSH_BYTES {
            out.write_all(&buf).map_err(io)?;
            buf.clear();
        }
    }
    out.write_all(&buf).map_err(io)?;
    out.flush().map_err(io)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioOptions;

    #[test]
    fn fields_are_quoted_as_the_csv_crate_quotes_them() {
        for value in [
            "",
            "Warsaw",
            " lead and trail ",
            "a,b",
            "say \"hi\"",
            "\"",
            "line\nbreak",
            "cr\rlf\r\n",
            "Wrocław; Kraków",
            "'single'",
            "#hash",
        ] {
            let mut ours = Vec::new();
            text(&mut ours, value.as_bytes());
            let mut theirs = csv::WriterBuilder::new()
                .terminator(csv::Terminator::Any(b'\n'))
                .from_writer(Vec::new());
            theirs.write_record([value, "x"]).unwrap();
            let theirs = theirs.into_inner().unwrap();
            ours.extend_from_slice(b",x\n");
            assert_eq!(
                String::from_utf8(ours).unwrap(),
                String::from_utf8(theirs).unwrap()
            );
        }
    }

    #[test]
    fn shortest_matches_display() {
        let mut rng = crate::random::Rng(0x9e37_79b9_7f4a_7c15);
        let mut values = vec![
            0.0,
            -0.0,
            20.0,
            -180.0,
            180.0,
            90.0,
            1e-7,
            -1e-5,
            1e-5,
            9.999_999_999_999_999e-6,
            -1.000_000_000_000_000_2e-5,
            999_999_999.999_999_9,
            1e9,
            5e-324,
            1e16,
            1.5e16,
            123456.0,
            52.22977,
            21.01178,
            0.1,
            0.3,
            f64::NAN,
            f64::INFINITY,
            -f64::INFINITY,
        ];
        for _ in 0..300_000 {
            let state = rng.next_u64();
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            values.push(u * 360.0 - 180.0);
            values.push(((u * 360.0 - 180.0) * 1e5).round() / 1e5);
            values.push(f64::from_bits(state)); // any bit pattern
            values.push(u * 1e-4);
        }
        for x in values {
            let mut got = Vec::new();
            shortest(&mut got, x);
            assert_eq!(
                String::from_utf8(got).unwrap(),
                format!("{x}"),
                "{:x}",
                x.to_bits()
            );
        }
    }

    #[test]
    fn digits_are_zero_padded_to_the_width() {
        let mut rng = crate::random::Rng(0x5eed);
        let mut values = vec![0, 1, 9, 10, 11, 99, 100, 101, 999, 1000, 999_999, u64::MAX];
        values.extend((0..10_000).map(|_| rng.next_u64() >> (rng.next_u64() % 64)));
        for n in values {
            for width in [1, 3, 6, 20] {
                let mut got = Vec::new();
                push_digits(&mut got, n, width);
                assert_eq!(String::from_utf8(got).unwrap(), format!("{n:0width$}"));
            }
        }
    }

    #[test]
    fn fixed_decimals_match_format() {
        let mut rng = crate::random::Rng(0x2545_f491_4f6c_dd1d);
        let mut values = vec![
            0.0,
            0.5,
            1.5,
            2.5,
            0.0005,
            0.0015,
            0.0025,
            1e-7,
            359.9995,
            359.99951,
            0.125,
            1234.5678,
            20_003.931_458_625,
            1e14,
            9.999_999_5e8,
            f64::NAN,
            f64::INFINITY,
            -1.25,
            -0.0,
        ];
        for _ in 0..200_000 {
            let state = rng.next_u64();
            let u = (state >> 11) as f64 / (1u64 << 53) as f64;
            values.push(u * 20_100.0);
            values.push(u * 360.0);
            // Exactly halfway at 3 and 6 decimals, and near it.
            let k = (state % 1_000_000) as f64;
            values.push((k + 0.5) / 1000.0);
            values.push((k + 0.5) / 1e6);
        }
        for x in values {
            for d in [3u32, 6] {
                let mut got = Vec::new();
                fixed(&mut got, x, d);
                let want = format!("{x:.*}", d as usize);
                assert_eq!(
                    String::from_utf8(got).unwrap(),
                    want,
                    "{x:e} at {d} decimals"
                );
            }
        }
    }

    #[test]
    fn rows_match_the_contract() {
        let scenario = ScenarioOptions {
            site_args: vec!["Site, \"A\"=52,21,Iskander-M".into(), "B=50,20".into()],
            allies: Some("all".into()),
            range_km: Some(1000.0),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let city = City {
            name: "Warsaw, \"Warszawa\"".into(),
            ..crate::cities::warsaw()
        };
        let c = Classified {
            nearest_site: 0,
            distance_m: 1234.5678,
            bearing_deg: 359.99951,
            class: BandClass::Below,
            reached_by: vec![0, 1],
        };
        let f = Formatter::new(&scenario);
        let mut text = Vec::new();
        f.header(&mut text);
        f.row(&mut text, Row::new(&city, &c));
        let mut nameless = city.clone();
        (nameless.population, nameless.geonameid, nameless.capital) = (None, None, false);
        let far = Classified {
            class: BandClass::Beyond,
            reached_by: vec![],
            ..c.clone()
        };
        f.row(&mut text, Row::new(&nameless, &far));
        let text = String::from_utf8(text).unwrap();
        assert_eq!(
            text,
            "name,country,lat,lon,population,nearest_site,distance_km,band,bearing_deg,reached_by,capital,geonameid,admin1,flight_time_min\n\
             \"Warsaw, \"\"Warszawa\"\"\",PL,52.22977,21.01178,1702139,\"Site, \"\"A\"\"\",1.234568,below,360.000,\"Site, \"\"A\"\";B\",1,756135,78,\n\
             \"Warsaw, \"\"Warszawa\"\"\",PL,52.22977,21.01178,,\"Site, \"\"A\"\"\",1.234568,beyond,360.000,,0,,78,\n"
        );
        // With a trajectory model: Pershing II over 1.23 km, 60 s boost plus
        // a 16 s free flight, 1.3 minutes, in the last column.
        let pershing = ScenarioOptions {
            site_args: vec!["P=52,21,Pershing II".into()],
            allies: Some("all".into()),
            ..Default::default()
        }
        .resolve()
        .unwrap();
        let mut text = Vec::new();
        let reached = Classified {
            reached_by: vec![0],
            ..c.clone()
        };
        Formatter::new(&pershing).row(&mut text, Row::new(&city, &reached));
        let text = String::from_utf8(text).unwrap();
        assert!(text.ends_with(",P,1,756135,78,1.3\n"), "{text}");
    }
}
