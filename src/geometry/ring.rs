//! Adaptive sampling of one geodesic circle on the WGS84 ellipsoid.
//!
//! This file owns the *error-driven vertex density*. Vertices are points of Karney's direct
//! problem from the centre, `Geodesic.destination(center, azimuth_deg, radius_m)`, placed by
//! walking round the circle with an azimuth step adapted edge by edge (the next step is as
//! long as the last edge's measured departure suggests; an edge over budget is tried again
//! shorter), so that every edge between consecutive vertices stays within a metre budget of
//! the true circle **however a client reads the edge**:
//!
//! * as a straight lon/lat segment (RFC 7946 readers, QGIS and GDAL in EPSG:4326, shapely);
//! * as a geodesic (PostGIS `geography`, pyproj's `Geod`, BigQuery, Google Earth's globe);
//! * as a straight line in the azimuthal equidistant projection centred on the site (what
//!   infrange's own one-site maps use);
//! * as a straight line in the polar azimuthal equidistant projection of the site's
//!   hemisphere (`+proj=aeqd +lat_0=90` or `-90`), the usual choice for bands that reach a
//!   pole.
//!
//! The departures are measured, not assumed: interior points of the edge are sampled (the
//! middle and quarter points, then parabolic interpolation to the extremum; every eighth
//! point when the departure changes sign or peaks off-centre) and the departure of each is
//! `|Geodesic.distance(center, p) − radius_m|`. The site-centred projection's is exact in
//! closed form: that projection keeps geodesic distance and azimuth from its centre, so the
//! chord between two circle points `Δα` apart in azimuth comes closest to the centre at its
//! middle, `radius_m · cos(Δα / 2)` away.
//!
//! Where the circle crosses ±180° a vertex is placed exactly on the circle and exactly on the
//! antimeridian (bisection on the azimuth), so the cut made later by
//! [`super::antimeridian`] adds no edge that is off the circle.
//!
//! Each accepted edge also contributes `⅔ · sagitta · length` (the area of a parabolic
//! segment) to an estimate of the area between the geodesic edges and the true circle:
//! [`sample_circle_within`] tightens the budget until that estimate is below a given area.

use geo::{Coord, Destination, Distance, Geodesic, Point};
use geographiclib_rs::geodesic_capability as caps;
use geographiclib_rs::{GeodesicLine, PolygonArea, Winding};

use std::borrow::Borrow;
use std::sync::OnceLock;

use super::{meridian, GeometryError};

/// Smallest number of steps round a circle: the longest step is 360° / 16 = 22.5°.
const INITIAL_INTERVALS: usize = 16;
/// The shortest step is the longest over 2²⁰ (at most 22.5° / 2²⁰ ≈ 2·10⁻⁵°).
const MAX_DEPTH: u32 = 20;
/// A segment sweeping more longitude than this is always split, which keeps the unwrapping
/// of longitudes (shortest way between consecutive vertices) unambiguous even near a pole.
const MAX_SEGMENT_DLON_DEG: f64 = 45.0;
/// Golden-section iterations of the fallback search for a segment's worst departure.
const REFINE_ITERATIONS: usize = 14;
/// A vertex whose distance from the centre differs from the radius by more than this lies
/// beyond the cut locus of the centre (only happens just below the antipodal distance).
///
/// # Units
/// Metres.
const CUT_LOCUS_TOLERANCE_M: f64 = 1e-3;
/// Geodesics from any point of WGS84 are shortest up to at least this length (its cut locus
/// lies near the antipode, more than 19,970 km away), so vertices of smaller circles need no
/// check that they lie at the radius.
///
/// # Units
/// Metres.
const NO_CUT_LOCUS_BELOW_M: f64 = 19_000_000.0;
/// Vertices closer than this to a pole (in degrees of latitude) have an ill-defined longitude
/// and are nudged along the circle.
const POLE_GUARD_DEG: f64 = 1e-9;
/// Vertices closer than this to ±180° (in degrees of longitude, ≤ 0.1 mm) are put on it.
const SEAM_SNAP_DEG: f64 = 1e-9;
/// Smallest per-edge budget [`sample_circle_within`] tightens to: below the 6-decimal
/// rounding of the output (≈ 0.08 m) a finer sampling changes nothing a reader sees.
///
/// # Units
/// Metres.
pub const MIN_SEGMENT_BUDGET_M: f64 = 0.05;

/// A geodesic circle sampled densely enough for a given error budget.
#[derive(Debug, Clone)]
pub struct SampledCircle {
    /// Vertices in increasing azimuth order (clockwise around the centre, so the disc lies on
    /// the *right*), starting due north of the centre; not closed; lon in [-180, 180].
    pub points: Vec<Coord<f64>>,
    /// Azimuth of each vertex, degrees clockwise from north, in [0, 360).
    pub azimuths_deg: Vec<f64>,
    /// Largest measured departure from the circle of an edge drawn straight in lon/lat.
    ///
    /// # Units
    /// Metres.
    pub max_error_lonlat_m: f64,
    /// Largest measured departure from the circle of an edge read as a geodesic.
    ///
    /// # Units
    /// Metres.
    pub max_error_geodesic_m: f64,
    /// Largest departure from the circle of an edge drawn straight in an azimuthal
    /// equidistant projection: the polar one of the site's hemisphere (measured) and the one
    /// centred on the site (exact; not when the circle was sampled from the antipode, radius
    /// in the cut-locus band, where that projection is singular).
    ///
    /// # Units
    /// Metres.
    pub max_error_azimuthal_m: f64,
    /// The largest of the lon/lat, geodesic and azimuthal departures.
    ///
    /// # Units
    /// Metres.
    pub max_error_m: f64,
    /// Estimated area between the geodesic edges and the true circle: the sum over edges of
    /// `⅔ · sagitta · length`.
    ///
    /// # Units
    /// Square metres.
    pub area_defect_m2: f64,
    /// [`Self::disc_area_m2`], computed on first use.
    disc_area_m2: OnceLock<f64>,
}

impl SampledCircle {
    /// Geodesic area of the disc side of the sampled ring (edges read as geodesics), in
    /// [0, area of the Earth): summed while sampling, from each edge's S12, or else with
    /// [`PolygonArea`].
    ///
    /// # Units
    /// Square metres.
    pub fn disc_area_m2(&self) -> f64 {
        *self
            .disc_area_m2
            .get_or_init(|| polygon_disc_area_m2(&self.points))
    }
}

