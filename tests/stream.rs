//! Streamed input: `analyze --format csv --cities FILE` reads the file in
//! chunks and writes rows in the file's order. Its rows must be exactly those
//! of the in-memory analysis (here: `--format json`, which sorts them
//! nearest first), for a user CSV and a GeoNames dump.

#[path = "support/cli.rs"]
mod cli;

use assert_cmd::Command;
use cli::{failed_cleanly, write};
use serde_json::Value;

/// A user CSV with a byte-order mark, CRLF, columns in another order and
/// case, quoted names (a comma, doubled quotes, a line break), a blank line
/// and an empty population.
const CSV: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/cities-stream.csv");
/// GeoNames dump rows (19 tab-separated columns): alternate names with
/// commas and quotes, PPLC capitals, an empty population, a blank line, and
/// the Earth, which has no country code.
const GEONAMES: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/geonames-sample.txt"
);

/// Rows of GeoNames' cities500.txt of 2023-03-05 (alternate names left
/// out): Hamburg and Bucharest, and three sections of them (feature code
/// PPLX: Wandsbek, Hamburg-Nord, Bucharest's Sector 3), the first and the
/// last row among them.
const SECTIONS: &str = concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/tests/data/geonames-sections.txt"
);

fn infrange() -> Command {
    Command::cargo_bin("infrange").unwrap()
}

/// Run `infrange analyze` with these arguments; its standard output.
fn analyze(args: &[&str]) -> String {
    let out = infrange().arg("analyze").args(args).assert().success();
    String::from_utf8(out.get_output().stdout.clone()).unwrap()
}

/// The data rows of a cities CSV.
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>().join(","),
        "name,country,lat,lon,population,nearest_site,distance_km,band,bearing_deg,reached_by,capital,geonameid,admin1,flight_time_min"
    );
    reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect()
}

/// The cities of `analyze --format json`, formatted as the CSV's rows.
fn json_rows(text: &str) -> Vec<Vec<String>> {
    let doc: Value = serde_json::from_str(text).unwrap();
    let f64_of = |v: &Value| v.as_f64().unwrap();
    let opt = |v: &Value| v.as_u64().map(|n| n.to_string()).unwrap_or_default();
    doc["cities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            let reached_by: Vec<&str> = c["reached_by"]
                .as_array()
                .unwrap()
                .iter()
                .map(|s| s.as_str().unwrap())
                .collect();
            vec![
                c["name"].as_str().unwrap().to_owned(),
                c["country"].as_str().unwrap().to_owned(),
                f64_of(&c["lat"]).to_string(),
                f64_of(&c["lon"]).to_string(),
                opt(&c["population"]),
                c["nearest_site"].as_str().unwrap().to_owned(),
                format!("{:.6}", f64_of(&c["distance_km"])),
                c["band"].as_str().unwrap().to_owned(),
                format!("{:.3}", f64_of(&c["bearing_deg"])),
                reached_by.join(";"),
                if c["capital"].as_bool().unwrap() {
                    "1"
                } else {
                    "0"
                }
                .to_owned(),
                opt(&c["geonameid"]),
                c["admin1"].as_str().unwrap().to_owned(),
                c.get("flight_time_min")
                    .and_then(Value::as_f64)
                    .map(|t| format!("{t:.1}"))
                    .unwrap_or_default(),
            ]
        })
        .collect()
}

/// Check that the streamed CSV holds the in-memory analysis's rows, in the
/// file's order; return the streamed rows.
fn streamed_matches_in_memory(cities: &str, args: &[&str]) -> Vec<Vec<String>> {
    let mut csv_args = vec!["--cities", cities, "--format", "csv", "--quiet"];
    csv_args.extend_from_slice(args);
    let streamed = csv_rows(&analyze(&csv_args));
    let mut json_args = vec!["--cities", cities, "--format", "json"];
    json_args.extend_from_slice(args);
    let mut sorted = json_rows(&analyze(&json_args));
    assert!(!streamed.is_empty());
    let mut by_id = streamed.clone();
    by_id.sort();
    sorted.sort();
    assert_eq!(by_id, sorted);
    // The file's order: geonameids (first field) as they come in the file.
    let text = std::fs::read_to_string(cities).unwrap();
    let file_ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.split(['\t', ',']).next())
        .collect();
    let position = |id: &str| file_ids.iter().position(|f| *f == id).unwrap();
    let positions: Vec<usize> = streamed.iter().map(|r| position(&r[11])).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{positions:?}");
    streamed
}

