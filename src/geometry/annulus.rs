//! Geodesic discs and annuli (range bands) around a site, as valid RFC 7946 polygons.
//!
//! This file owns the public builders [`geodesic_disc`] and [`geodesic_annulus`] and the
//! decisions that make them right everywhere on the globe:
//!
//! * which poles a disc contains (geodesic distance from the centre to each pole against the
//!   radius) and the winding of its boundary that this implies;
//! * the whole-globe case (radius at least the distance to the antipode) and the empty band
//!   (inner radius that large);
//! * orienting each boundary circle so the band lies on its left (outer circle: disc side;
//!   inner circle: outside side) and handing both to [`super::antimeridian::assemble`], which
//!   builds the band directly — no boolean operation is needed, so the antimeridian cuts are
//!   exact;
//! * rounding to 6 decimals and checking the result (`rfc7946::finalize`).

use geo::{Coord, Distance, Geodesic, MultiPolygon, Point};

use super::antimeridian::{assemble, DirectedRing};
use super::rfc7946::{count_coords, finalize};
use super::ring::{antipode_distance_m, lonlat_segment_error_m, sample_circle};
use super::{GeometryError, MIN_MAX_ERROR_M, MIN_RADIUS_M, ROUNDING_ALLOWANCE_M};

/// A range band (disc or annulus) ready to be written as RFC 7946 GeoJSON.
#[derive(Debug, Clone, PartialEq)]
pub struct BandPolygon {
    /// The band in (lon, lat) degrees: split at ±180°, rounded to 6 decimals, exteriors
    /// counter-clockwise, holes clockwise, valid by `geo`'s `Validation`.
    pub geometry: MultiPolygon<f64>,
    /// Total number of coordinates written (closing coordinates of each ring included).
    pub vertices: usize,
    /// Bound on the distance between the drawn boundary and the true geodesic circles: the
    /// largest measured departure of any drawn segment plus the rounding allowance. Never
    /// more than the requested value.
    ///
    /// # Units
    /// Metres.
    pub max_error_m: f64,
}

/// Polygon of all points whose geodesic distance from `center` is at most `radius_m`.
///
/// The boundary is drawn with straight lon/lat segments between points of Karney's direct
/// problem from the centre, dense enough that it departs from the true geodesic circle by at
/// most `max_error_m` (rounding to 6 decimals included). A disc crossing ±180° is split there;
/// a disc containing a pole reaches it along lat ±90°; a disc containing both poles is the
/// world rectangle minus the (small) complement; a radius at least the distance to the
/// antipode gives the whole world.
///
/// # Units
/// `center`: (lon, lat) degrees; `radius_m`, `max_error_m`: metres.
///
/// # Errors
/// [`GeometryError::InvalidInput`] for non-finite or out-of-range arguments (radius below
/// [`super::MIN_RADIUS_M`], `max_error_m` below [`super::MIN_MAX_ERROR_M`], latitude beyond
/// ±90°). Radii within the few tens of kilometres below the antipodal distance, where some
/// geodesics from the centre pass its cut locus before reaching the radius, are handled by
/// finding the boundary along geodesics from the antipode instead.
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::{contains, geodesic_disc};
///
/// // 5500 km around Anadyr: crosses the antimeridian and encloses the North Pole.
/// let disc = geodesic_disc(Point::new(177.51, 64.73), 5_500_000.0, 100.0)?;
/// assert!(contains(&disc.geometry, Point::new(0.0, 90.0)));
/// assert!(disc.max_error_m <= 100.0);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn geodesic_disc(
    center: Point<f64>,
    radius_m: f64,
    max_error_m: f64,
) -> Result<BandPolygon, GeometryError> {
    validate_center(center)?;
    validate_max_error(max_error_m)?;
    validate_radius("radius_m", radius_m)?;
    build_band(center, None, radius_m, max_error_m)
}

/// Polygon of all points whose geodesic distance `d` from `center` satisfies
/// `inner_radius_m < d ≤ outer_radius_m` (an `inner_radius_m` of 0 gives the disc).
///
/// Both boundary circles obey the rules of [`geodesic_disc`]; the hole is whatever the inner
/// disc cuts out, even when either circle crosses ±180° or encloses a pole. An inner radius at
/// least the antipodal distance gives an empty band (`geometry` with no polygon).
///
/// # Units
/// `center`: (lon, lat) degrees; radii and `max_error_m`: metres.
///
/// # Errors
/// As [`geodesic_disc`], plus [`GeometryError::InvalidInput`] when
/// `inner_radius_m >= outer_radius_m`.
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::{contains, geodesic_annulus};
///
/// // 500–1000 km band around Mozdok.
/// let mozdok = Point::new(44.7, 43.7333);
/// let band = geodesic_annulus(mozdok, 500_000.0, 1_000_000.0, 100.0)?;
/// assert_eq!(band.geometry.0.len(), 1);
/// assert_eq!(band.geometry.0[0].interiors().len(), 1);
/// assert!(!contains(&band.geometry, mozdok));
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn geodesic_annulus(
    center: Point<f64>,
    inner_radius_m: f64,
    outer_radius_m: f64,
    max_error_m: f64,
) -> Result<BandPolygon, GeometryError> {
    validate_center(center)?;
    validate_max_error(max_error_m)?;
    validate_radius("outer_radius_m", outer_radius_m)?;
    if !inner_radius_m.is_finite() || inner_radius_m < 0.0 {
        return Err(GeometryError::InvalidInput(format!(
            "inner_radius_m must be finite and ≥ 0, got {inner_radius_m}"
        )));
    }
    if inner_radius_m >= outer_radius_m {
        return Err(GeometryError::InvalidInput(format!(
            "inner_radius_m ({inner_radius_m}) must be below outer_radius_m ({outer_radius_m})"
        )));
    }
    if inner_radius_m == 0.0 {
        return build_band(center, None, outer_radius_m, max_error_m);
    }
    validate_radius("inner_radius_m", inner_radius_m)?;
    build_band(center, Some(inner_radius_m), outer_radius_m, max_error_m)
}

