//! From closed directed curves on the globe to polygons on the lon/lat rectangle.
//!
//! This file owns the topology of the RFC 7946 representation: the map is the rectangle
//! [-180, 180] × [-90, 90]; its left and right sides are the same antimeridian seam and its
//! top and bottom sides are the poles. A region of the globe is described by the closed
//! boundary curves that have the region on their **left**. [`assemble`]:
//!
//! 1. unwraps each curve's longitudes and cuts it where it crosses a seam line
//!    lon = 180° + k·360°, interpolating lon/lat-linearly so the cut point is exactly ±180.0
//!    on both sides and both parts share it;
//! 2. shifts the pieces back into [-180, 180] and joins them into *chains* that start and end
//!    on the seam;
//! 3. links each chain end to the next chain start by walking the rectangle boundary
//!    counter-clockwise (north along lon = +180, west along lat = +90, south along lon = -180,
//!    east along lat = -90), inserting the corners passed. A curve that winds once around a
//!    pole therefore gets closed along lat = ±90 between (±180, ±90) — the polygon reaches the
//!    pole;
//! 4. curves that never cross the seam are closed rings: counter-clockwise ones bound a
//!    polygon, clockwise ones are holes of the polygon that contains them, or of the whole
//!    world rectangle when none does (a region containing both poles, e.g. a disc larger than
//!    a hemisphere whose complement is a small cap).
//!
//! It works in plain planar lon/lat arithmetic and never calls boolean operations, so the
//! seam coordinates are exact.

use geo::{Contains, Coord, LineString, MultiPolygon, Point, Polygon};

use super::ring::wrap_deg;
use super::GeometryError;

/// A closed curve on the globe with the region it bounds on its left.
///
/// `points` are (lon, lat) degrees with **unwrapped** longitudes: each segment is drawn
/// straight in lon/lat from `points[i]` to `points[i + 1]`, and the closing segment from the
/// last point to `points[0]` shifted by `360 · winding` degrees of longitude. `winding` is
/// +1 for a curve going once round the globe eastwards (region to the north, enclosing the
/// North Pole), -1 westwards (enclosing the South Pole), 0 otherwise.
#[derive(Debug, Clone, PartialEq)]
pub struct DirectedRing {
    /// Vertices, (lon, lat) degrees, longitudes unwrapped; not closed.
    pub points: Vec<Coord<f64>>,
    /// Net number of eastward turns around the globe.
    pub winding: i32,
}

impl DirectedRing {
    /// Unwraps a closed ring whose consecutive vertices are joined the short way round in
    /// longitude (|Δlon| < 180°). `points` must not repeat the first point at the end.
    ///
    /// # Units
    /// Degrees.
    ///
    /// # Example
    /// ```
    /// use geo::coord;
    /// use infrange::geometry::antimeridian::DirectedRing;
    ///
    /// // Once round the globe eastwards at 80°N.
    /// let pts: Vec<_> = (0..8)
    ///     .map(|k| coord! { x: -180.0 + 45.0 * k as f64 + 10.0, y: 80.0 })
    ///     .collect();
    /// assert_eq!(DirectedRing::from_wrapped(&pts).winding, 1);
    /// ```
    pub fn from_wrapped(points: &[Coord<f64>]) -> Self {
        let mut out: Vec<Coord<f64>> = Vec::with_capacity(points.len());
        for p in points {
            let next = match out.last() {
                None => Coord {
                    x: p.x - 360.0 * (p.x / 360.0).round(),
                    y: p.y,
                },
                Some(prev) => {
                    let mut x = prev.x + wrap_deg(p.x - prev.x);
                    if p.x.abs() == 180.0 {
                        // A vertex on ±180° stays exactly on a seam line: the sum above can
                        // miss it by an ulp, which would cut the ring there.
                        x = 180.0 + 360.0 * ((x - 180.0) / 360.0).round();
                    }
                    Coord { x, y: p.y }
                }
            };
            out.push(next);
        }
        let winding = match (out.first(), out.last()) {
            (Some(first), Some(last)) => {
                let close_x = last.x + wrap_deg(first.x - last.x);
                ((close_x - first.x) / 360.0).round() as i32
            }
            _ => 0,
        };
        DirectedRing {
            points: out,
            winding,
        }
    }

