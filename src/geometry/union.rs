//! Coverage union and difference of band polygons of several sites.
//!
//! This file owns the boolean operations. They run on the already split lon/lat parts (every
//! part inside [-180, 180] × [-90, 90], seams exactly on ±180 and poles on ±90), which is
//! where planar overlay is correct: two parts that touch along the seam are separate on the
//! map as well as in GeoJSON. Results are rounded to 6 decimals and cleaned with
//! [`round_coords_6`] like the builders' output.
//!
//! The overlay is `i_overlay`, the engine behind `geo::BooleanOps`, called directly so that
//! it **keeps collinear vertices**: a circle round a pole is a run of vertices on one
//! parallel, collinear in lon/lat but not on one geodesic, and the vertices placed on the
//! equator along ±180° keep pole-to-pole edges unambiguous. `geo::BooleanOps` would drop
//! them, leaving edges that are right only when read as straight lon/lat segments.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::fill_rule::FillRule;
use i_overlay::core::overlay::ContourDirection;
use i_overlay::core::overlay_rule::OverlayRule;
use i_overlay::float::overlay::{FloatOverlay, OverlayOptions};
use rayon::prelude::*;

use super::rfc7946::round_coords_6;

/// The rings of a multipolygon as `i_overlay` paths (implicitly closed).
fn paths(mp: &MultiPolygon<f64>) -> Vec<Vec<[f64; 2]>> {
    mp.0.iter()
        .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
        .filter(|r| r.0.len() >= 4)
        .map(|r| r.0[..r.0.len() - 1].iter().map(|c| [c.x, c.y]).collect())
        .collect()
}

/// `a` (op) `b` with every boundary vertex kept; even-odd fill, as `geo::BooleanOps`.
pub(crate) fn overlay(
    a: &MultiPolygon<f64>,
    b: &MultiPolygon<f64>,
    rule: OverlayRule,
) -> MultiPolygon<f64> {
    let options = OverlayOptions {
        preserve_input_collinear: true,
        output_direction: ContourDirection::CounterClockwise,
        preserve_output_collinear: true,
        min_output_area: 0.0,
        ogc: true,
        clean_result: false,
    };
    let shapes =
        FloatOverlay::with_subj_and_clip_custom(&paths(a), &paths(b), options, Default::default())
            .overlay(rule, FillRule::EvenOdd);
    let ring = |path: Vec<[f64; 2]>| {
        let mut coords: Vec<Coord<f64>> = path.into_iter().map(|[x, y]| Coord { x, y }).collect();
        if let Some(&first) = coords.first() {
            coords.push(first);
        }
        LineString::new(coords)
    };
    MultiPolygon::new(
        shapes
            .into_iter()
            .filter_map(|shape| {
                let mut rings = shape.into_iter().map(ring);
                let exterior = rings.next()?;
                Some(Polygon::new(exterior, rings.collect()))
            })
            .collect(),
    )
}

/// Union of all `parts` (e.g. the same band around several launch sites).
///
/// Pairs are merged in a balanced tree, each level's pairs in parallel, so large inputs stay
/// fast. The result is rounded to 6 decimals, oriented for RFC 7946 and cleaned; callers
/// that need a guarantee can run [`super::check_rfc7946`] on it.
///
/// # Units
/// Degrees (lon, lat).
///
/// # Example
/// ```
/// use geo::{Area, Point};
/// use infrange::geometry::{contains, geodesic_disc, union_all};
///
/// let a = geodesic_disc(Point::new(44.7, 43.7333), 500_000.0, 100.0)?.geometry;
/// let b = geodesic_disc(Point::new(45.75, 48.5833), 500_000.0, 100.0)?.geometry;
/// let u = union_all(&[a.clone(), b.clone()]);
/// assert!(u.unsigned_area() < a.unsigned_area() + b.unsigned_area());
/// assert!(contains(&u, Point::new(45.75, 48.5833)));
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn union_all(parts: &[MultiPolygon<f64>]) -> MultiPolygon<f64> {
    let mut level: Vec<MultiPolygon<f64>> = parts.to_vec();
    if level.is_empty() {
        return MultiPolygon::new(vec![]);
    }
    while level.len() > 1 {
        // The pairs of a level are independent: merged in parallel.
        level = level
            .into_par_iter()
            .chunks(2)
            .filter_map(|pair| {
                pair.into_iter()
                    .reduce(|a, b| overlay(&a, &b, OverlayRule::Union))
            })
            .collect();
    }
    let merged = level.pop().unwrap_or_else(|| MultiPolygon::new(vec![]));
    round_coords_6(&merged)
}

/// `a` minus `b`, rounded to 6 decimals, oriented and cleaned like [`union_all`].
///
/// # Units
/// Degrees (lon, lat).
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::{contains, difference, geodesic_disc};
///
/// let c = Point::new(166.67, -77.85); // McMurdo
/// let outer = geodesic_disc(c, 1_000_000.0, 100.0)?.geometry;
/// let inner = geodesic_disc(c, 500_000.0, 100.0)?.geometry;
/// let band = difference(&outer, &inner);
/// assert!(!contains(&band, c));
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn difference(a: &MultiPolygon<f64>, b: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    round_coords_6(&overlay(a, b, OverlayRule::Difference))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::contains;
    use geo::{polygon, Area};

    #[test]
    fn union_of_nothing_is_empty() {
        assert!(union_all(&[]).0.is_empty());
    }

    #[test]
    fn union_of_overlapping_squares() {
        let a = MultiPolygon::new(vec![polygon![
            (x: 0.0, y: 0.0), (x: 2.0, y: 0.0), (x: 2.0, y: 2.0), (x: 0.0, y: 2.0),
        ]]);
        let b = MultiPolygon::new(vec![polygon![
            (x: 1.0, y: 1.0), (x: 3.0, y: 1.0), (x: 3.0, y: 3.0), (x: 1.0, y: 3.0),
        ]]);
        let c = MultiPolygon::new(vec![polygon![
            (x: 10.0, y: 10.0), (x: 11.0, y: 10.0), (x: 11.0, y: 11.0), (x: 10.0, y: 11.0),
        ]]);
        let u = union_all(&[a, b, c]);
        assert_eq!(u.0.len(), 2);
        approx::assert_relative_eq!(u.unsigned_area(), 8.0, epsilon = 1e-6);
        assert!(crate::geometry::check_rfc7946(&u).is_ok());
    }

    #[test]
    fn collinear_vertices_are_kept() {
        // Two caps round the North Pole, their boundaries runs of vertices on one parallel.
        let cap = |lat: f64| {
            let mut ring: Vec<(f64, f64)> =
                (0..=36).map(|k| (-180.0 + 10.0 * k as f64, lat)).collect();
            ring.extend([(180.0, 90.0), (-180.0, 90.0), (-180.0, lat)]);
            MultiPolygon::new(vec![Polygon::new(LineString::from(ring), vec![])])
        };
        let u = union_all(&[cap(70.0), cap(80.0)]);
        assert_eq!(u.0.len(), 1);
        assert!(u.0[0].exterior().0.len() > 36, "{:?}", u.0[0].exterior());
        let d = difference(&cap(70.0), &cap(80.0));
        assert_eq!(d.0[0].exterior().0.len(), 2 * 37 + 1);
        assert!(contains(&d, geo::Point::new(0.0, 75.0)));
    }
}
