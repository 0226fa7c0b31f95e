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
//! * the density of both circles: every edge within the error bound read as a straight
//!   lon/lat segment, as a geodesic and straight in the site's azimuthal equidistant
//!   projection ([`super::ring`]), and — so that areas read with geodesic edges are right
//!   even for thin or tiny bands — the area between the drawn edges and the true circles at
//!   most [`AREA_TOLERANCE`] of the band's area;
//! * rounding to 6 decimals and checking the result (`rfc7946::finalize`).

use std::sync::Arc;

use geo::{Coord, Distance, Geodesic, MultiPolygon, Point};

use super::antimeridian::{assemble, DirectedRing};
use super::area::earth_area_m2;
use super::circles::Circles;
use super::rfc7946::{count_coords, finalize};
use super::ring::{
    antipode_distance_m, lonlat_segment_error_m, SampledCircle, MIN_SEGMENT_BUDGET_M,
};
use super::{GeometryError, MIN_MAX_ERROR_M, MIN_RADIUS_M, ROUNDING_ALLOWANCE_M};

/// Largest share of a band's area that its drawn polygon, read with geodesic edges, may miss
/// or add: 0.02 %.
pub const AREA_TOLERANCE: f64 = 2e-4;

/// A range band (disc or annulus) ready to be written as RFC 7946 GeoJSON.
#[derive(Debug, Clone, PartialEq)]
pub struct BandPolygon {
    /// The band in (lon, lat) degrees: split at ±180°, rounded to 6 decimals, exteriors
    /// counter-clockwise, holes clockwise, valid by `geo`'s `Validation`.
    pub geometry: MultiPolygon<f64>,
    /// Total number of coordinates written (closing coordinates of each ring included).
    pub vertices: usize,
    /// Bound on the distance between the drawn boundary and the true geodesic circles,
    /// whichever way a reader draws an edge: the larger of [`Self::max_error_lonlat_m`] and
    /// [`Self::max_error_geodesic_m`] (and of the departure of straight edges in the site's
    /// azimuthal equidistant projection, held to the same budget). Never more than the
    /// requested value.
    ///
    /// # Units
    /// Metres.
    pub max_error_m: f64,
    /// Largest departure of an edge drawn as a straight lon/lat segment (as GeoJSON readers
    /// draw it), plus the rounding allowance.
    ///
    /// # Units
    /// Metres.
    pub max_error_lonlat_m: f64,
    /// Largest departure of an edge read as a geodesic (PostGIS `geography`, pyproj, Google
    /// Earth), plus the rounding allowance.
    ///
    /// # Units
    /// Metres.
    pub max_error_geodesic_m: f64,
    /// Geodesic area of the band as drawn (edges read as geodesics); within
    /// [`AREA_TOLERANCE`] of the exact area of the band.
    ///
    /// # Units
    /// Square metres.
    pub area_m2: f64,
}

impl BandPolygon {
    /// A band with no polygon (its inner radius reaches past the antipode).
    pub fn empty() -> Self {
        Self {
            geometry: MultiPolygon::new(vec![]),
            vertices: 0,
            max_error_m: 0.0,
            max_error_lonlat_m: 0.0,
            max_error_geodesic_m: 0.0,
            area_m2: 0.0,
        }
    }
}

/// Polygon of all points whose geodesic distance from `center` is at most `radius_m`.
///
/// The boundary's vertices are points of Karney's direct problem from the centre, dense
/// enough that every edge departs from the true geodesic circle by at most `max_error_m`
/// (rounding to 6 decimals included) whether it is drawn as a straight lon/lat segment, read
/// as a geodesic or drawn straight in the azimuthal equidistant projection centred on the
/// site, and that the area read with geodesic edges is within [`AREA_TOLERANCE`] of the
/// disc's. A disc crossing ±180° is split there, at a vertex on the circle;
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
    Circles::new(center).disc(radius_m, max_error_m)
}

/// [`geodesic_disc`] whose boundary is also dense enough for the areas of bands it will be
/// combined into: the area between its drawn edges and the true circle is at most
/// [`AREA_TOLERANCE`] × `reference_area_m2` (and × its own area).
///
/// [`crate::layers`] builds the discs it merges into coverage zones this way, with the area
/// of the thinnest band the circle bounds as the reference.
///
/// # Units
/// `center`: (lon, lat) degrees; `radius_m`, `max_error_m`: metres; `reference_area_m2`:
/// square metres.
///
/// # Errors
/// As [`geodesic_disc`].
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::{geodesic_disc, geodesic_disc_for_area};
///
/// let c = Point::new(44.7, 43.7333);
/// // As the outer edge of a 999–1,000 km band (6.3e9 m²) the circle needs more vertices.
/// let plain = geodesic_disc(c, 1_000_000.0, 100.0)?;
/// let edge = geodesic_disc_for_area(c, 1_000_000.0, 100.0, 6.3e9)?;
/// assert!(edge.vertices > 2 * plain.vertices);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn geodesic_disc_for_area(
    center: Point<f64>,
    radius_m: f64,
    max_error_m: f64,
    reference_area_m2: f64,
) -> Result<BandPolygon, GeometryError> {
    Circles::new(center).disc_for_area(radius_m, max_error_m, reference_area_m2)
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
    Circles::new(center).annulus(inner_radius_m, outer_radius_m, max_error_m)
}

