//! Natural Earth country polygons from the embedded world-atlas TopoJSON files.
//!
//! `data/naturalearth/countries-{50m,110m}.json` are world-atlas 2.0.2 (ISC licence, data
//! from Natural Earth, public domain). They are decoded with the `topojson` crate (arcs,
//! delta-encoding and quantisation handled by the decoder) once per process.
//!
//! world-atlas stores polygons **on the sphere**, as d3-geo reads them: a ring may cross
//! ±180° between two vertices (Chukotka, Wrangel Island, Fiji) and Antarctica's coast winds
//! once round the South Pole. Read as planar lon/lat those rings become bands across the
//! whole map (Mercator) or rings round the pole (azimuthal maps). [`planar_polygon`] turns
//! each polygon into the planar lon/lat representation the renderer clips and projects:
//! split at ±180° and closed along lat ±90° where it encloses a pole, through the same
//! seam-aware assembly the range bands use ([`crate::geometry::antimeridian::assemble`]).

use std::sync::OnceLock;

use geo::{Coord, LineString, MultiPolygon, Polygon};

use crate::geometry::antimeridian::{assemble, DirectedRing};
use geojson_topo::Value;
use topojson::TopoJson;

use super::RenderError;

/// Natural Earth 1:50m countries (world-atlas TopoJSON).
pub const COUNTRIES_50M: &str = include_str!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/naturalearth/countries-50m.json"
));
/// Natural Earth 1:110m countries (world-atlas TopoJSON).
pub const COUNTRIES_110M: &str = include_str!(concat!(
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

/// One ring of a world-atlas polygon as a curve with the land on its left.
///
/// world-atlas follows d3-geo's convention: the region lies on the **right** of every ring
/// (exteriors clockwise, holes counter-clockwise in lon/lat). So every ring is reversed.
/// Antarctica shows why no per-ring guess would do: its exterior is a tiny ring at 89.999°S
/// and its coast is a "hole" winding the other way round the pole; read with this
/// convention the two bound the land between them.
fn directed(ring: &LineString<f64>) -> Option<DirectedRing> {
    let mut pts: Vec<Coord<f64>> = ring.0.clone();
    if pts.len() > 1 && pts.first() == pts.last() {
        pts.pop();
    }
    // Vertices on a pole carry no longitude; the pole closure is rebuilt by `assemble`.
    pts.retain(|c| c.y.abs() < 90.0 - 1e-9);
    if pts.len() < 3 {
        return None;
    }
    Some(DirectedRing::from_wrapped(&pts).reversed())
}

/// A world-atlas polygon (on the sphere) as planar lon/lat polygons: split at ±180°,
/// closed along lat ±90° round an enclosed pole. Polygons that neither cross the seam nor
/// enclose a pole come back unchanged.
pub fn planar_polygon(poly: Polygon<f64>) -> Vec<Polygon<f64>> {
    let crosses = |r: &LineString<f64>| {
        r.0.windows(2)
            .any(|w| (w[1].x - w[0].x).abs() > 180.0 || w[0].y.abs() >= 90.0 - 1e-9)
    };
    if !crosses(poly.exterior()) && !poly.interiors().iter().any(crosses) {
        return vec![poly];
    }
    let mut rings: Vec<DirectedRing> = Vec::new();
    match directed(poly.exterior()) {
        Some(r) => rings.push(r),
        None => return Vec::new(),
    }
    rings.extend(poly.interiors().iter().filter_map(directed));
    match assemble(&rings) {
        Ok(mp) => mp.0,
        // Inconsistent holes: keep the outer ring alone rather than lose the land.
        Err(_) => assemble(&rings[..1]).map(|mp| mp.0).unwrap_or_default(),
    }
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
            Value::Polygon(p) => polygon(p).into_iter().flat_map(planar_polygon).collect(),
            Value::MultiPolygon(mp) => mp
                .iter()
                .filter_map(|p| polygon(p))
                .flat_map(planar_polygon)
                .collect(),
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

    /// world-atlas keeps d3's ring convention (region on the right): every exterior ring
    /// that neither crosses ±180° nor winds round a pole is clockwise in lon/lat.
    #[test]
    fn world_atlas_exteriors_are_clockwise() {
        for res in [Resolution::Coarse110m, Resolution::Medium50m] {
            let text = match res {
                Resolution::Medium50m => COUNTRIES_50M,
                Resolution::Coarse110m => COUNTRIES_110M,
            };
            let topo = match text.parse::<TopoJson>().expect("topojson") {
                TopoJson::Topology(t) => t,
                _ => panic!("not a topology"),
            };
            let fc = topojson::to_geojson(&topo, "countries").expect("countries");
            let (mut cw, mut ccw) = (0, 0);
            for f in fc.features {
                let Some(geom) = f.geometry else { continue };
                let polys: Vec<Polygon<f64>> = match &geom.value {
                    Value::Polygon(p) => polygon(p).into_iter().collect(),
                    Value::MultiPolygon(mp) => mp.iter().filter_map(|p| polygon(p)).collect(),
                    _ => Vec::new(),
                };
                for p in polys {
                    let ring = DirectedRing::from_wrapped(&p.exterior().0);
                    if ring.winding != 0 || p.exterior().0.iter().any(|c| c.x.abs() >= 180.0) {
                        continue;
                    }
                    let a = geo::Area::signed_area(&p);
                    if a < 0.0 {
                        cw += 1;
                    } else if a > 0.0 {
                        ccw += 1;
                    }
                }
            }
            assert!(cw > 1000 / if res == Resolution::Coarse110m { 4 } else { 1 });
            assert_eq!(ccw, 0, "{res:?}: {ccw} counter-clockwise exteriors");
        }
    }

    /// Rings crossing ±180° (Chukotka, Wrangel Island, Fiji) and Antarctica's ring round
    /// the South Pole come out as planar pieces covering the land and nothing else.
    #[test]
    fn polygons_across_the_seam_and_round_a_pole_are_planar() {
        for res in [Resolution::Coarse110m, Resolution::Medium50m] {
            let all = countries(res).expect("decodes");
            let get = |iso: u16| {
                &all.iter()
                    .find(|c| c.iso_numeric == Some(iso))
                    .unwrap_or_else(|| panic!("{iso}"))
                    .area
            };
            let (russia, antarctica) = (get(643), get(10));
            for (lon, lat) in [(100.5, 65.5), (175.5, 66.5), (-175.0, 67.0), (37.6, 55.75)] {
                assert!(
                    russia.contains(&Coord { x: lon, y: lat }),
                    "{res:?} ({lon}, {lat})"
                );
            }
            for (lon, lat) in [(0.0, 80.0), (-150.0, 70.0), (0.0, 0.0), (10.0, 50.0)] {
                assert!(
                    !russia.contains(&Coord { x: lon, y: lat }),
                    "{res:?} ({lon}, {lat})"
                );
            }
            for (lon, lat) in [(40.5, -80.5), (-120.0, -85.0), (150.0, -75.0)] {
                let p = Coord { x: lon, y: lat };
                assert!(antarctica.contains(&p), "{res:?} Antarctica ({lon}, {lat})");
            }
            for (lon, lat) in [(0.0, -55.0), (0.0, 0.0), (0.0, 80.0)] {
                let p = Coord { x: lon, y: lat };
                assert!(
                    !antarctica.contains(&p),
                    "{res:?} not Antarctica ({lon}, {lat})"
                );
            }
            for c in all {
                for p in &c.area.0 {
                    for q in p.exterior().0.windows(2) {
                        // Long edges only along a pole line (the planar closure).
                        let along_pole = q[0].y == q[1].y && q[0].y.abs() == 90.0;
                        let jump = (q[1].x - q[0].x).abs() > 180.0;
                        assert!(!jump || along_pole, "{}: seam jump {q:?}", c.name);
                    }
                    // Exterior area under a hemisphere: nothing drawn inside out.
                    assert!(geo::Area::unsigned_area(p) < 16_000.0, "{}", c.name);
                }
            }
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
