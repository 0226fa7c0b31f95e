//! Geodesic area of the lon/lat polygons this module writes, edges read as geodesics.
//!
//! This file owns how an area is read off a band polygon the way PostGIS `geography`,
//! pyproj's `Geod.geometry_area_perimeter` or `geo`'s `GeodesicArea` read it: every edge a
//! geodesic on WGS84 (Karney's `PolygonArea`). The conventions of [`super::antimeridian`]
//! make that reading exact: the cuts along ±180° are meridians (geodesics) that the two parts
//! share with opposite directions, and the edges along a pole line have zero length.
//!
//! GeographicLib reports a ring's area modulo the area of the Earth (a ring does not say
//! which side it bounds); [`geodesic_area_m2`] sums the rings of a feature (exteriors
//! counter-clockwise, holes clockwise) and takes that sum modulo the Earth's area, which is
//! right for every region but the whole Earth and the empty one, told apart here by whether
//! the feature has any polygon.

use geo::{LineString, MultiPolygon};
use geographiclib_rs::{PolygonArea, Winding};

use super::ring::wgs84;

/// Area of the WGS84 ellipsoid.
///
/// # Units
/// Square metres.
pub fn earth_area_m2() -> f64 {
    wgs84().area()
}

/// Signed geodesic area of a closed ring (positive when counter-clockwise), in
/// (−½, ½] × the Earth's area.
fn ring_area_m2(ring: &LineString<f64>) -> f64 {
    let coords = &ring.0;
    if coords.len() < 4 {
        return 0.0;
    }
    let mut pa = PolygonArea::new(wgs84(), Winding::CounterClockwise);
    for c in &coords[..coords.len() - 1] {
        pa.add_point(c.y, c.x);
    }
    pa.compute(true).1
}

/// Geodesic area of a (lon, lat) multipolygon with RFC 7946 winding, every edge read as a
/// geodesic on WGS84.
///
/// # Units
/// Degrees in, square metres out.
///
/// # Example
/// ```
/// use geo::Point;
/// use infrange::geometry::{area::geodesic_area_m2, geodesic_annulus};
///
/// // The 1,000–5,500 km band around Kapustin Yar reaches the North Pole and is cut at ±180°.
/// let band = geodesic_annulus(Point::new(45.75, 48.5833), 1_000_000.0, 5_500_000.0, 100.0)?;
/// let area_m2 = geodesic_area_m2(&band.geometry);
/// assert!((area_m2 - band.area_m2).abs() < 1e-6 * area_m2);
/// # Ok::<(), infrange::geometry::GeometryError>(())
/// ```
pub fn geodesic_area_m2(mp: &MultiPolygon<f64>) -> f64 {
    if mp.0.is_empty() {
        return 0.0;
    }
    let earth_m2 = earth_area_m2();
    let sum_m2: f64 =
        mp.0.iter()
            .flat_map(|p| std::iter::once(p.exterior()).chain(p.interiors()))
            .map(ring_area_m2)
            .sum();
    let area_m2 = sum_m2.rem_euclid(earth_m2);
    // A non-empty region whose area reduces to (almost) nothing is the whole Earth.
    if area_m2 < 1e-9 * earth_m2 || earth_m2 - area_m2 < 1e-12 * earth_m2 {
        let whole = mp.0.iter().any(|p| {
            let e = &p.exterior().0;
            e.iter().any(|c| c.y == 90.0) && e.iter().any(|c| c.y == -90.0)
        });
        return if whole { earth_m2 } else { area_m2 };
    }
    area_m2
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::antimeridian::world_polygon;
    use approx::assert_relative_eq;
    use geo::polygon;

    #[test]
    fn the_world_and_a_hemisphere() {
        let world = MultiPolygon::new(vec![world_polygon()]);
        assert_relative_eq!(geodesic_area_m2(&world), earth_area_m2());
        // The northern hemisphere as one polygon closed along the North Pole.
        let north = MultiPolygon::new(vec![polygon![
            (x: -180.0, y: 0.0), (x: -90.0, y: 0.0), (x: 0.0, y: 0.0), (x: 90.0, y: 0.0),
            (x: 180.0, y: 0.0), (x: 180.0, y: 90.0), (x: -180.0, y: 90.0),
        ]]);
        assert_relative_eq!(
            geodesic_area_m2(&north),
            0.5 * earth_area_m2(),
            max_relative = 1e-12
        );
        assert_eq!(geodesic_area_m2(&MultiPolygon::new(vec![])), 0.0);
    }
}
