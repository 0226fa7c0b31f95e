//! Distances along a meridian of WGS84 and their inverse, by Helmert's series in the third
//! flattening `n = f / (2 − f)` to `n⁴` (the terms left out are below 10⁻⁷ m).
//!
//! The polar azimuthal equidistant projection keeps the distance from the pole along the
//! meridian, so these are its forward and inverse radial maps; [`super::ring`] reads band
//! edges in that projection many times per vertex, and these series cost a few sines where
//! Karney's general direct problem costs an order of magnitude more.
//!
//! # Example
//! ```
//! use infrange::geometry::meridian;
//!
//! // Equator to pole: the quarter meridian, 10,001,965.729 m on WGS84.
//! assert!((meridian::distance_m(90.0) - 10_001_965.729).abs() < 1e-3);
//! // And back: the same latitude, within 10⁻⁹° (0.1 mm).
//! assert!((meridian::latitude_deg(meridian::distance_m(52.5)) - 52.5).abs() < 1e-9);
//! ```

/// WGS84 equatorial radius, metres.
const EQUATORIAL_RADIUS_M: f64 = 6_378_137.0;
/// WGS84 flattening.
const FLATTENING: f64 = 1.0 / 298.257_223_563;

/// The series' constants.
struct Series {
    /// Metres per radian of rectifying latitude: `a / (1 + n) · (1 + n²/4 + n⁴/64)`.
    rectifying_radius_m: f64,
    /// Coefficients of `sin 2kφ`, k = 1..4, in μ − φ.
    forward: [f64; 4],
    /// Coefficients of `sin 2kμ`, k = 1..4, in φ − μ.
    inverse: [f64; 4],
}

fn series() -> &'static Series {
    static SERIES: std::sync::OnceLock<Series> = std::sync::OnceLock::new();
    SERIES.get_or_init(|| {
        let n = FLATTENING / (2.0 - FLATTENING);
        let (n2, n3, n4) = (n * n, n * n * n, n * n * n * n);
        let h = 1.0 + n2 / 4.0 + n4 / 64.0;
        Series {
            rectifying_radius_m: EQUATORIAL_RADIUS_M / (1.0 + n) * h,
            forward: [
                -1.5 * (n - n3 / 8.0) / h,
                15.0 / 16.0 * (n2 - n4 / 4.0) / h,
                -35.0 / 48.0 * n3 / h,
                315.0 / 512.0 * n4 / h,
            ],
            inverse: [
                1.5 * n - 27.0 / 32.0 * n3,
                21.0 / 16.0 * n2 - 55.0 / 32.0 * n4,
                151.0 / 96.0 * n3,
                1097.0 / 512.0 * n4,
            ],
        }
    })
}

/// `x + Σ c_k sin(2k x)`.
fn with_sines(x: f64, c: &[f64; 4]) -> f64 {
    let (s2, c2) = (2.0 * x).sin_cos();
    // sin 4x, sin 6x, sin 8x from sin 2x and cos 2x.
    let s4 = 2.0 * s2 * c2;
    let c4 = 1.0 - 2.0 * s2 * s2;
    let s6 = s4 * c2 + c4 * s2;
    let s8 = 2.0 * s4 * c4;
    x + c[0] * s2 + c[1] * s4 + c[2] * s6 + c[3] * s8
}

/// Signed distance along a meridian from the equator to latitude `lat_deg`.
///
/// # Units
/// Degrees in, metres out.
pub fn distance_m(lat_deg: f64) -> f64 {
    let s = series();
    s.rectifying_radius_m * with_sines(lat_deg.to_radians(), &s.forward)
}

/// The latitude at signed distance `distance_m` from the equator along a meridian, for
/// |`distance_m`| up to the quarter meridian.
///
/// # Units
/// Metres in, degrees out.
pub fn latitude_deg(distance_m: f64) -> f64 {
    let s = series();
    let mu = distance_m / s.rectifying_radius_m;
    with_sines(mu, &s.inverse).to_degrees().clamp(-90.0, 90.0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geographiclib_rs::{DirectGeodesic, Geodesic, InverseGeodesic};

    /// Against Karney's geodesics (GeographicLib) along meridians: both ways within 10 µm.
    #[test]
    fn agrees_with_karney_along_meridians() {
        let geod = Geodesic::wgs84();
        for k in 0..=1800 {
            let lat = -90.0 + k as f64 * 0.1;
            let karney_m: f64 = geod.inverse(0.0, 10.0, lat, 10.0);
            assert!(
                (distance_m(lat).abs() - karney_m).abs() < 1e-5,
                "{lat}: {} vs {karney_m}",
                distance_m(lat)
            );
            let azimuth = if lat >= 0.0 { 0.0 } else { 180.0 };
            let (back_lat, _lon): (f64, f64) = geod.direct(0.0, 10.0, azimuth, karney_m);
            let there_m: f64 = geod.inverse(back_lat, 10.0, latitude_deg(distance_m(lat)), 10.0);
            assert!(there_m < 1e-5, "{lat}: round trip off by {there_m} m");
        }
    }
}
