//! GeoJSON layers (RFC 7946): `sites`, `bands`, `coverage` and `cities`.
//!
//! Every feature has a `bbox`; polygons come from [`crate::layers`] (lon/lat
//! WGS84, exteriors counter-clockwise, holes clockwise, split at ±180°, 6
//! decimals); there is no `crs` member. Feature order is stable (scenario
//! order, then band order; cities nearest first) so that diffs stay readable.
//! [`Encoding::Seq`] writes GeoJSON Text Sequences (RFC 8142): one feature per
//! record, each preceded by the record separator 0x1E.

use crate::analysis::CityResult;
use crate::error::{Error, Result};
use crate::export::json::CityRecord;
use crate::geometry;
use crate::layers::Layers;
use crate::scenario::Scenario;
use geojson::{Feature, FeatureCollection, JsonObject, JsonValue};
use serde_json::json;
use std::io::Write;

/// How a layer is encoded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Encoding {
    /// A FeatureCollection (`.geojson`).
    Collection,
    /// RFC 8142 GeoJSON Text Sequence (`.geojsons`), one feature per line.
    Seq,
}

impl Encoding {
    /// The file extension for this encoding.
    pub fn extension(self) -> &'static str {
        match self {
            Encoding::Collection => "geojson",
            Encoding::Seq => "geojsons",
        }
    }
}

/// A named layer: file stem and features.
#[derive(Debug, Clone)]
pub struct Layer {
    /// File stem, e.g. `bands`.
    pub name: &'static str,
    /// The features, in their stable order.
    pub features: Vec<Feature>,
}

fn properties(value: JsonValue) -> JsonObject {
    match value {
        JsonValue::Object(map) => map,
        _ => JsonObject::new(),
    }
}

fn point_feature(lon_deg: f64, lat_deg: f64, props: JsonObject) -> Feature {
    Feature {
        bbox: Some(vec![lon_deg, lat_deg, lon_deg, lat_deg]),
        geometry: Some(geojson::Geometry::new_point([lon_deg, lat_deg])),
        id: None,
        properties: Some(props),
        foreign_members: None,
    }
}

/// The `sites` layer: a Point per site with its system, range and source.
pub fn sites_layer(scenario: &Scenario) -> Layer {
    let features = scenario
        .sites
        .iter()
        .map(|s| {
            let reach = s.reach.as_ref();
            point_feature(
                s.lon_deg,
                s.lat_deg,
                properties(json!({
                    "name": s.name,
                    "system": reach.and_then(|r| r.system.clone()),
                    "range_km": reach.map(|r| r.range_km),
                    "source": reach.map(|r| r.source.clone()),
                    "note": s.note,
                })),
            )
        })
        .collect();
    Layer {
        name: "sites",
        features,
    }
}

/// The `bands` layer: one feature per site × band.
pub fn bands_layer(scenario: &Scenario, layers: &Layers) -> Layer {
    let features = layers
        .site_bands
        .iter()
        .filter_map(|sb| {
            let band = scenario.bands.get(sb.band)?;
            Some(geometry::to_feature(
                &sb.polygon.geometry,
                properties(json!({
                    "site": scenario.sites[sb.site].name,
                    "band": band.name,
                    "interval": band.interval(),
                    "min_km": band.min_km,
                    "max_km": band.max_km,
                    "max_error_m": sb.polygon.max_error_m,
                    "vertices": sb.polygon.vertices,
                })),
            ))
        })
        .collect();
    Layer {
        name: "bands",
        features,
    }
}

/// The `coverage` layer: per band the zone whose nearest site is within it,
/// then per site with a system the disc it reaches.
pub fn coverage_layer(scenario: &Scenario, layers: &Layers) -> Layer {
    let site_names: Vec<&str> = scenario.sites.iter().map(|s| s.name.as_str()).collect();
    let bands = layers.coverage.iter().filter_map(|c| {
        let band = scenario.bands.get(c.band)?;
        Some(geometry::to_feature(
            &c.polygon.geometry,
            properties(json!({
                "kind": "band",
                "band": band.name,
                "interval": band.interval(),
                "min_km": band.min_km,
                "max_km": band.max_km,
                "sites": site_names,
                "max_error_m": c.polygon.max_error_m,
                "vertices": c.polygon.vertices,
            })),
        ))
    });
    let reach = layers.reach.iter().map(|r| {
        let site = &scenario.sites[r.site];
        let reach = site.reach.as_ref();
        geometry::to_feature(
            &r.polygon.geometry,
            properties(json!({
                "kind": "reach",
                "site": site.name,
                "system": reach.and_then(|r| r.system.clone()),
                "range_km": reach.map(|r| r.range_km),
                "source": reach.map(|r| r.source.clone()),
                "max_error_m": r.polygon.max_error_m,
                "vertices": r.polygon.vertices,
            })),
        )
    });
    Layer {
        name: "coverage",
        features: bands.chain(reach).collect(),
    }
}

/// The `cities` layer: a Point per city with the CSV's attributes.
pub fn cities_layer(scenario: &Scenario, results: &[&CityResult<'_>]) -> Result<Layer> {
    let features = results
        .iter()
        .map(|r| {
            let record = CityRecord::new(scenario, r);
            let props = serde_json::to_value(&record)
                .map_err(|e| Error::io("cities GeoJSON", std::io::Error::other(e)))?;
            Ok(point_feature(record.lon, record.lat, properties(props)))
        })
        .collect::<Result<Vec<_>>>()?;
    Ok(Layer {
        name: "cities",
        features,
    })
}

/// Write a layer in the given encoding.
pub fn write(out: &mut dyn Write, layer: &Layer, encoding: Encoding) -> Result<()> {
    let io = |e: std::io::Error| Error::io(format!("{}.{}", layer.name, encoding.extension()), e);
    match encoding {
        Encoding::Collection => {
            let fc = FeatureCollection {
                bbox: None,
                features: layer.features.clone(),
                foreign_members: None,
            };
            serde_json::to_writer(&mut *out, &fc).map_err(|e| io(std::io::Error::other(e)))?;
            out.write_all(b"\n").map_err(io)?;
        }
        Encoding::Seq => {
            for f in &layer.features {
                out.write_all(b"\x1e").map_err(io)?;
                serde_json::to_writer(&mut *out, f).map_err(|e| io(std::io::Error::other(e)))?;
                out.write_all(b"\n").map_err(io)?;
            }
        }
    }
    Ok(())
}
