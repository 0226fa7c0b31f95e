//! Writing results: the cities table (CSV, JSON, text, Markdown), the
//! per-country table, the summary and the GIS layers (GeoJSON, their QGIS
//! styles, KML); each file written atomically so that an error never leaves
//! half a file, a run's files as one set ([`output_set`]), and special files
//! written through ([`target`]).

pub mod atomic;
pub mod cities_csv;
pub mod countries;
pub mod geojson;
pub mod json;
pub mod kml;
pub mod output_set;
pub mod qml;
pub mod table;
pub mod target;
