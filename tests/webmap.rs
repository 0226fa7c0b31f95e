//! The interactive map in a real browser: `infrange run` writes `map.html`, headless
//! Chromium opens it with the network off, and the DevTools protocol checks what a
//! person would: the map drew (zones, sites, cities), the title and legend counts are
//! there and the capitals named, hovering a city shows its distance and band, a site's
//! click shows its system and source, the search finds "Vilnius" and zooms to it, layer
//! switches hide layers, nothing was fetched from outside, and the console shows no
//! error. A second test opens a map of 50,000 points and times it.
//!
//! The tests run when Chromium is found (`INFRANGE_CHROMIUM`, or `chromium` on the
//! PATH); with `INFRANGE_REQUIRE_VALIDATORS=1` (set by `.ci/run`) its absence is a
//! failure, otherwise they are skipped with a message.

#[path = "support/cdp.rs"]
mod cdp;

use assert_cmd::Command;
use cdp::Browser;
use serde_json::Value;
use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

const WIDTH: u32 = 1400;
const HEIGHT: u32 = 1000;
const LOAD_TIMEOUT: Duration = Duration::from_secs(90);

fn required() -> bool {
    std::env::var_os("INFRANGE_REQUIRE_VALIDATORS").is_some_and(|v| v == "1")
}

/// Chromium, or `None` (the test is skipped) when it is missing and not required.
fn chromium() -> Option<PathBuf> {
    match cdp::find_chromium() {
        Some(p) => Some(p),
        None => {
            assert!(
                !required(),
                "chromium is required (apt-get install chromium, or set INFRANGE_CHROMIUM)"
            );
            eprintln!("chromium not found: browser test skipped");
            None
        }
    }
}

fn infrange() -> Command {
    Command::cargo_bin("infrange").unwrap()
}

/// One row of cities.csv.
struct Row {
    country: String,
    distance_km: f64,
    band: String,
    bearing_deg: f64,
    reached_by: String,
}

/// The rows of cities.csv: how many, and by name (the first of each name, nearest first).
fn read_cities(path: &Path) -> (usize, HashMap<String, Row>) {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (name, country, dist, band, bearing, reached) = (
        col("name"),
        col("country"),
        col("distance_km"),
        col("band"),
        col("bearing_deg"),
        col("reached_by"),
    );
    let mut rows = 0;
    let mut by_name = HashMap::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        rows += 1;
        by_name.entry(rec[name].to_owned()).or_insert_with(|| Row {
            country: rec[country].to_owned(),
            distance_km: rec[dist].parse().unwrap(),
            band: rec[band].to_owned(),
            bearing_deg: rec[bearing].parse().unwrap(),
            reached_by: rec[reached].to_owned(),
        });
    }
    (rows, by_name)
}

/// `1035.291819` as the page prints it: `1,035.3`.
fn km_text(km: f64) -> String {
    infrange::numbers::format_km_grouped(km)
}

fn file_url(path: &Path) -> String {
    format!("file://{}", path.canonicalize().unwrap().display())
}

/// Opens a page and waits until the map has drawn its first frame.
fn open(browser: &mut Browser, page: &Path) {
    browser.navigate(&file_url(page));
    browser.wait_for(
        "window.infrange && (window.infrange.ready || window.infrange.errors.length)",
        LOAD_TIMEOUT,
    );
    let errors = browser.eval("window.infrange.errors");
    assert_eq!(errors, serde_json::json!([]), "the page reported errors");
}

fn tip_text(browser: &mut Browser) -> String {
    browser
        .eval("document.getElementById('tip').hidden ? '' : document.getElementById('tip').textContent")
        .as_str()
        .unwrap_or_default()
        .to_owned()
}

fn point(browser: &mut Browser, expr: &str) -> (f64, f64) {
    let p = browser.eval(expr);
    assert!(p.is_object(), "{expr}: {p}");
    (p["x"].as_f64().unwrap(), p["y"].as_f64().unwrap())
}

fn drawn(browser: &mut Browser) -> Value {
    browser.next_frames();
    browser.eval("window.infrange.drawn")
}

