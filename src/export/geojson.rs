//! GeoJSON layers (RFC 7946): `sites`, `bands`, `coverage` and `cities`.
//!
//! Every feature with a geometry has a `bbox`; polygons come from
//! [`crate::layers`] (lon/lat WGS84, exteriors counter-clockwise, holes
//! clockwise, split at ±180°, 6 decimals); there is no `crs` member. Feature
//! order is stable (scenario order, then band order; cities nearest first) so
//! that diffs stay readable. [`Encoding::Seq`] writes GeoJSON Text Sequences
//! (RFC 8142): one feature per record, each preceded by the record separator
//! 0x1E.
//!
//! Attributes are what every GIS format can hold: scalars only (lists, such as
//! the sites a city is reached by, are `;`-joined strings as in `cities.csv`),
//! each field always of one JSON type, and a field that would be `null` in
//! every feature of a layer is left out (GDAL would read it as a string).

use crate::analysis::CityResult;
use crate::error::{Error, Result};
use crate::export::json::CityRecord;
use crate::geometry;
use crate::geometry::BandPolygon;
use crate::layers::Layers;
use crate::scenario::Scenario;
use geo::MultiPolygon;
use geojson::{Feature, JsonObject, JsonValue};
use rayon::prelude::*;
use serde_json::json;
use std::borrow::Cow;
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
pub struct Layer<'a> {
    /// File stem, e.g. `bands`.
    pub name: &'static str,
    /// The features, in their stable order; without geometry and bounding box when
    /// [`Self::polygons`] gives them.
    pub features: Vec<Feature>,
    /// Empty, or per feature the polygon its geometry and bounding box are made from as it
    /// is written (the features then have neither): a layer of polygons does not hold a
    /// second copy of their vertices (1 GB at 10,000 sites).
    pub polygons: Vec<&'a MultiPolygon<f64>>,
    /// What GDAL should read the layer as when it has no feature to tell it.
    pub schema: &'static Schema,
}

impl Layer<'_> {
    /// Feature `i` as written: with its geometry made from its polygon, if it has one.
    fn feature(&self, i: usize) -> Cow<'_, Feature> {
        match self.polygons.get(i) {
            Some(polygon) => {
                let props = self.features[i].properties.clone().unwrap_or_default();
                Cow::Owned(geometry::to_feature(polygon, props))
            }
            None => Cow::Borrowed(&self.features[i]),
        }
    }
}

/// A layer's geometry type and fields, as OGR names them.
#[derive(Debug)]
pub struct Schema {
    /// OGR geometry type, e.g. `wkbPoint`.
    pub geometry_type: &'static str,
    /// Field names and OGR field types, in the features' order.
    pub fields: &'static [(&'static str, &'static str)],
}

/// `sites`: Points.
pub const SITES_SCHEMA: Schema = Schema {
    geometry_type: "wkbPoint",
    fields: &[
        ("name", "String"),
        ("note", "String"),
        ("range_km", "Real"),
        ("source", "String"),
        ("system", "String"),
    ],
};

/// `bands`: MultiPolygons.
pub const BANDS_SCHEMA: Schema = Schema {
    geometry_type: "wkbMultiPolygon",
    fields: &[
        ("area_km2", "Real"),
        ("band", "String"),
        ("interval", "String"),
        ("max_error_geodesic_m", "Real"),
        ("max_error_lonlat_m", "Real"),
        ("max_error_m", "Real"),
        ("max_km", "Real"),
        ("min_km", "Real"),
        ("site", "String"),
        ("vertices", "Integer"),
    ],
};

/// `coverage`: MultiPolygons.
pub const COVERAGE_SCHEMA: Schema = Schema {
    geometry_type: "wkbMultiPolygon",
    fields: &[
        ("area_km2", "Real"),
        ("band", "String"),
        ("interval", "String"),
        ("kind", "String"),
        ("max_error_geodesic_m", "Real"),
        ("max_error_lonlat_m", "Real"),
        ("max_error_m", "Real"),
        ("max_km", "Real"),
        ("min_km", "Real"),
        ("range_km", "Real"),
        ("site", "String"),
        ("sites", "String"),
        ("source", "String"),
        ("system", "String"),
        ("vertices", "Integer"),
    ],
};

/// `cities`: Points with the CSV's columns.
pub const CITIES_SCHEMA: Schema = Schema {
    geometry_type: "wkbPoint",
    fields: &[
        ("admin1", "String"),
        ("band", "String"),
        ("bearing_deg", "Real"),
        ("capital", "Integer"),
        ("country", "String"),
        ("distance_km", "Real"),
        ("geonameid", "Integer64"),
        ("lat", "Real"),
        ("lon", "Real"),
        ("name", "String"),
        ("nearest_site", "String"),
        ("population", "Integer64"),
        ("reached_by", "String"),
    ],
};