fn validate_center(center: Point<f64>) -> Result<(), GeometryError> {
    if !center.x().is_finite() || !center.y().is_finite() || center.y().abs() > 90.0 {
        return Err(GeometryError::InvalidInput(format!(
            "centre must be finite (lon, lat) with |lat| ≤ 90, got ({}, {})",
            center.x(),
            center.y()
        )));
    }
    Ok(())
}

fn validate_max_error(max_error_m: f64) -> Result<(), GeometryError> {
    if !max_error_m.is_finite() || max_error_m < MIN_MAX_ERROR_M {
        return Err(GeometryError::InvalidInput(format!(
            "max_error_m must be finite and ≥ {MIN_MAX_ERROR_M}, got {max_error_m}"
        )));
    }
    Ok(())
}

fn validate_radius(name: &str, radius_m: f64) -> Result<(), GeometryError> {
    if !radius_m.is_finite() || radius_m < MIN_RADIUS_M {
        return Err(GeometryError::InvalidInput(format!(
            "{name} must be finite and ≥ {MIN_RADIUS_M} m, got {radius_m}"
        )));
    }
    Ok(())
}

/// Share of the budget kept back for the imprecision of the measured segment error.
const MEASUREMENT_MARGIN: f64 = 0.01;

fn build_band(
    center: Point<f64>,
    inner_radius_m: Option<f64>,
    outer_radius_m: f64,
    max_error_m: f64,
) -> Result<BandPolygon, GeometryError> {
    let segment_budget_m = (max_error_m - ROUNDING_ALLOWANCE_M) * (1.0 - MEASUREMENT_MARGIN);
    let antipode_m = antipode_distance_m(center);

    let mut curves: Vec<DirectedRing> = Vec::with_capacity(2);
    let mut measured_m: f64 = 0.0;
    if outer_radius_m < antipode_m {
        let (ring, err_m) = disc_boundary(center, outer_radius_m, segment_budget_m)?;
        measured_m = measured_m.max(err_m);
        // Sampled clockwise (disc on the right): reverse so the disc is on the left.
        curves.push(ring.reversed());
    }
    if let Some(inner_m) = inner_radius_m {
        if inner_m >= antipode_m {
            return Ok(BandPolygon {
                geometry: MultiPolygon::new(vec![]),
                vertices: 0,
                max_error_m: 0.0,
            });
        }
        let (ring, err_m) = disc_boundary(center, inner_m, segment_budget_m)?;
        measured_m = measured_m.max(err_m);
        // Clockwise: the inner disc is on the right, the band on the left.
        curves.push(ring);
    }
    let raw = assemble(&curves)?;
    let geometry = finalize(&raw)?;
    let achieved_m = if curves.is_empty() {
        0.0
    } else {
        measured_m + ROUNDING_ALLOWANCE_M
    };
    if achieved_m > max_error_m {
        return Err(GeometryError::ToleranceNotMet {
            requested_m: max_error_m,
            achieved_m,
        });
    }
    Ok(BandPolygon {
        vertices: count_coords(&geometry),
        geometry,
        max_error_m: achieved_m,
    })
}

/// Which poles lie inside the disc.
///
/// # Units
/// `center` degrees, `radius_m` metres.
pub fn poles_inside(center: Point<f64>, radius_m: f64) -> (bool, bool) {
    let north = Geodesic.distance(center, Point::new(0.0, 90.0)) < radius_m;
    let south = Geodesic.distance(center, Point::new(0.0, -90.0)) < radius_m;
    (north, south)
}

