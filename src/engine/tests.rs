//! The engine must agree with [`reference`] on every point: zero
//! disagreements, bit for bit.

use super::*;
use crate::error::Location;
use crate::random::Rng;
use crate::sites::Reach;
use proptest::prelude::*;

fn site(name: &str, lon_deg: f64, lat_deg: f64, range_km: Option<f64>) -> Site {
    Site {
        name: name.into(),
        lon_deg,
        lat_deg,
        reach: range_km.map(|r| Reach {
            system: None,
            range_km: r,
            source: "test".into(),
            flight: None,
        }),
        note: String::new(),
    }
}

fn bands(edges_km: &[f64]) -> Bands {
    Bands::from_edges_km(edges_km, &Location::new("test")).unwrap()
}

/// Compare engine and reference on every point; returns the number compared.
fn check_all(sites: &[Site], bands: &Bands, points: &[(f64, f64)]) -> usize {
    let engine = Engine::new(sites, bands);
    let got = engine.classify_many(points);
    let fast = engine.nearest_band_many(points);
    // Reach found by searching the tree instead of the cells' lists.
    let mut by_tree = engine.clone();
    by_tree.reach_cells = None;
    assert_eq!(by_tree.classify_many(points), got);
    // One at a time (fresh scratch space) gives the same answers.
    for (&(lon, lat), g) in points.iter().zip(&got).take(50) {
        assert_eq!(&engine.classify(lon, lat), g);
    }
    for ((&(lon, lat), g), f) in points.iter().zip(&got).zip(&fast) {
        let want = reference(sites, bands, lon, lat);
        let same = g.nearest_site == want.nearest_site
            && g.distance_m.to_bits() == want.distance_m.to_bits()
            && g.bearing_deg.to_bits() == want.bearing_deg.to_bits()
            && g.class == want.class
            && g.reached_by == want.reached_by;
        assert!(
            same,
            "point ({lon}, {lat}): engine {g:?} vs reference {want:?}"
        );
        assert_eq!(
            (f.nearest_site, f.class),
            (want.nearest_site, want.class),
            "nearest_band at ({lon}, {lat})"
        );
    }
    points.len()
}

#[test]
fn bounds_hold_and_window_is_narrow() {
    let mut rng = Rng(0x1234_5678_9abc_def1);
    let mut worst_ratio: f64 = 1.0;
    for i in 0..20_000 {
        let (lon1, lat1) = rng.point();
        let (mut lon2, mut lat2) = rng.point();
        if i % 2 == 0 {
            // Short and medium distances too.
            let (lat, lon) =
                geodesy::direct(lat1, lon1, rng.unit() * 360.0, 1.0e5 + rng.unit() * 6.0e6);
            (lon2, lat2) = (lon, lat);
        }
        let s = geodesy::distance_m(lat1, lon1, lat2, lon2);
        let (f1, f2) = (frame(lon1, lat1), frame(lon2, lat2));
        let lo = B_M * acos_lo(dot3(f1.u, f2.u));
        let hi = A_M * acos_hi(dot3(f1.q, f2.q));
        assert!(
            lo <= s + 1e-6 && s <= hi + 1e-6,
            "{lo} ≤ {s} ≤ {hi} at ({lon1},{lat1})-({lon2},{lat2})"
        );
        // The loose bound: θq ≤ θu + δ1 + δ2.
        let loose =
            A_M * (acos_hi(dot3(f1.u, f2.u)) + f1.delta_rad + f2.delta_rad + 2.0 * DELTA_SLACK_RAD);
        assert!(s <= loose + 1e-6);
        if s > 1.0e5 {
            worst_ratio = worst_ratio.max(hi / lo);
        }
    }
    assert!(worst_ratio < 1.0070, "window ratio {worst_ratio}");
}

#[test]
fn delta_is_bounded_by_the_latitude_difference() {
    let dmax = delta_max_rad();
    assert!(
        (dmax.to_degrees() - 0.19242).abs() < 1e-3,
        "{}",
        dmax.to_degrees()
    );
    for i in 0..=18_000 {
        let lat = -90.0 + i as f64 * 0.01;
        let f = frame(0.0, lat);
        assert!(f.delta_rad <= dmax, "{lat}");
        // β lies between ψ and φ.
        let beta = f.q[2].atan2(f.q[0]);
        let psi = f.u[2].atan2(f.u[0]);
        let phi = lat.to_radians();
        assert!((beta - psi) * (phi - beta) >= -1e-15, "{lat}");
        // Unit vectors.
        assert!((dot3(f.u, f.u) - 1.0).abs() < 1e-15);
        assert!((dot3(f.q, f.q) - 1.0).abs() < 1e-15);
    }
}