/// For a layer without features, an OGR VRT (`NAME.vrt` beside `NAME.geojson`) that gives
/// GDAL and QGIS its geometry type, CRS (EPSG:4326) and fields; `None` when the layer has
/// features (GDAL reads all of that from them).
///
/// GDAL reads a GeoJSON layer's geometry type from its features, so an empty
/// FeatureCollection opens as a table without geometry or CRS, and GeoJSON has no place to
/// declare them.
///
/// # Example
/// ```
/// use infrange::export::geojson::{empty_layer_vrt, Encoding, Layer, CITIES_SCHEMA};
///
/// let empty = Layer { name: "cities", features: vec![], polygons: vec![], schema: &CITIES_SCHEMA };
/// let vrt = empty_layer_vrt(&empty, Encoding::Collection).unwrap();
/// assert!(vrt.contains("<GeometryType>wkbPoint</GeometryType>"));
/// assert!(vrt.contains("cities.geojson"));
/// ```
pub fn empty_layer_vrt(layer: &Layer, encoding: Encoding) -> Option<String> {
    if !layer.features.is_empty() {
        return None;
    }
    let fields: String = layer
        .schema
        .fields
        .iter()
        .map(|(name, kind)| format!("    <Field name=\"{name}\" type=\"{kind}\"/>\n"))
        .collect();
    Some(format!(
        "<OGRVRTDataSource>\n  <OGRVRTLayer name=\"{name}\">\n    \
         <SrcDataSource relativeToVRT=\"1\">{name}.{ext}</SrcDataSource>\n    \
         <GeometryType>{geometry}</GeometryType>\n    <LayerSRS>EPSG:4326</LayerSRS>\n\
         {fields}  </OGRVRTLayer>\n</OGRVRTDataSource>\n",
        name = layer.name,
        ext = encoding.extension(),
        geometry = layer.schema.geometry_type,
    ))
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
pub fn sites_layer(scenario: &Scenario) -> Layer<'static> {
    let mut features: Vec<Feature> = scenario
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
    drop_null_fields(&mut features);
    Layer {
        schema: &SITES_SCHEMA,
        name: "sites",
        features,
        polygons: Vec::new(),
    }
}

/// The error bounds and area of a band polygon, as feature properties.
fn polygon_properties(props: &mut JsonObject, polygon: &BandPolygon) {
    props.insert("max_error_m".into(), json!(polygon.max_error_m));
    props.insert(
        "max_error_lonlat_m".into(),
        json!(polygon.max_error_lonlat_m),
    );
    props.insert(
        "max_error_geodesic_m".into(),
        json!(polygon.max_error_geodesic_m),
    );
    props.insert("area_km2".into(), json!(polygon.area_m2 / 1e6));
    props.insert("vertices".into(), json!(polygon.vertices));
}

/// Names joined with `;`, as in `cities.csv`.
pub fn join_names<'a>(names: impl IntoIterator<Item = &'a str>) -> String {
    names.into_iter().collect::<Vec<_>>().join(";")
}

/// Drops the properties that are `null` in every feature of a layer, so that
/// no reader has to guess their type.
fn drop_null_fields(features: &mut [Feature]) {
    let mut keep: std::collections::BTreeSet<String> = std::collections::BTreeSet::new();
    for f in features.iter() {
        for (k, v) in f.properties.iter().flatten() {
            if !v.is_null() {
                keep.insert(k.clone());
            }
        }
    }
    for f in features.iter_mut() {
        if let Some(props) = f.properties.as_mut() {
            props.retain(|k, _| keep.contains(k));
        }
    }
}

/// The `bands` layer: one feature per site × band (a band that lies wholly beyond the
/// antipodal distance covers nothing and has no feature: GDAL's FlatGeobuf writer, among
/// others, drops features without geometry).
pub fn bands_layer<'a>(scenario: &Scenario, layers: &'a Layers) -> Layer<'a> {
    let (features, polygons) = layers
        .site_bands
        .iter()
        .filter(|sb| !sb.polygon.geometry.0.is_empty())
        .filter_map(|sb| {
            let band = scenario.bands.get(sb.band)?;
            let mut props = properties(json!({
                "site": scenario.sites[sb.site].name,
                "band": band.name,
                "interval": band.interval(),
                "min_km": band.min_km,
                "max_km": band.max_km,
            }));
            polygon_properties(&mut props, &sb.polygon);
            Some((properties_only(props), &sb.polygon.geometry))
        })
        .unzip();
    Layer {
        schema: &BANDS_SCHEMA,
        name: "bands",
        features,
        polygons,
    }
}

