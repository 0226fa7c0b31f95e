//! Cross-cutting tests of the geometry module: the project's hard places (antimeridian,
//! both poles, hemisphere-sized and antipode-covering discs), point-in-polygon agreement with
//! Karney distances and unions of several sites. (GDAL and shapely read the same shapes in
//! the integration tests, `tests/geojson.rs`.)

use geo::{Area, Destination, Distance, Geodesic, MultiPolygon, Point, Validation};
use proptest::prelude::*;

use super::{
    bbox, check_rfc7946, contains, difference, geodesic_annulus, geodesic_disc, union_all,
    BandPolygon,
};

/// (name, lon, lat) of the project's hard places.
const SITES: [(&str, f64, f64); 8] = [
    ("Anadyr", 177.51, 64.73),
    ("Norilsk", 88.20, 69.35),
    ("Svalbard", 15.65, 78.22),
    ("McMurdo", 166.67, -77.85),
    ("Kapustin Yar", 45.75, 48.5833),
    ("Kamyshlov", 62.7167, 56.8333),
    ("Mozdok", 44.7, 43.7333),
    ("Shuya", 41.3667, 56.85),
];
/// The four sites of the default scenario.
const DEFAULT_SITES: [usize; 4] = [4, 5, 6, 7];
/// INF band edges: (inner, outer) in metres; inner 0 is a disc.
const BANDS_M: [(f64, f64); 5] = [
    (0.0, 500_000.0),
    (500_000.0, 1_000_000.0),
    (1_000_000.0, 5_500_000.0),
    (0.0, 2_350_000.0),
    (0.0, 5_500_000.0),
];
const MAX_ERROR_M: f64 = 100.0;
const NORTH_POLE: Point<f64> = Point(geo::Coord { x: 0.0, y: 90.0 });
const SOUTH_POLE: Point<f64> = Point(geo::Coord { x: 0.0, y: -90.0 });

/// SplitMix64: a tiny deterministic generator for reproducible test points.
struct Rng(u64);

impl Rng {
    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in [0, 1).
    fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn range(&mut self, lo: f64, hi: f64) -> f64 {
        lo + (hi - lo) * self.unit()
    }
}

fn site(i: usize) -> (&'static str, Point<f64>) {
    let (name, lon, lat) = SITES[i];
    (name, Point::new(lon, lat))
}

/// Test points around `center`: radial (uniform azimuth and distance up to `reach_m`),
/// uniform on the globe, on the seam, and at / very near both poles.
fn test_points(center: Point<f64>, reach_m: f64, n: usize, rng: &mut Rng) -> Vec<Point<f64>> {
    let mut pts = Vec::with_capacity(2 * n + 40);
    for _ in 0..n {
        let az = rng.range(0.0, 360.0);
        let d = rng.range(0.0, reach_m.min(19_900_000.0));
        pts.push(Geodesic.destination(center, az, d));
    }
    for _ in 0..n {
        let lon = rng.range(-180.0, 180.0);
        let lat = rng.range(-1.0, 1.0).asin().to_degrees();
        pts.push(Point::new(lon, lat));
    }
    for k in 0..12 {
        let lon = -180.0 + 30.0 * k as f64;
        pts.push(Point::new(lon, 89.9999));
        pts.push(Point::new(lon, -89.9999));
        pts.push(Point::new(lon, 89.99));
        pts.push(Point::new(lon, -89.99));
    }
    for lat in [-60.0, -10.0, 0.0, 30.0, 65.0, 80.0] {
        pts.push(Point::new(180.0, lat));
        pts.push(Point::new(-180.0, lat));
    }
    pts.push(NORTH_POLE);
    pts.push(SOUTH_POLE);
    pts.push(center);
    pts
}

/// Is the point safely away from both band edges (farther than the error bound + 1 m)?
fn clear_of_edges(d_m: f64, inner_m: f64, outer_m: f64, max_error_m: f64) -> bool {
    let margin_m = max_error_m + 1.0;
    (d_m - outer_m).abs() > margin_m && (inner_m == 0.0 || (d_m - inner_m).abs() > margin_m)
}

