//! OGC validity of rounded band polygons, decided exactly and in O(n log n) when possible.
//!
//! `geo`'s `Validation` tests every pair of edges of a ring (O(n²)); for rings of a few
//! thousand vertices, built with every band, that dominated the time to build the layers. The
//! polygons checked here have coordinates on the 6-decimal grid, so they are exact integers
//! in micro-degrees and every geometric predicate below is exact integer arithmetic.
//!
//! [`check_validity`] first sweeps all edges of all rings in longitude order and looks for
//! any two edges that meet, other than consecutive edges of a ring at their shared vertex.
//! If none meet, the polygons are valid exactly when each hole lies inside its exterior, no
//! hole lies inside another hole of its polygon, and no polygon lies inside another's
//! exterior other than within one of its holes — decided with one vertex per ring, since
//! boundaries that do not meet cannot cross. If some edges do meet (rings that touch at a
//! point can still be valid), the answer is `geo`'s `check_validation`.

use geo::{MultiPolygon, Validation};

use super::GeometryError;

/// A point in micro-degrees.
type P = (i64, i64);

fn micro(c: &geo::Coord<f64>) -> P {
    ((c.x * 1e6).round() as i64, (c.y * 1e6).round() as i64)
}

/// Sign of the cross product (b − a) × (c − a): > 0 when a, b, c turn counter-clockwise.
fn orient(a: P, b: P, c: P) -> i128 {
    let (abx, aby) = (i128::from(b.0 - a.0), i128::from(b.1 - a.1));
    let (acx, acy) = (i128::from(c.0 - a.0), i128::from(c.1 - a.1));
    (abx * acy - aby * acx).signum()
}

/// Is `p` on the closed segment `a`–`b`, given that the three are collinear?
fn within(a: P, b: P, p: P) -> bool {
    a.0.min(b.0) <= p.0 && p.0 <= a.0.max(b.0) && a.1.min(b.1) <= p.1 && p.1 <= a.1.max(b.1)
}

/// Do the closed segments `a`–`b` and `c`–`d` have a point in common?
fn segments_meet(a: P, b: P, c: P, d: P) -> bool {
    let (o1, o2) = (orient(a, b, c), orient(a, b, d));
    let (o3, o4) = (orient(c, d, a), orient(c, d, b));
    if o1 * o2 < 0 && o3 * o4 < 0 {
        return true;
    }
    (o1 == 0 && within(a, b, c))
        || (o2 == 0 && within(a, b, d))
        || (o3 == 0 && within(c, d, a))
        || (o4 == 0 && within(c, d, b))
}

/// One edge of one ring.
#[derive(Clone, Copy)]
struct Edge {
    ring: usize,
    index: usize,
    a: P,
    b: P,
}

/// Do any two edges meet, other than consecutive edges of a ring at their shared vertex
/// only?
fn any_edges_meet(rings: &[Vec<P>]) -> bool {
    let mut edges: Vec<Edge> = Vec::new();
    for (r, ring) in rings.iter().enumerate() {
        for (i, w) in ring.windows(2).enumerate() {
            edges.push(Edge {
                ring: r,
                index: i,
                a: w[0],
                b: w[1],
            });
        }
    }
    edges.sort_unstable_by_key(|e| e.a.0.min(e.b.0));
    // Active edges, as indices into `edges`; pruned of those ending left of the sweep.
    let mut active: Vec<usize> = Vec::new();
    for (k, e) in edges.iter().enumerate() {
        let x_min = e.a.0.min(e.b.0);
        active.retain(|&j| edges[j].a.0.max(edges[j].b.0) >= x_min);
        let (y_min, y_max) = (e.a.1.min(e.b.1), e.a.1.max(e.b.1));
        for &j in &active {
            let f = edges[j];
            if f.a.1.max(f.b.1) < y_min || f.a.1.min(f.b.1) > y_max {
                continue;
            }
            if !segments_meet(e.a, e.b, f.a, f.b) {
                continue;
            }
            let n = rings[e.ring].len() - 1;
            let consecutive =
                e.ring == f.ring && ((e.index + 1) % n == f.index || (f.index + 1) % n == e.index);
            if !consecutive {
                return true;
            }
            // Consecutive edges share one vertex; they must not overlap beyond it.
            let (shared, e_other, f_other) = if e.b == f.a {
                (e.b, e.a, f.b)
            } else {
                (e.a, e.b, f.a)
            };
            if orient(e_other, shared, f_other) == 0
                && (within(e_other, shared, f_other) || within(shared, f_other, e_other))
            {
                return true;
            }
        }
        active.push(k);
    }
    false
}

