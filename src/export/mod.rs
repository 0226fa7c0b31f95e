//! Writing results: the cities table (CSV, JSON, text) and the summary, each
//! file written atomically so that an error never leaves half a file.

pub mod atomic;
pub mod cities_csv;
pub mod countries;
pub mod geojson;
pub mod json;
pub mod table;