    /// The same curve traversed the other way (the region on its left becomes the
    /// complement).
    pub fn reversed(&self) -> Self {
        let mut points = self.points.clone();
        points.reverse();
        DirectedRing {
            points,
            winding: -self.winding,
        }
    }

    /// Longitude shift of the closing segment's end relative to `points[0]`.
    ///
    /// # Units
    /// Degrees.
    pub fn closing_shift_deg(&self) -> f64 {
        360.0 * f64::from(self.winding)
    }
}

/// The whole world rectangle as a polygon (counter-clockwise).
///
/// Each side along ±180° has a vertex on the equator: a pole-to-pole edge is 180° of arc,
/// which read as a geodesic (PostGIS `geography`, pyproj) could be any meridian.
pub fn world_polygon() -> Polygon<f64> {
    Polygon::new(
        LineString::from(vec![
            (-180.0, -90.0),
            (180.0, -90.0),
            (180.0, 0.0),
            (180.0, 90.0),
            (-180.0, 90.0),
            (-180.0, 0.0),
            (-180.0, -90.0),
        ]),
        vec![],
    )
}

/// Builds the polygons of the region lying on the left of every curve in `rings`.
///
/// The curves must not cross or touch each other and must describe a consistent region (as
/// the concentric circles of a band do). An empty `rings` means "no boundary" and yields the
/// world rectangle. Output rings are closed, exteriors counter-clockwise and holes clockwise
/// in lon/lat; coordinates are not rounded.
///
/// # Errors
/// [`GeometryError::Invalid`] if the curves are inconsistent (e.g. a chain end that cannot
/// be linked, or a hole outside every polygon while other polygons exist).
///
/// # Example
/// ```
/// use geo::coord;
/// use infrange::geometry::antimeridian::{assemble, DirectedRing};
///
/// // A square straddling the antimeridian, counter-clockwise: two polygons.
/// let square = DirectedRing::from_wrapped(&[
///     coord! { x: 170.0, y: -10.0 },
///     coord! { x: -170.0, y: -10.0 },
///     coord! { x: -170.0, y: 10.0 },
///     coord! { x: 170.0, y: 10.0 },
/// ]);
/// let mp = assemble(&[square])?;
/// assert_eq!(mp.0.len(), 2);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn assemble(rings: &[DirectedRing]) -> Result<MultiPolygon<f64>, GeometryError> {
    if rings.is_empty() {
        return Ok(MultiPolygon::new(vec![world_polygon()]));
    }
    let mut chains: Vec<Vec<Coord<f64>>> = Vec::new();
    let mut closed: Vec<Vec<Coord<f64>>> = Vec::new();
    for ring in rings {
        match split_at_seam(ring)? {
            Split::Closed(pts) => closed.push(pts),
            Split::Chains(mut cs) => chains.append(&mut cs),
        }
    }

    let mut exteriors: Vec<Vec<Coord<f64>>> = link_chains(&chains)?;
    let mut holes: Vec<Vec<Coord<f64>>> = Vec::new();
    for ring in closed {
        if signed_area(&ring) > 0.0 {
            exteriors.push(ring);
        } else {
            holes.push(ring);
        }
    }

    let mut polygons: Vec<(LineString<f64>, Vec<LineString<f64>>, f64)> = exteriors
        .into_iter()
        .map(|ext| {
            let area = signed_area(&ext).abs();
            (close(ext), Vec::new(), area)
        })
        .collect();
    let had_exteriors = !polygons.is_empty();
    let mut world_holes: Vec<LineString<f64>> = Vec::new();
    for hole in holes {
        let probe = hole
            .iter()
            .copied()
            .find(|c| c.x.abs() < 180.0)
            .unwrap_or(hole[0]);
        let container = polygons
            .iter()
            .enumerate()
            .filter(|(_, (ext, _, _))| {
                Polygon::new(ext.clone(), vec![]).contains(&Point::from(probe))
            })
            .min_by(|a, b| a.1 .2.total_cmp(&b.1 .2))
            .map(|(i, _)| i);
        match container {
            Some(i) => polygons[i].1.push(close(hole)),
            None if !had_exteriors => world_holes.push(close(hole)),
            None => {
                return Err(GeometryError::Invalid(
                    "a hole lies outside every polygon of the region".into(),
                ))
            }
        }
    }
    let mut out: Vec<Polygon<f64>> = polygons
        .into_iter()
        .map(|(ext, ints, _)| Polygon::new(ext, ints))
        .collect();
    if !world_holes.is_empty() {
        out.push(Polygon::new(
            world_polygon().exterior().clone(),
            world_holes,
        ));
    }
    Ok(MultiPolygon::new(out))
}