fn in_band(d_m: f64, inner_m: f64, outer_m: f64) -> bool {
    if inner_m == 0.0 {
        d_m <= outer_m
    } else {
        inner_m < d_m && d_m <= outer_m
    }
}

/// Structural checks every band must pass.
fn assert_well_formed(label: &str, band: &BandPolygon, requested_m: f64) {
    if let Err(e) = check_rfc7946(&band.geometry) {
        panic!("{label}: {e}");
    }
    assert!(band.geometry.is_valid(), "{label}: geo says invalid");
    assert!(
        band.max_error_m <= requested_m,
        "{label}: achieved {} > requested {requested_m}",
        band.max_error_m
    );
    assert_eq!(
        band.vertices,
        super::rfc7946::count_coords(&band.geometry),
        "{label}: vertex count"
    );
}

/// Every point clear of the edges is inside the band iff its Karney distance is in range.
/// Returns the number of points checked.
fn assert_pip_agrees(
    label: &str,
    band: &BandPolygon,
    center: Point<f64>,
    inner_m: f64,
    outer_m: f64,
    points: &[Point<f64>],
) -> usize {
    let mut checked = 0;
    for &p in points {
        let d_m = Geodesic.distance(center, p);
        if !clear_of_edges(d_m, inner_m, outer_m, band.max_error_m) {
            continue;
        }
        let expected = in_band(d_m, inner_m, outer_m);
        let got = contains(&band.geometry, p);
        assert_eq!(
            got,
            expected,
            "{label}: point ({}, {}) at {d_m:.1} m from centre, band {inner_m}–{outer_m} m",
            p.x(),
            p.y()
        );
        checked += 1;
    }
    checked
}

fn touches_seam(mp: &MultiPolygon<f64>) -> bool {
    mp.0.iter()
        .flat_map(|p| {
            p.exterior()
                .0
                .iter()
                .chain(p.interiors().iter().flat_map(|r| r.0.iter()))
        })
        .any(|c| c.x.abs() == 180.0)
}

fn band(center: Point<f64>, inner_m: f64, outer_m: f64, max_error_m: f64) -> BandPolygon {
    let r = if inner_m == 0.0 {
        geodesic_disc(center, outer_m, max_error_m)
    } else {
        geodesic_annulus(center, inner_m, outer_m, max_error_m)
    };
    match r {
        Ok(b) => b,
        Err(e) => panic!("band {inner_m}–{outer_m} m around {center:?}: {e}"),
    }
}

#[test]
fn hard_places_all_bands_valid_and_agree_with_distances() {
    let mut rng = Rng(0x1EF_2024);
    let mut total = 0;
    for i in 0..SITES.len() {
        let (name, center) = site(i);
        for &(inner_m, outer_m) in &BANDS_M {
            let label = format!("{name} {inner_m}–{outer_m}");
            let b = band(center, inner_m, outer_m, MAX_ERROR_M);
            assert_well_formed(&label, &b, MAX_ERROR_M);
            let pts = test_points(center, outer_m * 1.3, 600, &mut rng);
            total += assert_pip_agrees(&label, &b, center, inner_m, outer_m, &pts);
        }
    }
    assert!(total > 50_000, "only {total} points checked");
}

#[test]
fn poles_are_in_exactly_the_bands_whose_range_holds_them() {
    for i in 0..SITES.len() {
        let (name, center) = site(i);
        for pole in [NORTH_POLE, SOUTH_POLE] {
            let d_m = Geodesic.distance(center, pole);
            for &(inner_m, outer_m) in &BANDS_M {
                let b = band(center, inner_m, outer_m, MAX_ERROR_M);
                let expected = in_band(d_m, inner_m, outer_m);
                assert_eq!(
                    contains(&b.geometry, pole),
                    expected,
                    "{name}: pole {pole:?} at {d_m} m, band {inner_m}–{outer_m}"
                );
                for k in 0..24 {
                    let near = Point::new(-180.0 + 15.0 * k as f64, pole.y() * 0.999_999);
                    let d_near = Geodesic.distance(center, near);
                    assert_eq!(
                        contains(&b.geometry, near),
                        in_band(d_near, inner_m, outer_m)
                    );
                }
            }
        }
    }
}