#[test]
fn default_map_works_offline_in_chromium() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    infrange()
        .args(["run", "--out"])
        .arg(&out)
        .assert()
        .success();
    let page = out.join("map.html");
    let (rows, cities) = read_cities(&out.join("cities.csv"));
    let summary: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();

    let mut b = Browser::launch(&chrome, WIDTH, HEIGHT).expect("chromium starts");
    open(&mut b, &page);

    // Title, subtitle and legend counts as in the static map.
    let title = b.eval("document.getElementById('title').textContent");
    assert_eq!(
        title,
        "9M729 (SSC-8) battalions and NATO cities at the INF Treaty's end"
    );
    let legend = b.eval("document.getElementById('legend').textContent");
    let legend = legend.as_str().unwrap();
    for band in summary["bands"].as_array().unwrap() {
        let n = band["cities"].as_u64().unwrap();
        let text = format!(
            "{} {}",
            infrange::numbers::group_thousands(n as i64),
            if n == 1 { "city" } else { "cities" }
        );
        assert!(legend.contains(&text), "legend lacks `{text}`: {legend}");
    }
    for system in summary["systems"].as_array().unwrap() {
        let reached = &system["reached"];
        let text = format!(
            "Reached by {} ({} km): {} cities, {} capitals",
            system["system"].as_str().unwrap(),
            km_text(system["range_km"].as_f64().unwrap()),
            infrange::numbers::group_thousands(reached["cities"].as_i64().unwrap()),
            reached["capitals"].as_array().unwrap().len()
        );
        assert!(legend.contains(&text), "legend lacks `{text}`: {legend}");
    }
    let foot = b.eval("document.getElementById('foot').textContent");
    assert!(foot.as_str().unwrap().contains("GeoNames, CC BY 4.0"));
    assert!(foot.as_str().unwrap().contains("Made with Natural Earth"));

    // The map drew: every zone, every site, every city in the first view.
    let d = drawn(&mut b);
    let zones = 1 + summary["bands"].as_array().unwrap().len() as u64; // + under 500 km
    assert_eq!(d["zones"], zones, "{d}");
    assert_eq!(d["zone_outlines"], zones, "{d}");
    assert_eq!(d["reach_rings"], 4, "{d}");
    assert_eq!(d["sites"], 4, "{d}");
    assert_eq!(d["cities"].as_u64().unwrap(), rows as u64, "{d}");
    // Capitals in the bands are named.
    let labels: Vec<String> = serde_json::from_value(d["labels"].clone()).unwrap();
    for capital in [
        "Warsaw",
        "Vilnius",
        "Riga",
        "Tallinn",
        "Berlin",
        "Ankara",
        "Bucharest",
        "Oslo",
    ] {
        assert!(
            labels.iter().any(|l| l == capital),
            "{capital} not named: {labels:?}"
        );
    }

    // Hover over Warsaw: its distance, band, bearing and the sites that reach it.
    let warsaw = &cities["Warsaw"];
    let (x, y) = point(&mut b, "window.infrange.cityPoint('Warsaw')");
    b.hover(x, y);
    let tip = tip_text(&mut b);
    assert!(tip.starts_with("Warsaw"), "{tip}");
    assert!(tip.contains("Poland"), "{tip}");
    assert_eq!(warsaw.country, "PL");
    assert!(
        tip.contains(&format!("{} km", km_text(warsaw.distance_km))),
        "{tip}"
    );
    assert!(tip.contains(&warsaw.band), "{tip}");
    assert!(
        tip.contains(&format!("{:.1}°", warsaw.bearing_deg)),
        "{tip}"
    );
    for site in warsaw.reached_by.split(';') {
        assert!(tip.contains(site), "{site} missing: {tip}");
    }
    // The default scenario's 9M729 has no trajectory model: no time of flight at all.
    assert!(!tip.contains("Time of flight"), "{tip}");
    // Away from every marker the tip goes.
    b.hover(5.0, (HEIGHT - 5) as f64);
    assert_eq!(tip_text(&mut b), "");
    // A tap shows the same numbers, and keeps them.
    let (x, y) = point(&mut b, "window.infrange.cityPoint('Warsaw')");
    b.tap(x, y);
    b.next_frames();
    let tip = tip_text(&mut b);
    assert!(
        tip.starts_with("Warsaw") && tip.contains(&warsaw.band),
        "tap: {tip}"
    );
    b.press("Escape", 27);

    // Click a site: its system, range and source.
    let (x, y) = point(&mut b, "window.infrange.sitePoint('Shuya')");
    b.click(x, y);
    let tip = tip_text(&mut b);
    assert!(
        tip.contains("Shuya") && tip.contains("9M729") && tip.contains("2,350 km"),
        "{tip}"
    );
    assert!(tip.contains("FAZ"), "{tip}");
    b.press("Escape", 27);

    // Search "Vilnius": the map zooms to it and shows its numbers.
    b.click_element("#q");
    b.type_text("Vilnius");
    let first_hit = b.eval("document.querySelector('#hits li').textContent");
    assert!(
        first_hit.as_str().unwrap().starts_with("Vilnius"),
        "{first_hit}"
    );
    b.press("Enter", 13);
    b.wait_for(
        "window.infrange.found === 'Vilnius'",
        Duration::from_secs(20),
    );
    let vilnius = &cities["Vilnius"];
    let tip = tip_text(&mut b);
    assert!(tip.starts_with("Vilnius"), "{tip}");
    assert!(
        tip.contains(&format!("{} km", km_text(vilnius.distance_km))),
        "{tip}"
    );
    assert!(tip.contains(&vilnius.band), "{tip}");
    let zoom = b.eval("window.infrange.transform.k").as_f64().unwrap();
    assert!(zoom >= 5.9, "zoomed in {zoom}x");
    let (x, y) = point(&mut b, "window.infrange.cityPoint('Vilnius')");
    let centre = b.eval(
        "(() => { const r = document.getElementById('map').getBoundingClientRect(); \
         return [r.left + r.width / 2, r.top + r.height / 2]; })()",
    );
    assert!(
        (x - centre[0].as_f64().unwrap()).abs() < 2.0,
        "x {x} {centre}"
    );
    assert!(
        (y - centre[1].as_f64().unwrap()).abs() < 2.0,
        "y {y} {centre}"
    );
    let zoomed = drawn(&mut b);
    let labels: Vec<String> = serde_json::from_value(zoomed["labels"].clone()).unwrap();
    assert!(labels.iter().any(|l| l == "Vilnius"));
    // Zoomed in, more (smaller) cities are named than in the first view near Vilnius.
    assert!(labels.iter().any(|l| l == "Kaunas"), "{labels:?}");

    // Layer switches: the intermediate-range band (its zone and cities), the reach, all
    // cities, the basemap.
    let before = drawn(&mut b);
    b.click_element("#legend input[data-zone=\"1\"]");
    let after = drawn(&mut b);
    assert_eq!(
        after["zones"],
        before["zones"].as_u64().unwrap() - 1,
        "{after}"
    );
    assert!(after["cities"].as_u64().unwrap() < before["cities"].as_u64().unwrap());
    // Vilnius is in that band: hidden, its tip closes.
    assert_eq!(tip_text(&mut b), "");
    b.click_element("#legend input[data-zone=\"1\"]");
    assert_eq!(drawn(&mut b)["zones"], before["zones"]);
    b.click_element("#legend input[data-layer=\"reach\"]");
    assert_eq!(drawn(&mut b)["reach_rings"], 0);
    b.click_element("#legend input[data-layer=\"cities\"]");
    let d = drawn(&mut b);
    assert_eq!(d["cities"], 0);
    assert_eq!(d["labels"].as_array().unwrap().len(), 0, "{d}");
    b.click_element("#legend input[data-layer=\"cities\"]");
    assert_eq!(drawn(&mut b)["cities"], before["cities"]);

    // Zoom buttons and back home.
    b.click_element("#zhome");
    b.wait_for(
        "Math.abs(window.infrange.transform.k - 1) < 1e-6",
        Duration::from_secs(10),
    );
    b.click_element("#zin");
    b.wait_for(
        "Math.abs(window.infrange.transform.k - 2) < 1e-6",
        Duration::from_secs(10),
    );

    // Nothing but the page itself was loaded, and the console is clean.
    let outside: Vec<String> = b
        .requests()
        .into_iter()
        .filter(|u| !u.starts_with("file://") && !u.starts_with("data:") && !u.starts_with("blob:"))
        .collect();
    assert!(outside.is_empty(), "requests: {outside:?}");
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console: {errors:?}");
    let timings = b.eval("window.infrange.timings");
    eprintln!(
        "default map: {} cities, {:.1} MB, timings (ms since navigation start): {timings}",
        rows,
        std::fs::metadata(&page).unwrap().len() as f64 / 1e6
    );
}