/// Result of cutting one curve at the seam.
enum Split {
    /// The curve never crosses the seam: one ring in [-180, 180], not closed.
    Closed(Vec<Coord<f64>>),
    /// Pieces that start and end on lon = ±180.
    Chains(Vec<Vec<Coord<f64>>>),
}

/// Is `x` exactly on a seam line 180 + k·360?
fn on_seam(x: f64) -> bool {
    (x - 180.0).rem_euclid(360.0) == 0.0
}

/// Strip index of an unwrapped longitude: strip k covers [360k − 180, 360k + 180).
fn strip_of(x: f64) -> i64 {
    ((x + 180.0) / 360.0).floor() as i64
}

fn push_dedup(v: &mut Vec<Coord<f64>>, c: Coord<f64>) {
    if v.last() != Some(&c) {
        v.push(c);
    }
}

fn split_at_seam(ring: &DirectedRing) -> Result<Split, GeometryError> {
    let n = ring.points.len();
    if n < 3 {
        return Err(GeometryError::Invalid(format!(
            "ring with {n} vertices cannot bound a region"
        )));
    }
    // Start at a vertex that is not on a seam line, shifted into strip 0.
    let start = ring
        .points
        .iter()
        .position(|c| !on_seam(c.x))
        .ok_or_else(|| GeometryError::Invalid("ring lies on the antimeridian".into()))?;
    let shift = ring.closing_shift_deg();
    // Walk: points[start..], then points[..start] shifted, then the start point shifted
    // again (the closing vertex).
    let mut walk: Vec<Coord<f64>> = Vec::with_capacity(n + 1);
    walk.extend_from_slice(&ring.points[start..]);
    walk.extend(ring.points[..start].iter().map(|c| Coord {
        x: c.x + shift,
        y: c.y,
    }));
    walk.push(Coord {
        x: ring.points[start].x + shift,
        y: ring.points[start].y,
    });
    let base = 360.0 * (walk[0].x / 360.0).round();
    for c in &mut walk {
        c.x -= base;
    }

    let mut strip = strip_of(walk[0].x);
    let mut pieces: Vec<Vec<Coord<f64>>> = vec![vec![walk[0]]];
    for pair in walk.windows(2) {
        let (a, b) = (pair[0], pair[1]);
        // A vertex exactly on a seam line stays in the current strip (hysteresis), so a ring
        // touching the seam at a vertex is not cut there.
        let target = if on_seam(b.x) && {
            let line_lo = 360.0 * strip as f64 - 180.0;
            let line_hi = 360.0 * strip as f64 + 180.0;
            b.x == line_lo || b.x == line_hi
        } {
            strip
        } else {
            strip_of(b.x)
        };
        while strip != target {
            let step = if target > strip { 1 } else { -1 };
            let line_x = 360.0 * strip as f64 + 180.0 * step as f64;
            let t = if b.x == a.x {
                0.0
            } else {
                ((line_x - a.x) / (b.x - a.x)).clamp(0.0, 1.0)
            };
            let y = a.y + t * (b.y - a.y);
            let side = 180.0 * step as f64;
            let current = pieces
                .last_mut()
                .expect("pieces always holds the current piece");
            push_dedup(current, Coord { x: side, y });
            pieces.push(vec![Coord { x: -side, y }]);
            strip += step;
        }
        let frame = 360.0 * strip as f64;
        let current = pieces
            .last_mut()
            .expect("pieces always holds the current piece");
        push_dedup(
            current,
            Coord {
                x: b.x - frame,
                y: b.y,
            },
        );
    }

    if pieces.len() == 1 {
        if ring.winding != 0 {
            return Err(GeometryError::Invalid(
                "a curve winding round a pole did not cross the antimeridian".into(),
            ));
        }
        let mut pts = pieces.pop().expect("one piece");
        // Drop the closing vertex (equal to the first).
        if pts.len() > 1 && pts.first() == pts.last() {
            pts.pop();
        }
        return Ok(Split::Closed(pts));
    }
    // The last piece ends at the start vertex: join it in front of the first piece.
    let first = pieces.remove(0);
    let last = pieces
        .last_mut()
        .expect("at least two pieces when there is a crossing");
    for c in first.into_iter() {
        push_dedup(last, c);
    }
    Ok(Split::Chains(pieces))
}