/// The area right of a ring given clockwise, by [`PolygonArea`], in [0, area of the Earth).
///
/// # Units
/// Degrees in; square metres out.
fn polygon_disc_area_m2(points: &[Coord<f64>]) -> f64 {
    let geod = wgs84();
    // Clockwise around the centre: the disc is on the right.
    let mut pa = PolygonArea::new(geod, Winding::Clockwise);
    for p in points {
        pa.add_point(p.y, p.x);
    }
    let (_, area_m2, _) = pa.compute(true);
    area_m2.rem_euclid(geod.area())
}

/// A sum with Neumaier's compensation (as GeographicLib's accurate `PolygonArea` sums its
/// edges' areas).
#[derive(Debug, Default, Clone, Copy)]
struct CompensatedSum {
    sum: f64,
    compensation: f64,
}

impl CompensatedSum {
    fn add(&mut self, x: f64) {
        let t = self.sum + x;
        self.compensation += if self.sum.abs() >= x.abs() {
            (self.sum - t) + x
        } else {
            (x - t) + self.sum
        };
        self.sum = t;
    }

    fn value(&self) -> f64 {
        self.sum + self.compensation
    }
}

/// The disc area of a ring sampled clockwise, from the sum of its edges' S12 and its total
/// change of longitude: the reduction of [`PolygonArea`] (an odd number of crossings of the
/// prime meridian, i.e. a ring round a pole, adds or subtracts half the Earth's area),
/// taken into [0, area of the Earth) as [`SampledCircle::disc_area_m2`] does.
///
/// # Units
/// Square metres; `winding_deg` degrees.
fn disc_area_of(area_sum_m2: f64, winding_deg: f64) -> f64 {
    let earth_m2 = wgs84().area();
    let mut area_m2 = area_sum_m2 % earth_m2;
    if (winding_deg / 360.0).round().rem_euclid(2.0) == 1.0 {
        area_m2 += if area_m2 < 0.0 { 0.5 } else { -0.5 } * earth_m2;
    }
    // PolygonArea's signed reduction into (−E/2, E/2], then [0, E).
    if area_m2 > 0.5 * earth_m2 {
        area_m2 -= earth_m2;
    } else if area_m2 <= -0.5 * earth_m2 {
        area_m2 += earth_m2;
    }
    area_m2.rem_euclid(earth_m2)
}

/// The WGS84 ellipsoid of GeographicLib, built once.
pub(crate) fn wgs84() -> &'static geographiclib_rs::Geodesic {
    static WGS84: std::sync::OnceLock<geographiclib_rs::Geodesic> = std::sync::OnceLock::new();
    WGS84.get_or_init(geographiclib_rs::Geodesic::wgs84)
}

/// Samples the geodesic circle of `radius_m` around `center` so that every edge between
/// consecutive vertices departs from it by at most `segment_budget_m`, read as a straight
/// lon/lat segment, as a geodesic, or as a straight line in the azimuthal equidistant
/// projection centred on `center` or on the pole of its hemisphere.
///
/// # Units
/// `center`: (lon, lat) degrees; `radius_m`, `segment_budget_m`: metres.
///
/// When the radius lies in the cut-locus band just below the antipodal distance (some
/// geodesics from the centre stop being shortest before reaching it), the boundary is found
/// by bisection along geodesics from the antipode instead; `azimuths_deg` are then bearings
/// from the antipode and the site-centred azimuthal criterion is not applied.
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
/// assert!(circle.max_error_lonlat_m <= 50.0);
/// assert!(circle.max_error_geodesic_m <= 50.0);
/// assert!(circle.points.len() > 16);
/// // Around a pole the parallels are drawn exactly in lon/lat, but not as geodesics:
/// let polar = sample_circle(Point::new(0.0, 90.0), 5_500_000.0, 100.0)?;
/// assert!(polar.points.len() > 400);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn sample_circle(
    center: Point<f64>,
    radius_m: f64,
    segment_budget_m: f64,
) -> Result<SampledCircle, GeometryError> {
    let on_circle = |az_deg: f64| Ok(Geodesic.destination(center, az_deg, radius_m));
    let from_centre = Sampler {
        curve: &on_circle,
        center,
        radius_m,
        budget_m: segment_budget_m,
        azimuthal: true,
    };
    match from_centre.run() {
        Err(GeometryError::NearAntipode { .. }) if radius_m < antipode_distance_m(center) => {
            // Some geodesics pass the cut locus before reaching the radius: the boundary is
            // found instead along geodesics from the antipode, where the (small) complement
            // of the disc lies. Bearing order from the antipode is clockwise around the
            // complement, i.e. the disc is on the left: reverse to keep it on the right.
            let anti = antipode(center);
            let from_antipode =
                |bearing_deg: f64| boundary_from_antipode(center, anti, radius_m, bearing_deg);
            let sampler = Sampler {
                curve: &from_antipode,
                center,
                radius_m,
                budget_m: segment_budget_m,
                azimuthal: false,
            };
            let mut c = sampler.run()?;
            c.points.reverse();
            c.azimuths_deg.reverse();
            // Summed the other way round: computed again when asked for.
            c.disc_area_m2 = OnceLock::new();
            Ok(c)
        }
        other => other,
    }
}

/// [`sample_circle`], with the per-edge budget tightened (down to [`MIN_SEGMENT_BUDGET_M`])
/// until the estimated area between the geodesic edges and the true circle,
/// [`SampledCircle::area_defect_m2`], is at most `area_budget_m2`.
///
/// # Units
/// `center`: (lon, lat) degrees; `radius_m`, `segment_budget_m`: metres; `area_budget_m2`:
/// square metres.
///
/// # Errors
/// As [`sample_circle`].
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::ring::{sample_circle, sample_circle_within};
///
/// // A 20 km circle at 100 m per edge misses ~0.4 % of its area; ask for 0.01 %.
/// let c = Point::new(21.0, 52.2);
/// let coarse = sample_circle(c, 20_000.0, 100.0)?;
/// let area_m2 = coarse.disc_area_m2();
/// assert!(coarse.area_defect_m2 > 1e-3 * area_m2);
/// let fine = sample_circle_within(c, 20_000.0, 100.0, 1e-4 * area_m2)?;
/// assert!(fine.area_defect_m2 <= 1e-4 * area_m2);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn sample_circle_within(
    center: Point<f64>,
    radius_m: f64,
    segment_budget_m: f64,
    area_budget_m2: f64,
) -> Result<SampledCircle, GeometryError> {
    tighten_until(segment_budget_m, area_budget_m2, |budget_m| {
        sample_circle(center, radius_m, budget_m)
    })
}

