//! Geodesic range-band geometry on the WGS84 ellipsoid, written as RFC 7946 polygons.
//!
//! This module owns everything between "a launch site and some band radii" and "a
//! `MultiPolygon` in lon/lat degrees that GDAL, QGIS and shapely accept as valid":
//!
//! * [`ring`] samples a geodesic circle (Karney's direct problem from the centre) with an
//!   azimuth step chosen adaptively so that every edge departs from the true circle by at
//!   most a requested error in metres however a reader draws it: as a straight lon/lat
//!   segment (RFC 7946 readers), as a geodesic (PostGIS `geography`, pyproj, Google Earth)
//!   or straight in the azimuthal equidistant projection centred on the site.
//! * [`antimeridian`] turns closed directed boundary curves on the globe into polygons on the
//!   lon/lat rectangle: split exactly at ±180°, closed along the pole line when a curve
//!   encloses a pole, world-minus-cap when the region contains both poles.
//! * [`annulus`] is the public entry point: [`geodesic_disc`] and [`geodesic_annulus`]; the
//!   same builders on [`circles::Circles`] sample each circle a site's bands share once.
//! * [`union`] merges bands of several sites ([`union_all`], [`difference`]) with
//!   `i_overlay` (the engine of `geo::BooleanOps`) on the already split lon/lat parts,
//!   keeping every vertex on the boundary.
//! * [`area`] reads areas with geodesic edges, as PostGIS `geography` and pyproj do.
//! * [`globe`] cuts polygons into pieces globe viewers (Google Earth) fill on the right side.
//! * [`rfc7946`] rounds to 6 decimals without breaking validity, orients rings, computes the
//!   `bbox`, checks the RFC 7946 rules and builds GeoJSON features.
//!
//! Conventions used throughout: coordinates are (lon, lat) in degrees, `Point::new(lon, lat)`;
//! distances are metres on the WGS84 ellipsoid (`geo::Geodesic`); names carry units (`_m`,
//! `_deg`).
//!
//! # Example
//!
//! ```
//! use geo::Point;
//! use infrange::geometry::{contains, geodesic_annulus};
//!
//! // 1000–5500 km band around Kapustin Yar, drawn within 100 m of the true geodesic circles.
//! let kapustin_yar = Point::new(45.75, 48.5833);
//! let band = geodesic_annulus(kapustin_yar, 1_000_000.0, 5_500_000.0, 100.0)?;
//! assert!(band.max_error_m <= 100.0);
//! // The band encloses the North Pole.
//! assert!(contains(&band.geometry, Point::new(0.0, 90.0)));
//! // ... but not the launch site itself.
//! assert!(!contains(&band.geometry, kapustin_yar));
//! # Ok::<(), infrange::geometry::GeometryError>(())
//! ```

pub mod annulus;
pub mod antimeridian;
pub mod area;
pub mod circles;
pub mod globe;
pub mod meridian;
pub mod outline;
pub mod rfc7946;
pub mod ring;
pub mod union;
pub mod validity;

#[cfg(test)]
mod tests;

pub use annulus::{
    geodesic_annulus, geodesic_disc, geodesic_disc_for_area, BandPolygon, AREA_TOLERANCE,
};
pub use rfc7946::{bbox, check_rfc7946, contains, round_coords_6, to_feature};
pub use union::{difference, union_all};

use std::fmt;

/// Error budget reserved for rounding coordinates to 6 decimals.
///
/// # Units
/// Metres. Rounding moves a coordinate by at most 0.5e-6° in lon and in lat; 0.5e-6° of
/// latitude is at most 0.0559 m (meridional radius at the poles) and 0.5e-6° of longitude at
/// most 0.0557 m (on the equator), so a vertex — and, by convexity, any point of a segment
/// between two rounded vertices — moves by at most √(0.0559² + 0.0557²) ≈ 0.079 m.
pub const ROUNDING_ALLOWANCE_M: f64 = 0.08;

/// Smallest `max_error_m` accepted by the builders (must leave room for rounding).
///
/// # Units
/// Metres.
pub const MIN_MAX_ERROR_M: f64 = 0.25;

/// Smallest radius accepted by the builders; smaller circles do not survive rounding to 6
/// decimals (≈ 0.1 m) as valid rings.
///
/// # Units
/// Metres.
pub const MIN_RADIUS_M: f64 = 10.0;

/// Everything that can go wrong when building band polygons.
#[derive(Debug, Clone, PartialEq)]
pub enum GeometryError {
    /// An argument is out of range (NaN, negative, inner ≥ outer, centre latitude beyond ±90 …).
    InvalidInput(String),
    /// A boundary vertex is not at the requested distance from the centre: the radius lies in
    /// the cut-locus band just below the antipodal distance, where `destination(az, r)` is not
    /// on the disc boundary. The builders recover from it internally (by searching the
    /// boundary along geodesics from the antipode); it only surfaces if that fails too.
    NearAntipode {
        /// The requested radius.
        radius_m: f64,
        /// Geodesic distance from the centre to its antipode.
        antipode_distance_m: f64,
    },
    /// Adaptive subdivision reached its depth limit before the drawn boundary was within the
    /// requested error.
    ToleranceNotMet {
        /// Requested error bound.
        requested_m: f64,
        /// Bound that could be achieved.
        achieved_m: f64,
    },
    /// The result failed a validity check (should not happen; reported instead of panicking).
    Invalid(String),
}

impl fmt::Display for GeometryError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            GeometryError::InvalidInput(msg) => write!(f, "invalid input: {msg}"),
            GeometryError::NearAntipode {
                radius_m,
                antipode_distance_m,
            } => write!(
                f,
                "radius {radius_m} m is within the cut-locus band below the antipodal distance \
                 {antipode_distance_m} m; unsupported"
            ),
            GeometryError::ToleranceNotMet {
                requested_m,
                achieved_m,
            } => write!(
                f,
                "could only achieve {achieved_m} m boundary error, {requested_m} m requested"
            ),
            GeometryError::Invalid(msg) => write!(f, "invalid geometry produced: {msg}"),
        }
    }
}

impl std::error::Error for GeometryError {}
