//! The numbers students cite: reached beside in-band, per-country tables,
//! and runs that reproduce byte for byte from their `scenario.toml`.
//!
//! The pyproj recount runs when `python3 -c 'import pyproj'` works; with
//! `INFRANGE_REQUIRE_VALIDATORS=1` (set by `.ci/run`) its absence is a failure.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn infrange() -> Command {
    Command::cargo_bin("infrange").unwrap()
}

fn run_into(out: &Path, args: &[&str]) -> String {
    let output = infrange()
        .arg("run")
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Every file of `a` equals its namesake in `b`, byte for byte, except
/// `summary.json`, which must differ only in the recorded command line.
fn assert_same_outputs(a: &Path, b: &Path) {
    let mut names: Vec<String> = std::fs::read_dir(a)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    for must in [
        "cities.csv",
        "countries.csv",
        "scenario.toml",
        "map.png",
        "map.svg",
    ] {
        assert!(names.iter().any(|n| n == must), "{must} missing: {names:?}");
    }
    for name in &names {
        let (x, y) = (
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
        );
        if name == "summary.json" {
            let strip = |bytes: &[u8]| {
                let mut v: serde_json::Value = serde_json::from_slice(bytes).unwrap();
                let p = v["provenance"].as_object_mut().unwrap();
                assert!(p.remove("command_line").is_some());
                v
            };
            assert_eq!(strip(&x), strip(&y), "summary.json");
        } else {
            assert!(x == y, "{name} differs");
        }
    }
}

#[test]
fn a_run_repeats_from_its_scenario_toml_byte_for_byte() {
    let dir = tempfile::tempdir().unwrap();
    for (k, args) in [
        vec![],
        vec![
            "--site",
            "A=54.63,21.81,Iskander-M",
            "--site",
            "B=56.85,41.37",
            "--range-km",
            "1800",
            "--bands",
            "300,1000,2500,6000",
            "--allies",
            "nato@2019-08-02,SE,Finland",
            "--all",
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let first = dir.path().join(format!("first{k}"));
        let again = dir.path().join(format!("again{k}"));
        run_into(&first, &args);
        let toml = first.join("scenario.toml");
        let mut again_args = vec!["--scenario", toml.to_str().unwrap()];
        if args.contains(&"--all") {
            again_args.push("--all");
        }
        run_into(&again, &again_args);
        assert_same_outputs(&first, &again);
    }
}

#[test]
fn summary_json_records_version_command_line_and_data_checksums() {
    let dir = tempfile::tempdir().unwrap();
    run_into(dir.path(), &["--scenario", "chernyakhovsk-2024"]);
    let s: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("summary.json")).unwrap())
            .unwrap();
    let p = &s["provenance"];
    assert_eq!(
        p["program"],
        format!("infrange {}", env!("CARGO_PKG_VERSION"))
    );
    let args: Vec<&str> = p["command_line"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    assert_eq!(&args[1..4], ["run", "--scenario", "chernyakhovsk-2024"]);
    let data = p["data"].as_array().unwrap();
    let cities = data
        .iter()
        .find(|d| d["file"] == "data/cities15000.csv")
        .unwrap();
    assert_eq!(cities["sha256"].as_str().unwrap().len(), 64);
    // The built-in scenario pins its alliance date: NATO on 7 Mar 2024.
    assert_eq!(s["allies"]["spec"], "nato@2024-03-07");
    // Reached beside in-band: the Iskander reaches Vilnius, Warsaw and Riga,
    // all under the 500 km edge; it reaches no city of the bands.
    let below = &s["below"];
    let reached: Vec<&str> = below["reached"]["capitals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c.as_str().unwrap())
        .collect();
    assert_eq!(reached, ["Vilnius", "Warsaw", "Riga"]);
    assert_eq!(s["in_bands"]["reached"]["cities"], 0);
    assert_eq!(s["systems"][0]["system"], "Iskander-M");
}

#[test]
fn the_console_report_shows_below_and_reached() {
    let dir = tempfile::tempdir().unwrap();
    let text = run_into(dir.path(), &["--scenario", "chernyakhovsk-2024"]);
    let below = text.lines().find(|l| l.starts_with("below ")).unwrap();
    assert!(below.contains("< 500 km"), "{below}");
    assert!(
        text.contains("reached (3): Vilnius, Warsaw, Riga"),
        "{text}"
    );
    assert!(text.contains("wrote ") && text.contains("countries.csv"));
}

#[test]
fn analyze_by_country_as_csv_and_markdown() {
    infrange()
        .args([
            "analyze", "--allies", "PL,LT,BV", "--by", "country", "--format", "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::starts_with(
            "country,country_name,band,cities,population,reached_cities,reached_population",
        ))
        .stdout(predicate::str::contains("BV,Bouvet Island,below,0,0,0,0,,"));
    infrange()
        .args(["analyze", "--allies", "PL,LT", "--format", "markdown"])
        .assert()
        .success()
        .stdout(predicate::str::starts_with("| Band | Interval | Cities |"))
        .stdout(predicate::str::contains("| **Warsaw** | PL |"));
}

fn required() -> bool {
    std::env::var_os("INFRANGE_REQUIRE_VALIDATORS").is_some_and(|v| v == "1")
}

#[test]
fn countries_csv_equals_an_independent_pyproj_recount() {
    let have_pyproj = std::process::Command::new("python3")
        .args(["-c", "import pyproj, numpy"])
        .output()
        .is_ok_and(|o| o.status.success());
    if !have_pyproj {
        assert!(
            !required(),
            "python3 with pyproj is required (INFRANGE_REQUIRE_VALIDATORS=1)"
        );
        eprintln!("skipped: python3 with pyproj not found");
        return;
    }
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/scripts/recount_countries.py");
    let dir = tempfile::tempdir().unwrap();
    for (k, args) in [
        vec!["--all"],
        vec!["--all", "--scenario", "chernyakhovsk-2024"],
        vec![
            "--all",
            "--site",
            "A=54.63,21.81,Iskander-M",
            "--site",
            "B=56.85,41.37",
            "--range-km",
            "1800",
            "--bands",
            "300,1000,2500,6000",
            "--allies",
            "nato,FI",
        ],
    ]
    .into_iter()
    .enumerate()
    {
        let out = dir.path().join(format!("run{k}"));
        run_into(&out, &args);
        let check = std::process::Command::new("python3")
            .arg(&script)
            .arg(&out)
            .output()
            .unwrap();
        let report = String::from_utf8_lossy(&check.stdout);
        assert!(check.status.success(), "{args:?}: {report}");
        assert!(report.contains("all equal"), "{report}");
    }
}

#[test]
fn distance_knows_scenario_sites_and_the_most_populous_city() {
    for args in [
        vec!["distance", "Kapustin Yar", "Warsaw"],
        vec![
            "distance",
            "--scenario",
            "inf-2019",
            "Kapustin Yar",
            "Warsaw",
        ],
    ] {
        infrange()
            .args(&args)
            .assert()
            .success()
            .stdout(predicate::str::contains(
                "from:        Kapustin Yar (site, 48.5833, 45.75",
            ))
            .stdout(predicate::str::contains("distance:    1795.28"))
            .stdout(predicate::str::contains("band:        intermediate-range"))
            .stdout(predicate::str::contains(
                "Kapustin Yar with 9M729 2,350 km: reaches",
            ));
    }
    infrange()
        .args(["distance", "Paris", "Moscow"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "from:        Paris, FR (geonameid 2988507",
        ))
        .stdout(predicate::str::contains(
            "to:          Moscow, RU (geonameid 524901",
        ))
        .stdout(predicate::str::contains(
            "the most populous of 2 places of that name",
        ));
    infrange()
        .args([
            "distance",
            "--scenario",
            "chernyakhovsk-2024",
            "chernyakhovsk",
            "Berlin,DE",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("band:        shorter-range"))
        .stdout(predicate::str::contains("does not reach (103.5 km short)"));
}

#[test]
fn frictions_are_mended() {
    // Every common name of a system.
    infrange()
        .args([
            "analyze",
            "--site",
            "K=54.63,21.81",
            "--system",
            "iskander",
            "--allies",
            "LT",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Vilnius,LT,"));
    // Countries and alliances are listed.
    infrange()
        .arg("countries")
        .assert()
        .success()
        .stdout(predicate::str::contains("PL   POL  Poland"))
        .stdout(predicate::str::contains("NATO since 1999-03-12"));
    // A misspelt ally names the nearest countries, not 250 codes.
    infrange()
        .args(["analyze", "--allies", "Polnad"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown ally `Polnad`"))
        .stderr(predicate::str::contains("nearest: PL (Poland)"));
    // An alliance with no members on the date is an error, not 0 cities.
    infrange()
        .args(["analyze", "--allies", "nato@1949-01-01"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains(
            "NATO had no members on 1949-01-01",
        ));
    // A sites file saved by a European spreadsheet.
    let dir = tempfile::tempdir().unwrap();
    let sites = dir.path().join("sites.csv");
    std::fs::write(
        &sites,
        "name;lat;lon;system\nChernyakhovsk;54,6347;21,8119;Iskander-M\n",
    )
    .unwrap();
    infrange()
        .args(["analyze", "--allies", "LT", "--format", "csv", "--sites"])
        .arg(&sites)
        .assert()
        .success()
        .stdout(predicate::str::contains("Vilnius,LT,54.68916,25.2798,"));
}