/// The loop of [`sample_circle_within`] over any way of sampling the circle at a per-edge
/// budget (e.g. through [`super::circles::Circles`]).
pub(crate) fn tighten_until<C: Borrow<SampledCircle>>(
    segment_budget_m: f64,
    area_budget_m2: f64,
    mut sample: impl FnMut(f64) -> Result<C, GeometryError>,
) -> Result<C, GeometryError> {
    let mut budget_m = segment_budget_m;
    loop {
        let circle = sample(budget_m)?;
        let defect_m2 = circle.borrow().area_defect_m2;
        if defect_m2 <= area_budget_m2 || budget_m <= MIN_SEGMENT_BUDGET_M {
            return Ok(circle);
        }
        // The defect is about proportional to the per-edge budget.
        budget_m = (budget_m * 0.8 * area_budget_m2 / defect_m2)
            .min(0.8 * budget_m)
            .max(MIN_SEGMENT_BUDGET_M);
    }
}

/// One boundary curve to sample: `curve(param_deg)`, `param_deg` in [0, 360), whose points
/// all lie at geodesic distance `radius_m` from `center`.
struct Sampler<'a> {
    curve: &'a dyn Fn(f64) -> Result<Point<f64>, GeometryError>,
    center: Point<f64>,
    radius_m: f64,
    budget_m: f64,
    /// `param_deg` is the azimuth from `center`: bound the azimuthal-equidistant chords too.
    azimuthal: bool,
}

/// The measured departures of one accepted edge.
#[derive(Debug, Clone, Copy, Default)]
struct EdgeError {
    lonlat_m: f64,
    geodesic_m: f64,
    aeqd_m: f64,
    length_m: f64,
    /// The area between the edge (a geodesic) and the equator, Karney's S12.
    ///
    /// # Units
    /// Square metres.
    area_m2: f64,
}

impl EdgeError {
    /// From the worst departures read as a geodesic, a lon/lat segment and in the polar
    /// projection, the site-centred projection's, and the edge's geodesic.
    fn of_readings(
        [geodesic_m, lonlat_m, polar_m]: [f64; 3],
        aeqd_m: f64,
        edge: &EdgeGeodesic,
    ) -> Self {
        Self {
            lonlat_m,
            geodesic_m,
            aeqd_m: aeqd_m.max(polar_m),
            length_m: edge.length_m,
            area_m2: edge.area_m2,
        }
    }
}

