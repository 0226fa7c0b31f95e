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

/// Rows of `analyze --scenario NAME --all --format csv` as field vectors.
fn scenario_rows(scenario: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let out = infrange()
        .args([
            "analyze",
            "--scenario",
            scenario,
            "--all",
            "--format",
            "csv",
        ])
        .arg("--quiet")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let mut reader = csv::Reader::from_reader(out.as_slice());
    let header = reader
        .headers()
        .unwrap()
        .iter()
        .map(str::to_owned)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.unwrap().iter().map(str::to_owned).collect())
        .collect();
    (header, rows)
}

fn column(header: &[String], name: &str) -> usize {
    header.iter().position(|h| h == name).unwrap()
}

#[test]
fn the_1987_scenarios_are_built_in_and_reach_what_they_should() {
    let (header, rows) = scenario_rows("ss20-1987");
    let (name, reached, capital, cc) = (
        column(&header, "name"),
        column(&header, "reached_by"),
        column(&header, "capital"),
        column(&header, "country"),
    );
    let reached_capitals = |rows: &[Vec<String>]| -> BTreeSet<String> {
        rows.iter()
            .filter(|r| r[capital] == "1" && !r[reached].is_empty())
            .map(|r| r[name].clone())
            .collect()
    };
    let ss20 = reached_capitals(&rows);
    for city in [
        "Paris", "London", "Bonn", "Rome", "Brussels", "Ankara", "Oslo",
    ] {
        let row = rows.iter().find(|r| r[name] == city);
        assert!(
            row.is_some_and(|r| !r[reached].is_empty()),
            "SS-20 reaches {city}"
        );
    }
    assert!(
        ss20.contains("Paris") && ss20.contains("London"),
        "{ss20:?}"
    );
    assert!(!rows.iter().any(|r| r[name] == "Leipzig" && r[cc] == "DE"));
    let ss20_reached = rows.iter().filter(|r| !r[reached].is_empty()).count();
    eprintln!(
        "ss20-1987: {} NATO cities analysed, {} reached, capitals reached: {:?}",
        rows.len(),
        ss20_reached,
        ss20
    );
    // Washington and Ottawa lie beyond 5,000 km of every base.
    assert!(!ss20.contains("Washington") && !ss20.contains("Ottawa"));

    let (header, rows) = scenario_rows("nato-1987");
    let (name, reached) = (column(&header, "name"), column(&header, "reached_by"));
    let by = |city: &str| {
        rows.iter()
            .filter(|r| r[name] == city)
            .map(|r| r[reached].clone())
            .next()
            .unwrap_or_else(|| panic!("{city} is a Warsaw Pact city in 1987"))
    };
    // Moscow: ~1,800 km from Mutlangen — beyond Pershing II's 1,770 km figure
    // from the town centres, but inside the GLCM's 2,500 km.
    assert!(by("Moscow").contains("Wüschheim"), "{}", by("Moscow"));
    assert!(by("Warsaw").contains("Mutlangen"), "{}", by("Warsaw"));
    assert!(by("Leipzig").contains("Neu-Ulm"));
    assert!(by("Kyiv").contains("Comiso") || by("Kyiv").contains("Wüschheim"));
    let wp = reached_capitals(&rows);
    eprintln!(
        "nato-1987: {} Warsaw Pact cities analysed, {} reached, capitals reached: {:?}",
        rows.len(),
        rows.iter().filter(|r| !r[reached].is_empty()).count(),
        wp
    );
    assert!(!rows.iter().any(|r| r[name] == "Hamburg"));
    assert!(wp.contains("Warsaw") && wp.contains("Prague") && wp.contains("Moscow"));
}