/// A feature with properties only: its geometry is made when it is written (see
/// [`Layer::polygons`]).
fn properties_only(props: JsonObject) -> Feature {
    Feature {
        bbox: None,
        geometry: None,
        id: None,
        properties: Some(props),
        foreign_members: None,
    }
}

/// The `coverage` layer: per band the zone whose nearest site is within it
/// (bands that cover nothing left out), then per site with a system the disc it
/// reaches.
pub fn coverage_layer<'a>(scenario: &Scenario, layers: &'a Layers) -> Layer<'a> {
    let site_names = join_names(scenario.sites.iter().map(|s| s.name.as_str()));
    let bands = layers.coverage.iter().filter_map(|c| {
        if c.polygon.geometry.0.is_empty() {
            return None;
        }
        let band = scenario.bands.get(c.band)?;
        let mut props = properties(json!({
            "kind": "band",
            "band": band.name,
            "interval": band.interval(),
            "min_km": band.min_km,
            "max_km": band.max_km,
            "sites": site_names,
        }));
        polygon_properties(&mut props, &c.polygon);
        Some((properties_only(props), &c.polygon.geometry))
    });
    let reach = layers.reach.iter().map(|r| {
        let site = &scenario.sites[r.site];
        let reach = site.reach.as_ref();
        let mut props = properties(json!({
            "kind": "reach",
            "site": site.name,
            "system": reach.and_then(|r| r.system.clone()),
            "range_km": reach.map(|r| r.range_km),
            "source": reach.map(|r| r.source.clone()),
        }));
        polygon_properties(&mut props, &r.polygon);
        (properties_only(props), &r.polygon.geometry)
    });
    let (mut features, polygons): (Vec<Feature>, Vec<_>) = bands.chain(reach).unzip();
    drop_null_fields(&mut features);
    Layer {
        schema: &COVERAGE_SCHEMA,
        name: "coverage",
        features,
        polygons,
    }
}