impl Sampler<'_> {
    fn vertex(&self, param_deg: f64) -> Result<Vertex, GeometryError> {
        curve_vertex(self.curve, self.center, self.radius_m, param_deg)
    }

    /// Departure of the straight azimuthal-equidistant chord between two circle points.
    fn aeqd_error_m(&self, a: &Vertex, b: &Vertex) -> f64 {
        if !self.azimuthal {
            return 0.0;
        }
        let half_rad = 0.5 * (b.az_deg - a.az_deg).abs().to_radians();
        self.radius_m * (1.0 - half_rad.cos())
    }

    /// The departures of edge `a`–`b` (`b` unwrapped), or, as soon as one exceeds the budget,
    /// `Err` with how many times the budget it was found to be (at least 1).
    ///
    /// The departures at the middle of the edge, where they are largest for a short edge, are
    /// compared with the budget first, for every reading, so a rejected edge costs little.
    fn measure(&self, a: &Vertex, b: Coord<f64>, bv: &Vertex) -> Result<EdgeError, f64> {
        let over = |e_m: f64| Err((e_m / self.budget_m).max(1.0));
        let aeqd_m = self.aeqd_error_m(a, bv);
        if aeqd_m > self.budget_m {
            return over(aeqd_m);
        }
        // The geodesic between the vertices as they are written (its area term is then
        // what a polygon-area sum over the ring adds for this edge).
        let edge = EdgeGeodesic::new(a.pos, bv.pos);
        let geodesic_at = |t: f64| edge.at(t);
        let lonlat_at = lonlat_points(a.pos, b);
        let pole = if self.center.y() >= 0.0 { 90.0 } else { -90.0 };
        let polar_at = polar_points(a.pos, b, pole);
        let points: [&dyn Fn(f64) -> Point<f64>; 3] = [&geodesic_at, &lonlat_at, &polar_at];
        if self.azimuthal && self.radius_m < LOCATE_ON_SPHERE_BELOW_M {
            return self.measure_located(a.pos, b, points, aeqd_m, &edge);
        }
        let departure = |at: &dyn Fn(f64) -> Point<f64>, t: f64| {
            Geodesic.distance(self.center, at(t)) - self.radius_m
        };
        let geodesic = |t: f64| departure(&geodesic_at, t);
        let lonlat = |t: f64| departure(&lonlat_at, t);
        let polar = |t: f64| departure(&polar_at, t);
        let readings: [&dyn Fn(f64) -> f64; 3] = [&geodesic, &lonlat, &polar];
        let mut at_half = [0.0; 3];
        for (d, departure) in at_half.iter_mut().zip(readings) {
            *d = departure(0.5);
            if d.is_nan() || d.abs() > self.budget_m {
                return over(if d.is_finite() {
                    d.abs()
                } else {
                    f64::INFINITY
                });
            }
        }
        let mut worst = [0.0; 3];
        for ((w, departure), d) in worst.iter_mut().zip(readings).zip(at_half) {
            *w = max_along(departure, Some(d), self.budget_m);
            if *w > self.budget_m {
                return over(*w);
            }
        }
        Ok(EdgeError::of_readings(worst, aeqd_m, &edge))
    }

    /// [`Self::measure`] with each reading's worst point located on a sphere: the departure
    /// computed with spherical distances from the centre (a few sines, where Karney's inverse
    /// problem costs ten times as much; the geodesic reading follows the great circle between
    /// the vertices), corrected linearly to be exact at both vertices, locates the extremum
    /// and rejects edges clearly over the budget; the departure is then measured exactly
    /// (Karney) at the located point. Where the located and the measured departures disagree
    /// by more than [`LOCATE_TRUST`] of the budget, the reading is measured exactly along the
    /// whole edge instead.
    fn measure_located(
        &self,
        a: Coord<f64>,
        b: Coord<f64>,
        points: [&dyn Fn(f64) -> Point<f64>; 3],
        aeqd_m: f64,
        edge: &EdgeGeodesic,
    ) -> Result<EdgeError, f64> {
        let over = |e_m: f64| Err((e_m / self.budget_m).max(1.0));
        let frame = CentreFrame::new(self.center);
        let (ua, ub) = (frame.unit(a.into()), frame.unit(b.into()));
        let sphere = SphereDistance::near(ua);
        let (end_a_m, end_b_m) = (sphere.distance_m(ua), sphere.distance_m(ub));
        let great_circle = GreatCircle::new(ua, ub);
        let [_, lonlat_at, polar_at] = points;
        let on_great_circle = |t: f64| great_circle.at(t);
        let on_lonlat = |t: f64| frame.unit(lonlat_at(t));
        let on_polar = |t: f64| frame.unit(polar_at(t));
        let located_points: [&dyn Fn(f64) -> [f64; 3]; 3] =
            [&on_great_circle, &on_lonlat, &on_polar];
        let mut worst = [0.0; 3];
        for ((w, at), located_at) in worst.iter_mut().zip(points).zip(located_points) {
            let located =
                |t: f64| sphere.distance_m(located_at(t)) - (end_a_m + t * (end_b_m - end_a_m));
            let reject_m = self.budget_m * (1.0 + LOCATE_TRUST);
            let (located_m, t) = max_along_at(&located, None, reject_m);
            if located_m > reject_m {
                return over(located_m / (1.0 + LOCATE_TRUST));
            }
            let exact = |t: f64| Geodesic.distance(self.center, at(t)) - self.radius_m;
            let measured_m = exact(t).abs();
            *w = if (measured_m - located_m).abs() <= LOCATE_TRUST * self.budget_m {
                measured_m
            } else {
                max_along(&exact, None, self.budget_m)
            };
            if *w > self.budget_m {
                return over(*w);
            }
        }
        Ok(EdgeError::of_readings(worst, aeqd_m, edge))
    }

    /// The vertex where the curve crosses the seam line `seam_x` (in `a`'s longitude frame)
    /// between `a` and `b`, on the curve and exactly on ±180°.
    fn seam_vertex(&self, a: &Vertex, b: &Vertex, seam_x: f64) -> Result<Vertex, GeometryError> {
        let side = |v: &Vertex| unwrap_towards(a.pos, v.pos).x - seam_x;
        let (mut lo, mut hi) = (*a, *b);
        let lo_sign = side(&lo).signum();
        for _ in 0..64 {
            if hi.az_deg - lo.az_deg <= 1e-12 {
                break;
            }
            let mid = self.vertex(0.5 * (lo.az_deg + hi.az_deg))?;
            if side(&mid).signum() == lo_sign {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        // Of the two bracketing points take the nearer to the seam and put it on the seam;
        // it moves by less than a nanodegree.
        let v = if side(&lo).abs() <= side(&hi).abs() {
            lo
        } else {
            hi
        };
        Ok(Vertex {
            az_deg: v.az_deg,
            pos: Coord {
                x: if v.pos.x < 0.0 { -180.0 } else { 180.0 },
                y: v.pos.y,
            },
        })
    }

    /// The largest parameter step: 360° over at least [`INITIAL_INTERVALS`], and when the
    /// parameter is the azimuth from the centre, no more than the azimuthal-equidistant bound
    /// allows.
    fn max_step_deg(&self) -> f64 {
        if !self.azimuthal || self.budget_m >= self.radius_m {
            return 360.0 / INITIAL_INTERVALS as f64;
        }
        let max_step_deg = 2.0 * (1.0 - self.budget_m / self.radius_m).acos().to_degrees();
        // A little slack so that rounding in the azimuths never tips a step over the bound.
        let n = (360.0 / (0.999 * max_step_deg)).ceil();
        if n.is_finite() {
            360.0 / n.clamp(INITIAL_INTERVALS as f64, (1 << 22) as f64)
        } else {
            360.0 / INITIAL_INTERVALS as f64
        }
    }

    /// Walks round the curve from parameter 0° to 360°. Each step is the longest the last
    /// measured edge suggests (departures grow with the square of the step) that stays within
    /// [`Self::max_step_deg`]; an edge over the budget is tried again shorter, down to
    /// [`MAX_DEPTH`] halvings of the largest step.
    fn run(&self) -> Result<SampledCircle, GeometryError> {
        let max_step_deg = self.max_step_deg();
        let min_step_deg = max_step_deg / f64::from(1u32 << MAX_DEPTH);
        let first = self.vertex(0.0)?;
        // The closing vertex (azimuth 360°) is the first vertex itself, bit for bit.
        let closing = Vertex {
            az_deg: 360.0,
            pos: first.pos,
        };
        let mut points = vec![first.pos];
        let mut azimuths_deg = vec![first.az_deg];
        let mut worst = EdgeError::default();
        let mut area_defect_m2 = 0.0;
        // The ring's area as [`PolygonArea`] sums it (its edges' S12 in order, the closing
        // edge last), and how many times it winds round the pole in longitude.
        let mut area_sum_m2 = CompensatedSum::default();
        let mut winding_deg = 0.0;
        // An edge of exactly half a turn in longitude (possible only across a pole) leaves
        // the crossing count to PolygonArea's own convention: the area is then computed by it.
        let mut half_turn_edge = false;
        let mut a = first;
        let mut step_deg = max_step_deg;
        loop {
            let remaining_deg = 360.0 - a.az_deg;
            let mut b = if remaining_deg <= step_deg * (1.0 + 1e-9) {
                closing
            } else if remaining_deg < 2.0 * step_deg {
                // Two equal steps rather than a long one and a sliver.
                self.vertex(a.az_deg + 0.5 * remaining_deg)?
            } else {
                self.vertex(a.az_deg + step_deg)?
            };
            let mut b_unwrapped = unwrap_towards(a.pos, b.pos);
            let width_deg = b.az_deg - a.az_deg;
            if (b_unwrapped.x - a.pos.x).abs() > MAX_SEGMENT_DLON_DEG && width_deg > min_step_deg {
                step_deg = 0.5 * width_deg;
                continue;
            }
            // An edge that crosses ±180° ends there, at a vertex on the circle (the curve
            // follows the edge closely, so its longitude unwraps unambiguously).
            let mut at_seam = false;
            if let Some(seam_x) = seam_strictly_between(a.pos.x, b_unwrapped.x) {
                let s = self.seam_vertex(&a, &b, seam_x)?;
                if s.az_deg > a.az_deg && s.az_deg < b.az_deg {
                    b = s;
                    b_unwrapped = unwrap_towards(a.pos, b.pos);
                    at_seam = true;
                }
            }
            let width_deg = b.az_deg - a.az_deg;
            let error = match self.measure(&a, b_unwrapped, &b) {
                Ok(e) => e,
                Err(times_budget) if width_deg > min_step_deg => {
                    // Departures shrink with the square of the step.
                    step_deg = width_deg * (STEP_TARGET / times_budget.sqrt()).clamp(0.1, 0.7);
                    continue;
                }
                Err(_) => {
                    let (geodesic_m, _) = geodesic_segment_error_m(
                        self.center,
                        self.radius_m,
                        a.pos,
                        b_unwrapped,
                        f64::INFINITY,
                    );
                    let lonlat_m = lonlat_segment_error_m(
                        self.center,
                        self.radius_m,
                        a.pos,
                        b_unwrapped,
                        f64::INFINITY,
                    );
                    return Err(GeometryError::ToleranceNotMet {
                        requested_m: self.budget_m,
                        achieved_m: lonlat_m.max(geodesic_m).max(self.aeqd_error_m(&a, &b)),
                    });
                }
            };
            worst.lonlat_m = worst.lonlat_m.max(error.lonlat_m);
            worst.geodesic_m = worst.geodesic_m.max(error.geodesic_m);
            worst.aeqd_m = worst.aeqd_m.max(error.aeqd_m);
            area_defect_m2 += 2.0 / 3.0 * error.geodesic_m * error.length_m;
            area_sum_m2.add(error.area_m2);
            winding_deg += b_unwrapped.x - a.pos.x;
            half_turn_edge |= (b_unwrapped.x - a.pos.x).abs() >= 180.0 - 1e-9;
            if b.az_deg >= 360.0 {
                break;
            }
            points.push(b.pos);
            azimuths_deg.push(b.az_deg);
            a = b;
            if at_seam {
                // Cut short by the seam: says nothing about the step.
                continue;
            }
            // The next step: as long as this edge's largest departure suggests.
            let largest_m = error
                .lonlat_m
                .max(error.geodesic_m)
                .max(error.aeqd_m)
                .max(1e-9 * self.budget_m);
            let grow = (STEP_TARGET * (self.budget_m / largest_m).sqrt()).clamp(0.5, 2.0);
            step_deg = (width_deg * grow).min(max_step_deg);
        }
        Ok(SampledCircle {
            points,
            azimuths_deg,
            max_error_lonlat_m: worst.lonlat_m,
            max_error_geodesic_m: worst.geodesic_m,
            max_error_azimuthal_m: worst.aeqd_m,
            max_error_m: worst.lonlat_m.max(worst.geodesic_m).max(worst.aeqd_m),
            area_defect_m2,
            disc_area_m2: if half_turn_edge {
                OnceLock::new()
            } else {
                OnceLock::from(disc_area_of(area_sum_m2.value(), winding_deg))
            },
        })
    }
}

/// Radii below which [`Sampler::measure_located`] locates each reading's worst point on a
/// sphere (well away from the antipode, where distances from the centre are smooth).
///
/// # Units
/// Metres.
const LOCATE_ON_SPHERE_BELOW_M: f64 = 15_000_000.0;

/// Largest disagreement, as a share of the budget, between the departure located on the
/// sphere and the one measured there before the reading is measured along the whole edge;
/// also the margin over the budget by which a located departure rejects an edge unmeasured.
const LOCATE_TRUST: f64 = 0.05;

/// Unit vectors on a sphere in a frame whose z axis points at one centre, for locating
/// extrema (geodetic latitudes taken as spherical ones).
struct CentreFrame {
    sin_lat: f64,
    cos_lat: f64,
    lon_rad: f64,
}

impl CentreFrame {
    fn new(center: Point<f64>) -> Self {
        let (sin_lat, cos_lat) = center.y().to_radians().sin_cos();
        Self {
            sin_lat,
            cos_lat,
            lon_rad: center.x().to_radians(),
        }
    }

    /// The unit vector of `p` ((lon, lat) degrees); its z is the cosine of the angle from
    /// the centre.
    fn unit(&self, p: Point<f64>) -> [f64; 3] {
        let (sp, cp) = p.y().to_radians().sin_cos();
        let (sd, cd) = (p.x().to_radians() - self.lon_rad).sin_cos();
        [
            cp * sd,
            self.cos_lat * sp - self.sin_lat * cp * cd,
            self.sin_lat * sp + self.cos_lat * cp * cd,
        ]
    }
}

/// Distances from the centre of a [`CentreFrame`] on the sphere of mean radius
/// 6,371,008.8 m, near one reference point: there `acos` of the unit vector's z is expanded
/// to second order (a division and a few products instead of `atan2` and `hypot`).
struct SphereDistance {
    z0: f64,
    angle0_rad: f64,
    sin0: f64,
}

impl SphereDistance {
    /// Expanded about the angle of `v0` (a unit vector) from the centre.
    fn near(v0: [f64; 3]) -> Self {
        let angle0_rad = angle_rad(v0);
        Self {
            z0: v0[2],
            angle0_rad,
            sin0: angle0_rad.sin(),
        }
    }

    /// Great-circle distance from the centre to the unit vector `v`, metres.
    ///
    /// Within `|Δz| ≤ 10⁻² sin²θ₀` of the reference the angle is
    /// `θ₀ − Δz/sin θ₀ − cos θ₀ Δz²/(2 sin³θ₀)`, whose first omitted term is below
    /// `Δθ³/(2 sin²θ₀)` (`Δθ ≤ 10⁻² sin θ₀`: under 10⁻⁴ of `Δθ`); further away, `atan2`.
    fn distance_m(&self, v: [f64; 3]) -> f64 {
        let dz = v[2] - self.z0;
        let s = self.sin0;
        let angle_rad = if dz.abs() <= 1e-2 * s * s {
            let u = dz / s;
            self.angle0_rad - u - 0.5 * self.z0 * u * u / s
        } else {
            angle_rad(v)
        };
        MEAN_RADIUS_M * angle_rad
    }
}

/// Mean radius of the sphere [`SphereDistance`] locates extrema on.
///
/// # Units
/// Metres.
const MEAN_RADIUS_M: f64 = 6_371_008.8;

/// Angle of the unit vector `v` from the z axis, radians.
fn angle_rad(v: [f64; 3]) -> f64 {
    v[0].hypot(v[1]).atan2(v[2])
}

/// The great circle through two unit vectors, by fraction of the arc between them.
struct GreatCircle {
    a: [f64; 3],
    b: [f64; 3],
    arc_rad: f64,
    sin_arc: f64,
}

impl GreatCircle {
    fn new(a: [f64; 3], b: [f64; 3]) -> Self {
        let cross = [
            a[1] * b[2] - a[2] * b[1],
            a[2] * b[0] - a[0] * b[2],
            a[0] * b[1] - a[1] * b[0],
        ];
        let dot = a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
        let arc_rad = cross[0].hypot(cross[1]).hypot(cross[2]).atan2(dot);
        Self {
            a,
            b,
            arc_rad,
            sin_arc: arc_rad.sin(),
        }
    }

    /// The unit vector at fraction `t` of the arc (spherical linear interpolation; linear
    /// for an arc too short to tell).
    fn at(&self, t: f64) -> [f64; 3] {
        let (wa, wb) = if self.sin_arc > 1e-12 {
            (
                ((1.0 - t) * self.arc_rad).sin() / self.sin_arc,
                (t * self.arc_rad).sin() / self.sin_arc,
            )
        } else {
            (1.0 - t, t)
        };
        [
            wa * self.a[0] + wb * self.b[0],
            wa * self.a[1] + wb * self.b[1],
            wa * self.a[2] + wb * self.b[2],
        ]
    }
}

/// Share of the budget a step aims at, as a factor on the step: departures grow with the
/// square of the step, so 0.93 aims at about 86 % of the budget, which leaves room for the
/// departures to vary from one edge to the next without rejections.
const STEP_TARGET: f64 = 0.93;

/// The seam line `180 + k·360` lying strictly between the unwrapped longitudes `x0` and `x1`,
/// if any.
fn seam_strictly_between(x0: f64, x1: f64) -> Option<f64> {
    let (lo, hi) = if x0 <= x1 { (x0, x1) } else { (x1, x0) };
    // The first seam line above `lo`.
    let k = ((lo - 180.0) / 360.0).floor() + 1.0;
    let line = 180.0 + 360.0 * k;
    (line > lo && line < hi).then_some(line)
}

/// Largest departure from the geodesic circle of the straight lon/lat segment `a`–`b`.
///
/// `b.x` must already be unwrapped relative to `a.x` (the segment is drawn through the
/// longitudes between them, which may leave [-180, 180]). Returns as soon as a sample exceeds
/// `reject_above_m` (the value returned is then only a lower bound, larger than the limit);
/// otherwise locates the worst departure as [`max_along`] does.
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
    max_along(
        &lonlat_departure(center, radius_m, a, b),
        None,
        reject_above_m,
    )
}

