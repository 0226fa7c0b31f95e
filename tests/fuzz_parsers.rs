//! Every input parser over random and mutated inputs: no panic, only a
//! value or an error that names where the input came from.
//!
//! Inputs are valid samples mutated by random edits (insertions, deletions,
//! replacements from an alphabet of troublesome characters), plus random
//! strings; a fixed seed per parser, so a failure reproduces. The binary is
//! checked on a sample of them too: exit 0 or 2, never a panic, and nothing
//! written when it fails.

#[path = "support/random.rs"]
mod random;

use infrange::allies::Allies;
use infrange::bands::Bands;
use infrange::error::Location;
use random::Rng;

const ALPHABET: &[&str] = &[
    "0",
    "1",
    "5",
    "9",
    ".",
    ",",
    ";",
    "-",
    "+",
    "e",
    "E",
    "=",
    "@",
    "\"",
    "'",
    "\n",
    "\r",
    "\t",
    " ",
    "\u{0}",
    "\u{1b}",
    "\u{feff}",
    "ä",
    "€",
    "𝄞",
    "inf",
    "NaN",
    "1e308",
    "-90",
    "180",
    "[",
    "]",
    "{",
    "}",
    "#",
    "nato",
    "all",
    "PL",
    "\\",
    "/",
    "|",
    "9999999999999999999999",
];

fn mutate(rng: &mut Rng, sample: &str) -> String {
    let mut chars: Vec<String> = sample.chars().map(String::from).collect();
    let edits = 1 + (rng.unit() * 4.0) as usize;
    for _ in 0..edits {
        let at = (rng.unit() * (chars.len() + 1) as f64) as usize;
        let piece = ALPHABET[(rng.unit() * ALPHABET.len() as f64) as usize].to_owned();
        match (rng.unit() * 3.0) as u32 {
            0 => chars.insert(at.min(chars.len()), piece),
            1 if at < chars.len() => {
                chars.remove(at);
            }
            _ if at < chars.len() => chars[at] = piece,
            _ => chars.push(piece),
        }
    }
    chars.concat()
}

fn random_text(rng: &mut Rng) -> String {
    let n = (rng.unit() * 12.0) as usize;
    (0..n)
        .map(|_| ALPHABET[(rng.unit() * ALPHABET.len() as f64) as usize])
        .collect()
}

/// `n` inputs: mutations of the samples, and random strings.
fn inputs(seed: u64, samples: &[&str], n: usize) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|k| {
            if k % 5 == 4 {
                random_text(&mut rng)
            } else {
                let s = samples[k % samples.len()];
                mutate(&mut rng, s)
            }
        })
        .collect()
}

#[test]
fn bands_allies_sites_never_panic() {
    let loc = Location::new("fuzz");
    for text in inputs(1, &["inf", "500,1000,5500", "0.5,20003.93"], 3000) {
        let _ = Bands::parse(&text, &loc);
    }
    for text in inputs(
        2,
        &["nato@2019-08-02,SE,FI", "PL,DE", "all", "Poland"],
        3000,
    ) {
        let _ = Allies::parse(&text, &loc);
    }
    for text in inputs(
        3,
        &[
            "Kapustin Yar=48.5833,45.75,9M729",
            "A=-90,180",
            "B=0,0,iskander",
        ],
        3000,
    ) {
        let _ = infrange::sites::parse_site_arg(&text);
    }
    for text in inputs(4, &["Warsaw", "Paris,FR", "geonameid:756135"], 500) {
        let _ = infrange::cities::find(infrange::cities::embedded().unwrap(), &text);
    }
    for text in inputs(5, &["europe", "-10,35,40,70", "world", "auto"], 2000) {
        let _ = infrange::render::scene::parse_extent(&text);
    }
}

