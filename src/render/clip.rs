//! Clipping, in lon/lat before projecting and in pixels after.
//!
//! Lon/lat polygons are treated as planar in (lon, lat) degrees: they are already split at
//! ±180 and polygons around a pole run along lat ±90, so their planar interior is their
//! interior on the globe. A projection's drawable [`Domain`] is turned into such a lon/lat
//! region ([`DomainClip`]) and every polygon is intersected with it before projecting, so no
//! polygon reaches the projection's edge (antipode, opposite meridian, Mercator's poles).

use geo::{BooleanOps, Coord, LineString, MultiPolygon, Polygon, Rect, Translate};

use super::projection::{normalize_lon, Domain};

/// A lon/lat position in degrees, (lon, lat).
pub type LonLat = (f64, f64);

/// Mean Earth radius used for spherical helpers, metres.
pub const EARTH_RADIUS_M: f64 = 6_371_008.8;

/// Great-circle angle between two points on the sphere, degrees of arc.
pub fn angular_distance_deg(a: LonLat, b: LonLat) -> f64 {
    let (l1, p1) = (a.0.to_radians(), a.1.to_radians());
    let (l2, p2) = (b.0.to_radians(), b.1.to_radians());
    let h = ((p2 - p1) / 2.0).sin().powi(2) + p1.cos() * p2.cos() * ((l2 - l1) / 2.0).sin().powi(2);
    (2.0 * h.sqrt().min(1.0).asin()).to_degrees()
}

/// The point `dist_deg` degrees of arc from `start` along initial azimuth `azimuth_deg`
/// (clockwise from north), on the sphere.
///
/// Computed with unit vectors, so it stays exact at the poles, where the usual
/// `atan2` formula loses the longitude to cancellation. At a pole "north" is taken along
/// the meridian `start.0` (the limit of approaching the pole along that meridian), so a
/// circle sampled round a pole has its vertices spread evenly in longitude.
pub fn spherical_destination(start: LonLat, azimuth_deg: f64, dist_deg: f64) -> LonLat {
    let (l1, p1) = (start.0.to_radians(), start.1.to_radians());
    let (az, d) = (azimuth_deg.to_radians(), dist_deg.to_radians());
    let (sl, cl) = l1.sin_cos();
    let (sp, cp) = if start.1.abs() >= 90.0 {
        (start.1.signum(), 0.0)
    } else {
        p1.sin_cos()
    };
    // Centre, local north and local east as unit vectors.
    let c = [cp * cl, cp * sl, sp];
    let n = [-sp * cl, -sp * sl, cp];
    let e = [-sl, cl, 0.0];
    let (sa, ca) = az.sin_cos();
    let (sd, cd) = d.sin_cos();
    let v: [f64; 3] = std::array::from_fn(|k| c[k] * cd + (n[k] * ca + e[k] * sa) * sd);
    let lat = v[2].atan2(v[0].hypot(v[1])).to_degrees();
    let lon = if v[0].hypot(v[1]) < 1e-15 {
        start.0
    } else {
        v[1].atan2(v[0]).to_degrees()
    };
    (normalize_lon(lon), lat)
}

/// Inserts points so that no step exceeds `max_step_deg` in lon or lat (straight in lon/lat).
pub fn densify(line: &[LonLat], max_step_deg: f64) -> Vec<LonLat> {
    let mut out = Vec::with_capacity(line.len());
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(a);
        let span = (b.0 - a.0).abs().max((b.1 - a.1).abs());
        if span > max_step_deg && span.is_finite() {
            let n = (span / max_step_deg).ceil() as usize;
            for i in 1..n {
                let t = i as f64 / n as f64;
                out.push((a.0 + (b.0 - a.0) * t, a.1 + (b.1 - a.1) * t));
            }
        }
    }
    if let Some(&last) = line.last() {
        out.push(last);
    }
    out
}

fn wrap180(d: f64) -> f64 {
    let mut d = d % 360.0;
    if d > 180.0 {
        d -= 360.0;
    } else if d < -180.0 {
        d += 360.0;
    }
    d
}