/// Signed departure from the circle (distance from `center` minus `radius_m`, metres) of the
/// point at fraction `t` of the straight lon/lat segment `a`–`b`.
fn lonlat_departure(
    center: Point<f64>,
    radius_m: f64,
    a: Coord<f64>,
    b: Coord<f64>,
) -> impl Fn(f64) -> f64 {
    let at = lonlat_points(a, b);
    move |t: f64| Geodesic.distance(center, at(t)) - radius_m
}

/// The point at fraction `t` of the straight lon/lat segment `a`–`b`.
fn lonlat_points(a: Coord<f64>, b: Coord<f64>) -> impl Fn(f64) -> Point<f64> {
    move |t: f64| Point::new(a.x + t * (b.x - a.x), a.y + t * (b.y - a.y))
}

/// Largest departure from the geodesic circle of the geodesic from `a` to `b`, and the
/// geodesic's length.
///
/// Returns as soon as a sample exceeds `reject_above_m`, like [`lonlat_segment_error_m`].
///
/// # Units
/// Degrees for `a`, `b`, `center`; metres for `radius_m`, `reject_above_m` and the results.
pub fn geodesic_segment_error_m(
    center: Point<f64>,
    radius_m: f64,
    a: Coord<f64>,
    b: Coord<f64>,
    reject_above_m: f64,
) -> (f64, f64) {
    let (departure, length_m) = geodesic_departure(center, radius_m, a, b);
    (max_along(&departure, None, reject_above_m), length_m)
}

