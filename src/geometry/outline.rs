//! Outlines: the true boundary of a band polygon, for drawing.
//!
//! A polygon split at ±180° or closed along a pole has *artificial* edges: on
//! the antimeridian (both ends at lon ±180) or along the pole line (both ends
//! at lat ±90). A map that strokes the polygon's rings would draw those as
//! lines that are not on any range circle. [`true_boundary`] drops them and
//! returns what remains as polylines.

use geo::{Coord, LineString, MultiLineString, MultiPolygon};

/// Whether the edge `a`–`b` lies on the antimeridian or along a pole.
fn artificial(a: Coord<f64>, b: Coord<f64>) -> bool {
    (a.x.abs() == 180.0 && b.x == a.x) || (a.y.abs() == 90.0 && b.y == a.y)
}

/// The boundary of `mp` without its artificial edges, as polylines in lon/lat
/// degrees (each ring's remaining runs of consecutive edges).
///
/// # Examples
/// ```
/// use geo::{polygon, MultiPolygon};
/// use infrange::geometry::outline::true_boundary;
///
/// // A cap around the North Pole split at ±180: only the 60° N circle remains.
/// let cap = MultiPolygon::new(vec![polygon![
///     (x: -180.0, y: 60.0), (x: 0.0, y: 60.0), (x: 180.0, y: 60.0),
///     (x: 180.0, y: 90.0), (x: -180.0, y: 90.0),
/// ]]);
/// let lines = true_boundary(&cap);
/// assert_eq!(lines.0.len(), 1);
/// assert!(lines.0[0].coords().all(|c| c.y == 60.0));
/// ```
pub fn true_boundary(mp: &MultiPolygon<f64>) -> MultiLineString<f64> {
    let mut lines = Vec::new();
    for poly in &mp.0 {
        for ring in std::iter::once(poly.exterior()).chain(poly.interiors()) {
            let coords = &ring.0;
            let n = coords.len();
            if n < 2 {
                continue;
            }
            // Start at an artificial edge, if any, so that no run is cut at
            // the ring's arbitrary first vertex.
            let start = (0..n - 1)
                .find(|&i| artificial(coords[i], coords[i + 1]))
                .map_or(0, |i| i + 1);
            let mut run: Vec<Coord<f64>> = Vec::new();
            for k in 0..n - 1 {
                let i = (start + k) % (n - 1);
                let (a, b) = (coords[i], coords[i + 1]);
                if artificial(a, b) {
                    if run.len() >= 2 {
                        lines.push(LineString::new(std::mem::take(&mut run)));
                    }
                    run.clear();
                    continue;
                }
                if run.is_empty() {
                    run.push(a);
                }
                run.push(b);
            }
            if run.len() >= 2 {
                lines.push(LineString::new(run));
            }
        }
    }
    MultiLineString::new(lines)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::geodesic_annulus;
    use geo::Point;

    #[test]
    fn pole_enclosing_band_keeps_only_circle_edges() {
        let band =
            geodesic_annulus(Point::new(45.75, 48.5833), 1_000_000.0, 5_500_000.0, 100.0).unwrap();
        let lines = true_boundary(&band.geometry);
        assert!(!lines.0.is_empty());
        for line in &lines.0 {
            for w in line.0.windows(2) {
                assert!(!artificial(w[0], w[1]));
            }
            assert!(line.coords().all(|c| c.y.abs() < 90.0));
        }
        // Every vertex off the antimeridian and the poles is on an outline.
        let kept: std::collections::HashSet<(u64, u64)> = lines
            .0
            .iter()
            .flat_map(|l| l.coords())
            .map(|c| (c.x.to_bits(), c.y.to_bits()))
            .collect();
        let poly = &band.geometry;
        let on_circles = poly
            .0
            .iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .flat_map(|r| r.coords())
            .filter(|c| c.x.abs() < 180.0 && c.y.abs() < 90.0);
        for c in on_circles {
            assert!(kept.contains(&(c.x.to_bits(), c.y.to_bits())), "{c:?}");
        }
    }
}