/// `name → flight_time_min` of cities.csv (the first row of each name; `None`: empty),
/// with `reached_by` and the population for picking cities.
fn read_flight_times(path: &Path) -> Vec<(String, Option<f64>, String, u64)> {
    let mut r = csv::Reader::from_path(path).unwrap();
    let h = r.headers().unwrap().clone();
    let col = |name: &str| h.iter().position(|c| c == name).unwrap();
    let (name, flight, reached, pop) = (
        col("name"),
        col("flight_time_min"),
        col("reached_by"),
        col("population"),
    );
    r.records()
        .map(|rec| {
            let rec = rec.unwrap();
            (
                rec[name].to_owned(),
                (!rec[flight].is_empty()).then(|| rec[flight].parse().unwrap()),
                rec[reached].to_owned(),
                rec[pop].parse().unwrap_or(0),
            )
        })
        .collect()
}

/// Hovers the city `name`; its tip's text, or `None` when the city is not on screen
/// or another marker lies over it.
fn hover_city(b: &mut Browser, name: &str) -> Option<String> {
    let p = b.eval(&format!(
        "window.infrange.cityPoint({})",
        serde_json::to_string(name).unwrap()
    ));
    let (x, y) = (p["x"].as_f64()?, p["y"].as_f64()?);
    if !(0.0..WIDTH as f64).contains(&x) || !(0.0..HEIGHT as f64).contains(&y) {
        return None;
    }
    b.hover(x, y);
    let tip = tip_text(b);
    tip.starts_with(name).then_some(tip)
}