#[test]
fn default_scenario_5500_km_rings_enclose_north_pole_and_cross_antimeridian() {
    for &i in &DEFAULT_SITES {
        let (name, center) = site(i);
        let disc = band(center, 0.0, 5_500_000.0, MAX_ERROR_M);
        assert!(contains(&disc.geometry, NORTH_POLE), "{name}: pole");
        assert!(touches_seam(&disc.geometry), "{name}: seam");
        // The polar part runs along lat 90 between (180, 90) and (-180, 90).
        let along_top = disc.geometry.0.iter().any(|p| {
            let e = &p.exterior().0;
            e.contains(&geo::Coord { x: 180.0, y: 90.0 })
                && e.contains(&geo::Coord { x: -180.0, y: 90.0 })
        });
        assert!(along_top, "{name}: closed along the pole line");
        let b = band(center, 1_000_000.0, 5_500_000.0, MAX_ERROR_M);
        assert!(contains(&b.geometry, NORTH_POLE), "{name}: band holds pole");
        assert!(
            !contains(&b.geometry, center),
            "{name}: band excludes centre"
        );
    }
    // Norilsk and Svalbard as well; McMurdo encloses the South Pole.
    for (i, pole) in [(1, NORTH_POLE), (2, NORTH_POLE), (3, SOUTH_POLE)] {
        let (name, center) = site(i);
        let disc = band(center, 0.0, 5_500_000.0, MAX_ERROR_M);
        assert!(contains(&disc.geometry, pole), "{name}");
    }
    // Anadyr's small rings cross the antimeridian without enclosing a pole: two parts.
    let (_, anadyr) = site(0);
    let disc = band(anadyr, 0.0, 500_000.0, MAX_ERROR_M);
    assert_eq!(disc.geometry.0.len(), 2);
    assert!(!contains(&disc.geometry, NORTH_POLE));
    let b = bbox(&disc.geometry).expect("bbox");
    assert_eq!((b[0], b[2]), (-180.0, 180.0));
}

#[test]
fn seam_points_match_on_both_sides() {
    let (_, anadyr) = site(0);
    let b = band(anadyr, 500_000.0, 1_000_000.0, MAX_ERROR_M);
    let mut east: Vec<i64> = Vec::new();
    let mut west: Vec<i64> = Vec::new();
    for p in &b.geometry.0 {
        for r in std::iter::once(p.exterior()).chain(p.interiors()) {
            for c in &r.0 {
                let lat_micro = (c.y * 1e6).round() as i64;
                if c.x == 180.0 {
                    east.push(lat_micro);
                } else if c.x == -180.0 {
                    west.push(lat_micro);
                }
            }
        }
    }
    east.sort_unstable();
    east.dedup();
    west.sort_unstable();
    west.dedup();
    assert_eq!(east.len(), 4, "outer and inner ring each cross twice");
    assert_eq!(east, west);
}