/// Position along the rectangle boundary, counter-clockwise from (180, -90), in degrees of
/// perimeter: east side 0–180, top 180–540, west side 540–720, bottom 720–1080.
fn perimeter_t(c: Coord<f64>) -> f64 {
    if c.x >= 180.0 {
        c.y + 90.0
    } else if c.y >= 90.0 {
        180.0 + (180.0 - c.x)
    } else if c.x <= -180.0 {
        540.0 + (90.0 - c.y)
    } else {
        720.0 + (c.x + 180.0)
    }
}

const PERIMETER: f64 = 1080.0;
/// Vertices inserted where a closing run along the rectangle boundary passes them: the four
/// corners, and the equator on each side of the seam, so that no run along ±180° spans 180°
/// of arc (read as a geodesic, a pole-to-pole edge could be any meridian).
const CORNERS: [(f64, Coord<f64>); 6] = [
    (0.0, Coord { x: 180.0, y: -90.0 }),
    (90.0, Coord { x: 180.0, y: 0.0 }),
    (180.0, Coord { x: 180.0, y: 90.0 }),
    (540.0, Coord { x: -180.0, y: 90.0 }),
    (630.0, Coord { x: -180.0, y: 0.0 }),
    (
        720.0,
        Coord {
            x: -180.0,
            y: -90.0,
        },
    ),
];

fn ccw_gap(from_t: f64, to_t: f64) -> f64 {
    (to_t - from_t).rem_euclid(PERIMETER)
}