#[test]
fn streamed_csv_has_the_rows_of_the_in_memory_analysis() {
    let rows = streamed_matches_in_memory(CSV, &["--all"]);
    let names: Vec<&str> = rows.iter().map(|r| r[0].as_str()).collect();
    assert!(names.contains(&"Washington, D.C."));
    assert!(names.contains(&"Kraków \"Old Town\""));
    assert!(names.contains(&"Gdańsk\r\n(Danzig)"));
    assert!(
        !names.contains(&"Helsinki") && !names.contains(&"Moscow"),
        "FI joined in 2023; RU"
    );
    let narva = rows.iter().find(|r| r[0] == "Narva").unwrap();
    assert_eq!(narva[4], "", "empty population");
    let warsaw = rows.iter().find(|r| r[0] == "Warsaw").unwrap();
    assert_eq!((warsaw[10].as_str(), warsaw[11].as_str()), ("1", "756135"));
    // Without --all: the cities beyond the last band are left out.
    let near = streamed_matches_in_memory(CSV, &[]);
    assert!(near.len() < rows.len());
    assert!(near.iter().all(|r| r[7] != "beyond"));
    assert!(rows.iter().any(|r| r[7] == "beyond"));
}

#[test]
fn streamed_geonames_dump_has_the_rows_of_the_in_memory_analysis() {
    let rows = streamed_matches_in_memory(GEONAMES, &["--all"]);
    let warsaw = rows.iter().find(|r| r[0] == "Warsaw").unwrap();
    assert_eq!(warsaw[10], "1", "PPLC is a capital");
    let krakow = rows.iter().find(|r| r[0] == "Kraków").unwrap();
    assert_eq!((krakow[10].as_str(), krakow[12].as_str()), ("0", "77"));
    assert_eq!(rows.iter().find(|r| r[0] == "Narva").unwrap()[4], "");
    assert!(rows.iter().all(|r| r[0] != "Earth"), "no country: no ally");
    // `--allies all` means every row, also those without a country.
    let every = streamed_matches_in_memory(GEONAMES, &["--all", "--allies", "all"]);
    assert_eq!(every.len(), 34);
    let earth = every.iter().find(|r| r[0] == "Earth").unwrap();
    assert_eq!((earth[1].as_str(), earth[4].as_str()), ("", "6814400000"));
    // Filters: population, and bands.
    let big = streamed_matches_in_memory(GEONAMES, &["--all", "--min-population", "1000000"]);
    assert!(big.len() < rows.len());
    assert!(big
        .iter()
        .all(|r| r[4].parse::<u64>().unwrap() >= 1_000_000));
    streamed_matches_in_memory(GEONAMES, &["--bands", "500,1000,2500"]);
}

