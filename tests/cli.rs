//! Integration tests: run the real `infrange` binary.

use assert_cmd::Command;
use predicates::prelude::*;
use std::path::Path;

fn infrange() -> Command {
    Command::cargo_bin("infrange").unwrap()
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let path = dir.join(name);
    std::fs::write(&path, text).unwrap();
    path.display().to_string()
}

const CSV_PREFIX: &str = "name,country,lat,lon,population,nearest_site,distance_km,band";

#[test]
fn no_arguments_runs_the_default_scenario_into_output() {
    let dir = tempfile::tempdir().unwrap();
    infrange()
        .current_dir(dir.path())
        .assert()
        .success()
        .stdout(predicate::str::contains("wrote output/cities.csv"));
    let csv = std::fs::read_to_string(dir.path().join("output/cities.csv")).unwrap();
    assert!(csv.starts_with(CSV_PREFIX));
    let summary: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(dir.path().join("output/summary.json")).unwrap(),
    )
    .unwrap();
    assert_eq!(summary["scenario"], "inf-2019");
    assert_eq!(summary["allies"]["countries"].as_array().unwrap().len(), 29);
    let bands = summary["bands"].as_array().unwrap();
    assert_eq!(bands[0]["band"], "shorter-range");
    assert_eq!(bands[1]["band"], "intermediate-range");
    // Every row of cities.csv is within the last band (no `beyond` by default).
    let rows: Vec<&str> = csv.lines().skip(1).collect();
    let in_bands = bands
        .iter()
        .map(|b| b["cities"].as_u64().unwrap())
        .sum::<u64>()
        + summary["below"]["cities"].as_u64().unwrap();
    assert_eq!(rows.len() as u64, in_bands);
    assert!(rows.iter().all(|r| !r.contains(",beyond,")));
    let warsaw = rows.iter().find(|r| r.starts_with("Warsaw,PL,")).unwrap();
    assert!(warsaw.contains(",intermediate-range,"), "{warsaw}");
    assert!(summary["credits"][0].as_str().unwrap().contains("GeoNames"));
    // The map, as PNG and SVG.
    let png = std::fs::read(dir.path().join("output/map.png")).unwrap();
    assert_eq!(&png[1..4], b"PNG");
    let width = u32::from_be_bytes(png[16..20].try_into().unwrap());
    let height = u32::from_be_bytes(png[20..24].try_into().unwrap());
    assert_eq!((width, height), (1600, 1200));
    let svg = std::fs::read_to_string(dir.path().join("output/map.svg")).unwrap();
    for text in [
        "intermediate-range",
        "Kapustin Yar",
        "GeoNames, CC BY 4.0",
        "Made with Natural Earth",
    ] {
        assert!(svg.contains(text), "{text}");
    }
}