/// Links chains (ending and starting on the seam) into closed exterior rings.
fn link_chains(chains: &[Vec<Coord<f64>>]) -> Result<Vec<Vec<Coord<f64>>>, GeometryError> {
    let mut out = Vec::new();
    if chains.is_empty() {
        return Ok(out);
    }
    let mut start_t = Vec::with_capacity(chains.len());
    let mut end_t = Vec::with_capacity(chains.len());
    for chain in chains {
        match (chain.first(), chain.last()) {
            (Some(s), Some(e)) if s.x.abs() == 180.0 && e.x.abs() == 180.0 => {
                start_t.push(perimeter_t(*s));
                end_t.push(perimeter_t(*e));
            }
            _ => {
                return Err(GeometryError::Invalid(
                    "chain does not start and end on the antimeridian".into(),
                ))
            }
        }
    }
    let next_of = |i: usize| -> usize {
        (0..chains.len())
            .min_by(|&a, &b| {
                ccw_gap(end_t[i], start_t[a]).total_cmp(&ccw_gap(end_t[i], start_t[b]))
            })
            .expect("chains is not empty")
    };
    let mut used = vec![false; chains.len()];
    for first in 0..chains.len() {
        if used[first] {
            continue;
        }
        let mut ring: Vec<Coord<f64>> = Vec::new();
        let mut cur = first;
        used[cur] = true;
        for c in &chains[cur] {
            push_dedup(&mut ring, *c);
        }
        let mut guard = 0usize;
        loop {
            guard += 1;
            if guard > chains.len() + 1 {
                return Err(GeometryError::Invalid(
                    "chain linking does not close".into(),
                ));
            }
            let next = next_of(cur);
            let gap = ccw_gap(end_t[cur], start_t[next]);
            let mut corners: Vec<(f64, Coord<f64>)> = CORNERS
                .iter()
                .map(|(t, c)| (ccw_gap(end_t[cur], *t), *c))
                .filter(|(d, _)| *d > 0.0 && *d < gap)
                .collect();
            corners.sort_by(|a, b| a.0.total_cmp(&b.0));
            for (_, c) in corners {
                push_dedup(&mut ring, c);
            }
            if next == first {
                break;
            }
            if used[next] {
                return Err(GeometryError::Invalid(
                    "chain linked into two polygons".into(),
                ));
            }
            used[next] = true;
            for c in &chains[next] {
                push_dedup(&mut ring, *c);
            }
            cur = next;
        }
        if ring.first() == ring.last() && ring.len() > 1 {
            ring.pop();
        }
        out.push(ring);
    }
    Ok(out)
}

/// Shoelace signed area of an open ring (positive when counter-clockwise).
///
/// # Units
/// Square degrees.
pub fn signed_area(ring: &[Coord<f64>]) -> f64 {
    let n = ring.len();
    let mut s = 0.0;
    for i in 0..n {
        let a = ring[i];
        let b = ring[(i + 1) % n];
        s += a.x * b.y - b.x * a.y;
    }
    0.5 * s
}

