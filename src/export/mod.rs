//! Writing results: the cities table (CSV, JSON, text), the summary, the GIS
//! layers (GeoJSON, their QGIS styles, KML), each file written atomically so
//! that an error never leaves half a file.

pub mod atomic;
pub mod cities_csv;
pub mod geojson;
pub mod json;
pub mod kml;
pub mod qml;
pub mod table;
