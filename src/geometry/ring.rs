//! Adaptive sampling of one geodesic circle on the WGS84 ellipsoid.
//!
//! This file owns the *error-driven vertex density*: vertices are points of Karney's direct
//! problem from the centre, `Geodesic.destination(center, azimuth_deg, radius_m)`, and the
//! azimuth step is halved until every lon/lat-linear segment between consecutive vertices —
//! the way RFC 7946 readers draw it — stays within a metre budget of the true circle.
//!
//! The departure of a segment is measured, not assumed: interior points of the plate-carrée
//! segment are sampled (7 evenly spaced points, then a golden-section search around the worst
//! one) and the departure of each is `|Geodesic.distance(center, p) − radius_m|`.

use geo::{Coord, Destination, Distance, Geodesic, Point};

use super::GeometryError;

/// Number of equal azimuth intervals the subdivision starts from.
const INITIAL_INTERVALS: usize = 16;
/// Maximum number of halvings of an initial interval (smallest step 22.5° / 2²⁰ ≈ 2·10⁻⁵°).
const MAX_DEPTH: u32 = 20;
/// A segment sweeping more longitude than this is always split, which keeps the unwrapping
/// of longitudes (shortest way between consecutive vertices) unambiguous even near a pole.
const MAX_SEGMENT_DLON_DEG: f64 = 45.0;
/// Interior sample fractions of a segment, most likely worst first (early rejection).
const SAMPLE_FRACTIONS: [f64; 7] = [0.5, 0.25, 0.75, 0.125, 0.375, 0.625, 0.875];
/// Golden-section iterations used to refine the worst sample of an accepted segment.
const REFINE_ITERATIONS: usize = 14;
/// A vertex whose distance from the centre differs from the radius by more than this lies
/// beyond the cut locus of the centre (only happens just below the antipodal distance).
///
/// # Units
/// Metres.
const CUT_LOCUS_TOLERANCE_M: f64 = 1e-3;
/// Vertices closer than this to a pole (in degrees of latitude) have an ill-defined longitude
/// and are nudged along the circle.
const POLE_GUARD_DEG: f64 = 1e-9;

/// A geodesic circle sampled densely enough for a given error budget.
#[derive(Debug, Clone)]
pub struct SampledCircle {
    /// Vertices in increasing azimuth order (clockwise around the centre, so the disc lies on
    /// the *right*), starting due north of the centre; not closed; lon in [-180, 180].
    pub points: Vec<Coord<f64>>,
    /// Azimuth of each vertex, degrees clockwise from north, in [0, 360).
    pub azimuths_deg: Vec<f64>,
    /// Largest measured departure of a lon/lat-linear segment from the circle.
    ///
    /// # Units
    /// Metres.
    pub max_error_m: f64,
}

/// Samples the geodesic circle of `radius_m` around `center` so that straight lon/lat
/// segments between consecutive vertices depart from it by at most `segment_budget_m`.
///
/// # Units
/// `center`: (lon, lat) degrees; `radius_m`, `segment_budget_m`: metres.
///
/// When the radius lies in the cut-locus band just below the antipodal distance (some
/// geodesics from the centre stop being shortest before reaching it), the boundary is found
/// by bisection along geodesics from the antipode instead; `azimuths_deg` are then bearings
/// from the antipode.
///
/// # Errors
/// [`GeometryError::ToleranceNotMet`] when the subdivision depth limit is hit,
/// [`GeometryError::NearAntipode`] / [`GeometryError::Invalid`] if no boundary vertex at the
/// radius can be found.
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::ring::sample_circle;
///
/// let circle = sample_circle(Point::new(45.75, 48.5833), 500_000.0, 50.0)?;
/// assert!(circle.max_error_m <= 50.0);
/// assert!(circle.points.len() > 16);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn sample_circle(
    center: Point<f64>,
    radius_m: f64,
    segment_budget_m: f64,
) -> Result<SampledCircle, GeometryError> {
    let on_circle = |az_deg: f64| Ok(Geodesic.destination(center, az_deg, radius_m));
    match sample_curve(&on_circle, center, radius_m, segment_budget_m) {
        Err(GeometryError::NearAntipode { .. }) if radius_m < antipode_distance_m(center) => {
            // Some geodesics pass the cut locus before reaching the radius: the boundary is
            // found instead along geodesics from the antipode, where the (small) complement
            // of the disc lies. Bearing order from the antipode is clockwise around the
            // complement, i.e. the disc is on the left: reverse to keep it on the right.
            let anti = antipode(center);
            let from_antipode =
                |bearing_deg: f64| boundary_from_antipode(center, anti, radius_m, bearing_deg);
            let mut c = sample_curve(&from_antipode, center, radius_m, segment_budget_m)?;
            c.points.reverse();
            c.azimuths_deg.reverse();
            Ok(c)
        }
        other => other,
    }
}