#[test]
fn city_details_show_the_time_of_flight_of_cities_csv() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    infrange()
        .args(["run", "--scenario", "nato-1987", "--out"])
        .arg(&out)
        .assert()
        .success();
    let rows = read_flight_times(&out.join("cities.csv"));
    let mut b = Browser::launch(&chrome, WIDTH, HEIGHT).expect("chromium starts");
    open(&mut b, &out.join("map.html"));

    // Cities with a time (Warsaw: Pershing II, ballistic; Moscow: only the GLCM,
    // cruise): the tip gives cities.csv's minutes, to the same decimal.
    let mut checked = 0;
    for name in ["Warsaw", "Moscow"] {
        let (_, t, reached, _) = rows.iter().find(|r| r.0 == name).unwrap();
        let t = t.unwrap_or_else(|| panic!("{name} has a time in cities.csv"));
        assert!(!reached.is_empty());
        let tip = hover_city(&mut b, name).unwrap_or_else(|| panic!("{name} not hovered"));
        assert!(
            tip.contains(&format!("Time of flight: {t:.1} min")),
            "{name} ({t} min): {tip}"
        );
        checked += 1;
    }
    assert_eq!(checked, 2);
    // A city no site reaches: no number, and the reason (beyond every stated range),
    // not a blank or a zero.
    let unreached: Vec<&String> = {
        let mut v: Vec<_> = rows
            .iter()
            .filter(|r| r.1.is_none() && r.2.is_empty())
            .collect();
        v.sort_by_key(|r| std::cmp::Reverse(r.3));
        v.into_iter().map(|r| &r.0).collect()
    };
    assert!(
        !unreached.is_empty(),
        "nato-1987 leaves some cities unreached"
    );
    let tip = unreached
        .iter()
        .take(40)
        .find_map(|name| hover_city(&mut b, name))
        .expect("an unreached city can be hovered");
    assert!(
        tip.contains("Time of flight: none (beyond every system's stated range)"),
        "{tip}"
    );
    assert!(!tip.contains(" min"), "{tip}");
    b.hover(5.0, (HEIGHT - 5) as f64);

    // A site's tip names its trajectory model and the model's source.
    let (x, y) = point(&mut b, "window.infrange.sitePoint('Comiso')");
    b.click(x, y);
    let tip = tip_text(&mut b);
    assert!(
        tip.contains("Trajectory model: cruise, 880 km/h average"),
        "{tip}"
    );
    assert!(tip.contains("Model source:"), "{tip}");
    b.press("Escape", 27);
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console: {errors:?}");
}