/// Signed departure from the circle of the point at fraction `t` of the geodesic from `a` to
/// `b`, and the geodesic's length (metres).
fn geodesic_departure(
    center: Point<f64>,
    radius_m: f64,
    a: Coord<f64>,
    b: Coord<f64>,
) -> (impl Fn(f64) -> f64, f64) {
    let edge = EdgeGeodesic::new(a, b);
    let length_m = edge.length_m;
    let departure = move |t: f64| Geodesic.distance(center, edge.at(t)) - radius_m;
    (departure, length_m)
}

/// The geodesic from `a` to `b` (degrees): its points by fraction of its length, its length
/// and its area term.
struct EdgeGeodesic {
    line: GeodesicLine,
    /// # Units
    /// Metres.
    length_m: f64,
    /// The area between the geodesic and the equator (Karney's S12), as
    /// [`PolygonArea`] adds it for this edge.
    ///
    /// # Units
    /// Square metres.
    area_m2: f64,
}

impl EdgeGeodesic {
    fn new(a: Coord<f64>, b: Coord<f64>) -> Self {
        let geod = wgs84();
        let (_a12, length_m, azi1_deg, _azi2_deg, _m12, _mm12, _mm21, area_m2) = geod
            ._gen_inverse_azi(
                a.y,
                a.x,
                b.y,
                b.x,
                caps::DISTANCE | caps::AZIMUTH | caps::AREA,
            );
        // One geodesic line from `a`, its points found by distance (Karney's direct problem
        // without setting the line up again for each point).
        let line = GeodesicLine::new(
            geod,
            a.y,
            a.x,
            azi1_deg,
            Some(caps::LATITUDE | caps::LONGITUDE | caps::DISTANCE_IN),
            None,
            None,
        );
        Self {
            line,
            length_m,
            area_m2,
        }
    }

    /// The point at fraction `t` of the geodesic.
    fn at(&self, t: f64) -> Point<f64> {
        let out = caps::LATITUDE | caps::LONGITUDE;
        let (_a12, lat, lon, ..) = self.line._gen_position(false, t * self.length_m, out);
        Point::new(lon, lat)
    }
}

/// Largest departure from the geodesic circle of the segment `a`–`b` drawn straight in the
/// polar azimuthal equidistant projection (`+proj=aeqd +lat_0=±90`) of the pole at latitude
/// `pole_lat_deg`.
///
/// That projection keeps the geodesic distance from the pole (along the meridian) and the
/// longitude, so a projected point maps back exactly with Karney's direct problem from the
/// pole. Returns early like [`lonlat_segment_error_m`].
///
/// # Units
/// Degrees for `a`, `b`, `center`, `pole_lat_deg`; metres for `radius_m`, `reject_above_m`
/// and the result.
pub fn polar_segment_error_m(
    center: Point<f64>,
    radius_m: f64,
    a: Coord<f64>,
    b: Coord<f64>,
    pole_lat_deg: f64,
    reject_above_m: f64,
) -> f64 {
    let departure = polar_departure(center, radius_m, a, b, pole_lat_deg);
    max_along(&departure, None, reject_above_m)
}