/// Adaptive sampling of the closed curve `curve(param_deg)`, `param_deg` in [0, 360), whose
/// points all lie at geodesic distance `radius_m` from `center`.
fn sample_curve(
    curve: &dyn Fn(f64) -> Result<Point<f64>, GeometryError>,
    center: Point<f64>,
    radius_m: f64,
    segment_budget_m: f64,
) -> Result<SampledCircle, GeometryError> {
    let circle_vertex = |center: Point<f64>, radius_m: f64, az_deg: f64| {
        curve_vertex(curve, center, radius_m, az_deg)
    };
    let step_deg = 360.0 / INITIAL_INTERVALS as f64;
    let mut initial = Vec::with_capacity(INITIAL_INTERVALS);
    for k in 0..INITIAL_INTERVALS {
        initial.push(circle_vertex(center, radius_m, k as f64 * step_deg)?);
    }
    let first = initial[0];
    // The closing vertex (azimuth 360°) is the first vertex itself, bit for bit.
    let closing = Vertex {
        az_deg: 360.0,
        pos: first.pos,
    };

    let mut points = vec![first.pos];
    let mut azimuths_deg = vec![first.az_deg];
    let mut max_error_m: f64 = 0.0;
    // Depth-first stack of intervals; the leftmost interval is on top so output stays ordered.
    let mut stack: Vec<(Vertex, Vertex, u32)> = Vec::new();
    for k in (0..INITIAL_INTERVALS).rev() {
        let b = if k + 1 == INITIAL_INTERVALS {
            closing
        } else {
            initial[k + 1]
        };
        stack.push((initial[k], b, 0));
    }
    while let Some((a, b, depth)) = stack.pop() {
        let b_unwrapped = unwrap_towards(a.pos, b.pos);
        let too_wide = (b_unwrapped.x - a.pos.x).abs() > MAX_SEGMENT_DLON_DEG;
        let error_m = if too_wide && depth < MAX_DEPTH {
            f64::INFINITY
        } else {
            lonlat_segment_error_m(center, radius_m, a.pos, b_unwrapped, segment_budget_m)
        };
        if error_m > segment_budget_m && depth < MAX_DEPTH {
            let mid = circle_vertex(center, radius_m, 0.5 * (a.az_deg + b.az_deg))?;
            stack.push((mid, b, depth + 1));
            stack.push((a, mid, depth + 1));
            continue;
        }
        max_error_m = max_error_m.max(error_m);
        if b.az_deg < 360.0 {
            points.push(b.pos);
            azimuths_deg.push(b.az_deg);
        }
    }
    if max_error_m > segment_budget_m {
        return Err(GeometryError::ToleranceNotMet {
            requested_m: segment_budget_m,
            achieved_m: max_error_m,
        });
    }
    Ok(SampledCircle {
        points,
        azimuths_deg,
        max_error_m,
    })
}