/// A map of `n` deterministic random points over Europe and Turkey (all within the
/// 5,500 km band edge of the default sites), written into `dir`.
fn points_map(dir: &Path, n: usize) -> PathBuf {
    let csv = dir.join("points.csv");
    let mut text = String::from("name,country,lat,lon,population\n");
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 11) as f64 / (1u64 << 53) as f64
    };
    for i in 0..n {
        let lat = 36.0 + 30.0 * next();
        let lon = -9.0 + 50.0 * next();
        let pop = (15_000.0 * (1.0 / (next() + 0.002))).round();
        text.push_str(&format!("P{i},PL,{lat:.5},{lon:.5},{pop}\n"));
    }
    std::fs::write(&csv, text).unwrap();
    let page = dir.join("points.html");
    infrange()
        .args(["map", "--allies", "all", "--cities"])
        .arg(&csv)
        .arg("--out")
        .arg(&page)
        .assert()
        .success();
    page
}

/// 50,000 points in one map: it opens, draws them all, and answers hover and zoom.
#[test]
fn fifty_thousand_points_stay_fast() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let page = points_map(dir.path(), 50_000);

    let mut b = Browser::launch(&chrome, WIDTH, HEIGHT).expect("chromium starts");
    open(&mut b, &page);
    let d = drawn(&mut b);
    assert_eq!(d["cities"], 50_000, "{d}");
    let timings = b.eval("window.infrange.timings");
    let first = timings["first_frame_ms"].as_f64().unwrap();
    // Generous for a loaded CI machine; the README quotes measured times.
    assert!(first < 20_000.0, "first frame after {first} ms");
    // A hover answers, and a redraw after zooming in is quick.
    let (x, y) = point(&mut b, "window.infrange.cityPoint('P123')");
    b.hover(x, y);
    assert!(tip_text(&mut b).contains("km"));
    b.click_element("#zin");
    b.wait_for(
        "Math.abs(window.infrange.transform.k - 2) < 1e-6",
        Duration::from_secs(10),
    );
    let redraw = b
        .eval("window.infrange.timings.last_draw_ms")
        .as_f64()
        .unwrap();
    assert!(redraw < 2_000.0, "redraw took {redraw} ms");
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console: {errors:?}");
    eprintln!(
        "50,000 points: {:.1} MB, timings (ms since navigation start): {timings}",
        std::fs::metadata(&page).unwrap().len() as f64 / 1e6
    );
}