#[test]
fn run_reads_a_geonames_dump() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    infrange()
        .args([
            "run", "--cities", GEONAMES, "--width", "400", "--height", "300", "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    let rows = csv_rows(&std::fs::read_to_string(out.join("cities.csv")).unwrap());
    assert!(rows.iter().any(|r| r[0] == "Vilnius" && r[10] == "1"));
}

#[test]
fn sections_of_cities_are_left_out_unless_kept() {
    let names =
        |rows: &[Vec<String>]| -> Vec<String> { rows.iter().map(|r| r[0].clone()).collect() };
    // Streamed (CSV) and in memory (JSON) alike.
    let rows = streamed_matches_in_memory(SECTIONS, &["--all"]);
    assert_eq!(names(&rows), ["Hamburg", "Bucharest"]);
    let kept = streamed_matches_in_memory(SECTIONS, &["--all", "--keep-sections"]);
    assert_eq!(
        names(&kept),
        [
            "Wandsbek",
            "Hamburg",
            "Hamburg-Nord",
            "Bucharest",
            "Sector 3"
        ]
    );
    // The closing line counts them.
    let loud = infrange()
        .args(["analyze", "--cities", SECTIONS, "--format", "csv", "--all"])
        .assert()
        .success();
    let stderr = String::from_utf8(loud.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("infrange: 5 rows read (0.0 MB), 3 city sections (PPLX) left out, 2 analysed, 2 written"),
        "{stderr}"
    );
    let loud = infrange()
        .args([
            "analyze",
            "--cities",
            SECTIONS,
            "--format",
            "csv",
            "--keep-sections",
        ])
        .assert()
        .success();
    let stderr = String::from_utf8(loud.get_output().stderr.clone()).unwrap();
    assert!(
        stderr.starts_with("infrange: 5 rows read (0.0 MB), 5 analysed"),
        "{stderr}"
    );
    // `run` too.
    let dir = tempfile::tempdir().unwrap();
    for (extra, expected) in [(None, 2), (Some("--keep-sections"), 5)] {
        let out = dir.path().join(format!("out{expected}"));
        infrange()
            .args([
                "run", "--all", "--cities", SECTIONS, "--width", "400", "--height", "300",
            ])
            .args(extra)
            .arg("--out")
            .arg(&out)
            .assert()
            .success();
        let rows = csv_rows(&std::fs::read_to_string(out.join("cities.csv")).unwrap());
        assert_eq!(rows.len(), expected, "{extra:?}");
    }
}

#[test]
fn keep_sections_needs_a_cities_file() {
    let out = infrange()
        .args(["analyze", "--keep-sections"])
        .assert()
        .code(2);
    let stderr = String::from_utf8(out.get_output().stderr.clone()).unwrap();
    assert!(stderr.contains("--cities"), "{stderr}");
}

/// `analyze --format csv -o DIR/out/cities.csv` on bad input: exit code 2,
/// the message names file, line and field, and no file is left.
fn fails(cities: &str, needles: &[&str]) {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let mut command = infrange();
    command
        .args([
            "analyze", "--cities", cities, "--format", "csv", "--all", "--quiet", "-o",
        ])
        .arg(out.join("cities.csv"));
    failed_cleanly(&mut command, &out, needles);
}

#[test]
fn bad_streamed_input_exits_2_naming_file_line_and_field() {
    let dir = tempfile::tempdir().unwrap();
    // A bad latitude after every good row (the fixture has 36 lines).
    let text = std::fs::read_to_string(CSV).unwrap() + "1,Nowhere,PL,-91.5,20,5,0,\r\n";
    let f = write(dir.path(), "late.csv", &text);
    fails(
        &f,
        &[&format!(
            "{f}, line 37, field `lat`: latitude -91.5 is outside [-90, 90] degrees"
        )],
    );
    let text = std::fs::read_to_string(GEONAMES).unwrap();
    let f = write(dir.path(), "short.txt", &format!("{text}42\tShort\n"));
    fails(
        &f,
        &[&format!(
            "{f}, line 36: row has 2 fields but a GeoNames dump row has 19"
        )],
    );
    let f = write(
        dir.path(),
        "pop.txt",
        &text.replace("\t1702139\t", "\tmany\t"),
    );
    fails(
        &f,
        &[&format!(
            "{f}, line 1, field `population`: `many` is not a number"
        )],
    );
    let f = write(dir.path(), "cc.txt", &text.replace("\tLT\t", "\tLTU\t"));
    fails(
        &f,
        &[&format!(
            "{f}, line 13, field `country code`: `LTU` is not an ISO 3166-1 alpha-2 code"
        )],
    );
    let f = write(dir.path(), "empty.csv", "");
    fails(&f, &[&format!("{f}, line 1: file is empty")]);
    fails(
        "/no/such/cities.csv",
        &["/no/such/cities.csv", "no such file or folder"],
    );
}

#[test]
fn quiet_writes_nothing_to_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("c.csv");
    let quiet = infrange()
        .args([
            "analyze", "--cities", GEONAMES, "--format", "csv", "--quiet", "-o",
        ])
        .arg(&out)
        .assert()
        .success();
    assert!(quiet.get_output().stderr.is_empty());
    assert!(quiet.get_output().stdout.is_empty());
    let written = std::fs::read_to_string(&out).unwrap();
    // Without --quiet (and not on a terminal: no bar) a closing line says
    // what was read and where the time went.
    let loud = infrange()
        .args(["analyze", "--cities", GEONAMES, "--format", "csv"])
        .assert()
        .success();
    let stderr = String::from_utf8(loud.get_output().stderr.clone()).unwrap();
    assert!(stderr.starts_with("infrange: 34 rows read ("), "{stderr}");
    assert!(
        stderr.contains(" parse ") && stderr.contains(" classify "),
        "{stderr}"
    );
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(!stderr.contains('\u{1b}'), "no terminal codes: {stderr}");
    assert_eq!(
        String::from_utf8(loud.get_output().stdout.clone()).unwrap(),
        written
    );
}
