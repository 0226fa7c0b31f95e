//! The boundary circles around one centre, each sampled once however many bands share it.
//!
//! A band's two edges are also the edges of its neighbours and of the discs the coverage
//! zones are merged from: the 1,000 km circle of the INF bands bounds the shorter-range
//! annulus, the intermediate-range annulus and the 1,000 km disc. [`Circles`] keeps every
//! circle it has sampled with the per-edge budget it was sampled for, and serves a request
//! with a circle of the same radius sampled for that budget or a tighter one (or one looser
//! by rounding only, whose measured edges are within the requested budget), so building a
//! site's polygons tightest first samples each circle once. The band builders are its methods (in
//! [`super::annulus`]).

use std::sync::Arc;

use geo::Point;

use super::ring::{sample_circle, tighten_until, SampledCircle};
use super::GeometryError;

/// The sampled circles of one centre.
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::circles::Circles;
///
/// let mut circles = Circles::new(Point::new(44.7, 43.7333));
/// let shorter = circles.annulus(500_000.0, 1_000_000.0, 100.0)?;
/// let intermediate = circles.annulus(1_000_000.0, 5_500_000.0, 100.0)?;
/// // The 1,000 km circle was sampled once, for both bands.
/// assert_eq!(circles.len(), 3);
/// assert!(shorter.max_error_m <= 100.0 && intermediate.max_error_m <= 100.0);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
#[derive(Debug, Clone)]
pub struct Circles {
    center: Point<f64>,
    /// (radius, per-edge budget) → circle, in the order sampled.
    sampled: Vec<((f64, f64), Arc<SampledCircle>)>,
}

impl Circles {
    /// No circle sampled yet around `center` ((lon, lat) degrees).
    pub fn new(center: Point<f64>) -> Self {
        Self {
            center,
            sampled: Vec::new(),
        }
    }

    /// The centre, (lon, lat) degrees.
    pub fn center(&self) -> Point<f64> {
        self.center
    }

    /// Number of distinct circles sampled so far.
    pub fn len(&self) -> usize {
        self.sampled.len()
    }

    /// Whether no circle has been sampled yet.
    pub fn is_empty(&self) -> bool {
        self.sampled.is_empty()
    }

    /// [`sample_circle`] of this centre: of the circles of `radius_m` sampled so far for a
    /// budget at most `segment_budget_m` (or above it by rounding only, and measured within
    /// it), the one with fewest vertices, or else one sampled now. Shared (its disc area is
    /// computed once for all bands).
    ///
    /// # Units
    /// Metres.
    pub fn sample(
        &mut self,
        radius_m: f64,
        segment_budget_m: f64,
    ) -> Result<Arc<SampledCircle>, GeometryError> {
        // A circle serves if it was sampled for this budget or a tighter one, or for one a
        // few units in the last place looser (two bands' area estimates of one circle differ
        // so) with its edges all measured within this budget; the one with fewest vertices.
        let cached = self
            .sampled
            .iter()
            .filter(|((r, b), c)| {
                *r == radius_m
                    && (*b <= segment_budget_m
                        || (*b <= segment_budget_m * (1.0 + SAME_BUDGET)
                            && c.max_error_m <= segment_budget_m))
            })
            .min_by_key(|(_, c)| c.points.len());
        if let Some((_, c)) = cached {
            return Ok(Arc::clone(c));
        }
        let circle = Arc::new(sample_circle(self.center, radius_m, segment_budget_m)?);
        self.sampled
            .push(((radius_m, segment_budget_m), Arc::clone(&circle)));
        Ok(circle)
    }

    /// [`super::ring::sample_circle_within`] of this centre, each budget tried sampled once.
    ///
    /// # Units
    /// Metres; `area_budget_m2` square metres.
    pub fn sample_within(
        &mut self,
        radius_m: f64,
        segment_budget_m: f64,
        area_budget_m2: f64,
    ) -> Result<Arc<SampledCircle>, GeometryError> {
        tighten_until(segment_budget_m, area_budget_m2, |budget_m| {
            self.sample(radius_m, budget_m)
        })
    }
}

/// Relative difference of budgets taken as rounding (see [`Circles::sample`]).
const SAME_BUDGET: f64 = 1e-9;

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{geodesic_annulus, geodesic_disc};

    /// Bands built through one `Circles` share their circles and keep their error bounds;
    /// the first is the band built alone, bit for bit.
    #[test]
    fn shared_circles_give_the_same_bands() {
        let center = Point::new(-170.0, 71.0);
        let mut circles = Circles::new(center);
        let first = circles.annulus(500e3, 1000e3, 100.0).unwrap();
        assert_eq!(
            first,
            geodesic_annulus(center, 500e3, 1000e3, 100.0).unwrap()
        );
        let mut area_m2 = first.area_m2;
        for (inner_m, outer_m) in [(1000e3, 5500e3), (0.0, 500e3)] {
            let shared = circles.annulus(inner_m, outer_m, 100.0).unwrap();
            let alone = geodesic_annulus(center, inner_m, outer_m, 100.0).unwrap();
            assert!(shared.max_error_m <= 100.0);
            assert!((shared.area_m2 - alone.area_m2).abs() <= 2e-4 * alone.area_m2);
            area_m2 += shared.area_m2;
        }
        // The circles the bands share are sampled once; the disc of 5,500 km is the union of
        // the bands and takes their circle.
        let times = |r_m: f64| {
            circles
                .sampled
                .iter()
                .filter(|((r, _), _)| *r == r_m)
                .count()
        };
        assert_eq!((times(1000e3), times(5500e3)), (1, 1));
        let n = circles.len();
        let disc = circles.disc(5500e3, 100.0).unwrap();
        assert_eq!(circles.len(), n);
        assert!((disc.area_m2 - area_m2).abs() <= 1e-9 * area_m2);
        let alone = geodesic_disc(center, 5500e3, 100.0).unwrap();
        assert!((disc.area_m2 - alone.area_m2).abs() <= 2e-4 * alone.area_m2);
    }

    /// A budget a few units in the last place below the one a circle was sampled for is
    /// served by that circle (its edges were measured within it; two bands' area estimates
    /// of one circle differ so); a budget clearly below is sampled anew, even when the
    /// circle's measured departures happen to meet it.
    #[test]
    fn nearly_equal_budgets_share_a_circle() {
        let mut circles = Circles::new(Point::new(60.0, 50.0));
        let first = circles.sample(500e3, 75.0).unwrap();
        let again = circles.sample(500e3, 75.0 * (1.0 - 1e-14)).unwrap();
        assert!(Arc::ptr_eq(&first, &again));
        assert_eq!(circles.len(), 1);
        assert!(first.max_error_m + 1.0 < 75.0);
        let below = circles.sample(500e3, first.max_error_m + 1.0).unwrap();
        assert!(!Arc::ptr_eq(&first, &below));
        assert_eq!(circles.len(), 2);
        let tighter = circles.sample(500e3, 0.5 * first.max_error_m).unwrap();
        assert_eq!(circles.len(), 3);
        assert!(tighter.max_error_m <= 0.5 * first.max_error_m);
        // The tighter circle serves any looser request from now on.
        assert!(Arc::ptr_eq(
            &circles.sample(500e3, 0.9 * first.max_error_m).unwrap(),
            &tighter
        ));
    }
}
