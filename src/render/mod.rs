//! Map rendering: missile-range bands, sites and allied cities on a Natural Earth basemap.
//!
//! The pipeline is the same for both output formats:
//!
//! 1. [`projection`] picks a PROJ definition (automatic or requested) and the part of the
//!    globe that projection can show without tearing (its [`projection::Domain`]);
//! 2. [`extent`] decides the visible window, in projected metres;
//! 3. every lon/lat geometry (countries, bands, rings, graticule) is densified, clipped to the
//!    domain **in lon/lat** ([`clip`]), projected, mapped to pixels and clipped to the map frame;
//! 4. [`labels`], [`legend`] and [`furniture`] add text and decorations;
//! 5. the result is one [`DisplayList`] of screen-space items which [`backend`] draws to PNG
//!    and [`svg`] writes as SVG. Tests inspect the display list without rasterising.
//!
//! All geographic coordinates are `(lon, lat)` in degrees on WGS84; screen coordinates are
//! pixels with the origin at the top-left corner, y pointing down.

pub mod backend;
pub mod basemap;
pub mod clip;
pub mod display_list;
pub mod extent;
pub mod furniture;
pub mod georef;
pub mod labels;
pub mod layout;
pub mod legend;
pub mod markers;
pub mod page;
pub mod projection;
pub mod scene;
pub mod screen;
pub mod style;
pub mod svg;
pub mod text_raster;
pub mod webmap;

use std::path::Path;

pub use display_list::{Align, DisplayList, Item, Layer, ScreenPolygon};
pub use extent::ExtentChoice;
pub use projection::ProjectionChoice;
pub use style::Rgba;

pub use crate::layers::MANY_SITES;

/// Everything a map shows. Geometry is lon/lat degrees on WGS84.
#[derive(Debug, Clone, Default)]
pub struct MapScene {
    /// Main title, e.g. "9M729 (SSC-8) sites and NATO cities in INF range bands".
    pub title: String,
    /// Second line under the title (system, range, alliance date).
    pub subtitle: String,
    /// Data credits; printed in the footer.
    pub attribution: String,
    /// Range bands, nearest first.
    pub bands: Vec<BandLayer>,
    /// The zone under the first band edge (e.g. < 500 km), when the first edge is above 0:
    /// drawn and counted like a band, in its own colour.
    pub below: Option<BandLayer>,
    /// The system's reach around each site, drawn as a dashed outline; with more than
    /// [`MANY_SITES`] sites, one outline per range (the union of the sites' reach, `site`
    /// empty).
    pub reach: Vec<ReachRing>,
    /// Deployment sites.
    pub sites: Vec<MapSite>,
    /// Allied cities.
    pub cities: Vec<MapCity>,
    /// ISO 3166-1 numeric codes of countries to tint as allied.
    pub allied_iso_numeric: Vec<u16>,
    /// Names of the tinted countries that are allied only in part (Germany in 1987):
    /// the map tints today's country whole, and the legend says so.
    pub allied_in_part: Vec<String>,
    /// What each deployed system reaches, for the legend.
    pub reach_counts: Vec<ReachCount>,
}

/// The allied cities one system reaches from the sites where it is deployed.
#[derive(Debug, Clone, PartialEq)]
pub struct ReachCount {
    /// The system and its range, e.g. "9M729 (2,350 km)".
    pub label: String,
    /// Allied cities within its range of at least one of its sites.
    pub cities: usize,
    /// Of those, national capitals.
    pub capitals: usize,
}

/// One range band (union over sites) with its statistics.
#[derive(Debug, Clone)]
pub struct BandLayer {
    /// Display name, e.g. "SRBM".
    pub name: String,
    /// Inner radius of the band, km.
    pub min_km: f64,
    /// Outer radius of the band, km.
    pub max_km: f64,
    /// Filled area in lon/lat degrees: split at ±180; polygons enclosing a pole run along
    /// lat ±90 between lon -180 and 180.
    pub area: geo::MultiPolygon<f64>,
    /// The true geodesic circles bounding the band (no artificial cut edges), split at ±180.
    pub outline: geo::MultiLineString<f64>,
    /// Number of allied cities inside the band.
    pub city_count: usize,
    /// Total population of those cities.
    pub population: u64,
}

/// The system's reach around one site.
#[derive(Debug, Clone)]
pub struct ReachRing {
    /// Site name.
    pub site: String,
    /// Reach, km.
    pub range_km: f64,
    /// Geodesic circle in lon/lat degrees, pieces split at ±180.
    pub outline: geo::MultiLineString<f64>,
}

/// A deployment site.
#[derive(Debug, Clone)]
pub struct MapSite {
    /// Label text.
    pub name: String,
    /// Longitude, degrees east.
    pub lon_deg: f64,
    /// Latitude, degrees north.
    pub lat_deg: f64,
}