fn world_box(lat_max: f64) -> Polygon<f64> {
    Rect::new(
        Coord {
            x: -180.0,
            y: -lat_max,
        },
        Coord {
            x: 180.0,
            y: lat_max,
        },
    )
    .to_polygon()
}

/// Turns a closed ring sampled along a circle on the globe (a geodesic or small circle,
/// vertices in order, consecutive vertices less than 180° of longitude apart) into a lon/lat
/// area: split at ±180 and, if it encloses a pole, closed along lat ±90. `inside` is any
/// point inside the circle (its centre), used to tell which pole it encloses.
pub fn circle_to_lonlat_area(ring: &[LonLat], inside: LonLat) -> MultiPolygon<f64> {
    let mut pts: Vec<LonLat> = ring.to_vec();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    if pts.len() < 3 {
        return MultiPolygon(Vec::new());
    }
    let mut unwrapped: Vec<Coord<f64>> = Vec::with_capacity(pts.len() + 4);
    let mut u = pts[0].0;
    unwrapped.push(Coord { x: u, y: pts[0].1 });
    for w in pts.windows(2) {
        u += wrap180(w[1].0 - w[0].0);
        unwrapped.push(Coord { x: u, y: w[1].1 });
    }
    let closing = u + wrap180(pts[0].0 - pts[pts.len() - 1].0);
    let total = closing - pts[0].0;
    let shape = if total.abs() < 180.0 {
        Polygon::new(LineString(unwrapped), Vec::new())
    } else {
        unwrapped.push(Coord {
            x: closing,
            y: pts[0].1,
        });
        let with_pole = |pole: f64| {
            let mut c = unwrapped.clone();
            c.push(Coord {
                x: closing,
                y: pole,
            });
            c.push(Coord {
                x: pts[0].0,
                y: pole,
            });
            Polygon::new(LineString(c), Vec::new())
        };
        // A circle that winds round one pole encloses the one nearer its centre (a point
        // test would be ambiguous: a centre on the pole lies on the closing edge).
        let north_nearer =
            angular_distance_deg(inside, (0.0, 90.0)) <= angular_distance_deg(inside, (0.0, -90.0));
        with_pole(if north_nearer { 90.0 } else { -90.0 })
    };
    wrap_into_world(&shape)
}

/// Cuts a polygon given in unwrapped longitudes into pieces within [-180, 180].
fn wrap_into_world(shape: &Polygon<f64>) -> MultiPolygon<f64> {
    let world = world_box(90.0);
    let mut merged = MultiPolygon(Vec::new());
    for k in -2..=2 {
        let shifted = shape.translate(360.0 * f64::from(k), 0.0);
        let part = shifted.intersection(&world);
        if !part.0.is_empty() {
            // Union, so pieces meeting at the ring's own start meridian become one.
            merged = merged.union(&part);
        }
    }
    MultiPolygon(
        merged
            .0
            .into_iter()
            .filter(|p| p.exterior().0.len() >= 4)
            .collect(),
    )
}

/// Samples a small circle of angular radius `radius_deg` around `centre`, closed, 1° steps.
pub fn small_circle(centre: LonLat, radius_deg: f64, steps: usize) -> Vec<LonLat> {
    let n = steps.max(8);
    let mut v: Vec<LonLat> = (0..n)
        .map(|i| spherical_destination(centre, 360.0 * i as f64 / n as f64, radius_deg))
        .collect();
    if let Some(&f) = v.first() {
        v.push(f);
    }
    v
}

/// The spherical cap of angular radius `radius_deg` around `centre` as a lon/lat area.
pub fn cap_area(centre: LonLat, radius_deg: f64) -> MultiPolygon<f64> {
    if radius_deg >= 179.9 {
        return MultiPolygon(vec![world_box(90.0)]);
    }
    if radius_deg > 90.0 + centre.1.abs() - 1e-6 {
        // Encloses both poles: the world minus the opposite cap.
        let anti = (normalize_lon(centre.0 + 180.0), -centre.1);
        let hole = cap_area(anti, 180.0 - radius_deg);
        return MultiPolygon(vec![world_box(90.0)]).difference(&hole);
    }
    circle_to_lonlat_area(&small_circle(centre, radius_deg, 360), centre)
}