/// Signed departure from the circle of the point at fraction `t` of the segment `a`–`b`
/// drawn straight in the polar azimuthal equidistant projection of the pole at
/// `pole_lat_deg`.
fn polar_departure(
    center: Point<f64>,
    radius_m: f64,
    a: Coord<f64>,
    b: Coord<f64>,
    pole_lat_deg: f64,
) -> impl Fn(f64) -> f64 {
    let at = polar_points(a, b, pole_lat_deg);
    move |t: f64| Geodesic.distance(center, at(t)) - radius_m
}

/// The point at fraction `t` of the segment `a`–`b` drawn straight in the polar azimuthal
/// equidistant projection of the pole at `pole_lat_deg`.
fn polar_points(a: Coord<f64>, b: Coord<f64>, pole_lat_deg: f64) -> impl Fn(f64) -> Point<f64> {
    // Towards the pole the y axis points away from the 0° meridian (north: x = ρ sin λ,
    // y = −ρ cos λ; south: y = ρ cos λ), as in PROJ. ρ is the distance from the pole along
    // the meridian: the quarter meridian ∓ the distance from the equator.
    let y_sign = -pole_lat_deg.signum();
    let pole_m = meridian::distance_m(pole_lat_deg);
    let project = |c: Coord<f64>| -> (f64, f64) {
        let rho_m = (pole_m - meridian::distance_m(c.y)).abs();
        let (s, co) = c.x.to_radians().sin_cos();
        (rho_m * s, y_sign * rho_m * co)
    };
    let (ax, ay) = project(a);
    let (bx, by) = project(b);
    move |t: f64| {
        let (x, y) = (ax + t * (bx - ax), ay + t * (by - ay));
        let rho_m = x.hypot(y);
        let lon_deg = x.atan2(y_sign * y).to_degrees();
        let lat_deg = meridian::latitude_deg(pole_m + y_sign * rho_m);
        Point::new(lon_deg, lat_deg)
    }
}

/// Maximum of `|departure_at(t)|` over t in (0, 1), where `departure_at` is the *signed*
/// departure from the circle (distance from the centre minus the radius), a smooth function
/// that is 0 at both ends (the vertices lie on the circle). `at_half` is `departure_at(0.5)`
/// when the caller has it already.
///
/// Returns as soon as a sample exceeds `reject_above_m` (the value returned is then only a
/// lower bound, larger than the limit). Otherwise:
///
/// * the quarter points first: when the departure at t = ½ is the largest of the three and
///   all three have one sign (one bulge, the usual case for an edge much shorter than the
///   circle), its extremum lies in [¼, ¾] and is located by successive parabolic
///   interpolation ([`PARABOLIC_STEPS`] more evaluations; for a smooth departure this
///   converges to a fraction of a millimetre);
/// * otherwise (the departure changes sign along the edge, or peaks off-centre) samples at
///   every eighth, then parabolic interpolation around the worst of them, or a golden-section
///   search there when the three points around it do not bracket an extremum.
fn max_along(departure_at: &dyn Fn(f64) -> f64, at_half: Option<f64>, reject_above_m: f64) -> f64 {
    max_along_at(departure_at, at_half, reject_above_m).0
}

/// [`max_along`], and the fraction `t` where the worst departure was found.
fn max_along_at(
    departure_at: &dyn Fn(f64) -> f64,
    at_half: Option<f64>,
    reject_above_m: f64,
) -> (f64, f64) {
    let rejected = |d: f64| d.is_nan() || d.abs() > reject_above_m;
    let lower_bound = |d: f64| {
        if d.is_finite() {
            d.abs()
        } else {
            f64::INFINITY
        }
    };
    // Signed departures at t = k/8, k = 0..=8 (0 at the vertices); NaN where not sampled.
    let mut grid = [f64::NAN; 9];
    grid[0] = 0.0;
    grid[8] = 0.0;
    for k in [4, 2, 6] {
        let d = match (k, at_half) {
            (4, Some(d)) => d,
            _ => departure_at(k as f64 / 8.0),
        };
        if rejected(d) {
            return (lower_bound(d), k as f64 / 8.0);
        }
        grid[k] = d;
    }
    let one_bulge = grid[4].abs() >= grid[2].abs()
        && grid[4].abs() >= grid[6].abs()
        && grid[2].signum() == grid[4].signum()
        && grid[6].signum() == grid[4].signum();
    if one_bulge {
        return parabolic_max(
            departure_at,
            [(0.25, grid[2]), (0.5, grid[4]), (0.75, grid[6])],
        );
    }
    for k in [1, 3, 5, 7] {
        let d = departure_at(k as f64 / 8.0);
        if rejected(d) {
            return (lower_bound(d), k as f64 / 8.0);
        }
        grid[k] = d;
    }
    let k = (1..8)
        .max_by(|&i, &j| grid[i].abs().total_cmp(&grid[j].abs()))
        .unwrap_or(4);
    let h = 0.125;
    let around = [
        ((k - 1) as f64 * h, grid[k - 1]),
        (k as f64 * h, grid[k]),
        ((k + 1) as f64 * h, grid[k + 1]),
    ];
    parabolic_max(departure_at, around)
}

/// Largest `|departure_at|` near the extremum bracketed by three points (the middle one the
/// most extreme), and where: successive parabolic interpolation, or a golden-section search
/// over the bracket when the points do not bend towards an extremum.
fn parabolic_max(departure_at: &dyn Fn(f64) -> f64, mut pts: [(f64, f64); 3]) -> (f64, f64) {
    let sign = pts[1].1.signum();
    let mut worst = (pts[1].1.abs(), pts[1].0);
    if worst.0 == 0.0 {
        return worst;
    }
    let keep = |worst: &mut (f64, f64), f: f64, x: f64| {
        if f.abs() > worst.0 {
            *worst = (f.abs(), x);
        }
    };
    for _ in 0..PARABOLIC_STEPS {
        let [(x0, f0), (x1, f1), (x2, f2)] = pts;
        // Vertex of the parabola through the three points.
        let num = (x1 - x0).powi(2) * (f1 - f2) - (x1 - x2).powi(2) * (f1 - f0);
        let den = (x1 - x0) * (f1 - f2) - (x1 - x2) * (f1 - f0);
        let bends_towards_extremum = sign * (f1 - f0) >= 0.0 && sign * (f1 - f2) >= 0.0;
        if !bends_towards_extremum || den == 0.0 || !num.is_finite() {
            let (g, x) = golden_section_max(departure_at, x0, x2);
            keep(&mut worst, g, x);
            return worst;
        }
        let x = (x1 - 0.5 * num / den).clamp(x0, x2);
        if (x - x1).abs() < 1e-9 {
            break;
        }
        let f = departure_at(x);
        keep(&mut worst, f, x);
        // Converged: the new point is within the tolerance of the best one.
        let converged = (f - f1).abs() <= CONVERGED_M;
        // Keep the most extreme of the four points with its neighbours on either side.
        pts = if sign * f >= sign * f1 {
            if x < x1 {
                [(x0, f0), (x, f), (x1, f1)]
            } else {
                [(x1, f1), (x, f), (x2, f2)]
            }
        } else if x < x1 {
            [(x, f), (x1, f1), (x2, f2)]
        } else {
            [(x0, f0), (x1, f1), (x, f)]
        };
        if converged {
            break;
        }
    }
    worst
}