/// The boundary circle of a disc, sampled clockwise (disc on the right), with its winding
/// made consistent with the poles the disc contains. Returns the ring and the largest
/// measured segment departure in metres.
fn disc_boundary(
    center: Point<f64>,
    radius_m: f64,
    segment_budget_m: f64,
) -> Result<(DirectedRing, f64), GeometryError> {
    let circle = sample_circle(center, radius_m, segment_budget_m)?;
    let mut ring = DirectedRing::from_wrapped(&circle.points);
    let mut measured_m = circle.max_error_m;
    // Clockwise around the centre: a disc holding only the North Pole is circled westwards.
    let expected = match poles_inside(center, radius_m) {
        (true, false) => -1,
        (false, true) => 1,
        _ => 0,
    };
    if ring.winding != expected {
        // Only possible when the circle passes within metres of a pole, inside one azimuth
        // step: re-route the segment with the largest longitude step the other way round.
        let n = ring.points.len();
        let step = |i: usize| -> f64 {
            let a = ring.points[i];
            let b = if i + 1 == n {
                ring.points[0].x + ring.closing_shift_deg()
            } else {
                ring.points[i + 1].x
            };
            b - a.x
        };
        let (worst, dlon) = (0..n)
            .map(|i| (i, step(i)))
            .max_by(|a, b| a.1.abs().total_cmp(&b.1.abs()))
            .ok_or_else(|| GeometryError::Invalid("empty circle".into()))?;
        let change = expected - ring.winding;
        if change.abs() != 1 || dlon.abs() < 90.0 || dlon.signum() == f64::from(change) {
            return Err(GeometryError::Invalid(format!(
                "circle of radius {radius_m} m: winding {} but poles say {expected}",
                ring.winding
            )));
        }
        let shift = 360.0 * f64::from(change);
        for p in ring.points.iter_mut().skip(worst + 1) {
            p.x += shift;
        }
        ring.winding = expected;
        // Measure the re-routed segment honestly.
        let a = ring.points[worst];
        let b: Coord<f64> = if worst + 1 == n {
            Coord {
                x: ring.points[0].x + ring.closing_shift_deg(),
                y: ring.points[0].y,
            }
        } else {
            ring.points[worst + 1]
        };
        measured_m = measured_m.max(lonlat_segment_error_m(
            center,
            radius_m,
            a,
            b,
            f64::INFINITY,
        ));
    }
    Ok((ring, measured_m))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::contains;
    use geo::Validation;

    #[test]
    fn rejects_bad_input() {
        let c = Point::new(0.0, 0.0);
        assert!(geodesic_disc(c, f64::NAN, 100.0).is_err());
        assert!(geodesic_disc(c, -5.0, 100.0).is_err());
        assert!(geodesic_disc(c, 1000.0, 0.01).is_err());
        assert!(geodesic_disc(Point::new(0.0, 91.0), 1000.0, 100.0).is_err());
        assert!(geodesic_annulus(c, 2000.0, 1000.0, 100.0).is_err());
        assert!(geodesic_annulus(c, 1000.0, 1000.0, 100.0).is_err());
        assert!(geodesic_annulus(c, -1.0, 1000.0, 100.0).is_err());
    }

    #[test]
    fn zero_inner_radius_is_the_disc() {
        let c = Point::new(44.7, 43.7333);
        let a = geodesic_annulus(c, 0.0, 500_000.0, 100.0).expect("annulus");
        let d = geodesic_disc(c, 500_000.0, 100.0).expect("disc");
        assert_eq!(a, d);
    }

    #[test]
    fn whole_world_and_empty_band() {
        let c = Point::new(10.0, 20.0);
        let world = geodesic_disc(c, 25_000_000.0, 100.0).expect("world");
        assert_eq!(world.geometry.0.len(), 1);
        assert!(world.geometry.is_valid());
        assert!(contains(&world.geometry, Point::new(-170.0, -20.0)));
        let empty = geodesic_annulus(c, 21_000_000.0, 25_000_000.0, 100.0).expect("empty");
        assert!(empty.geometry.0.is_empty());
        assert_eq!(empty.vertices, 0);
    }

    #[test]
    fn circle_through_or_grazing_a_pole() {
        for center in [
            Point::new(0.0, 85.0),
            Point::new(-123.4, -80.5),
            Point::new(180.0, 60.0),
        ] {
            let pole = Point::new(0.0, 90.0_f64.copysign(center.y()));
            let d_pole_m = Geodesic.distance(center, pole);
            for delta_m in [-0.5, 0.0, 0.5, 300.0, -300.0] {
                let disc = geodesic_disc(center, d_pole_m + delta_m, 100.0)
                    .unwrap_or_else(|e| panic!("{center:?} {delta_m}: {e}"));
                assert!(disc.geometry.is_valid(), "{center:?} {delta_m}");
                if delta_m.abs() > 200.0 {
                    assert_eq!(contains(&disc.geometry, pole), delta_m > 0.0);
                }
            }
        }
    }

    #[test]
    fn pole_centred_disc() {
        let north = geodesic_disc(Point::new(0.0, 90.0), 1_000_000.0, 100.0).expect("north");
        assert!(north.geometry.is_valid());
        assert!(contains(&north.geometry, Point::new(123.0, 89.0)));
        assert!(!contains(&north.geometry, Point::new(123.0, 80.0)));
        let south = geodesic_disc(Point::new(0.0, -90.0), 1_000_000.0, 100.0).expect("south");
        assert!(contains(&south.geometry, Point::new(-60.0, -89.0)));
        assert!(!contains(&south.geometry, Point::new(-60.0, 89.0)));
    }
}