/// A projection domain prepared for clipping lon/lat geometry.
#[derive(Debug, Clone)]
pub struct DomainClip {
    domain: Domain,
    region: MultiPolygon<f64>,
    /// Longitude of a cut other than ±180 (the antimeridian of a global projection's lon_0).
    cut_lon: Option<f64>,
}

/// How far points are kept off a cut meridian, degrees (overlay rounding is ~1e-7°).
pub const CUT_EPS_DEG: f64 = 1e-5;

impl DomainClip {
    /// Prepares the lon/lat region of `domain`.
    pub fn new(domain: Domain) -> Self {
        match domain {
            Domain::Cap {
                lon_deg,
                lat_deg,
                radius_deg,
            } => Self {
                domain,
                region: cap_area((lon_deg, lat_deg), radius_deg),
                cut_lon: None,
            },
            Domain::Global {
                lon0_deg,
                lat_max_deg,
            } => {
                let c = normalize_lon(lon0_deg + 180.0);
                if c.abs() > 180.0 - 1e-9 {
                    Self {
                        domain,
                        region: MultiPolygon(vec![world_box(lat_max_deg)]),
                        cut_lon: None,
                    }
                } else {
                    let b = |x0: f64, x1: f64| {
                        Rect::new(
                            Coord {
                                x: x0,
                                y: -lat_max_deg,
                            },
                            Coord {
                                x: x1,
                                y: lat_max_deg,
                            },
                        )
                        .to_polygon()
                    };
                    Self {
                        domain,
                        region: MultiPolygon(vec![
                            b(-180.0, c - CUT_EPS_DEG),
                            b(c + CUT_EPS_DEG, 180.0),
                        ]),
                        cut_lon: Some(c),
                    }
                }
            }
        }
    }

    /// The lon/lat region geometry is clipped to.
    pub fn region(&self) -> &MultiPolygon<f64> {
        &self.region
    }

    /// Whether a lon/lat point is drawable.
    pub fn contains(&self, p: LonLat) -> bool {
        match self.domain {
            Domain::Cap {
                lon_deg,
                lat_deg,
                radius_deg,
            } => angular_distance_deg((lon_deg, lat_deg), p) <= radius_deg,
            Domain::Global { lat_max_deg, .. } => {
                p.1.abs() <= lat_max_deg
                    && self
                        .cut_lon
                        .is_none_or(|c| (p.0 - c).abs() >= CUT_EPS_DEG * 0.5)
            }
        }
    }

    /// Clips lon/lat polygons to the domain; the result is densified to `max_step_deg`.
    pub fn clip_polygons(&self, mp: &MultiPolygon<f64>, max_step_deg: f64) -> MultiPolygon<f64> {
        let mut out = Vec::new();
        for poly in &mp.0 {
            let dense = densify_polygon(poly, max_step_deg);
            let all_inside = dense.exterior().0.iter().all(|c| self.contains((c.x, c.y)))
                && dense
                    .interiors()
                    .iter()
                    .all(|r| r.0.iter().all(|c| self.contains((c.x, c.y))));
            let straddles_cut = self.cut_lon.is_some_and(|c| {
                let xs = dense.exterior().0.iter().map(|p| p.x);
                let (lo, hi) = xs.fold((f64::MAX, f64::MIN), |(a, b), x| (a.min(x), b.max(x)));
                lo < c && hi > c
            });
            if all_inside && !straddles_cut {
                out.push(dense);
            } else if let Some(c) = self.cut_lon {
                // One side of the cut at a time; the overlay rounds coordinates, so pin
                // each piece's longitudes to its own side afterwards.
                let sides = [(-180.0, c - CUT_EPS_DEG), (c + CUT_EPS_DEG, 180.0)];
                for (part, (lo, hi)) in self.region.0.iter().zip(sides) {
                    for p in dense.intersection(part).0 {
                        let mut p = densify_polygon(&p, max_step_deg);
                        p.exterior_mut(|r| clamp_lon(r, lo, hi));
                        p.interiors_mut(|rs| rs.iter_mut().for_each(|r| clamp_lon(r, lo, hi)));
                        out.push(p);
                    }
                }
            } else {
                for p in dense.intersection(&self.region).0 {
                    out.push(densify_polygon(&p, max_step_deg));
                }
            }
        }
        MultiPolygon(out)
    }