/// Most successive parabolic steps of [`max_along`] after the samples (a smooth departure
/// converges in one or two).
const PARABOLIC_STEPS: usize = 12;

/// The parabolic steps stop when a step changes the departure by no more than this.
///
/// # Units
/// Metres.
const CONVERGED_M: f64 = 1e-4;

/// Largest `|departure_at(t)|` over [lo, hi] by golden-section search (assumes one
/// extremum), and where.
fn golden_section_max(departure_at: &dyn Fn(f64) -> f64, mut lo: f64, mut hi: f64) -> (f64, f64) {
    let error_at = |t: f64| departure_at(t).abs();
    let inv_phi = (5.0_f64.sqrt() - 1.0) / 2.0;
    let mut x1 = hi - inv_phi * (hi - lo);
    let mut x2 = lo + inv_phi * (hi - lo);
    let mut f1 = error_at(x1);
    let mut f2 = error_at(x2);
    let mut worst = if f1 >= f2 { (f1, x1) } else { (f2, x2) };
    for _ in 0..REFINE_ITERATIONS {
        if f1 > f2 {
            hi = x2;
            x2 = x1;
            f2 = f1;
            x1 = hi - inv_phi * (hi - lo);
            f1 = error_at(x1);
            if f1 > worst.0 {
                worst = (f1, x1);
            }
        } else {
            lo = x1;
            x1 = x2;
            f1 = f2;
            x2 = lo + inv_phi * (hi - lo);
            f2 = error_at(x2);
            if f2 > worst.0 {
                worst = (f2, x2);
            }
        }
    }
    worst
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
            let beyond_cut_locus = radius_m >= NO_CUT_LOCUS_BELOW_M && {
                let d_m = Geodesic.distance(center, p);
                !d_m.is_finite() || (d_m - radius_m).abs() > CUT_LOCUS_TOLERANCE_M
            };
            if beyond_cut_locus || !p.x().is_finite() || !p.y().is_finite() {
                return Err(GeometryError::NearAntipode {
                    radius_m,
                    antipode_distance_m: antipode_distance_m(center),
                });
            }
            let mut lon = p.x() - 360.0 * (p.x() / 360.0).round();
            if 180.0 - lon.abs() < SEAM_SNAP_DEG {
                lon = 180.0_f64.copysign(lon);
            }
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

    /// The expanded spherical distance is the `atan2` one near the reference (to 10⁻⁴ of the
    /// difference, and a micrometre), and falls back to it further away; the great circle
    /// stays on the sphere and ends at its vertices.
    #[test]
    fn expanded_sphere_distance_and_great_circle() {
        let frame = CentreFrame::new(Point::new(44.7, 43.7333));
        for (lon, lat) in [
            (44.7, 48.2),
            (50.0, 30.0),
            (-120.0, -10.0),
            (44.70001, 43.7334),
        ] {
            let v0 = frame.unit(Point::new(lon, lat));
            let sphere = SphereDistance::near(v0);
            for (dlon, dlat) in [
                (1e-4, 0.0),
                (0.0, 1e-3),
                (0.05, -0.02),
                (0.3, 0.3),
                (2.0, 1.0),
            ] {
                let v = frame.unit(Point::new(lon + dlon, lat + dlat));
                let exact_m = MEAN_RADIUS_M * angle_rad(v);
                let diff_m = (exact_m - MEAN_RADIUS_M * angle_rad(v0)).abs();
                let got_m = sphere.distance_m(v);
                assert!(
                    (got_m - exact_m).abs() <= 1e-4 * diff_m + 1e-6,
                    "({lon}, {lat}) + ({dlon}, {dlat}): {got_m} vs {exact_m}"
                );
            }
        }
        let (a, b) = (
            frame.unit(Point::new(40.0, 50.0)),
            frame.unit(Point::new(41.0, 50.5)),
        );
        let arc = GreatCircle::new(a, b);
        for t in [0.0, 0.25, 0.5, 1.0] {
            let p = arc.at(t);
            assert!((p[0] * p[0] + p[1] * p[1] + p[2] * p[2] - 1.0).abs() < 1e-14);
        }
        let close = |p: [f64; 3], q: [f64; 3]| (0..3).all(|k| (p[k] - q[k]).abs() < 1e-15);
        assert!(close(arc.at(0.0), a) && close(arc.at(1.0), b));
    }

    #[test]
    fn disc_area_summed_while_sampling_is_polygon_area() {
        // Mid-latitudes, across ±180°, round the North Pole, round the South Pole, a pole
        // centre, round both poles, and one in the cut-locus band (sampled from the
        // antipode, its area summed afterwards).
        let cases = [
            (44.7, 43.7333, 1_000_000.0),
            (177.5, 64.7, 2_350_000.0),
            (-170.0, 71.0, 5_500_000.0),
            (166.67, -77.85, 1_500_000.0),
            (0.0, 90.0, 3_000_000.0),
            (10.0, 5.0, 15_000_000.0),
            (0.0, 0.0, 19_990_000.0),
        ];
        for (lon, lat, radius_m) in cases {
            let c = sample_circle(Point::new(lon, lat), radius_m, 100.0).unwrap();
            let expected_m2 = polygon_disc_area_m2(&c.points);
            let got_m2 = c.disc_area_m2();
            assert!(
                (got_m2 - expected_m2).abs() <= 1e-9 * expected_m2,
                "({lon}, {lat}) {radius_m} m: {got_m2} vs {expected_m2}"
            );
        }
    }

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
        let sampler = Sampler {
            curve: &on_circle,
            center,
            radius_m,
            budget_m: 50.0,
            azimuthal: true,
        };
        assert!(matches!(
            sampler.run(),
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
