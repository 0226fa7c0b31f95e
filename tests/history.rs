//! Integration tests for the treaty's history (issue 17): alliances by date
//! on historical territory, the built-in 1987 scenarios, time of flight.

use assert_cmd::Command;
use std::collections::BTreeSet;

fn infrange() -> Command {
    Command::cargo_bin("infrange").unwrap()
}

/// `name,country` of every allied city in `analyze --all --format csv`.
fn allied_cities(allies: &str) -> BTreeSet<String> {
    let out = infrange()
        .args([
            "analyze",
            "--site",
            "Mutlangen=48.8243,9.8777,Pershing II",
            "--allies",
            allies,
            "--all",
            "--format",
            "csv",
            "--quiet",
        ])
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    String::from_utf8(out)
        .unwrap()
        .lines()
        .skip(1)
        .map(|l| l.split(',').take(2).collect::<Vec<_>>().join(","))
        .collect()
}

#[test]
fn nato_and_the_warsaw_pact_on_8_december_1987() {
    let nato = allied_cities("nato@1987-12-08");
    for city in ["Hamburg,DE", "Munich,DE", "Paris,FR", "London,GB"] {
        assert!(nato.contains(city), "NATO 1987 includes {city}");
    }
    for city in [
        "Leipzig,DE",
        "Dresden,DE",
        "Rostock,DE",
        "Warsaw,PL",
        "Riga,LV",
    ] {
        assert!(!nato.contains(city), "NATO 1987 excludes {city}");
    }
    let wp = allied_cities("warsaw-pact@1987-12-08");
    for city in [
        "Leipzig,DE",
        "Dresden,DE",
        "Warsaw,PL",
        "Kyiv,UA",
        "Prague,CZ",
        "Moscow,RU",
        "Riga,LV",
    ] {
        assert!(wp.contains(city), "Warsaw Pact 1987 includes {city}");
    }
    for city in ["Hamburg,DE", "Munich,DE", "Tirana,AL"] {
        assert!(!wp.contains(city), "Warsaw Pact 1987 excludes {city}");
    }
}

#[test]
fn both_sides_of_german_unification() {
    let before = allied_cities("nato@1990-10-02");
    let after = allied_cities("nato@1990-10-03");
    for city in ["Leipzig,DE", "Dresden,DE", "Rostock,DE"] {
        assert!(!before.contains(city) && after.contains(city), "{city}");
    }
    assert!(before.contains("Hamburg,DE") && after.contains("Hamburg,DE"));
    let wp_before = allied_cities("warsaw-pact@1990-10-02");
    let wp_after = allied_cities("warsaw-pact@1990-10-03");
    assert!(wp_before.contains("Leipzig,DE") && !wp_after.contains("Leipzig,DE"));
    assert!(wp_after.contains("Warsaw,PL"));
}

#[test]
fn a_pinned_scenario_keeps_the_border() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("o");
    infrange()
        .args(["run", "--site", "Mutlangen=48.8243,9.8777,Pershing II"])
        .args(["--allies", "nato@1987-12-08", "--all"])
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let toml = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(
        toml.contains("DE = \"admin1!=11;12;13;14;15;16\""),
        "{toml}"
    );
    let csv = std::fs::read_to_string(out.join("cities.csv")).unwrap();
    assert!(csv.contains("\nHamburg,DE,") && !csv.contains("\nLeipzig,DE,"));
    let again = dir.path().join("again");
    infrange()
        .arg("run")
        .arg("--scenario")
        .arg(out.join("scenario.toml"))
        .args(["--all", "--out"])
        .arg(&again)
        .assert()
        .success();
    assert_eq!(
        csv,
        std::fs::read_to_string(again.join("cities.csv")).unwrap()
    );
}

#[test]
fn countries_says_how_historical_members_are_mapped() {
    let out = infrange().arg("countries").assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line = |code: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{code:<4} ")))
            .unwrap()
            .to_owned()
    };
    assert!(line("UA").contains("Warsaw Pact 1955-05-14 to 1991-07-01 as Soviet Union"));
    assert!(line("SK").contains("as Czechoslovakia"));
    let de = line("DE");
    assert!(
        de.contains(
            "NATO 1955-05-06 to 1990-10-03 as West Germany (cities with admin1!=11;12;13;14;15;16)"
        ),
        "{de}"
    );
    assert!(de.contains("NATO since 1990-10-03"), "{de}");
    assert!(
        de.contains("Warsaw Pact 1955-05-14 to 1990-10-03 as East Germany"),
        "{de}"
    );
    assert!(line("LV").contains("NATO since 2004-03-29"));
}