/// Largest departure from the geodesic circle of the straight lon/lat segment `a`–`b`.
///
/// `b.x` must already be unwrapped relative to `a.x` (the segment is drawn through the
/// longitudes between them, which may leave [-180, 180]). Returns as soon as a sample exceeds
/// `reject_above_m` (the value returned is then only a lower bound, larger than the limit);
/// otherwise refines the worst sample with a golden-section search.
///
/// # Units
/// Degrees for `a`, `b`, `center`; metres for `radius_m`, `reject_above_m` and the result.
pub fn lonlat_segment_error_m(
    center: Point<f64>,
    radius_m: f64,
    a: Coord<f64>,
    b: Coord<f64>,
    reject_above_m: f64,
) -> f64 {
    let error_at = |t: f64| -> f64 {
        let p = Point::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
        (Geodesic.distance(center, p) - radius_m).abs()
    };
    let mut worst_t = 0.5;
    let mut worst_m: f64 = 0.0;
    for &t in &SAMPLE_FRACTIONS {
        let e = error_at(t);
        if e > reject_above_m {
            return e;
        }
        if e > worst_m {
            worst_m = e;
            worst_t = t;
        }
    }
    // Golden-section search for the maximum in the bracket around the worst sample.
    let inv_phi = (5.0_f64.sqrt() - 1.0) / 2.0;
    let mut lo = (worst_t - 0.125).max(0.0);
    let mut hi = (worst_t + 0.125).min(1.0);
    let mut x1 = hi - inv_phi * (hi - lo);
    let mut x2 = lo + inv_phi * (hi - lo);
    let mut f1 = error_at(x1);
    let mut f2 = error_at(x2);
    worst_m = worst_m.max(f1).max(f2);
    for _ in 0..REFINE_ITERATIONS {
        if f1 > f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - inv_phi * (hi - lo);
            f1 = error_at(x1);
            worst_m = worst_m.max(f1);
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + inv_phi * (hi - lo);
            f2 = error_at(x2);
            worst_m = worst_m.max(f2);
        }
    }
    worst_m
}

/// Returns `b` with its longitude shifted by a multiple of 360° so that it is within 180° of
/// `a.x` (the short way round).
pub fn unwrap_towards(a: Coord<f64>, b: Coord<f64>) -> Coord<f64> {
    Coord {
        x: a.x + wrap_deg(b.x - a.x),
        y: b.y,
    }
}

/// Wraps a longitude difference into [-180, 180).
///
/// # Units
/// Degrees.
pub fn wrap_deg(delta_deg: f64) -> f64 {
    let w = (delta_deg + 180.0).rem_euclid(360.0) - 180.0;
    if w.is_finite() {
        w
    } else {
        0.0
    }
}

#[derive(Debug, Clone, Copy)]
struct Vertex {
    az_deg: f64,
    pos: Coord<f64>,
}

/// The point of the curve at `param_deg`, nudged along the curve if it falls on a pole, checked
/// to lie at `radius_m` from the centre.
fn curve_vertex(
    curve: &dyn Fn(f64) -> Result<Point<f64>, GeometryError>,
    center: Point<f64>,
    radius_m: f64,
    param_deg: f64,
) -> Result<Vertex, GeometryError> {
    let mut az = param_deg;
    let mut nudge_deg = 1e-7;
    for _ in 0..8 {
        let p = curve(az)?;
        if p.y().abs() < 90.0 - POLE_GUARD_DEG {
            let d_m = Geodesic.distance(center, p);
            if !d_m.is_finite() || (d_m - radius_m).abs() > CUT_LOCUS_TOLERANCE_M {
                return Err(GeometryError::NearAntipode {
                    radius_m,
                    antipode_distance_m: antipode_distance_m(center),
                });
            }
            let lon = p.x() - 360.0 * (p.x() / 360.0).round();
            return Ok(Vertex {
                az_deg: az,
                pos: Coord { x: lon, y: p.y() },
            });
        }
        az += nudge_deg;
        nudge_deg *= 10.0;
    }
    Err(GeometryError::Invalid(format!(
        "boundary vertex at parameter {param_deg}° stays on a pole"
    )))
}

/// The point on the geodesic from `anti` (the antipode of `center`) with bearing
/// `bearing_deg` where the distance from `center` falls to `radius_m` (bisection).
///
/// Used only for radii within a few tens of kilometres below the antipodal distance, where
/// the complement of the disc is a small region around the antipode.
fn boundary_from_antipode(
    center: Point<f64>,
    anti: Point<f64>,
    radius_m: f64,
    bearing_deg: f64,
) -> Result<Point<f64>, GeometryError> {
    let dist_at =
        |s_m: f64| Geodesic.distance(center, Geodesic.destination(anti, bearing_deg, s_m));
    let mut lo_m = 0.0;
    let mut hi_m = 50_000.0;
    while dist_at(hi_m) >= radius_m {
        lo_m = hi_m;
        hi_m *= 2.0;
        if hi_m > 5_000_000.0 {
            return Err(GeometryError::Invalid(format!(
                "no disc boundary along bearing {bearing_deg}° from the antipode"
            )));
        }
    }
    while hi_m - lo_m > 1e-5 {
        let mid_m = 0.5 * (lo_m + hi_m);
        if dist_at(mid_m) >= radius_m {
            lo_m = mid_m;
        } else {
            hi_m = mid_m;
        }
    }
    Ok(Geodesic.destination(anti, bearing_deg, 0.5 * (lo_m + hi_m)))
}