#[test]
fn large_discs_hemisphere_and_antipode() {
    let mut rng = Rng(7);
    let cases: [(&str, Point<f64>, f64, f64); 9] = [
        (
            "Kapustin Yar 15000",
            Point::new(45.75, 48.5833),
            0.0,
            15_000_000.0,
        ),
        (
            "Kapustin Yar 19000",
            Point::new(45.75, 48.5833),
            0.0,
            19_000_000.0,
        ),
        (
            "Kapustin Yar 5500–15000",
            Point::new(45.75, 48.5833),
            5_500_000.0,
            15_000_000.0,
        ),
        (
            "Kapustin Yar 15000–19000",
            Point::new(45.75, 48.5833),
            15_000_000.0,
            19_000_000.0,
        ),
        (
            "McMurdo 15000",
            Point::new(166.67, -77.85),
            0.0,
            15_000_000.0,
        ),
        ("Anadyr 19000", Point::new(177.51, 64.73), 0.0, 19_000_000.0),
        // Complement cap around (-178, -10) straddles the antimeridian.
        (
            "Gulf of Guinea 19000",
            Point::new(2.0, 10.0),
            0.0,
            19_000_000.0,
        ),
        (
            "Gulf of Guinea 12000–19000",
            Point::new(2.0, 10.0),
            12_000_000.0,
            19_000_000.0,
        ),
        // Both poles inside, complement around (180, 0).
        ("Null Island 15000", Point::new(0.0, 0.0), 0.0, 15_000_000.0),
    ];
    for (label, center, inner_m, outer_m) in cases {
        let b = band(center, inner_m, outer_m, MAX_ERROR_M);
        assert_well_formed(label, &b, MAX_ERROR_M);
        let pts = test_points(center, 19_900_000.0, 1500, &mut rng);
        let n = assert_pip_agrees(label, &b, center, inner_m, outer_m, &pts);
        assert!(n > 2000, "{label}: {n}");
    }
}

/// Radii just below the antipodal distance, where some geodesics from the centre pass the cut
/// locus first: the complement is a small region around the antipode.
#[test]
fn cut_locus_band_below_the_antipodal_distance() {
    let mut rng = Rng(99);
    for center in [
        Point::new(10.0, 0.0),
        Point::new(-0.5, 30.0),
        Point::new(45.75, 48.5833),
    ] {
        let anti_m = super::ring::antipode_distance_m(center);
        for below_m in [30_000.0, 10_000.0, 1_000.0] {
            let outer_m = anti_m - below_m;
            let label = format!("{center:?} r = antipode − {below_m} m");
            let b = band(center, 0.0, outer_m, MAX_ERROR_M);
            assert_well_formed(&label, &b, MAX_ERROR_M);
            // Points clustered around the antipode, where the boundary is.
            let anti = Point::new(
                center.x() + if center.x() > 0.0 { -180.0 } else { 180.0 },
                -center.y(),
            );
            let mut pts: Vec<Point<f64>> = (0..1500)
                .map(|_| {
                    Geodesic.destination(anti, rng.range(0.0, 360.0), rng.range(0.0, 120_000.0))
                })
                .collect();
            pts.push(anti);
            assert!(!contains(&b.geometry, anti), "{label}: antipode outside");
            let n = assert_pip_agrees(&label, &b, center, 0.0, outer_m, &pts);
            assert!(n > 1000, "{label}: {n}");
        }
    }
}

#[test]
fn annulus_equals_difference_of_discs() {
    for i in [0, 2, 3, 4] {
        let (name, center) = site(i);
        for (inner_m, outer_m) in [(500_000.0, 1_000_000.0), (1_000_000.0, 5_500_000.0)] {
            // The discs drawn with the annulus's circles.
            let mut circles = super::circles::Circles::new(center);
            let a = circles.annulus(inner_m, outer_m, MAX_ERROR_M).unwrap();
            let outer = circles.disc(outer_m, MAX_ERROR_M).unwrap().geometry;
            let inner = circles.disc(inner_m, MAX_ERROR_M).unwrap().geometry;
            let d = difference(&outer, &inner);
            assert!(check_rfc7946(&d).is_ok(), "{name}: difference valid");
            let (aa, da) = (a.geometry.unsigned_area(), d.unsigned_area());
            assert!(
                (aa - da).abs() <= 1e-6 * aa,
                "{name} {inner_m}–{outer_m}: area {aa} vs difference {da}"
            );
        }
    }
}

