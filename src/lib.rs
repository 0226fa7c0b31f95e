//! # infrange
//!
//! Missile-range geospatial analysis on the WGS84 ellipsoid: which cities of
//! allied countries lie inside INF-class range bands around deployment sites.
//!
//! Where things live:
//!
//! | concept | module |
//! |---|---|
//! | geodesic distance, azimuth, destination (Karney, WGS84) | [`geodesy`] |
//! | **the band rule** | [`bands::Bands::classify_m`] |
//! | the reach rule | [`sites::Reach::reaches_m`] |
//! | exact, fast classification (bounds first, Karney where they cannot decide) | [`engine`] |
//! | the analysis of each city | [`analysis`] |
//! | time of flight (minimum-energy ballistic, cruise) | [`flight`] |
//! | comparing two runs (band and reach changes per country) | [`compare`] |
//! | per-band and per-country summaries | [`summary`] |
//! | scenarios (TOML) and command-line overrides | [`scenario`] |
//! | embedded data: cities, countries, alliances, systems | [`cities`], [`countries`], [`allies`], [`systems`] |
//! | user files (CSV / GeoJSON) | [`input`], [`cities::read_file`], [`sites::read_file`] |
//! | city tables of any size (CSV, GeoNames dumps), read in chunks | [`stream`] |
//! | the streaming analysis: city table in, cities CSV out, in input order | [`pipeline`] |
//! | **the ring builder**: geodesic discs and annuli as valid lon/lat polygons | [`geometry`] |
//! | band polygons of a scenario (per site, coverage, reach) | [`layers`] |
//! | output files (CSV, JSON, GeoJSON, text, Markdown), written atomically | [`export`] |
//! | version, command line and data checksums of a run | [`provenance`] |
//! | **the map renderer** (PROJ, Natural Earth, PNG/SVG) | [`render`] |
//!
//! ```
//! use infrange::{analysis, cities, scenario::ScenarioOptions};
//!
//! let scenario = ScenarioOptions::default().resolve()?; // INF 2019 default
//! let results = analysis::analyze(&scenario, cities::embedded()?, Default::default());
//! let in_bands = results.iter().filter(|r| matches!(r.class, infrange::bands::BandClass::Band(_))).count();
//! assert!(in_bands > 1000);
//! # Ok::<(), infrange::Error>(())
//! ```

pub mod allies;
pub mod analysis;
pub mod bands;
pub mod cities;
pub mod compare;
pub mod countries;
pub mod engine;
pub mod error;
pub mod export;
pub mod flight;
pub mod geodesy;
pub mod geometry;
pub mod input;
pub mod layers;
pub mod numbers;
pub mod pipeline;
pub mod provenance;
#[cfg(test)]
#[path = "../tests/support/random.rs"]
mod random;
pub mod render;
pub mod scenario;
pub mod sites;
pub mod stream;
pub mod summary;
pub mod systems;

pub use error::{Error, Result};