impl Circles {
    /// [`geodesic_disc`] around this centre.
    ///
    /// # Errors
    /// As [`geodesic_disc`].
    pub fn disc(&mut self, radius_m: f64, max_error_m: f64) -> Result<BandPolygon, GeometryError> {
        validate_center(self.center())?;
        validate_max_error(max_error_m)?;
        validate_radius("radius_m", radius_m)?;
        build_band(self, None, radius_m, max_error_m, f64::INFINITY)
    }

    /// [`geodesic_disc_for_area`] around this centre.
    ///
    /// # Errors
    /// As [`geodesic_disc_for_area`].
    pub fn disc_for_area(
        &mut self,
        radius_m: f64,
        max_error_m: f64,
        reference_area_m2: f64,
    ) -> Result<BandPolygon, GeometryError> {
        validate_center(self.center())?;
        validate_max_error(max_error_m)?;
        validate_radius("radius_m", radius_m)?;
        if reference_area_m2.is_nan() || reference_area_m2 <= 0.0 {
            return Err(GeometryError::InvalidInput(format!(
                "reference_area_m2 must be positive, got {reference_area_m2}"
            )));
        }
        build_band(self, None, radius_m, max_error_m, reference_area_m2)
    }

    /// [`geodesic_annulus`] around this centre.
    ///
    /// # Errors
    /// As [`geodesic_annulus`].
    pub fn annulus(
        &mut self,
        inner_radius_m: f64,
        outer_radius_m: f64,
        max_error_m: f64,
    ) -> Result<BandPolygon, GeometryError> {
        validate_center(self.center())?;
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
            return build_band(self, None, outer_radius_m, max_error_m, f64::INFINITY);
        }
        validate_radius("inner_radius_m", inner_radius_m)?;
        build_band(
            self,
            Some(inner_radius_m),
            outer_radius_m,
            max_error_m,
            f64::INFINITY,
        )
    }
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

/// Mean radius of the authalic sphere of WGS84, for estimates only.
///
/// # Units
/// Metres.
const AUTHALIC_RADIUS_M: f64 = 6_371_007.2;

/// The per-edge budget at which the area between a band's drawn edges and its true circles
/// stays within [`AREA_TOLERANCE`] of the band's area (and of `reference_area_m2`), estimated
/// on the authalic sphere: each edge adds at most ⅔ · budget · its length, so a circle adds
/// at most ⅔ · budget · its circumference. The result is only the first budget tried;
/// the defect is measured afterwards.
///
/// # Units
/// Metres; `reference_area_m2` square metres. `None` radii: no such circle.
fn area_segment_budget_m(
    inner_radius_m: Option<f64>,
    outer_radius_m: Option<f64>,
    reference_area_m2: f64,
) -> f64 {
    let r = AUTHALIC_RADIUS_M;
    let cap_m2 = |radius_m: f64| 2.0 * std::f64::consts::PI * r * r * (1.0 - (radius_m / r).cos());
    let circumference_m =
        |radius_m: f64| 2.0 * std::f64::consts::PI * r * (radius_m / r).sin().abs();
    let outer_m2 = outer_radius_m.map_or(4.0 * std::f64::consts::PI * r * r, cap_m2);
    let band_m2 = outer_m2 - inner_radius_m.map_or(0.0, cap_m2);
    let length_m: f64 = [inner_radius_m, outer_radius_m]
        .into_iter()
        .flatten()
        .map(circumference_m)
        .sum();
    let allowed_m2 = AREA_TOLERANCE * band_m2.min(reference_area_m2);
    let budget_m = 1.5 * allowed_m2 / length_m;
    if budget_m.is_finite() {
        budget_m.max(MIN_SEGMENT_BUDGET_M)
    } else {
        f64::INFINITY
    }
}