#[test]
fn adversarial_points_at_edges() {
    let sites = vec![
        site("Kaliningrad", 20.51, 54.71, Some(500.0)),
        site("Pole", 45.0, 89.999_999, Some(1000.0)),
        site("SouthPole", -120.0, -89.999_99, Some(2350.0)),
        site("East180", 179.999_999, 10.0, Some(5500.0)),
        site("West180", -180.0, -10.0, Some(1000.0)),
        site("Equator", 0.0, 0.0, Some(19_990.0)),
        site("Antipode", 180.0, 0.0, Some(20_003.0)),
        site("NoReach", 30.0, 45.0, None),
        site("Mid", -75.0, 40.0, Some(1234.567)),
        site("Kaliningrad-dup", 20.51, 54.71, Some(500.0)),
    ];
    let edges_km = [
        100.0, 500.0, 1000.0, 2350.0, 5500.0, 10_000.0, 19_990.0, 20_000.0,
    ];
    let b = bands(&edges_km);
    let offsets_m = [0.0, 5e-4, 1e-3, 1e-2, 1.0, 1000.0];
    let azimuths = [0.0, 37.0, 90.0, 135.0, 180.0, 233.0, 270.0, 315.0];
    let mut points = Vec::new();
    for s in &sites {
        let mut distances_km: Vec<f64> = edges_km.to_vec();
        distances_km.extend(
            sites
                .iter()
                .filter_map(|x| x.reach.as_ref().map(|r| r.range_km)),
        );
        for d_km in distances_km {
            for &az in &azimuths {
                for off in offsets_m {
                    for sign in [-1.0, 1.0] {
                        let d = d_km * 1000.0 + sign * off;
                        let (lat, lon) = geodesy::direct(s.lat_deg, s.lon_deg, az, d);
                        points.push((lon, lat));
                    }
                }
            }
        }
    }
    // Poles, the antimeridian, exact and nearly antipodal points.
    for (lon, lat) in [
        (0.0, 90.0),
        (0.0, -90.0),
        (180.0, 89.999_999_9),
        (-180.0, -89.999_999_9),
        (180.0, 0.0),
        (-180.0, 0.0),
        (179.999_999_999, 0.0),
        (-179.5, 0.3),
        (0.0, 0.0),
        (-159.49, -54.71),
        (-160.0, -54.0),
        (20.51, 54.71),
        (200.0, 10.0),
        (-540.0, 0.0),
    ] {
        points.push((lon, lat));
    }
    let n = check_all(&sites, &b, &points);
    assert!(n > 7000, "{n}");
    check_all(&sites, &Bands::inf(), &points);
}

#[test]
fn longitudes_reduce_as_the_remainder_does() {
    let mut rng = Rng(7);
    let mut lons = vec![
        0.0,
        -0.0,
        180.0,
        -180.0,
        180.000_000_000_1,
        -180.000_000_000_1,
        359.999,
        540.0,
        -720.0,
        f64::NAN,
    ];
    lons.extend((0..10_000).map(|_| rng.unit() * 1440.0 - 720.0));
    for lon in lons {
        assert_eq!(
            reduce_lon_deg(lon).to_bits(),
            reduce_lon_by_remainder_deg(lon).to_bits(),
            "{lon}"
        );
    }
}

#[test]
fn ties_go_to_the_lowest_index() {
    // Mirror-image sites: a point on the mirror line is exactly equidistant.
    let sites = vec![
        site("A", 10.0, 50.0, Some(800.0)),
        site("B", -10.0, 50.0, Some(800.0)),
        site("C", 10.0, 50.0, None),
        site("D", 0.0, 40.0, Some(3000.0)),
    ];
    let mut points = Vec::new();
    for i in 0..=180 {
        points.push((0.0, -90.0 + i as f64));
    }
    let engine = Engine::new(&sites, &Bands::inf());
    let r = engine.classify(0.0, 60.0);
    assert_eq!(r.nearest_site, 0, "A and C coincide, B mirrors A: A wins");
    let d = |j: usize| geodesy::distance_m(sites[j].lat_deg, sites[j].lon_deg, 60.0, 0.0);
    assert_eq!(d(0).to_bits(), d(1).to_bits(), "mirror images tie exactly");
    check_all(&sites, &Bands::inf(), &points);
    // Reversed order: now C (index 0) coincides with A (index 2).
    let rev: Vec<Site> = sites.iter().rev().cloned().collect();
    check_all(&rev, &Bands::inf(), &points);
}

