//! Geodesics on the WGS84 ellipsoid (Karney 2013, via `geo`'s [`Geodesic`]).
//!
//! This is the one module that speaks latitude first, because GeographicLib
//! does: its functions take `lat_deg, lon_deg` arguments in that order. The
//! rest of infrange uses (lon, lat).
//!
//! The geodesic code is geographiclib-rs, vendored with one change (`hypot`
//! as `sqrt(x² + y²)`, which moves distances by nanometres and saves an
//! eighth of `analyze`'s time): `vendor/geographiclib-rs/PATCH.md`.
//!
//! # References
//! C. F. F. Karney, *Algorithms for geodesics*, J. Geodesy 87, 43–55 (2013),
//! <https://doi.org/10.1007/s00190-012-0578-z>.

use geo::{Bearing, Destination, Distance, Geodesic, Point};

/// The solution of the inverse geodesic problem between two points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Inverse {
    /// Length of the geodesic, metres.
    pub distance_m: f64,
    /// Azimuth of the geodesic at the first point, degrees clockwise from
    /// north in [0, 360).
    pub azimuth1_deg: f64,
    /// Azimuth of the geodesic at the second point (the direction of travel
    /// on arrival), degrees clockwise from north in [0, 360).
    pub azimuth2_deg: f64,
}

/// Geodesic distance between two points on WGS84, metres.
///
/// # Examples
/// ```
/// // Sofia to Plovdiv, as in geo's documentation.
/// let d = infrange::geodesy::distance_m(42.698334, 23.319941, 42.136097, 24.742168);
/// assert!((d - 132_675.501_858_820_6).abs() < 1e-6);
/// ```
pub fn distance_m(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    Geodesic.distance(
        Point::new(lon1_deg, lat1_deg),
        Point::new(lon2_deg, lat2_deg),
    )
}