/// Names and titles from data stay text: a city called `</script><script>…` and a title
/// with markup neither end the page's scripts nor run, and control characters are gone.
#[test]
fn names_from_data_stay_text() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let csv = dir.path().join("cities.csv");
    std::fs::write(
        &csv,
        "name,country,lat,lon,population\n\
         \"</script><script>window.pwned=1</script>\",PL,52.0,21.0,100000\n\
         \"Bell\u{7}town <!-- & co\",PL,50.0,20.0,50000\n\
         Plain,PL,51,19,20000\n",
    )
    .unwrap();
    let page = dir.path().join("map.html");
    let title = "<img src=x onerror=\"window.pwned=2\"></title>";
    infrange()
        .args(["map", "--cities"])
        .arg(&csv)
        .args(["--title", title, "--out"])
        .arg(&page)
        .assert()
        .success();
    let mut b = Browser::launch(&chrome, WIDTH, HEIGHT).expect("chromium starts");
    open(&mut b, &page);
    assert_eq!(b.eval("typeof window.pwned"), "undefined");
    assert_eq!(
        b.eval("document.getElementById('title').textContent"),
        title
    );
    assert_eq!(b.eval("document.title"), title);
    assert_eq!(drawn(&mut b)["cities"], 3);
    let hostile = "</script><script>window.pwned=1</script>";
    let (x, y) = point(&mut b, &format!("window.infrange.cityPoint({hostile:?})"));
    b.hover(x, y);
    assert!(tip_text(&mut b).starts_with(hostile));
    // The control character is removed, the rest kept as text.
    assert!(
        b.eval("window.infrange.cityIndex('Belltown <!-- & co')")
            .as_i64()
            .unwrap()
            >= 0
    );
    b.click_element("#q");
    b.type_text("belltown");
    let hit = b.eval("document.querySelector('#hits li').textContent");
    assert!(
        hit.as_str().unwrap().starts_with("Belltown <!-- & co"),
        "{hit}"
    );
    assert_eq!(b.eval("typeof window.pwned"), "undefined");
    let errors = b.console_errors();
    assert!(errors.is_empty(), "console: {errors:?}");
}

/// The page's geometry is the static map's: the same PROJ definition for every
/// projection and extent choice, and each city's map units are its PROJ coordinates
/// (to the quantum). No browser needed.
#[test]
fn page_uses_the_static_maps_projection() {
    use infrange::render::{self, ExtentChoice, MapOptions, ProjectionChoice};
    let scenario = infrange::scenario::ScenarioOptions::default()
        .resolve()
        .unwrap();
    let cities = infrange::cities::embedded().unwrap();
    let results = infrange::analysis::analyze(&scenario, cities, Default::default());
    let summary = infrange::summary::summarize(&scenario, &results).unwrap();
    let rows: Vec<_> = results
        .iter()
        .filter(|r| r.class != infrange::bands::BandClass::Beyond)
        .collect();
    let layers = infrange::layers::build(&scenario, 1000.0).unwrap();
    let scene = render::scene::scene(&scenario, &layers, &summary, &rows, None).unwrap();
    for (projection, extent) in [
        (ProjectionChoice::Auto, ExtentChoice::Auto),
        (ProjectionChoice::Auto, ExtentChoice::World),
        (ProjectionChoice::Mercator, ExtentChoice::Europe),
        (
            ProjectionChoice::Proj("+proj=lcc +lat_1=40 +lat_2=60 +lon_0=30 +ellps=WGS84".into()),
            ExtentChoice::Bands,
        ),
    ] {
        let opts = MapOptions {
            projection,
            extent,
            ..MapOptions::default()
        };
        let list = render::layout(&scene, &opts).unwrap();
        let (data, report) = render::webmap::build_data(&scene, &scenario, &rows, &opts).unwrap();
        assert_eq!(report.projection, list.projection);
        assert_eq!(data["projection"]["definition"], list.projection);
        assert_eq!(report.cities + report.cities_outside_domain, rows.len());
        // Map units are PROJ metres over the quantum, y down, from one origin: Warsaw
        // and Lisbon's offsets agree with PROJ's.
        let proj = render::projection::Projector::new(&list.projection).unwrap();
        let q = data["view"]["quantum_m"].as_f64().unwrap();
        let c = &data["cities"];
        let at = |name: &str| {
            let names = c["name"].as_array().unwrap();
            let i = names.iter().position(|n| n == name).unwrap();
            let row = rows.iter().find(|r| r.city.name == name).unwrap();
            let (x, y) = proj.forward(row.city.lon_deg, row.city.lat_deg).unwrap();
            (
                c["x"][i].as_f64().unwrap(),
                c["y"][i].as_f64().unwrap(),
                x,
                y,
            )
        };
        let (ux1, uy1, x1, y1) = at("Warsaw");
        let (ux2, uy2, x2, y2) = at("Lisbon");
        assert!(((ux2 - ux1) * q - (x2 - x1)).abs() < q, "x: {opts:?}");
        assert!(((uy2 - uy1) * q + (y2 - y1)).abs() < q, "y: {opts:?}");
    }
}