#[test]
fn bad_inputs_do_not_panic_and_follow_the_reference() {
    let sites = vec![site("A", 10.0, 50.0, Some(800.0))];
    let engine = Engine::new(&sites, &Bands::inf());
    for (lon, lat) in [
        (f64::NAN, 0.0),
        (0.0, f64::INFINITY),
        (0.0, 91.0),
        (1e300, 0.0),
    ] {
        let r = engine.classify(lon, lat);
        let w = reference(&sites, &Bands::inf(), lon, lat);
        assert_eq!(r.nearest_site, w.nearest_site);
        assert_eq!(r.class, w.class);
        let _ = engine.nearest_band(lon, lat);
    }
    // No sites at all.
    let empty = Engine::new(&[], &Bands::inf());
    let r = empty.classify(0.0, 0.0);
    assert_eq!((r.nearest_site, r.class), (0, BandClass::Beyond));
    assert!(empty.classify_many(&[(1.0, 2.0)]).len() == 1);
    // A site outside the proven domain switches to the reference.
    let odd = vec![site("Odd", 1000.0, 0.0, Some(100.0))];
    let e = Engine::new(&odd, &Bands::inf());
    assert_eq!(e.classify(0.0, 0.0).nearest_site, 0);
}

#[test]
fn many_random_points_and_sites_agree() {
    let mut rng = Rng(0xdead_beef_cafe_f00d);
    let sites: Vec<Site> = (0..60)
        .map(|i| {
            let (lon, lat) = rng.point();
            let range = [None, Some(500.0), Some(1000.0), Some(2350.0), Some(5500.0)][i % 5];
            site(&format!("S{i}"), lon, lat, range)
        })
        .collect();
    let points: Vec<(f64, f64)> = (0..3000).map(|_| rng.point()).collect();
    check_all(&sites, &Bands::inf(), &points);
    // Clustered sites make many nearly-equal nearest distances.
    let cluster: Vec<Site> = (0..40)
        .map(|i| {
            site(
                &format!("K{i}"),
                40.0 + rng.unit() * 0.01,
                50.0 + rng.unit() * 0.01,
                Some(1000.0),
            )
        })
        .collect();
    check_all(&cluster, &Bands::inf(), &points[..1500]);
}

/// Enough sites for a deep tree and a fine cell grid, some of them in
/// tight clusters (many near-ties), some at the poles and on ±180°.
#[test]
fn many_sites_deep_tree_agree() {
    let mut rng = Rng(0x0bad_5eed_1234_5678);
    let ranges = [None, Some(500.0), Some(1000.0), Some(2350.0), Some(5500.0)];
    let mut sites: Vec<Site> = (0..600)
        .map(|i| {
            let (lon, lat) = rng.point();
            site(&format!("S{i}"), lon, lat, ranges[i % 5])
        })
        .collect();
    for i in 0..100 {
        let (lon, lat) = (20.5 + rng.unit() * 0.02, 54.7 + rng.unit() * 0.02);
        sites.push(site(&format!("C{i}"), lon, lat, ranges[i % 5]));
    }
    for (i, (lon, lat)) in [(0.0, 90.0), (180.0, -90.0), (180.0, 0.0), (-180.0, 45.0)]
        .into_iter()
        .enumerate()
    {
        sites.push(site(&format!("E{i}"), lon, lat, ranges[i % 5]));
    }
    let mut points: Vec<(f64, f64)> = (0..1500).map(|_| rng.point()).collect();
    points.extend((0..300).map(|_| (20.0 + rng.unit(), 54.0 + rng.unit() * 1.5)));
    check_all(&sites, &Bands::inf(), &points);
}

fn arb_site() -> impl Strategy<Value = Site> {
    (
        -180.0..=180.0f64,
        -90.0..=90.0f64,
        prop_oneof![Just(None), (1.0..20_100.0f64).prop_map(Some)],
    )
        .prop_map(|(lon, lat, r)| site("P", lon, lat, r))
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(128))]

    #[test]
    fn engine_equals_reference(
        sites in prop::collection::vec(arb_site(), 1..25),
        points in prop::collection::vec((-180.0..=180.0f64, -90.0..=90.0f64), 1..40),
        edges in prop::collection::btree_set(1u32..20_000, 2..6),
    ) {
        let edges_km: Vec<f64> = edges.into_iter().map(f64::from).collect();
        check_all(&sites, &bands(&edges_km), &points);
    }

    #[test]
    fn points_near_edges_equal_reference(
        sites in prop::collection::vec(arb_site(), 1..8),
        which in 0usize..8,
        az in 0.0..360.0f64,
        offset_m in prop_oneof![Just(0.0), -1.0..1.0f64, -1e-3..1e-3f64, -1e4..1e4f64],
    ) {
        let s = &sites[which % sites.len()];
        let b = Bands::inf();
        let mut points = Vec::new();
        let mut distances: Vec<f64> = b.edges_km().iter().map(|e| e * 1000.0).collect();
        distances.extend(sites.iter().filter_map(|x| x.reach.as_ref().map(|r| r.range_km * 1000.0)));
        for d in distances {
            let (lat, lon) = geodesy::direct(s.lat_deg, s.lon_deg, az, (d + offset_m).max(0.0));
            points.push((lon, lat));
        }
        check_all(&sites, &b, &points);
    }
}