/// Initial azimuth of the geodesic from point 1 to point 2, degrees clockwise
/// from north in [0, 360).
pub fn initial_bearing_deg(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> f64 {
    normalize_azimuth_deg(Geodesic.bearing(
        Point::new(lon1_deg, lat1_deg),
        Point::new(lon2_deg, lat2_deg),
    ))
}

/// Distance (metres) and initial azimuth (degrees clockwise from north in
/// [0, 360)) from point 1 to point 2, from **one** inverse solution.
///
/// Bit for bit the same values as [`distance_m`] and [`initial_bearing_deg`]
/// (tested), at half the cost of calling both. This is the one inverse per
/// row of the cities CSV, so it skips what `geo` would compute and drop: the
/// azimuth at point 2.
pub fn distance_and_bearing(
    lat1_deg: f64,
    lon1_deg: f64,
    lat2_deg: f64,
    lon2_deg: f64,
) -> (f64, f64) {
    use geographiclib_rs::capability::{AZIMUTH, DISTANCE};
    static WGS84: std::sync::OnceLock<geographiclib_rs::Geodesic> = std::sync::OnceLock::new();
    let geod = WGS84.get_or_init(geographiclib_rs::Geodesic::wgs84);
    // The solution `Geodesic::inverse` is built from (its `_gen_inverse_azi`
    // then turns both azimuths' sine and cosine into degrees).
    let (_a12, s12, salp1, calp1, ..) =
        geod._gen_inverse(lat1_deg, lon1_deg, lat2_deg, lon2_deg, DISTANCE | AZIMUTH);
    // `geo`'s `Bearing` returns `(azi1 + 360) % 360`, which ours then maps
    // to itself. With `azi1` in [-180, 180] that remainder is one exact
    // subtraction (Sterbenz) or none.
    let turned_deg = atan2_deg(salp1, calp1) + 360.0;
    let azimuth_deg = if turned_deg >= 360.0 {
        turned_deg - 360.0
    } else {
        turned_deg
    };
    (s12, azimuth_deg)
}

/// `atan2(y, x)` in degrees, reduced as GeographicLib reduces it (its
/// `atan2d`, which `geographiclib-rs` keeps private): exact quadrant
/// arithmetic around one `atan2` in the first octant.
fn atan2_deg(mut y: f64, mut x: f64) -> f64 {
    let mut q = if y.abs() > x.abs() {
        std::mem::swap(&mut x, &mut y);
        2
    } else {
        0
    };
    if x < 0.0 {
        q += 1;
        x = -x;
    }
    let ang = y.atan2(x).to_degrees();
    match q {
        0 => ang,
        1 if y >= 0.0 => 180.0 - ang,
        1 => -180.0 - ang,
        2 => 90.0 - ang,
        _ => ang + -90.0,
    }
}

/// Solve the inverse problem: distance and both azimuths.
///
/// The azimuth at the second point is the reverse geodesic's initial azimuth
/// turned by 180°, which is exact for geodesics.
pub fn inverse(lat1_deg: f64, lon1_deg: f64, lat2_deg: f64, lon2_deg: f64) -> Inverse {
    let back_deg = initial_bearing_deg(lat2_deg, lon2_deg, lat1_deg, lon1_deg);
    Inverse {
        distance_m: distance_m(lat1_deg, lon1_deg, lat2_deg, lon2_deg),
        azimuth1_deg: initial_bearing_deg(lat1_deg, lon1_deg, lat2_deg, lon2_deg),
        azimuth2_deg: normalize_azimuth_deg(back_deg + 180.0),
    }
}

/// Solve the direct problem: the point `distance_m` from the start along
/// azimuth `azimuth_deg`. Returns `(lat_deg, lon_deg)`.
pub fn direct(lat_deg: f64, lon_deg: f64, azimuth_deg: f64, distance_m: f64) -> (f64, f64) {
    let p = Geodesic.destination(Point::new(lon_deg, lat_deg), azimuth_deg, distance_m);
    (p.y(), p.x())
}

fn normalize_azimuth_deg(azimuth_deg: f64) -> f64 {
    let a = azimuth_deg.rem_euclid(360.0);
    // rem_euclid can return 360.0 for tiny negative inputs.
    if a >= 360.0 {
        0.0
    } else {
        a
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lines of Karney's published test set; see the file's header.
    const GEODTEST: &str = include_str!("../tests/data/geodtest-sample.dat");

    /// `[lat1, lon1, azi1, lat2, lon2, azi2, s12, a12]` per line.
    fn geodtest_lines() -> Vec<[f64; 8]> {
        GEODTEST
            .lines()
            .filter(|l| !l.starts_with('#'))
            .map(|l| {
                let v: Vec<f64> = l.split_whitespace().map(|t| t.parse().unwrap()).collect();
                [v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7]]
            })
            .collect()
    }

    #[test]
    fn inverse_matches_karney_test_set() {
        let lines = geodtest_lines();
        assert_eq!(lines.len(), 24);
        for [lat1, lon1, azi1, lat2, lon2, azi2, s12, a12] in lines {
            let inv = inverse(lat1, lon1, lat2, lon2);
            // GeographicLib's documented accuracy: 15 nm.
            assert!(
                (inv.distance_m - s12).abs() < 15e-9,
                "{} vs {s12}",
                inv.distance_m
            );
            // Azimuths are ill-conditioned within metres of a pole and for
            // nearly antipodal points.
            if lat1.abs() < 89.9 && lat2.abs() < 89.9 && a12 < 179.0 {
                assert!(
                    (inv.azimuth1_deg - azi1).abs() < 1e-9,
                    "{} vs {azi1}",
                    inv.azimuth1_deg
                );
                assert!(
                    (inv.azimuth2_deg - azi2).abs() < 1e-9,
                    "{} vs {azi2}",
                    inv.azimuth2_deg
                );
            }
        }
    }

    #[test]
    fn direct_matches_karney_test_set() {
        for [lat1, lon1, azi1, lat2, lon2, _, s12, _] in geodtest_lines() {
            let (lat, lon) = direct(lat1, lon1, azi1, s12);
            // 1e-9 degree is about 0.1 mm.
            assert!((lat - lat2).abs() < 1e-9, "{lat} vs {lat2}");
            let dlon = (lon - lon2 + 540.0).rem_euclid(360.0) - 180.0;
            assert!(
                dlon.abs() * lat2.to_radians().cos() < 1e-9,
                "{lon} vs {lon2}"
            );
        }
    }

    #[test]
    fn combined_inverse_is_bit_identical() {
        // A deterministic scatter of pairs, including poles, the antimeridian
        // and nearly antipodal pairs.
        let mut rng = crate::random::Rng(0x9e37_79b9_7f4a_7c15);
        let mut next = || rng.unit();
        let mut pairs = vec![
            (90.0, 0.0, -90.0, 0.0),
            (0.0, 0.0, 0.0, 179.5),
            (0.0, 0.0, 0.5, 179.7),
            (89.999_999, 180.0, 89.999_999, -180.0),
            (10.0, -179.999, -10.0, 179.999),
            // Azimuths on the quadrant boundaries: 0, 90, 180, 270.
            (0.0, 0.0, 10.0, 0.0),
            (0.0, 0.0, 0.0, 10.0),
            (10.0, 0.0, -10.0, 0.0),
            (0.0, 0.0, 0.0, -10.0),
            (-0.0, 0.0, -10.0, -0.0),
        ];
        for _ in 0..50_000 {
            pairs.push((
                next() * 180.0 - 90.0,
                next() * 360.0 - 180.0,
                next() * 180.0 - 90.0,
                next() * 360.0 - 180.0,
            ));
        }
        for (lat1, lon1, lat2, lon2) in pairs {
            let (d, b) = distance_and_bearing(lat1, lon1, lat2, lon2);
            assert_eq!(d.to_bits(), distance_m(lat1, lon1, lat2, lon2).to_bits());
            assert_eq!(
                b.to_bits(),
                initial_bearing_deg(lat1, lon1, lat2, lon2).to_bits()
            );
        }
    }

    #[test]
    fn azimuths_are_in_range() {
        let inv = inverse(0.0, 0.0, 0.0, -10.0);
        assert!((inv.azimuth1_deg - 270.0).abs() < 1e-9);
        assert!((inv.azimuth2_deg - 270.0).abs() < 1e-9);
        assert_eq!(normalize_azimuth_deg(-1e-20), 0.0);
    }
}