    /// Clips a lon/lat polyline to the domain, splitting it where it leaves the domain and
    /// where it crosses ±180 or the cut meridian; pieces are densified to `max_step_deg`.
    pub fn clip_line(&self, line: &[LonLat], max_step_deg: f64) -> Vec<Vec<LonLat>> {
        let mut pieces: Vec<Vec<LonLat>> = Vec::new();
        // First split at ±180 and at the cut meridian.
        for part in split_at_meridians(line, self.cut_lon) {
            let dense = densify(&part, max_step_deg);
            let mut cur: Vec<LonLat> = Vec::new();
            let mut prev: Option<(LonLat, bool)> = None;
            for &p in &dense {
                let inside = self.contains(p);
                if let Some((q, q_inside)) = prev {
                    if inside && !q_inside {
                        cur.push(self.boundary_point(p, q));
                    } else if !inside && q_inside {
                        cur.push(self.boundary_point(q, p));
                        if cur.len() >= 2 {
                            pieces.push(std::mem::take(&mut cur));
                        }
                        cur.clear();
                    }
                }
                if inside {
                    cur.push(p);
                }
                prev = Some((p, inside));
            }
            if cur.len() >= 2 {
                pieces.push(cur);
            }
        }
        pieces
    }

    /// Bisects the segment from an inside point to an outside one for the domain edge.
    fn boundary_point(&self, inside: LonLat, outside: LonLat) -> LonLat {
        let (mut a, mut b) = (inside, outside);
        for _ in 0..30 {
            let m = ((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0);
            if self.contains(m) {
                a = m;
            } else {
                b = m;
            }
        }
        a
    }
}

/// Splits a polyline where it jumps across ±180 (|Δlon| > 180) and where it crosses `cut`.
fn split_at_meridians(line: &[LonLat], cut: Option<f64>) -> Vec<Vec<LonLat>> {
    let mut out = Vec::new();
    let mut cur: Vec<LonLat> = Vec::new();
    for (i, &p) in line.iter().enumerate() {
        if i > 0 {
            let q = line[i - 1];
            let d = p.0 - q.0;
            if q.0.abs() >= 180.0 - 1e-9 && p.0.abs() >= 180.0 - 1e-9 && d.abs() > 180.0 {
                // A jump from one side of ±180 to the other: just break.
                if cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
            } else if d.abs() > 180.0 {
                // Crosses ±180: interpolate in unwrapped longitude.
                let edge = if q.0 > 0.0 { 180.0 } else { -180.0 };
                let p_un = p.0 + if edge > 0.0 { 360.0 } else { -360.0 };
                let t = (edge - q.0) / (p_un - q.0);
                let lat = q.1 + (p.1 - q.1) * t;
                cur.push((edge, lat));
                if cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
                cur.push((-edge, lat));
            } else if let Some(c) = cut {
                if (q.0 - c) * (p.0 - c) < 0.0 {
                    let t = (c - q.0) / d;
                    let lat = q.1 + (p.1 - q.1) * t;
                    let s = if d > 0.0 { 1.0 } else { -1.0 };
                    cur.push((c - s * CUT_EPS_DEG, lat));
                    if cur.len() >= 2 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push((c + s * CUT_EPS_DEG, lat));
                }
            }
        }
        cur.push(p);
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

fn clamp_lon(r: &mut LineString<f64>, lo: f64, hi: f64) {
    for c in r.0.iter_mut() {
        c.x = c.x.clamp(lo, hi);
    }
}

fn densify_ring(ring: &LineString<f64>, max_step_deg: f64) -> LineString<f64> {
    let pts: Vec<LonLat> = ring.0.iter().map(|c| (c.x, c.y)).collect();
    LineString(
        densify(&pts, max_step_deg)
            .into_iter()
            .map(|(x, y)| Coord { x, y })
            .collect(),
    )
}

/// Densifies every ring of a polygon to `max_step_deg`.
pub fn densify_polygon(p: &Polygon<f64>, max_step_deg: f64) -> Polygon<f64> {
    Polygon::new(
        densify_ring(p.exterior(), max_step_deg),
        p.interiors()
            .iter()
            .map(|r| densify_ring(r, max_step_deg))
            .collect(),
    )
}

/// Splits a lon/lat ring into the polylines worth stroking: edges along ±180 or along the
/// poles (artificial cuts) are left out.
pub fn strokable_parts(ring: &[LonLat]) -> Vec<Vec<LonLat>> {
    let artificial = |a: LonLat, b: LonLat| {
        let on_180 = a.0.abs() >= 180.0 - 1e-6 && b.0.abs() >= 180.0 - 1e-6;
        let on_pole = a.1.abs() >= 90.0 - 1e-6 && b.1.abs() >= 90.0 - 1e-6;
        on_180 || on_pole
    };
    let mut out = Vec::new();
    let mut cur: Vec<LonLat> = Vec::new();
    for w in ring.windows(2) {
        if artificial(w[0], w[1]) {
            if cur.len() >= 2 {
                out.push(std::mem::take(&mut cur));
            }
            cur.clear();
            continue;
        }
        if cur.is_empty() {
            cur.push(w[0]);
        }
        cur.push(w[1]);
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// A screen rectangle in pixels: `[left, top, right, bottom]`.
pub type ScreenRect = [f64; 4];

/// Sutherland–Hodgman clip of a closed ring (no repeated closing point) to a rectangle.
pub fn clip_ring_to_rect(ring: &[[f64; 2]], r: ScreenRect) -> Vec<[f64; 2]> {
    let mut pts: Vec<[f64; 2]> = ring.to_vec();
    // (axis, bound, keep_greater)
    let edges = [
        (0, r[0], true),
        (0, r[2], false),
        (1, r[1], true),
        (1, r[3], false),
    ];
    for &(axis, bound, keep_greater) in &edges {
        if pts.is_empty() {
            break;
        }
        let inside = |p: &[f64; 2]| {
            if keep_greater {
                p[axis] >= bound
            } else {
                p[axis] <= bound
            }
        };
        let mut out = Vec::with_capacity(pts.len() + 4);
        for i in 0..pts.len() {
            let cur = pts[i];
            let prev = pts[(i + pts.len() - 1) % pts.len()];
            let (ci, pi) = (inside(&cur), inside(&prev));
            if ci != pi {
                let t = (bound - prev[axis]) / (cur[axis] - prev[axis]);
                let mut q = [
                    prev[0] + (cur[0] - prev[0]) * t,
                    prev[1] + (cur[1] - prev[1]) * t,
                ];
                q[axis] = bound;
                out.push(q);
            }
            if ci {
                out.push(cur);
            }
        }
        pts = out;
    }
    pts
}

/// Liang–Barsky clip of a polyline to a rectangle; returns the visible pieces.
pub fn clip_line_to_rect(line: &[[f64; 2]], r: ScreenRect) -> Vec<Vec<[f64; 2]>> {
    let mut out: Vec<Vec<[f64; 2]>> = Vec::new();
    let mut cur: Vec<[f64; 2]> = Vec::new();
    for w in line.windows(2) {
        let (a, b) = (w[0], w[1]);
        match clip_segment(a, b, r) {
            Some((p, q, a_in, b_in)) => {
                if !a_in || cur.is_empty() {
                    if cur.len() >= 2 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                    cur.push(p);
                }
                cur.push(q);
                if !b_in {
                    if cur.len() >= 2 {
                        out.push(std::mem::take(&mut cur));
                    }
                    cur.clear();
                }
            }
            None => {
                if cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
            }
        }
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// Clips one segment; returns the visible part and whether each end was unclipped.
fn clip_segment(
    a: [f64; 2],
    b: [f64; 2],
    r: ScreenRect,
) -> Option<([f64; 2], [f64; 2], bool, bool)> {
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    let mut t0: f64 = 0.0;
    let mut t1: f64 = 1.0;
    let checks = [
        (-dx, a[0] - r[0]),
        (dx, r[2] - a[0]),
        (-dy, a[1] - r[1]),
        (dy, r[3] - a[1]),
    ];
    for (p, q) in checks {
        if p == 0.0 {
            if q < 0.0 {
                return None;
            }
        } else {
            let t = q / p;
            if p < 0.0 {
                t0 = t0.max(t);
            } else {
                t1 = t1.min(t);
            }
        }
    }
    if t0 > t1 {
        return None;
    }
    let at = |t: f64| [a[0] + dx * t, a[1] + dy * t];
    Some((at(t0), at(t1), t0 <= 0.0, t1 >= 1.0))
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{Area, Contains};

    #[test]
    fn cap_around_pole_runs_along_lat_90() {
        let mp = cap_area((0.0, 80.0), 20.0);
        let area: f64 = mp.unsigned_area();
        assert!(area > 0.0);
        assert!(mp
            .0
            .iter()
            .any(|p| p.exterior().0.iter().any(|c| (c.y - 90.0).abs() < 1e-9)));
        assert!(mp.contains(&Coord { x: 170.0, y: 89.0 }));
        assert!(!mp.contains(&Coord { x: 170.0, y: 60.0 }));
    }

    #[test]
    fn cap_across_antimeridian_is_split() {
        let mp = cap_area((177.5, 64.7), 10.0);
        assert!(mp.0.len() >= 2);
        assert!(mp.contains(&Coord { x: -178.0, y: 64.7 }));
        assert!(mp.contains(&Coord { x: 176.0, y: 64.7 }));
        for p in &mp.0 {
            assert!(p.exterior().0.iter().all(|c| c.x.abs() <= 180.0 + 1e-9));
        }
    }

    #[test]
    fn cap_with_both_poles_is_world_minus_antipodal_cap() {
        let mp = cap_area((0.0, 0.0), 120.0);
        assert!(mp.contains(&Coord { x: 0.0, y: 89.0 }));
        assert!(mp.contains(&Coord { x: 0.0, y: -89.0 }));
        assert!(!mp.contains(&Coord { x: 180.0, y: 0.0 }));
    }

    #[test]
    fn domain_clip_keeps_inside_and_drops_far_side() {
        let dc = DomainClip::new(Domain::Cap {
            lon_deg: 15.65,
            lat_deg: 78.22,
            radius_deg: 90.0,
        });
        let square = |x: f64, y: f64| {
            Rect::new(
                Coord { x, y },
                Coord {
                    x: x + 5.0,
                    y: y + 5.0,
                },
            )
            .to_polygon()
        };
        let mp = MultiPolygon(vec![square(10.0, 50.0), square(10.0, -50.0)]);
        let out = dc.clip_polygons(&mp, 1.0);
        assert_eq!(out.0.len(), 1);
        let lines = dc.clip_line(&[(0.0, -60.0), (0.0, 60.0)], 1.0);
        assert_eq!(lines.len(), 1);
        let lat_min = lines[0].iter().map(|p| p.1).fold(f64::MAX, f64::min);
        assert!((lat_min - (78.22 - 90.0)).abs() < 0.6, "{lat_min}");
    }

    #[test]
    fn lines_split_at_antimeridian_and_cut() {
        let parts = split_at_meridians(&[(170.0, 0.0), (-170.0, 10.0)], None);
        assert_eq!(parts.len(), 2);
        assert_eq!(parts[0].last().map(|p| p.0), Some(180.0));
        assert!((parts[0][1].1 - 5.0).abs() < 1e-9);
        let dc = DomainClip::new(Domain::Global {
            lon0_deg: 100.0,
            lat_max_deg: 90.0,
        });
        assert_eq!(dc.clip_line(&[(-90.0, 0.0), (-70.0, 0.0)], 1.0).len(), 2);
    }

    #[test]
    fn rect_clipping() {
        let r = [0.0, 0.0, 10.0, 10.0];
        let ring = [[-5.0, 5.0], [5.0, -5.0], [15.0, 5.0], [5.0, 15.0]];
        let c = clip_ring_to_rect(&ring, r);
        assert!(c
            .iter()
            .all(|p| p[0] >= 0.0 && p[0] <= 10.0 && p[1] >= 0.0 && p[1] <= 10.0));
        assert!(c.len() >= 8);
        let pieces = clip_line_to_rect(&[[-5.0, 5.0], [5.0, 5.0], [5.0, 20.0], [8.0, 8.0]], r);
        assert_eq!(pieces.len(), 2);
        assert_eq!(pieces[0][0], [0.0, 5.0]);
    }

    #[test]
    fn strokable_parts_skip_cut_edges() {
        let ring = [
            (170.0, 60.0),
            (180.0, 60.0),
            (180.0, 70.0),
            (170.0, 70.0),
            (170.0, 60.0),
        ];
        let parts = strokable_parts(&ring);
        assert_eq!(parts.len(), 2);
        let ring = [
            (-180.0, 80.0),
            (180.0, 80.0),
            (180.0, 90.0),
            (-180.0, 90.0),
            (-180.0, 80.0),
        ];
        assert!(strokable_parts(&ring).is_empty());
    }

    #[test]
    fn spherical_helpers() {
        let d = angular_distance_deg((0.0, 0.0), (90.0, 0.0));
        assert!((d - 90.0).abs() < 1e-9);
        let p = spherical_destination((0.0, 0.0), 0.0, 45.0);
        assert!((p.1 - 45.0).abs() < 1e-9 && p.0.abs() < 1e-9);
        // Against the classic formula away from the poles.
        let (l1, p1) = (20f64.to_radians(), 50f64.to_radians());
        let (az, d) = (70f64.to_radians(), 30f64.to_radians());
        let p2 = (p1.sin() * d.cos() + p1.cos() * d.sin() * az.cos()).asin();
        let l2 = l1 + (az.sin() * d.sin() * p1.cos()).atan2(d.cos() - p1.sin() * p2.sin());
        let q = spherical_destination((20.0, 50.0), 70.0, 30.0);
        assert!((q.0 - l2.to_degrees()).abs() < 1e-9 && (q.1 - p2.to_degrees()).abs() < 1e-9);
    }

    /// From a pole every azimuth leads to a different meridian: a circle round the pole
    /// samples all longitudes evenly (the octagonal polar globe came from losing them).
    #[test]
    fn destinations_from_a_pole_keep_their_longitude() {
        let ring = small_circle((40.0, 90.0), 20.0, 360);
        let mut lons: Vec<f64> = ring.iter().map(|p| p.0).collect();
        assert!(ring.iter().all(|p| (p.1 - 70.0).abs() < 1e-9));
        lons.sort_by(f64::total_cmp);
        lons.dedup_by(|a, b| (*a - *b).abs() < 1e-6);
        assert!(lons.len() >= 359, "{} distinct longitudes", lons.len());
        let gaps = lons.windows(2).map(|w| w[1] - w[0]).fold(0.0, f64::max);
        assert!(gaps < 1.01, "largest gap {gaps}");
        let south = spherical_destination((0.0, -90.0), 90.0, 30.0);
        assert!((south.1 + 60.0).abs() < 1e-9);
    }

    #[test]
    fn cap_centred_on_a_pole_covers_that_pole() {
        for (centre, r) in [
            ((0.0, 90.0), 32.0),
            ((40.0, 90.0), 110.0),
            ((0.0, -90.0), 30.0),
        ] {
            let mp = cap_area(centre, r);
            let inside = (0.0, centre.1 - centre.1.signum() * (r - 1.0));
            let outside = (0.0, centre.1 - centre.1.signum() * (r + 1.0));
            assert!(
                mp.contains(&Coord {
                    x: inside.0,
                    y: inside.1
                }),
                "{centre:?} {r}"
            );
            assert!(
                !mp.contains(&Coord {
                    x: outside.0,
                    y: outside.1
                }),
                "{centre:?} {r}"
            );
        }
    }
}
