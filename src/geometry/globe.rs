//! Polygons for globe viewers: pieces no viewer can fill on the wrong side.
//!
//! A globe viewer (Google Earth, Cesium, a GIS drawing on the sphere) joins consecutive
//! vertices the short way round, across ±180° where that is shorter, and draws the edges as
//! great-circle arcs; a closed ring on a sphere bounds two regions, and a viewer has to guess
//! which one is meant. A ring round a pole, or one bounding more than a hemisphere, is where
//! they guess differently.
//!
//! [`globe_pieces`] therefore cuts a band polygon (already split at ±180° and closed along
//! the pole lines, see [`super::antimeridian`]) along the meridians −90°, 0° and 90° into
//! pieces at most 90° of longitude wide: none holds a pole inside (a pole is at most a
//! vertex), each is smaller than a hemisphere, and so each has one obvious inside, the
//! smaller side, which is also the side on the left of its counter-clockwise exterior.
//! Edges the cut adds run along meridians (geodesics, so drawn the same by every reader)
//! and get a vertex every [`MERIDIAN_STEP_DEG`] of latitude, so none is long enough for a
//! viewer to take another way round.

use geo::{Coord, LineString, MultiPolygon, Polygon};
use i_overlay::core::overlay_rule::OverlayRule;

use super::union::overlay;

/// Longitude width of the pieces.
///
/// # Units
/// Degrees.
pub const PIECE_WIDTH_DEG: f64 = 90.0;

/// Largest latitude step along a cut meridian.
///
/// # Units
/// Degrees.
pub const MERIDIAN_STEP_DEG: f64 = 10.0;

/// `mp` cut into pieces at most [`PIECE_WIDTH_DEG`] wide along meridians, with long
/// meridian edges divided.
///
/// # Units
/// Degrees (lon, lat) in and out.
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::{contains, geodesic_disc, globe::globe_pieces};
///
/// // The 5,500 km disc around Kapustin Yar holds the North Pole and crosses ±180°.
/// let disc = geodesic_disc(Point::new(45.75, 48.5833), 5_500_000.0, 100.0)?;
/// let pieces = globe_pieces(&disc.geometry);
/// assert!(pieces.0.len() >= 4);
/// for p in &pieces.0 {
///     let xs: Vec<f64> = p.exterior().0.iter().map(|c| c.x).collect();
///     let width = xs.iter().cloned().fold(f64::MIN, f64::max) - xs.iter().cloned().fold(f64::MAX, f64::min);
///     assert!(width <= 90.0);
/// }
/// assert!(contains(&pieces, Point::new(100.0, 89.0)));
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn globe_pieces(mp: &MultiPolygon<f64>) -> MultiPolygon<f64> {
    let mut pieces = Vec::new();
    let n = (360.0 / PIECE_WIDTH_DEG).round() as usize;
    for k in 0..n {
        let west = -180.0 + PIECE_WIDTH_DEG * k as f64;
        let east = west + PIECE_WIDTH_DEG;
        let sector = MultiPolygon::new(vec![Polygon::new(
            LineString::from(vec![
                (west, -90.0),
                (east, -90.0),
                (east, 90.0),
                (west, 90.0),
                (west, -90.0),
            ]),
            vec![],
        )]);
        let part = overlay(mp, &sector, OverlayRule::Intersect);
        pieces.extend(part.0.into_iter().map(|p| {
            let (exterior, interiors) = p.into_inner();
            Polygon::new(
                divide_meridians(&exterior),
                interiors.iter().map(divide_meridians).collect(),
            )
        }));
    }
    MultiPolygon::new(pieces)
}

/// The ring with a vertex every [`MERIDIAN_STEP_DEG`] on edges that run along a meridian.
fn divide_meridians(ring: &LineString<f64>) -> LineString<f64> {
    let mut out: Vec<Coord<f64>> = Vec::with_capacity(ring.0.len());
    for w in ring.0.windows(2) {
        let (a, b) = (w[0], w[1]);
        out.push(a);
        if a.x == b.x {
            let steps = ((b.y - a.y).abs() / MERIDIAN_STEP_DEG).ceil() as usize;
            for i in 1..steps {
                let t = i as f64 / steps as f64;
                out.push(Coord {
                    x: a.x,
                    y: a.y + t * (b.y - a.y),
                });
            }
        }
    }
    if let Some(&last) = ring.0.last() {
        out.push(last);
    }
    LineString::new(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::area::geodesic_area_m2;
    use crate::geometry::{contains, geodesic_annulus};
    use geo::Point;

    #[test]
    fn pieces_cover_the_band_and_none_holds_a_pole() {
        for (center, inner_m, outer_m) in [
            (Point::new(45.75, 48.5833), 1_000_000.0, 5_500_000.0),
            (Point::new(0.0, 90.0), 500_000.0, 1_000_000.0),
            (Point::new(0.0, 51.4769), 1_000_000.0, 19_999_000.0),
            (Point::new(177.51, 64.73), 500_000.0, 1_000_000.0),
        ] {
            let band = geodesic_annulus(center, inner_m, outer_m, 100.0).expect("band");
            let pieces = globe_pieces(&band.geometry);
            let (a, b) = (geodesic_area_m2(&band.geometry), geodesic_area_m2(&pieces));
            assert!((a - b).abs() <= 1e-6 * a, "{center:?}: {a} vs {b}");
            for p in &pieces.0 {
                let piece = MultiPolygon::new(vec![p.clone()]);
                // Smaller than a hemisphere.
                assert!(geodesic_area_m2(&piece) < 0.5 * crate::geometry::area::earth_area_m2());
                for w in p.exterior().0.windows(2) {
                    assert!((w[1].x - w[0].x).abs() <= 90.0);
                    assert!((w[1].y - w[0].y).abs() <= MERIDIAN_STEP_DEG + 1e-9);
                }
            }
            for probe in [
                Point::new(10.0, 60.0),
                Point::new(-100.0, 80.0),
                Point::new(179.0, 0.0),
            ] {
                assert_eq!(
                    contains(&band.geometry, probe),
                    contains(&pieces, probe),
                    "{center:?} {probe:?}"
                );
            }
        }
    }
}