/// An allied city.
#[derive(Debug, Clone)]
pub struct MapCity {
    /// Label text.
    pub name: String,
    /// Longitude, degrees east.
    pub lon_deg: f64,
    /// Latitude, degrees north.
    pub lat_deg: f64,
    /// Inhabitants.
    pub population: u64,
    /// Index into [`MapScene::bands`] of the band the city lies in, if any.
    pub band: Option<usize>,
    /// Whether the city lies under the first band edge ([`MapScene::below`]).
    pub below: bool,
    /// National capital (labelled first).
    pub capital: bool,
    /// Whether a deployed system reaches the city (drawn filled; band-only cities are
    /// drawn as rings).
    pub reached: bool,
    /// Named with `--label`: always labelled, whatever its band or alliance.
    pub forced_label: bool,
}

/// How to draw the map.
#[derive(Debug, Clone, PartialEq)]
pub struct MapOptions {
    /// Projection; [`ProjectionChoice::Auto`] picks one from the scene.
    pub projection: ProjectionChoice,
    /// Visible window.
    pub extent: ExtentChoice,
    /// Image width, pixels.
    pub width_px: u32,
    /// Image height, pixels.
    pub height_px: u32,
}

impl Default for MapOptions {
    fn default() -> Self {
        Self {
            projection: ProjectionChoice::Auto,
            extent: ExtentChoice::Auto,
            width_px: 1600,
            height_px: 1200,
        }
    }
}

/// What a render produced.
#[derive(Debug, Clone, PartialEq)]
pub struct RenderReport {
    /// The PROJ definition used (a PROJ string or an authority code).
    pub projection: String,
    /// Visible window in lon/lat degrees: `[lon_min, lat_min, lon_max, lat_max]`.
    pub extent_lonlat: [f64; 4],
    /// Number of band polygons drawn (after clipping to the domain and the frame).
    pub drawn_band_shapes: usize,
    /// Longest drawn basemap or band segment, pixels (segments along the frame excluded).
    pub max_segment_px: f64,
}

/// Rendering failures.
#[derive(Debug, thiserror::Error)]
pub enum RenderError {
    /// The image size is unusable.
    #[error("invalid image size {width_px}x{height_px} px (each side must be 200..=10000)")]
    InvalidSize {
        /// Requested width, pixels.
        width_px: u32,
        /// Requested height, pixels.
        height_px: u32,
    },
    /// PROJ rejected the projection.
    #[error("PROJ cannot use projection `{definition}`: {message}")]
    Projection {
        /// The definition passed to PROJ.
        definition: String,
        /// PROJ's message.
        message: String,
    },
    /// An authority code needs PROJ's database, which was not found.
    #[error(
        "projection {code:?} needs PROJ's database (proj.db), which was not found \
         (set PROJ_DATA to the folder holding proj.db, or give a PROJ string such as \
         \"+proj=laea +lat_0=52 +lon_0=10 +ellps=GRS80\"): {message}"
    )]
    ProjDatabase {
        /// The code, e.g. "EPSG:3035".
        code: String,
        /// PROJ's message.
        message: String,
    },
    /// The extent is empty or invalid.
    #[error("invalid extent: {0}")]
    Extent(String),
    /// The embedded basemap could not be decoded.
    #[error("basemap: {0}")]
    Basemap(String),
    /// The embedded fonts could not be registered.
    #[error("font: {0}")]
    Font(String),
    /// The drawing backend failed.
    #[error("drawing: {0}")]
    Backend(String),
    /// Writing the output failed.
    #[error("writing {path}: {source}")]
    Io {
        /// Output path.
        path: String,
        /// Cause.
        source: std::io::Error,
    },
}

/// Lays the map out: every item to draw, in screen pixels, in drawing order.
pub fn layout(scene: &MapScene, opts: &MapOptions) -> Result<DisplayList, RenderError> {
    layout::build(scene, opts)
}

/// Renders the map to a PNG file at `path` (written through a temporary file and renamed).
pub fn render_png(scene: &MapScene, opts: &MapOptions, path: &Path) -> crate::Result<RenderReport> {
    let list = layout(scene, opts)?;
    backend::write_png(&list, path)?;
    Ok(list.report())
}

/// Renders the map to an SVG document; the caller writes it (atomically).
pub fn render_svg(scene: &MapScene, opts: &MapOptions) -> Result<String, RenderError> {
    let list = layout(scene, opts)?;
    svg::to_svg(&list)
}

/// Renders the map to an SVG document and also returns the report.
pub fn render_svg_with_report(
    scene: &MapScene,
    opts: &MapOptions,
) -> Result<(String, RenderReport), RenderError> {
    let list = layout(scene, opts)?;
    let svg = svg::to_svg(&list)?;
    Ok((svg, list.report()))
}