#[test]
fn union_of_default_sites_1000_5500() {
    let centers: Vec<Point<f64>> = DEFAULT_SITES.iter().map(|&i| site(i).1).collect();
    let bands: Vec<BandPolygon> = centers
        .iter()
        .map(|&c| band(c, 1_000_000.0, 5_500_000.0, MAX_ERROR_M))
        .collect();
    let parts: Vec<MultiPolygon<f64>> = bands.iter().map(|b| b.geometry.clone()).collect();
    let u = union_all(&parts);
    if let Err(e) = check_rfc7946(&u) {
        panic!("union: {e}");
    }
    assert!(contains(&u, NORTH_POLE));
    let max_error_m = bands.iter().map(|b| b.max_error_m).fold(0.0, f64::max);
    let mut rng = Rng(42);
    let mut pts = Vec::new();
    for &c in &centers {
        pts.extend(test_points(c, 7_000_000.0, 800, &mut rng));
    }
    let mut checked = 0;
    for p in pts {
        let ds: Vec<f64> = centers.iter().map(|&c| Geodesic.distance(c, p)).collect();
        if !ds
            .iter()
            .all(|&d| clear_of_edges(d, 1_000_000.0, 5_500_000.0, max_error_m))
        {
            continue;
        }
        let expected = ds.iter().any(|&d| in_band(d, 1_000_000.0, 5_500_000.0));
        assert_eq!(contains(&u, p), expected, "union at ({}, {})", p.x(), p.y());
        checked += 1;
    }
    assert!(checked > 5000, "{checked}");
}

#[test]
fn error_budget_controls_density() {
    let (_, kap) = site(4);
    let coarse = band(kap, 0.0, 5_500_000.0, 100.0);
    let fine = band(kap, 0.0, 5_500_000.0, 10.0);
    assert!(fine.max_error_m <= 10.0);
    assert!(fine.vertices > 2 * coarse.vertices);
    // Independent dense re-measurement of the rounded output: every drawn segment away from
    // the map border stays within the reported bound.
    for b in [&coarse, &fine] {
        let mut worst_m: f64 = 0.0;
        for p in &b.geometry.0 {
            for w in p.exterior().0.windows(2) {
                let (a, c) = (w[0], w[1]);
                let on_border = |q: geo::Coord<f64>| q.x.abs() == 180.0 || q.y.abs() == 90.0;
                if on_border(a) && on_border(c) {
                    continue;
                }
                for k in 1..32 {
                    let t = k as f64 / 32.0;
                    let q = Point::new(a.x + t * (c.x - a.x), a.y + t * (c.y - a.y));
                    worst_m = worst_m.max((Geodesic.distance(kap, q) - 5_500_000.0).abs());
                }
            }
        }
        assert!(worst_m <= b.max_error_m, "{worst_m} > {}", b.max_error_m);
    }
}

/// Vertex counts, achieved error and build time; run with `--ignored --nocapture`.
#[test]
#[ignore = "measurement, not a check"]
fn report_vertices_and_timing() {
    let (_, kap) = site(4);
    for max_error_m in [100.0, 10.0] {
        let t0 = std::time::Instant::now();
        let d = band(kap, 0.0, 5_500_000.0, max_error_m);
        println!(
            "Kapustin Yar disc 5500 km, max_error {max_error_m} m: {} vertices, achieved {:.3} m, {:?}",
            d.vertices,
            d.max_error_m,
            t0.elapsed()
        );
    }
    for max_error_m in [100.0, 10.0] {
        let t0 = std::time::Instant::now();
        let a = band(kap, 1_000_000.0, 5_500_000.0, max_error_m);
        println!(
            "Kapustin Yar annulus 1000–5500 km, max_error {max_error_m} m: {} vertices, achieved {:.3} m, {:?}",
            a.vertices,
            a.max_error_m,
            t0.elapsed()
        );
    }
    let t0 = std::time::Instant::now();
    let parts: Vec<MultiPolygon<f64>> = DEFAULT_SITES
        .iter()
        .map(|&i| band(site(i).1, 1_000_000.0, 5_500_000.0, 100.0).geometry)
        .collect();
    let u = union_all(&parts);
    println!(
        "4 default sites 1000–5500 annuli + union: {:?}, {} vertices",
        t0.elapsed(),
        super::rfc7946::count_coords(&u)
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 32, ..ProptestConfig::default() })]

    /// Anywhere on the globe, any radii: valid output that agrees with Karney distances.
    #[test]
    fn random_bands_are_valid_and_agree(
        lon in -180.0f64..180.0,
        lat in -90.0f64..=90.0,
        outer_km in prop_oneof![20.0f64..19_800.0, 19_950.0f64..20_100.0],
        inner_frac in prop_oneof![Just(0.0), 0.05f64..0.95],
        max_error_m in prop_oneof![Just(100.0), Just(30.0)],
        seed in any::<u64>(),
    ) {
        let center = Point::new(lon, lat);
        let outer_m = outer_km * 1000.0;
        let inner_m = (outer_m * inner_frac).max(if inner_frac > 0.0 { 10.0 } else { 0.0 });
        let b = band(center, inner_m, outer_m, max_error_m);
        assert_well_formed(&format!("{center:?} {inner_m}–{outer_m}"), &b, max_error_m);
        let mut rng = Rng(seed);
        let pts = test_points(center, outer_m * 1.5, 150, &mut rng);
        assert_pip_agrees("random", &b, center, inner_m, outer_m, &pts);
    }
}