/// Screenshots for the README and for looking at the page: the default map, a hover,
/// the search zoomed to Vilnius, and a narrow (phone) window. Writes into
/// `INFRANGE_SHOTS` (default `target/webmap-shots`):
/// `cargo test --test webmap -- --ignored screenshots`.
#[test]
#[ignore]
fn screenshots() {
    let Some(chrome) = chromium() else { return };
    let shots = std::env::var_os("INFRANGE_SHOTS")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("target/webmap-shots"));
    std::fs::create_dir_all(&shots).unwrap();
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("output");
    let mut args: Vec<String> = vec!["run".into(), "--out".into(), out.display().to_string()];
    if let Ok(extra) = std::env::var("INFRANGE_SHOTS_ARGS") {
        args.extend(extra.split_whitespace().map(str::to_owned));
    }
    infrange().args(&args).assert().success();
    let page = out.join("map.html");
    let mut b = Browser::launch(&chrome, 1600, 1100).expect("chromium starts");
    open(&mut b, &page);
    b.next_frames();
    b.screenshot(&shots.join("webmap.png"));
    if let Some(p) = b
        .eval("window.infrange.cityPoint('Warsaw')")
        .as_object()
        .cloned()
    {
        b.hover(p["x"].as_f64().unwrap(), p["y"].as_f64().unwrap());
        b.next_frames();
        b.screenshot(&shots.join("webmap-hover.png"));
    }
    b.click_element("#q");
    b.type_text("Vil");
    b.next_frames();
    b.screenshot(&shots.join("webmap-search.png"));
    b.type_text("nius");
    b.press("Enter", 13);
    b.wait_for("window.infrange.found", Duration::from_secs(20));
    b.next_frames();
    b.screenshot(&shots.join("webmap-vilnius.png"));
    drop(b);
    let mut b = Browser::launch(&chrome, 420, 860).expect("chromium starts");
    open(&mut b, &page);
    b.next_frames();
    b.screenshot(&shots.join("webmap-narrow.png"));
    b.click_element("#legendtoggle");
    b.next_frames();
    b.screenshot(&shots.join("webmap-narrow-legend.png"));
}

/// How long map.html takes to open (the README's figures): the default map, the default
/// with `--all` (10,321 cities) and 50,000 points, five loads each in a fresh browser,
/// 1400×1000 px. `cargo test --test webmap -- --ignored open_times --nocapture`.
#[test]
#[ignore]
fn open_times() {
    let Some(chrome) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    let mut pages = Vec::new();
    for (name, all) in [("default", false), ("all", true)] {
        let out = dir.path().join(name);
        let mut cmd = infrange();
        cmd.args(["run", "--out"]).arg(&out);
        if all {
            cmd.arg("--all");
        }
        cmd.assert().success();
        pages.push((name.to_owned(), out.join("map.html")));
    }
    pages.push(("50,000 points".to_owned(), points_map(dir.path(), 50_000)));
    for (name, page) in &pages {
        let mut first = Vec::new();
        let mut redraw = Vec::new();
        for _ in 0..5 {
            let mut b = Browser::launch(&chrome, WIDTH, HEIGHT).expect("chromium starts");
            open(&mut b, page);
            first.push(
                b.eval("window.infrange.timings.first_frame_ms")
                    .as_f64()
                    .unwrap(),
            );
            b.click_element("#zin");
            b.wait_for(
                "Math.abs(window.infrange.transform.k - 2) < 1e-6",
                Duration::from_secs(10),
            );
            redraw.push(
                b.eval("window.infrange.timings.last_draw_ms")
                    .as_f64()
                    .unwrap(),
            );
        }
        let median = |v: &mut Vec<f64>| {
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        eprintln!(
            "{name}: {:.1} MB, first frame {:.0} ms after navigation start (median of 5; all: {first:?}), \
             redraw at 2x {:.0} ms",
            std::fs::metadata(page).unwrap().len() as f64 / 1e6,
            median(&mut first.clone()),
            median(&mut redraw),
        );
    }
}