#[test]
fn flight_times_are_in_the_outputs_when_a_system_has_a_model() {
    let (header, rows) = scenario_rows("nato-1987");
    assert_eq!(header.last().unwrap(), "flight_time_min");
    let (name, t) = (column(&header, "name"), column(&header, "flight_time_min"));
    let minutes = |city: &str| -> Option<f64> {
        rows.iter()
            .find(|r| r[name] == city)
            .and_then(|r| r[t].parse().ok())
    };
    // Pershing II from Mutlangen/Neu-Ulm: Prague ~330 km, Warsaw ~1,000 km.
    let prague = minutes("Prague").unwrap();
    let warsaw = minutes("Warsaw").unwrap();
    assert!((4.0..8.0).contains(&prague), "{prague}");
    assert!((7.0..10.0).contains(&warsaw), "{warsaw}");
    // Moscow lies beyond the Pershing II's 1,770 km from these towns: only
    // the GLCM (880 km/h) reaches it, in hours.
    let moscow = minutes("Moscow").unwrap();
    assert!((120.0..200.0).contains(&moscow), "{moscow}");
    // Not reached: no time of flight.
    assert!(rows
        .iter()
        .filter(|r| r[column(&header, "reached_by")].is_empty())
        .all(|r| r[t].is_empty()));

    let out = infrange()
        .args(["analyze", "--scenario", "nato-1987"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let line = text
        .lines()
        .find(|l| l.trim_start().starts_with("within 10 minutes"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(line.contains("Warsaw") && line.contains("Prague"), "{line}");

    // A scenario without a trajectory model: the column is there and empty,
    // and the console says nothing of flight times.
    let (header, rows) = scenario_rows("inf-2019");
    let t = column(&header, "flight_time_min");
    assert!(rows.iter().all(|r| r[t].is_empty()));
    let out = infrange().args(["analyze"]).assert().success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    assert!(!text.contains("time of flight"), "{text}");
}

#[test]
fn ss20_flight_times_to_western_capitals() {
    let (header, rows) = scenario_rows("ss20-1987");
    let (name, t) = (column(&header, "name"), column(&header, "flight_time_min"));
    let minutes = |city: &str| -> f64 {
        rows.iter()
            .find(|r| r[name] == city)
            .and_then(|r| r[t].parse().ok())
            .unwrap_or_else(|| panic!("{city}"))
    };
    // ~1,730 km (London, from Lida) to ~3,100 km (Lisbon):
    // boost 2 min + minimum-energy free flight.
    for (city, lo, hi) in [
        ("London", 12.0, 16.0),
        ("Paris", 11.0, 15.0),
        ("Lisbon", 14.0, 19.0),
    ] {
        let m = minutes(city);
        assert!((lo..hi).contains(&m), "{city}: {m} min");
    }
}

#[test]
fn streamed_and_sorted_flight_times_agree() {
    let dir = tempfile::tempdir().unwrap();
    let cities = dir.path().join("c.csv");
    std::fs::write(
        &cities,
        "name,country,lat,lon,population\nWarsaw,PL,52.22977,21.01178,1702139\n\
         Prague,CZ,50.08804,14.42076,1165581\nMoscow,RU,55.75222,37.61556,10381222\n\
         Almaty,KZ,43.25,76.91667,2000900\n",
    )
    .unwrap();
    let streamed = infrange()
        .args([
            "analyze",
            "--scenario",
            "nato-1987",
            "--all",
            "--format",
            "csv",
        ])
        .arg("--cities")
        .arg(&cities)
        .arg("--quiet")
        .assert()
        .success()
        .get_output()
        .stdout
        .clone();
    let out = dir.path().join("o");
    infrange()
        .args(["run", "--scenario", "nato-1987", "--all", "--cities"])
        .arg(&cities)
        .arg("--out")
        .arg(&out)
        .assert()
        .success();
    let sorted = std::fs::read_to_string(out.join("cities.csv")).unwrap();
    let lines = |text: &str| {
        let mut l: Vec<String> = text.lines().map(str::to_owned).collect();
        l.sort();
        l
    };
    let streamed = String::from_utf8(streamed).unwrap();
    assert_eq!(lines(&streamed), lines(&sorted));
    assert!(streamed
        .lines()
        .any(|l| l.starts_with("Warsaw,") && !l.ends_with(',')));
    assert!(streamed
        .lines()
        .any(|l| l.starts_with("Almaty,") && l.ends_with(',')));
    // scenario.toml pins each site's flight model.
    let toml = std::fs::read_to_string(out.join("scenario.toml")).unwrap();
    assert!(
        toml.contains("model = \"ballistic\"") && toml.contains("model = \"cruise\""),
        "{toml}"
    );
}

#[test]
fn compare_two_runs() {
    let dir = tempfile::tempdir().unwrap();
    let run = |allies: &str, out: &str| {
        infrange()
            .args([
                "run",
                "--scenario",
                "nato-1987",
                "--all",
                "--allies",
                allies,
            ])
            .arg("--out")
            .arg(dir.path().join(out))
            .assert()
            .success();
    };
    run("warsaw-pact@1990-10-02", "before");
    run("warsaw-pact@1990-10-03", "after");
    let out = infrange()
        .arg("compare")
        .arg(dir.path().join("before"))
        .arg(dir.path().join("after"))
        .args(["--format", "csv"])
        .assert()
        .success();
    let text = String::from_utf8(out.get_output().stdout.clone()).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "country,cities_a,cities_b,band_changed,newly_reached,no_longer_reached,capitals"
    );
    // Only Germany changes: its eastern cities leave the Warsaw Pact.
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 1, "{text}");
    assert!(rows[0].starts_with("DE,"), "{text}");
    assert!(rows[0].contains("Berlin: below → not listed"), "{text}");
    let md = infrange()
        .arg("compare")
        .arg(dir.path().join("before"))
        .arg(dir.path().join("after"))
        .args(["--format", "markdown"])
        .assert()
        .success();
    assert!(String::from_utf8(md.get_output().stdout.clone())
        .unwrap()
        .starts_with("| Country |"));
}