/// The antipode (lon ± 180°, −lat) of a point.
fn antipode(center: Point<f64>) -> Point<f64> {
    Point::new(
        center.x() + if center.x() > 0.0 { -180.0 } else { 180.0 },
        -center.y(),
    )
}

/// Geodesic distance from `center` to its antipode (lon + 180°, −lat).
///
/// # Units
/// `center` in degrees, result in metres.
pub fn antipode_distance_m(center: Point<f64>) -> f64 {
    Geodesic.distance(center, antipode(center))
}

#[cfg(test)]
mod tests {
    use super::*;
    use approx::assert_relative_eq;

    #[test]
    fn wrap_deg_range() {
        assert_relative_eq!(wrap_deg(190.0), -170.0);
        assert_relative_eq!(wrap_deg(-190.0), 170.0);
        assert_relative_eq!(wrap_deg(180.0), -180.0);
        assert_relative_eq!(wrap_deg(0.5), 0.5);
        assert_relative_eq!(wrap_deg(720.25), 0.25);
    }

    #[test]
    fn vertices_lie_on_the_circle_and_error_within_budget() {
        let center = Point::new(45.75, 48.5833);
        let radius_m = 5_500_000.0;
        let c = sample_circle(center, radius_m, 50.0).expect("sampling works");
        assert!(c.max_error_m <= 50.0);
        assert_eq!(c.points.len(), c.azimuths_deg.len());
        for (p, az) in c.points.iter().zip(&c.azimuths_deg) {
            let d = Geodesic.distance(center, Point::from(*p));
            assert!((d - radius_m).abs() < 1e-3, "vertex at az {az} off by {d}");
            assert!(p.x >= -180.0 && p.x <= 180.0);
        }
        // Azimuths strictly increasing.
        assert!(c.azimuths_deg.windows(2).all(|w| w[0] < w[1]));
        // Independent dense check of every segment at 64 points.
        let n = c.points.len();
        for i in 0..n {
            let a = c.points[i];
            let b = unwrap_towards(a, c.points[(i + 1) % n]);
            for k in 1..64 {
                let t = k as f64 / 64.0;
                let p = Point::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y));
                let e = (Geodesic.distance(center, p) - radius_m).abs();
                assert!(e <= 50.0 + 1e-6, "segment {i} departs {e} m at t={t}");
            }
        }
    }

    #[test]
    fn tighter_budget_needs_more_vertices() {
        let center = Point::new(177.51, 64.73);
        let coarse = sample_circle(center, 1_000_000.0, 100.0).expect("coarse");
        let fine = sample_circle(center, 1_000_000.0, 10.0).expect("fine");
        assert!(fine.points.len() > 2 * coarse.points.len());
    }

    #[test]
    fn circle_around_the_pole_is_sampled() {
        let c = sample_circle(Point::new(0.0, 90.0), 1_000_000.0, 100.0).expect("pole centre");
        // A latitude circle: all vertices at the same latitude.
        let lat0 = c.points[0].y;
        assert!(c.points.iter().all(|p| (p.y - lat0).abs() < 1e-9));
    }

    #[test]
    fn cut_locus_band_is_sampled_from_the_antipode() {
        let center = Point::new(10.0, 0.0);
        let d = antipode_distance_m(center);
        let radius_m = d - 10_000.0;
        // Straight from the centre the vertices are not at the radius any more ...
        let on_circle = |az_deg: f64| Ok(Geodesic.destination(center, az_deg, radius_m));
        assert!(matches!(
            sample_curve(&on_circle, center, radius_m, 50.0),
            Err(GeometryError::NearAntipode { .. })
        ));
        // ... but the boundary found from the antipode is.
        let c = sample_circle(center, radius_m, 50.0).expect("antipodal sampling");
        assert!(c.max_error_m <= 50.0);
        for p in &c.points {
            let e = (Geodesic.distance(center, Point::from(*p)) - radius_m).abs();
            assert!(e < 1e-3, "{e}");
        }
    }
}