/// Largest departure from the band's circles of its drawn edges, read as straight lon/lat
/// segments and as geodesics (16 points per edge); edges along ±180° or a pole line are cuts,
/// not circle arcs, and are skipped.
fn measured_edge_errors_m(b: &BandPolygon, center: Point<f64>, radii_m: &[f64]) -> (f64, f64) {
    use geographiclib_rs::{DirectGeodesic, InverseGeodesic};
    let geod = geographiclib_rs::Geodesic::wgs84();
    let departure = |p: Point<f64>| -> f64 {
        let d = Geodesic.distance(center, p);
        radii_m
            .iter()
            .map(|r| (d - r).abs())
            .fold(f64::INFINITY, f64::min)
    };
    let (mut lonlat_m, mut geodesic_m) = (0.0_f64, 0.0_f64);
    for poly in &b.geometry.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            for w in ring.0.windows(2) {
                let (a, c) = (w[0], w[1]);
                if (a.x.abs() == 180.0 && a.x == c.x) || (a.y.abs() == 90.0 && a.y == c.y) {
                    continue;
                }
                let (s12, azi1, _, _): (f64, f64, f64, f64) = geod.inverse(a.y, a.x, c.y, c.x);
                for k in 1..16 {
                    let t = f64::from(k) / 16.0;
                    let q = Point::new(a.x + t * (c.x - a.x), a.y + t * (c.y - a.y));
                    lonlat_m = lonlat_m.max(departure(q));
                    let (lat, lon): (f64, f64) = geod.direct(a.y, a.x, azi1, t * s12);
                    geodesic_m = geodesic_m.max(departure(Point::new(lon, lat)));
                }
            }
        }
    }
    (lonlat_m, geodesic_m)
}