/// Is `p` strictly inside the closed ring (even-odd, exact)? `p` must not be on the ring.
fn inside(ring: &[P], p: P) -> bool {
    let mut crossings = false;
    for w in ring.windows(2) {
        let (a, b) = (w[0], w[1]);
        if (a.1 > p.1) != (b.1 > p.1) {
            // x of the edge at height p.1, compared with p.0 exactly.
            let lhs = i128::from(p.0 - a.0) * i128::from(b.1 - a.1);
            let rhs = i128::from(b.0 - a.0) * i128::from(p.1 - a.1);
            let left_of_edge = if b.1 > a.1 { lhs < rhs } else { lhs > rhs };
            if left_of_edge {
                crossings = !crossings;
            }
        }
    }
    crossings
}

/// Checks the OGC validity of a multipolygon whose coordinates are on the 6-decimal grid.
///
/// # Errors
/// [`GeometryError::Invalid`] with `geo`'s description of the first broken rule.
///
/// # Example
/// ```
/// use geo::{polygon, MultiPolygon};
/// use infrange::geometry::validity::check_validity;
///
/// let square = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0)];
/// assert!(check_validity(&MultiPolygon::new(vec![square])).is_ok());
/// let bowtie = polygon![(x: 0.0, y: 0.0), (x: 2.0, y: 2.0), (x: 2.0, y: 0.0), (x: 0.0, y: 2.0)];
/// assert!(check_validity(&MultiPolygon::new(vec![bowtie])).is_err());
/// ```
pub fn check_validity(mp: &MultiPolygon<f64>) -> Result<(), GeometryError> {
    let slow = || {
        mp.check_validation()
            .map_err(|e| GeometryError::Invalid(e.to_string()))
    };
    let polygons: Vec<Vec<Vec<P>>> =
        mp.0.iter()
            .map(|p| {
                std::iter::once(p.exterior())
                    .chain(p.interiors())
                    .map(|r| r.0.iter().map(micro).collect())
                    .collect()
            })
            .collect();
    let all_rings: Vec<Vec<P>> = polygons.iter().flatten().cloned().collect();
    if all_rings
        .iter()
        .any(|r| r.len() < 4 || r.first() != r.last())
    {
        return slow();
    }
    if any_edges_meet(&all_rings) {
        return slow();
    }
    // No two boundaries meet: nesting is decided by one vertex per ring.
    for poly in &polygons {
        let exterior = &poly[0];
        for (i, hole) in poly.iter().enumerate().skip(1) {
            if !inside(exterior, hole[0]) {
                return slow();
            }
            for (j, other) in poly.iter().enumerate().skip(1) {
                if i != j && inside(other, hole[0]) {
                    return slow();
                }
            }
        }
    }
    for (i, p) in polygons.iter().enumerate() {
        for (j, q) in polygons.iter().enumerate() {
            if i == j || !inside(&q[0], p[0][0]) {
                continue;
            }
            // `p` lies inside `q`'s exterior: only valid inside one of `q`'s holes.
            if !q[1..].iter().any(|hole| inside(hole, p[0][0])) {
                return slow();
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::{polygon, Polygon};

    fn mp(polys: Vec<Polygon<f64>>) -> MultiPolygon<f64> {
        MultiPolygon::new(polys)
    }

    #[test]
    fn agrees_with_geo_on_small_cases() {
        let square = |x0: f64, y0: f64, s: f64| polygon![(x: x0, y: y0), (x: x0 + s, y: y0), (x: x0 + s, y: y0 + s), (x: x0, y: y0 + s)];
        let with_hole = Polygon::new(
            square(0.0, 0.0, 10.0).exterior().clone(),
            vec![square(2.0, 2.0, 2.0).exterior().clone()],
        );
        let hole_outside = Polygon::new(
            square(0.0, 0.0, 10.0).exterior().clone(),
            vec![square(20.0, 2.0, 2.0).exterior().clone()],
        );
        let spike =
            polygon![(x: 0.0, y: 0.0), (x: 4.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 3.0)];
        let cases = vec![
            mp(vec![square(0.0, 0.0, 1.0)]),
            mp(vec![with_hole.clone()]),
            mp(vec![hole_outside]),
            mp(vec![spike]),
            // Overlapping parts, nested parts, an island in a hole, parts touching at a corner.
            mp(vec![square(0.0, 0.0, 2.0), square(1.0, 1.0, 2.0)]),
            mp(vec![square(0.0, 0.0, 10.0), square(5.0, 5.0, 1.0)]),
            mp(vec![with_hole, square(2.5, 2.5, 1.0)]),
            mp(vec![square(0.0, 0.0, 1.0), square(1.0, 1.0, 1.0)]),
            mp(vec![square(0.0, 0.0, 1.0), square(1.0, 0.0, 1.0)]),
        ];
        for (i, case) in cases.iter().enumerate() {
            assert_eq!(
                check_validity(case).is_ok(),
                case.is_valid(),
                "case {i}: {case:?}"
            );
        }
    }
}