#[test]
fn map_command_options() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("m.svg");
    infrange()
        .args([
            "map",
            "--scenario",
            "chernyakhovsk-2024",
            "--extent",
            "europe",
        ])
        .args([
            "--projection",
            "+proj=laea +lat_0=52 +lon_0=10",
            "--title",
            "Kaliningrad",
        ])
        .args(["--width", "800", "--height", "600", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("+proj=laea"));
    let svg = std::fs::read_to_string(&out).unwrap();
    assert!(svg.contains("Kaliningrad") && svg.contains("Chernyakhovsk"));
    infrange()
        .args(["map", "--projection", "gnomonic", "--out"])
        .arg(dir.path().join("x.png"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("unknown projection `gnomonic`"));
    infrange()
        .args(["map", "--extent", "10,20,30", "--out"])
        .arg(dir.path().join("x.png"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--extent"));
    infrange()
        .args(["map", "--out"])
        .arg(dir.path().join("x.jpg"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains(".png or .svg"));
    assert!(!dir.path().join("x.png").exists());
}

#[test]
fn analyze_csv_follows_the_contract() {
    let out = infrange()
        .args([
            "analyze",
            "--site",
            "Kapustin Yar=48.5833,45.75",
            "--site",
            "Mozdok=43.7333,44.7",
            "--allies",
            "nato@2019-08-02",
            "--all",
            "--format",
            "csv",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let text = String::from_utf8(out).unwrap();
    let mut lines = text.lines();
    assert!(lines.next().unwrap().starts_with(&format!("{CSV_PREFIX},")));
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert!(rows.len() > 5000, "{} rows", rows.len());
    assert!(
        rows.iter().any(|r| r.contains(&"beyond")),
        "--all includes beyond"
    );
    for r in rows.iter().filter(|r| r.len() == 13) {
        let d = r[6];
        let decimals = d.split('.').nth(1).map_or(0, str::len);
        assert!(decimals >= 3, "{d}");
    }
    // No North American city is in range, none of FI/SE/MK (not members then).
    assert!(!text.contains(",FI,") && !text.contains(",SE,") && !text.contains(",MK,"));
}

#[test]
fn custom_cities_sites_and_bands() {
    let dir = tempfile::tempdir().unwrap();
    let cities = write(
        dir.path(),
        "cities.csv",
        "\u{feff}Name,Country,Lat,Lon,Population\nNear,PL,52.0,21.5,1000\nMid,PL,52.0,30.0,\nFar,DE,52.0,2.0,5\nOther,RU,55.0,37.0,9\n",
    );
    let sites = write(
        dir.path(),
        "sites.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"S","system":"Iskander-M"},"geometry":{"type":"Point","coordinates":[21.0,52.0]}}]}"#,
    );
    let out = infrange()
        .args([
            "analyze",
            "--cities",
            &cities,
            "--sites",
            &sites,
            "--bands",
            "100,500,1000",
        ])
        .args(["--allies", "PL,DE", "--all", "--format", "json"])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let doc: serde_json::Value = serde_json::from_slice(&out).unwrap();
    let cities = doc["cities"].as_array().unwrap();
    let names: Vec<&str> = cities.iter().map(|c| c["name"].as_str().unwrap()).collect();
    assert_eq!(
        names,
        ["Near", "Mid", "Far"],
        "sorted by distance, RU not allied"
    );
    let bands: Vec<&str> = cities.iter().map(|c| c["band"].as_str().unwrap()).collect();
    assert_eq!(bands, ["below", "500–1,000 km", "beyond"]);
    assert_eq!(cities[0]["reached_by"][0], "S");
    assert!(cities[1]["reached_by"].as_array().unwrap().is_empty());
    assert!(cities[1]["population"].is_null());
}

#[test]
fn distance_between_names_and_coordinates() {
    infrange()
        .args(["distance", "Warsaw", "48.5833,45.75"])
        .assert()
        .success()
        .stdout(predicate::str::contains("Warsaw, PL"))
        .stdout(predicate::str::contains(
            "band:        intermediate-range (1000, 5500] km",
        ));
    infrange()
        .args([
            "distance",
            "-33.9,18.4",
            "-34.6,-58.4",
            "--bands",
            "1000,7000",
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("band:        1,000–7,000 km"));
    // A shared name means the most populous city; the others are named.
    infrange()
        .args(["distance", "Paris", "Berlin"])
        .assert()
        .success()
        .stdout(predicate::str::contains("from:        Paris, FR"))
        .stdout(predicate::str::contains(
            "others: geonameid:4717560 (Paris, US",
        ));
    infrange()
        .args(["distance", "Xanadu-on-Thames", "Berlin"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("first place 'Xanadu-on-Thames'"))
        .stderr(predicate::str::contains("give LAT,LON instead"));
}

#[test]
fn listings_show_sources() {
    infrange()
        .arg("systems")
        .assert()
        .success()
        .stdout(predicate::str::contains("9M729-claimed"))
        .stdout(predicate::str::contains("FAZ"));
    infrange()
        .arg("scenarios")
        .assert()
        .success()
        .stdout(predicate::str::contains("inf-2019 (default)"))
        .stdout(predicate::str::contains("NATO members on 2019-08-02 (29)"));
}

#[test]
fn scenario_file_round_trip() {
    let dir = tempfile::tempdir().unwrap();
    let scenario = write(
        dir.path(),
        "s.toml",
        "name = \"baltic\"\nallies = \"EE,LV,LT\"\nbands = [100, 300]\nrange_km = 250\n\n[[site]]\nname = \"K\"\nlat = 54.71\nlon = 20.51\n",
    );
    let out = dir.path().join("out");
    infrange()
        .args(["run", "--scenario", &scenario, "--out"])
        .arg(&out)
        .assert()
        .success();
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["scenario"], "baltic");
    assert_eq!(summary["sites"][0]["reach"]["range_km"], 250.0);
    assert!(summary["bands"][0]["counts"].is_null());
    assert!(summary["bands"][0]["cities"].as_u64().unwrap() > 0);
}

/// `run` georeferences `map.png`: a world file and GDAL's side-car with the projection, so
/// `gdalinfo` (where installed; required under `INFRANGE_REQUIRE_VALIDATORS=1`) places it.
#[test]
fn run_writes_a_georeferenced_png() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    infrange()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .success()
        .stdout(predicate::str::contains("map.pgw"))
        .stdout(predicate::str::contains("map.png.aux.xml"));
    let world: Vec<f64> = std::fs::read_to_string(out.join("map.pgw"))
        .unwrap()
        .lines()
        .map(|l| l.parse().unwrap())
        .collect();
    assert_eq!(world.len(), 6);
    assert!(world[0] > 0.0 && world[3] == -world[0], "{world:?}");
    assert_eq!((world[1], world[2]), (0.0, 0.0));
    let aux = std::fs::read_to_string(out.join("map.png.aux.xml")).unwrap();
    assert!(
        aux.starts_with("<PAMDataset>") && aux.contains("<SRS"),
        "{aux}"
    );
    assert!(aux.contains("Lambert_Azimuthal_Equal_Area"), "{aux}");

    let gdalinfo = std::process::Command::new("gdalinfo")
        .arg(out.join("map.png"))
        .output();
    let required = std::env::var_os("INFRANGE_REQUIRE_VALIDATORS").is_some_and(|v| v == "1");
    match gdalinfo {
        Ok(o) => {
            let text = String::from_utf8_lossy(&o.stdout);
            assert!(o.status.success(), "{text}");
            assert!(text.contains("Lambert Azimuthal Equal Area"), "{text}");
            // The pixel size GDAL reports is the world file's.
            let size = format!("Pixel Size = ({}", world[0]);
            assert!(
                text.contains(&size[..size.len().min(22)]),
                "{text}\nexpected {size}"
            );
        }
        Err(e) => assert!(!required, "gdalinfo is required here: {e}"),
    }

    // A one-site map is azimuthal equidistant; its side-car is WKT1, which GDAL/PROJ
    // releases without WKT2's EPSG method 1125 (Debian 12: PROJ 9.1) can still invert.
    let png = dir.path().join("svalbard.png");
    infrange()
        .args(["map", "--site", "Svalbard=78.22,15.65,Iskander-M", "--out"])
        .arg(&png)
        .assert()
        .success();
    let aux = std::fs::read_to_string(dir.path().join("svalbard.png.aux.xml")).unwrap();
    assert!(
        aux.contains("PROJECTION[\"Azimuthal_Equidistant\"]"),
        "{aux}"
    );
    if let Ok(o) = std::process::Command::new("gdalinfo").arg(&png).output() {
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
        assert!(o.status.success() && !text.contains("ERROR"), "{text}");
        // The centre of the image has geographic coordinates (the CRS can be inverted).
        let centre = text.lines().find(|l| l.starts_with("Center")).unwrap_or("");
        assert!(centre.contains("\"N") || centre.contains("\"S"), "{text}");
    }
}