/// Random sites, special values mixed in (the poles, 89.9999°, the equator, the 0° and ±180°
/// meridians), and random band edges up to 20,100 km, special distances mixed in (just below
/// and at the antipodal distance, the longest geodesic, 19,990 / 19,999 / 20,000 km): every
/// band is valid, wound as RFC 7946 asks, holds exactly the points whose Karney distance is
/// in range, keeps its error bound read both ways and its area (edges read as geodesics)
/// within the tolerance of the exact area.
#[test]
fn random_sites_and_edges_with_special_values() {
    use super::area::{earth_area_m2, geodesic_area_m2};
    let mut rng = crate::random::Rng(0x5EED_0014);
    const LATS: [f64; 7] = [90.0, -90.0, 89.9999, -89.9999, 0.0, 51.4769, -0.0];
    const LONS: [f64; 6] = [0.0, 180.0, -180.0, 0.001, -0.0, 179.9999];
    let mut cases = 0;
    let mut points_checked = 0;
    let mut worst_area: f64 = 0.0;
    for case in 0..48 {
        let lat = if rng.unit() < 0.5 {
            LATS[(rng.unit() * LATS.len() as f64) as usize]
        } else {
            rng.point().1
        };
        let lon = if rng.unit() < 0.5 {
            LONS[(rng.unit() * LONS.len() as f64) as usize]
        } else {
            rng.point().0
        };
        let center = Point::new(lon, lat);
        let anti_m = super::ring::antipode_distance_m(center);
        let special_m = [
            anti_m - 5_000.0,
            anti_m - 100.0,
            anti_m,
            20_003_931.46,
            19_990_000.0,
            19_999_000.0,
            20_000_000.0,
            20_100_000.0,
            500_000.0,
        ];
        let mut edge = || {
            if rng.unit() < 0.35 {
                special_m[(rng.unit() * special_m.len() as f64) as usize]
            } else {
                20_100_000.0 * rng.unit().powi(2) + 10_000.0
            }
        };
        let (mut inner_m, mut outer_m) = (edge(), edge());
        if inner_m > outer_m {
            std::mem::swap(&mut inner_m, &mut outer_m);
        }
        if rng.unit() < 0.3 || outer_m - inner_m < 1.0 {
            inner_m = 0.0;
        }
        let label = format!("case {case}: ({lat}, {lon}) {inner_m}–{outer_m} m");
        let b = band(center, inner_m, outer_m, MAX_ERROR_M);
        assert_well_formed(&label, &b, MAX_ERROR_M);
        // The error bound holds however a reader draws the edges.
        let radii: Vec<f64> = [inner_m, outer_m]
            .into_iter()
            .filter(|&r| r > 0.0 && r < anti_m)
            .collect();
        let (lonlat_m, geodesic_m) = measured_edge_errors_m(&b, center, &radii);
        assert!(
            lonlat_m <= b.max_error_lonlat_m + 0.01 && geodesic_m <= b.max_error_geodesic_m + 0.01,
            "{label}: lon/lat {lonlat_m} m (reported {}), geodesic {geodesic_m} m (reported {})",
            b.max_error_lonlat_m,
            b.max_error_geodesic_m
        );
        // Areas read with geodesic edges, against discs sampled 100 times more finely.
        let area_m2 = geodesic_area_m2(&b.geometry);
        let fine_disc_m2 = |r_m: f64, reference_m2: f64| -> f64 {
            if r_m >= anti_m {
                return earth_area_m2();
            }
            let c = super::ring::sample_circle_within(center, r_m, 10.0, 1e-6 * reference_m2)
                .expect("fine circle");
            // Between the chords and the circle: outside a disc's chords, inside a
            // complement's.
            c.disc_area_m2() + c.area_defect_m2 * if r_m < 0.5 * anti_m { 1.0 } else { -1.0 }
        };
        if b.area_m2 > 0.0 {
            let exact_m2 = fine_disc_m2(outer_m, b.area_m2)
                - if inner_m > 0.0 {
                    fine_disc_m2(inner_m, b.area_m2)
                } else {
                    0.0
                };
            let rel = (area_m2 - exact_m2) / exact_m2;
            assert!(
                rel.abs() <= 5e-4,
                "{label}: area off by {:.4} %",
                100.0 * rel
            );
            worst_area = worst_area.max(rel.abs());
        }
        assert!(
            (area_m2 - b.area_m2).abs() <= 1e-6 * b.area_m2 + 1e4,
            "{label}: geometry area {area_m2} vs {}",
            b.area_m2
        );
        // Point in polygon against Karney, poles and seam included.
        let pts = test_points(center, 20_000_000.0, 300, &mut Rng(case));
        points_checked += assert_pip_agrees(&label, &b, center, inner_m, outer_m, &pts);
        for pole in [NORTH_POLE, SOUTH_POLE] {
            let d_m = Geodesic.distance(center, pole);
            if clear_of_edges(d_m, inner_m, outer_m, b.max_error_m) {
                assert_eq!(
                    contains(&b.geometry, pole),
                    in_band(d_m, inner_m, outer_m),
                    "{label}: pole {pole:?}"
                );
            }
        }
        cases += 1;
    }
    assert_eq!(cases, 48);
    assert!(points_checked > 10_000, "{points_checked}");
    println!("worst area error {:.5} %", 100.0 * worst_area);
}
