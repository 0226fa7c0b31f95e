//! Natural Earth country polygons from the embedded world-atlas TopoJSON files.
//!
//! `data/naturalearth/countries-{50m,110m}.json` are world-atlas 2.0.2 (ISC licence, data
//! from Natural Earth, public domain). They are decoded with the `topojson` crate (arcs,
//! delta-encoding and quantisation handled by the decoder) once per process.

use std::sync::OnceLock;

use geo::{Coord, LineString, MultiPolygon, Polygon};
use geojson_topo::Value;
use topojson::TopoJson;

use super::RenderError;

const COUNTRIES_50M: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/naturalearth/countries-50m.json"
));
const COUNTRIES_110M: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/naturalearth/countries-110m.json"
));

/// Natural Earth scale of the basemap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Resolution {
    /// 1:50 million, for regional maps.
    Medium50m,
    /// 1:110 million, for world maps.
    Coarse110m,
}

/// One country (Natural Earth admin-0 unit).
#[derive(Debug, Clone)]
pub struct Country {
    /// ISO 3166-1 numeric code (feature id), if the unit has one.
    pub iso_numeric: Option<u16>,
    /// Natural Earth name.
    pub name: String,
    /// Polygons in lon/lat degrees.
    pub area: MultiPolygon<f64>,
}

static CACHE_50M: OnceLock<Result<Vec<Country>, String>> = OnceLock::new();
static CACHE_110M: OnceLock<Result<Vec<Country>, String>> = OnceLock::new();

/// The countries at a resolution (decoded once, then shared).
pub fn countries(res: Resolution) -> Result<&'static [Country], RenderError> {
    let (cell, text) = match res {
        Resolution::Medium50m => (&CACHE_50M, COUNTRIES_50M),
        Resolution::Coarse110m => (&CACHE_110M, COUNTRIES_110M),
    };
    match cell.get_or_init(|| decode(text)) {
        Ok(v) => Ok(v.as_slice()),
        Err(e) => Err(RenderError::Basemap(e.clone())),
    }
}

fn ring(coords: &[Vec<f64>]) -> LineString<f64> {
    LineString(
        coords
            .iter()
            .filter(|p| p.len() >= 2 && p[0].is_finite() && p[1].is_finite())
            .map(|p| Coord {
                x: p[0].clamp(-180.0, 180.0),
                y: p[1].clamp(-90.0, 90.0),
            })
            .collect(),
    )
}

fn polygon(rings: &[Vec<Vec<f64>>]) -> Option<Polygon<f64>> {
    let mut it = rings.iter().map(|r| ring(r));
    let exterior = it.next()?;
    if exterior.0.len() < 4 {
        return None;
    }
    Some(Polygon::new(
        exterior,
        it.filter(|r| r.0.len() >= 4).collect(),
    ))
}

/// Decodes a world-atlas countries TopoJSON document.
pub fn decode(text: &str) -> Result<Vec<Country>, String> {
    let topo = match text.parse::<TopoJson>().map_err(|e| e.to_string())? {
        TopoJson::Topology(t) => t,
        _ => return Err("not a TopoJSON Topology".into()),
    };
    let fc = topojson::to_geojson(&topo, "countries").map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(fc.features.len());
    for f in fc.features {
        let name = f
            .properties
            .as_ref()
            .and_then(|p| p.get("name"))
            .and_then(|v| v.as_str())
            .unwrap_or("")
            .to_string();
        let iso_numeric = match &f.id {
            Some(geojson_topo::feature::Id::String(s)) => s.parse::<u16>().ok(),
            Some(geojson_topo::feature::Id::Number(n)) => {
                n.as_u64().and_then(|v| u16::try_from(v).ok())
            }
            None => None,
        };
        let Some(geom) = f.geometry else { continue };
        let polys: Vec<Polygon<f64>> = match &geom.value {
            Value::Polygon(p) => polygon(p).into_iter().collect(),
            Value::MultiPolygon(mp) => mp.iter().filter_map(|p| polygon(p)).collect(),
            _ => Vec::new(),
        };
        if polys.is_empty() {
            continue;
        }
        out.push(Country {
            iso_numeric,
            name,
            area: MultiPolygon(polys),
        });
    }
    if out.is_empty() {
        return Err("no countries decoded".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use geo::Contains;

    #[test]
    fn decodes_both_resolutions() {
        for (res, min) in [(Resolution::Coarse110m, 170), (Resolution::Medium50m, 230)] {
            let c = countries(res).expect("decodes");
            assert!(c.len() >= min, "{res:?}: {}", c.len());
            let austria = c
                .iter()
                .find(|c| c.iso_numeric == Some(40))
                .expect("Austria");
            assert_eq!(austria.name, "Austria");
            // Vienna is inside Austria.
            assert!(austria.area.contains(&Coord { x: 16.37, y: 48.21 }));
        }
    }

    #[test]
    fn coordinates_are_lonlat_in_range() {
        let c = countries(Resolution::Coarse110m).expect("decodes");
        let russia = c
            .iter()
            .find(|c| c.iso_numeric == Some(643))
            .expect("Russia");
        let xs: Vec<f64> = russia
            .area
            .0
            .iter()
            .flat_map(|p| p.exterior().0.iter().map(|c| c.x))
            .collect();
        assert!(xs.iter().all(|x| x.abs() <= 180.0));
        // Chukotka is cut at the antimeridian.
        assert!(xs.iter().any(|x| *x < -170.0) && xs.iter().any(|x| *x > 170.0));
    }
}