/// The `cities` layer: a Point per city with the CSV's attributes.
pub fn cities_layer(scenario: &Scenario, results: &[&CityResult<'_>]) -> Result<Layer<'static>> {
    let features = results
        .iter()
        .map(|r| {
            let record = CityRecord::new(scenario, r);
            let value = serde_json::to_value(&record)
                .map_err(|e| Error::io("cities GeoJSON", std::io::Error::other(e)))?;
            let mut props = properties(value);
            props.insert(
                "reached_by".into(),
                json!(join_names(record.reached_by.iter().copied())),
            );
            Ok(point_feature(record.lon, record.lat, props))
        })
        .collect::<Result<Vec<_>>>()?;
    let mut features = features;
    drop_null_fields(&mut features);
    Ok(Layer {
        schema: &CITIES_SCHEMA,
        name: "cities",
        features,
        polygons: Vec::new(),
    })
}

/// Write a layer in the given encoding. A failed write keeps the operating
/// system's error kind (a full disk is said as such).
///
/// The features are serialised in parallel, a batch at a time (so that at most one batch's
/// text is held in memory), and written in their order: the bytes are those `serde_json`
/// writes for the whole [`geojson::FeatureCollection`].
pub fn write(out: &mut dyn Write, layer: &Layer, encoding: Encoding) -> Result<()> {
    let name = format!("{}.{}", layer.name, encoding.extension());
    let io = |e: std::io::Error| Error::io(&name, e);
    let (open, separator, close): (&[u8], &[u8], &[u8]) = match encoding {
        Encoding::Collection => (
            b"{\"type\":\"FeatureCollection\",\"features\":[",
            b",",
            b"]}\n",
        ),
        Encoding::Seq => (b"", b"", b""),
    };
    out.write_all(open).map_err(io)?;
    let mut first = true;
    let n = layer.features.len();
    debug_assert!(layer.polygons.is_empty() || layer.polygons.len() == n);
    for start in (0..n).step_by(WRITE_BATCH) {
        let texts = (start..n.min(start + WRITE_BATCH))
            .into_par_iter()
            .chunks(WRITE_CHUNK)
            .map(|chunk| -> serde_json::Result<Vec<u8>> {
                let mut text = Vec::new();
                for f in chunk.into_iter().map(|i| layer.feature(i)) {
                    match encoding {
                        Encoding::Collection => {
                            if !text.is_empty() {
                                text.push(b',');
                            }
                            serde_json::to_writer(&mut text, &*f)?;
                        }
                        Encoding::Seq => {
                            text.push(0x1e);
                            serde_json::to_writer(&mut text, &*f)?;
                            text.push(b'\n');
                        }
                    }
                }
                Ok(text)
            })
            .collect::<serde_json::Result<Vec<_>>>()
            .map_err(|e| io(std::io::Error::from(e)))?;
        for text in texts {
            if !first {
                out.write_all(separator).map_err(io)?;
            }
            first = false;
            out.write_all(&text).map_err(io)?;
        }
    }
    out.write_all(close).map_err(io)?;
    Ok(())
}

/// Features serialised per batch of [`write`] (the batch's text is held in memory).
const WRITE_BATCH: usize = 2048;

/// Features serialised per parallel task of [`write`].
const WRITE_CHUNK: usize = 64;

#[cfg(test)]
mod tests {
    use super::*;

    /// More features than one batch, so batches and chunks meet; properties with text
    /// that needs escaping.
    fn layer() -> Layer<'static> {
        let features = (0..WRITE_BATCH + WRITE_CHUNK + 3)
            .map(|i| {
                let mut props = JsonObject::new();
                props.insert("name".into(), json!(format!("site \"{i}\"\n")));
                point_feature(i as f64 * 1e-3, -(i as f64) * 1e-4, props)
            })
            .collect();
        Layer {
            name: "sites",
            features,
            polygons: Vec::new(),
            schema: &SITES_SCHEMA,
        }
    }

    /// The parallel writer writes what `serde_json` writes for the whole collection.
    #[test]
    fn collection_is_what_serde_json_writes() {
        let layer = layer();
        let mut written = Vec::new();
        write(&mut written, &layer, Encoding::Collection).unwrap();
        let whole = geojson::FeatureCollection {
            bbox: None,
            features: layer.features.clone(),
            foreign_members: None,
        };
        let mut expected = serde_json::to_vec(&whole).unwrap();
        expected.push(b'\n');
        assert_eq!(written, expected);
        let empty = Layer {
            features: Vec::new(),
            ..layer
        };
        let mut written = Vec::new();
        write(&mut written, &empty, Encoding::Collection).unwrap();
        assert_eq!(
            written,
            b"{\"type\":\"FeatureCollection\",\"features\":[]}\n"
        );
    }

    /// GeoJSON text sequences (RFC 8142): each feature after RS, ended by LF, in order.
    #[test]
    fn sequence_is_one_record_per_feature() {
        let layer = layer();
        let mut written = Vec::new();
        write(&mut written, &layer, Encoding::Seq).unwrap();
        let mut expected = Vec::new();
        for f in &layer.features {
            expected.push(0x1e);
            expected.extend(serde_json::to_vec(f).unwrap());
            expected.push(b'\n');
        }
        assert_eq!(written, expected);
    }

    /// A layer whose geometries are made from its polygons as it is written writes what the
    /// same layer with its features built beforehand writes.
    #[test]
    fn polygons_made_when_written_are_the_built_features() {
        let polygons: Vec<MultiPolygon<f64>> = (0..WRITE_CHUNK + 5)
            .map(|i| {
                let x = i as f64 * 0.5 - 170.0;
                let ring = vec![(x, -10.0), (x + 0.25, -10.0), (x + 0.25, 10.5), (x, -10.0)];
                MultiPolygon::new(vec![geo::Polygon::new(ring.into(), vec![])])
            })
            .collect();
        let props = |i: usize| {
            let mut props = JsonObject::new();
            props.insert("site".into(), json!(format!("S{i}")));
            props
        };
        let lazy = Layer {
            name: "bands",
            features: (0..polygons.len())
                .map(|i| properties_only(props(i)))
                .collect(),
            polygons: polygons.iter().collect(),
            schema: &BANDS_SCHEMA,
        };
        let built = Layer {
            features: polygons
                .iter()
                .enumerate()
                .map(|(i, p)| geometry::to_feature(p, props(i)))
                .collect(),
            polygons: Vec::new(),
            ..lazy.clone()
        };
        for encoding in [Encoding::Collection, Encoding::Seq] {
            let (mut a, mut b) = (Vec::new(), Vec::new());
            write(&mut a, &lazy, encoding).unwrap();
            write(&mut b, &built, encoding).unwrap();
            assert_eq!(a, b);
            assert!(String::from_utf8(a)
                .unwrap()
                .contains("\"bbox\":[-170.0,-10.0,"));
        }
    }
}