#[test]
fn tables_and_documents_never_panic() {
    let csv = "name,country,lat,lon,population\nWarsaw,PL,52.22977,21.01178,1702139\n\"Kyiv, city\",UA,50.45,30.52,2797553\n";
    let semi = "name;lat;lon;system\nKapustin Yar;48,5833;45,75;9M729\n";
    for text in inputs(6, &[csv, semi], 3000) {
        let _ = infrange::input::read_csv(&text, "fuzz.csv", &["name", "lat", "lon"]);
        let reader = infrange::stream::CityReader::new(text.as_bytes(), "fuzz.csv");
        if let Ok(r) = reader {
            let _ = r.read_all();
        }
    }
    let geonames = "756135\tWarsaw\tWarsaw\tWarszawa\t52.22977\t21.01178\tP\tPPLC\tPL\t\t78\t1465\t\t\t1702139\t\t113\tEurope/Warsaw\t2023-01-01\n";
    for text in inputs(7, &[geonames], 2000) {
        if let Ok(r) = infrange::stream::CityReader::new(text.as_bytes(), "fuzz.txt") {
            let _ = r.read_all();
        }
    }
    let geojson = r#"{"type":"FeatureCollection","features":[{"type":"Feature","geometry":{"type":"Point","coordinates":[21.0,52.2]},"properties":{"name":"Warsaw","country":"PL"}}]}"#;
    for text in inputs(8, &[geojson], 2000) {
        let _ = infrange::input::read_geojson_points(&text, "fuzz.geojson");
    }
    let toml = "name = \"t\"\ndate = 2019-08-02\nsystem = \"9M729\"\nbands = [500, 1000]\nallies = { spec = \"x\", countries = [\"PL\"] }\n[[site]]\nname = \"A\"\nlat = 50\nlon = 30\nrange_km = 100\n";
    for text in inputs(9, &[toml], 2000) {
        let _ = infrange::scenario::parse(&text, "fuzz.toml");
    }
}

#[test]
fn the_binary_exits_0_or_2_and_writes_nothing_when_it_fails() {
    let dir = tempfile::tempdir().unwrap();
    let mut rng = Rng(10);
    let mut codes = [0usize; 2];
    let site_samples = ["K=54.63,21.81", "A=-89.9,179.9", "Z=0,0"];
    let band_samples = ["inf", "500,1000", "100,20000"];
    let ally_samples = ["LT,PL", "nato@2019-08-02", "all"];
    for k in 0..40 {
        // One of the three mutated, the others valid.
        let pick = |rng: &mut Rng, samples: &[&str; 3], mutated: bool| {
            if mutated {
                mutate(rng, samples[k % 3])
            } else {
                samples[k % 3].to_owned()
            }
        };
        let site = pick(&mut rng, &site_samples, k % 3 == 0);
        let bands = pick(&mut rng, &band_samples, k % 3 == 1);
        let allies = pick(&mut rng, &ally_samples, k % 3 == 2);
        if [&site, &bands, &allies].iter().any(|s| s.contains('\u{0}')) {
            continue; // not passable as a process argument
        }
        let out = dir.path().join(format!("o{k}.csv"));
        let output = std::process::Command::new(assert_cmd::cargo::cargo_bin("infrange"))
            .args(["analyze", "--format", "csv", "--range-km", "800"])
            .arg(format!("--site={site}"))
            .arg(format!("--bands={bands}"))
            .arg(format!("--allies={allies}"))
            .arg("-o")
            .arg(&out)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        match output.status.code() {
            Some(0) => {
                assert!(out.exists());
                codes[0] += 1;
            }
            Some(2) => {
                codes[1] += 1;
                assert!(!out.exists(), "{site} {bands} {allies}: wrote on failure");
                assert!(stderr.starts_with("infrange: error: "), "{stderr}");
                assert!(!stderr.contains("panicked"), "{stderr}");
            }
            other => panic!("{site} | {bands} | {allies}: exit {other:?}: {stderr}"),
        }
    }
    // Both outcomes occur: the mutations are neither all harmless nor all fatal.
    assert!(codes[0] > 0 && codes[1] > 0, "{codes:?}");
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.starts_with(".infrange-"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