fn close(mut ring: Vec<Coord<f64>>) -> LineString<f64> {
    if let Some(&first) = ring.first() {
        if ring.last() != Some(&first) {
            ring.push(first);
        }
    }
    LineString::new(ring)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A vertex on ±180° after vertices just across the seam unwraps onto the seam line
    /// exactly (an ulp off, the ring was cut there: an invalid band around the antipode).
    #[test]
    fn seam_vertices_stay_on_the_seam_when_unwrapped() {
        for k in 0..2000 {
            let prev = -179.999 + k as f64 * 0.0005;
            let pts = [
                Coord { x: 179.9, y: 0.0 },
                Coord { x: prev, y: -0.1 },
                Coord { x: -180.0, y: -0.2 },
                Coord { x: 179.8, y: -0.1 },
            ];
            let r = DirectedRing::from_wrapped(&pts);
            assert_eq!(r.points[2].x, 180.0, "after {prev}");
        }
    }
    use approx::assert_relative_eq;
    use geo::{coord, Area, Intersects};

    fn c(x: f64, y: f64) -> Coord<f64> {
        coord! { x: x, y: y }
    }

    #[test]
    fn ring_without_crossing_stays_one_polygon() {
        let r = DirectedRing::from_wrapped(&[c(0.0, 0.0), c(10.0, 0.0), c(10.0, 10.0)]);
        let mp = assemble(&[r]).expect("assemble");
        assert_eq!(mp.0.len(), 1);
        assert_relative_eq!(mp.unsigned_area(), 50.0);
    }

    #[test]
    fn clockwise_ring_is_a_hole_of_the_world() {
        let r = DirectedRing::from_wrapped(&[c(0.0, 0.0), c(10.0, 10.0), c(10.0, 0.0)]);
        let mp = assemble(&[r]).expect("assemble");
        assert_eq!(mp.0.len(), 1);
        assert_eq!(mp.0[0].interiors().len(), 1);
        assert_relative_eq!(mp.unsigned_area(), 360.0 * 180.0 - 50.0);
    }

    #[test]
    fn square_across_antimeridian_splits_exactly() {
        let r = DirectedRing::from_wrapped(&[
            c(170.0, -10.0),
            c(-170.0, -10.0),
            c(-170.0, 10.0),
            c(170.0, 10.0),
        ]);
        let mp = assemble(&[r]).expect("assemble");
        assert_eq!(mp.0.len(), 2);
        assert_relative_eq!(mp.unsigned_area(), 400.0);
        for p in &mp.0 {
            let xs: Vec<f64> = p.exterior().coords().map(|c| c.x).collect();
            assert!(xs.iter().any(|x| x.abs() == 180.0));
            assert!(xs.iter().all(|x| x.abs() <= 180.0));
        }
    }

    #[test]
    fn slanted_crossing_uses_same_latitude_on_both_sides() {
        let r = DirectedRing::from_wrapped(&[c(175.0, 0.0), c(-175.0, 10.0), c(-175.0, 20.0)]);
        let mp = assemble(&[r]).expect("assemble");
        let mut seam_lats: Vec<(f64, f64)> =
            mp.0.iter()
                .flat_map(|p| p.exterior().coords().copied().collect::<Vec<_>>())
                .filter(|c| c.x.abs() == 180.0)
                .map(|c| (c.x, c.y))
                .collect();
        seam_lats.sort_by(|a, b| a.1.total_cmp(&b.1).then(a.0.total_cmp(&b.0)));
        seam_lats.dedup();
        // Two crossing latitudes, each present at -180 and +180.
        assert_eq!(seam_lats.len(), 4);
        assert_eq!(seam_lats[0].1, seam_lats[1].1);
        assert_eq!(seam_lats[2].1, seam_lats[3].1);
    }

    #[test]
    fn eastward_ring_encloses_north_pole() {
        let pts: Vec<_> = (0..12).map(|k| c(-170.0 + 30.0 * k as f64, 70.0)).collect();
        let r = DirectedRing::from_wrapped(&pts);
        assert_eq!(r.winding, 1);
        let mp = assemble(std::slice::from_ref(&r)).expect("assemble");
        assert_eq!(mp.0.len(), 1);
        assert_relative_eq!(mp.unsigned_area(), 360.0 * 20.0, epsilon = 1e-9);
        assert!(mp.intersects(&Point::new(0.0, 90.0)));
        // Reversed: everything south of 70°N.
        let south = assemble(&[r.reversed()]).expect("assemble");
        assert_relative_eq!(south.unsigned_area(), 360.0 * 160.0, epsilon = 1e-9);
        assert!(south.intersects(&Point::new(0.0, -90.0)));
        assert!(!south.intersects(&Point::new(0.0, 90.0)));
    }

    #[test]
    fn polar_band_between_two_parallels() {
        let outer: Vec<_> = (0..12).map(|k| c(-170.0 + 30.0 * k as f64, 60.0)).collect();
        let inner: Vec<_> = (0..12).map(|k| c(-170.0 + 30.0 * k as f64, 80.0)).collect();
        let outer = DirectedRing::from_wrapped(&outer);
        let inner = DirectedRing::from_wrapped(&inner).reversed();
        let mp = assemble(&[outer, inner]).expect("assemble");
        assert_relative_eq!(mp.unsigned_area(), 360.0 * 20.0, epsilon = 1e-9);
        assert!(!mp.intersects(&Point::new(0.0, 90.0)));
        assert!(mp.intersects(&Point::new(0.0, 70.0)));
    }

    #[test]
    fn ring_touching_the_seam_at_a_vertex_is_not_cut() {
        let r = DirectedRing::from_wrapped(&[c(170.0, 0.0), c(180.0, 5.0), c(170.0, 10.0)]);
        let mp = assemble(&[r]).expect("assemble");
        assert_eq!(mp.0.len(), 1);
        assert_relative_eq!(mp.unsigned_area(), 50.0);
    }

    #[test]
    fn empty_input_is_the_world() {
        let mp = assemble(&[]).expect("assemble");
        assert_relative_eq!(mp.unsigned_area(), 360.0 * 180.0);
    }
}
