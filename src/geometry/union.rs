//! Coverage union and difference of band polygons of several sites.
//!
//! This file owns the boolean operations. They run on the already split lon/lat parts (every
//! part inside [-180, 180] × [-90, 90], seams exactly on ±180 and poles on ±90), which is
//! where planar `geo::BooleanOps` is correct: two parts that touch along the seam are separate
//! on the map as well as in GeoJSON. Results are rounded to 6 decimals and cleaned with
//! [`round_coords_6`] like the builders' output.

use geo::{BooleanOps, MultiPolygon};

use super::rfc7946::round_coords_6;

/// Union of all `parts` (e.g. the same band around several launch sites).
///
/// Pairs are merged in a balanced tree so large inputs stay fast. The result is rounded to
/// 6 decimals, oriented for RFC 7946 and cleaned; callers that need a guarantee can run
/// [`super::check_rfc7946`] on it.
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
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        let mut it = level.into_iter();
        while let Some(a) = it.next() {
            match it.next() {
                Some(b) => next.push(a.union(&b)),
                None => next.push(a),
            }
        }
        level = next;
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
    round_coords_6(&a.difference(b))
}

#[cfg(test)]
mod tests {
    use super::*;
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
}