fn build_band(
    circles: &mut Circles,
    inner_radius_m: Option<f64>,
    outer_radius_m: f64,
    max_error_m: f64,
    reference_area_m2: f64,
) -> Result<BandPolygon, GeometryError> {
    let center = circles.center();
    let segment_budget_m = (max_error_m - ROUNDING_ALLOWANCE_M) * (1.0 - MEASUREMENT_MARGIN);
    let antipode_m = antipode_distance_m(center);
    if inner_radius_m.is_some_and(|inner_m| inner_m >= antipode_m) {
        return Ok(BandPolygon::empty());
    }

    // Both circles at the per-edge budget, tightened where the band's area needs it (by an
    // estimate, so that one pass is enough); then, if the area between their edges and the
    // true circles is still too large a share of the band's area, again with the share
    // allowed.
    let outer_m = (outer_radius_m < antipode_m).then_some(outer_radius_m);
    let first_budget_m = segment_budget_m.min(area_segment_budget_m(
        inner_radius_m,
        outer_m,
        reference_area_m2,
    ));
    let mut sample = |radius_m: f64, area_budget_m2: f64| {
        if area_budget_m2.is_finite() {
            circles.sample_within(radius_m, first_budget_m, area_budget_m2)
        } else {
            circles.sample(radius_m, first_budget_m)
        }
    };
    let mut outer = outer_m.map(|r| sample(r, f64::INFINITY)).transpose()?;
    let mut inner = inner_radius_m
        .map(|r| sample(r, f64::INFINITY))
        .transpose()?;
    let outer_area_m2 = outer.as_ref().map_or(earth_area_m2(), |c| c.disc_area_m2());
    let inner_area_m2 = inner.as_ref().map_or(0.0, |c| c.disc_area_m2());
    let band_area_m2 = outer_area_m2 - inner_area_m2;
    let allowed_m2 = AREA_TOLERANCE * band_area_m2.min(reference_area_m2);
    let defect_m2 = |c: &Option<Arc<SampledCircle>>| c.as_ref().map_or(0.0, |c| c.area_defect_m2);
    let total_defect_m2 = defect_m2(&outer) + defect_m2(&inner);
    if total_defect_m2 > allowed_m2 {
        // Each circle gets the share of the allowance it had of the defect.
        let share = allowed_m2 / total_defect_m2;
        if let (Some(r), Some(c)) = (outer_m, &outer) {
            let budget = share * c.area_defect_m2;
            outer = Some(sample(r, budget)?);
        }
        if let (Some(r), Some(c)) = (inner_radius_m, &inner) {
            let budget = share * c.area_defect_m2;
            inner = Some(sample(r, budget)?);
        }
    }

    let mut curves: Vec<DirectedRing> = Vec::with_capacity(2);
    let mut lonlat_m: f64 = 0.0;
    let mut other_m: f64 = 0.0;
    let mut geodesic_m: f64 = 0.0;
    let mut area_m2 = earth_area_m2();
    if let (Some(r), Some(c)) = (outer_m, &outer) {
        let (ring, ring_lonlat_m) = disc_boundary(center, r, c)?;
        lonlat_m = lonlat_m.max(ring_lonlat_m);
        geodesic_m = geodesic_m.max(c.max_error_geodesic_m);
        other_m = other_m.max(c.max_error_m);
        area_m2 = c.disc_area_m2();
        // Sampled clockwise (disc on the right): reverse so the disc is on the left.
        curves.push(ring.reversed());
    }
    if let (Some(r), Some(c)) = (inner_radius_m, &inner) {
        let (ring, ring_lonlat_m) = disc_boundary(center, r, c)?;
        lonlat_m = lonlat_m.max(ring_lonlat_m);
        geodesic_m = geodesic_m.max(c.max_error_geodesic_m);
        other_m = other_m.max(c.max_error_m);
        area_m2 -= c.disc_area_m2();
        // Clockwise: the inner disc is on the right, the band on the left.
        curves.push(ring);
    }
    let raw = assemble(&curves)?;
    let geometry = finalize(&raw)?;
    let (lonlat_m, geodesic_m, achieved_m) = if curves.is_empty() {
        (0.0, 0.0, 0.0)
    } else {
        (
            lonlat_m + ROUNDING_ALLOWANCE_M,
            geodesic_m + ROUNDING_ALLOWANCE_M,
            lonlat_m.max(other_m) + ROUNDING_ALLOWANCE_M,
        )
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
        max_error_lonlat_m: lonlat_m,
        max_error_geodesic_m: geodesic_m,
        area_m2,
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
/// departure of a lon/lat-drawn edge in metres (a re-routed edge is measured again).
fn disc_boundary(
    center: Point<f64>,
    radius_m: f64,
    circle: &SampledCircle,
) -> Result<(DirectedRing, f64), GeometryError> {
    let mut ring = DirectedRing::from_wrapped(&circle.points);
    let mut measured_m = circle.max_error_lonlat_m;
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
