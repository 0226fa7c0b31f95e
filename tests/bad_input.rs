//! Every class of bad input: a clear message naming file, line and field,
//! exit code 2, no panic, and no output file.

#[path = "support/cli.rs"]
mod cli;

use assert_cmd::Command;
use cli::{failed_cleanly, write};
use std::path::Path;

/// Run `infrange run … --out DIR/out` and check the failure.
fn fails(dir: &Path, args: &[&str], needles: &[&str]) {
    let out = dir.join("out");
    let mut command = Command::cargo_bin("infrange").unwrap();
    command.arg("run").args(args).arg("--out").arg(&out);
    failed_cleanly(&mut command, &out, needles);
}

#[test]
fn latitude_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "c.csv",
        "name,country,lat,lon\nA,PL,50,20\nB,PL,90.5,20\n",
    );
    fails(
        dir.path(),
        &["--cities", &f],
        &[
            &f,
            "line 3",
            "field `lat`",
            "latitude 90.5 is outside [-90, 90]",
        ],
    );
    fails(
        dir.path(),
        &["--site", "X=-91,0"],
        &["--site 'X=-91,0'", "field `lat`"],
    );
}

#[test]
fn longitude_out_of_range() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.csv", "name,lat,lon\nS,50,200\n");
    fails(
        dir.path(),
        &["--sites", &f],
        &[&f, "line 2", "field `lon`", "longitude 200 is outside"],
    );
}

#[test]
fn non_numeric_values() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "c.csv",
        "name,country,lat,lon,population\nA,PL,50,20,12\nB,PL,fifty,20,1\n",
    );
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "line 3", "field `lat`", "`fifty` is not a number"],
    );
    let f = write(
        dir.path(),
        "p.csv",
        "name,country,lat,lon,population\nA,PL,50,20,many\n",
    );
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "line 2", "field `population`"],
    );
    fails(dir.path(), &["--range-km", "far"], &["--range-km"]);
}

#[test]
fn nan_and_infinity() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.csv", "name,lat,lon\nS,NaN,20\n");
    fails(
        dir.path(),
        &["--sites", &f],
        &[&f, "line 2", "field `lat`", "`NaN` is not a finite number"],
    );
    fails(
        dir.path(),
        &["--site", "X=50,inf"],
        &["field `lon`", "not a finite number"],
    );
    fails(
        dir.path(),
        &["--range-km", "NaN"],
        &["--range-km", "finite, positive"],
    );
}

#[test]
fn bands_not_strictly_increasing() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        dir.path(),
        &["--bands", "500,1000,900"],
        &["--bands", "strictly increasing"],
    );
    fails(
        dir.path(),
        &["--bands", "500,500"],
        &["--bands", "strictly increasing"],
    );
    let f = write(
        dir.path(),
        "s.toml",
        "bands = [1000, 500]\n[[site]]\nname = \"A\"\nlat = 1\nlon = 2\n",
    );
    fails(
        dir.path(),
        &["--scenario", &f],
        &[&f, "line 1", "field `bands`", "strictly increasing"],
    );
}

#[test]
fn bands_not_positive() {
    let dir = tempfile::tempdir().unwrap();
    fails(dir.path(), &["--bands", "0,1000"], &["--bands", "positive"]);
    fails(dir.path(), &["--bands=-500,1000"], &["--bands", "positive"]);
}

#[test]
fn unknown_ally_names_the_forms_and_the_nearest_countries() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        dir.path(),
        &["--allies", "PL,XX"],
        &[
            "--allies",
            "unknown ally `XX`",
            "nato@YYYY-MM-DD",
            "infrange countries",
            "nearest: ",
        ],
    );
    fails(
        dir.path(),
        &["--allies", "nato@2019-02-30"],
        &["--allies", "YYYY-MM-DD"],
    );
}

#[test]
fn unknown_system_lists_valid_names() {
    let dir = tempfile::tempdir().unwrap();
    fails(
        dir.path(),
        &["--system", "Kalibr"],
        &[
            "--system",
            "unknown missile system `Kalibr`",
            "9M729-claimed",
        ],
    );
    let f = write(
        dir.path(),
        "s.csv",
        "name,lat,lon,system\nA,50,40,9M729\nB,50,40,Zircon\n",
    );
    fails(
        dir.path(),
        &["--sites", &f],
        &[&f, "line 3", "field `system`", "`Zircon`", "Iskander-M"],
    );
}

#[test]
fn empty_and_headerless_files() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "empty.csv", "");
    fails(dir.path(), &["--cities", &f], &[&f, "line 1", "empty"]);
    let f = write(dir.path(), "blank.geojson", "  \n");
    fails(dir.path(), &["--sites", &f], &[&f, "empty"]);
    let f = write(dir.path(), "nohead.csv", "Warsaw,PL,52.23,21.01\n");
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "line 1", "lacks columns name, country, lat, lon"],
    );
    let f = write(dir.path(), "onlyhead.csv", "name,country,lat,lon\n");
    fails(dir.path(), &["--cities", &f], &[&f, "no data rows"]);
}

#[test]
fn missing_columns_and_values() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "c.csv", "name,lat,lon\nA,50,20\n");
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "line 1", "lacks column country"],
    );
    let f = write(dir.path(), "c2.csv", "name,country,lat,lon\nA,PL,,20\n");
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "line 2", "field `lat`", "missing"],
    );
    let f = write(dir.path(), "c3.csv", "name,country,lat,lon\nA,PL,50\n");
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "line 2", "3 fields but the header has 4"],
    );
    let f = write(
        dir.path(),
        "c4.geojson",
        r#"{"type":"FeatureCollection","features":[{"type":"Feature","properties":{"name":"A"},"geometry":{"type":"Point","coordinates":[20,50]}}]}"#,
    );
    fails(
        dir.path(),
        &["--cities", &f],
        &[&f, "feature 1", "field `country`", "missing"],
    );
}

#[test]
fn malformed_files() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "bad.geojson",
        "{\"type\": \"FeatureCollection\",\n \"features\": [\n",
    );
    fails(dir.path(), &["--sites", &f], &[&f, "not valid GeoJSON"]);
    let f = write(
        dir.path(),
        "bad.toml",
        "name = \"x\"\n[[site]]\nname = \"A\"\nlat = \"north\"\nlon = 1\n",
    );
    fails(dir.path(), &["--scenario", &f], &[&f, "line 4"]);
    fails(
        dir.path(),
        &["--cities", "/no/such/file.csv"],
        &["/no/such/file.csv", "no such file or folder"],
    );
    fails(
        dir.path(),
        &["--scenario", "nowhere"],
        &["unknown scenario", "inf-2019"],
    );
}

#[test]
fn byte_order_mark_is_accepted() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(dir.path(), "s.csv", "\u{feff}name,lat,lon\nS,52,21\n");
    Command::cargo_bin("infrange")
        .unwrap()
        .args([
            "analyze", "--sites", &f, "--allies", "PL", "--format", "csv",
        ])
        .assert()
        .success();
}
