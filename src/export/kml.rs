//! KML for Google Earth: the sites, band zones, reach and cities of an analysis, styled like
//! the maps, in one `map.kml`.
//!
//! The document has one folder per kind of thing, which GDAL's KML reader turns into one
//! layer each: `Sites`, `Band zones` (filled, no outline), `Band edges` (the range circles as
//! lines), `Reach` (each system's reach as a dashed line) and `Cities`.
//!
//! What makes it right on a globe:
//!
//! * the zones are cut into pieces at most 90° of longitude wide
//!   ([`crate::geometry::globe::globe_pieces`]): no piece holds a pole inside or is larger
//!   than a hemisphere, so a viewer that draws edges as great-circle arcs and fills the
//!   smaller side of each ring (Google Earth) fills what the GeoJSON layers hold; all other
//!   edges are within the error bound whether drawn as great circles or straight in
//!   lon/lat ([`crate::geometry::ring`]);
//! * the zones have no outline of their own: the cuts (along ±180°, the pole lines and the
//!   piece boundaries) would show as lines. The range circles are drawn separately, from the
//!   zones' true boundary ([`crate::geometry::outline::true_boundary`]);
//! * everything is clamped to the ground and tessellated, so long edges follow the globe.
//!
//! KML has no dashed lines; the reach is drawn as 72 dashes per circle.

use crate::analysis::CityResult;
use crate::bands::{BELOW, BEYOND};
use crate::export::geojson::join_names;
use crate::export::json::CityRecord;
use crate::geometry::globe::globe_pieces;
use crate::geometry::outline::true_boundary;
use crate::geometry::BandPolygon;
use crate::layers::Layers;
use crate::render::style::{
    band_color, band_dot_color, below_zone_color, below_zone_dot_color, colors, Rgba,
    BAND_FILL_ALPHA, OUTLINE_DARKEN,
};
use crate::scenario::Scenario;
use geo::{Coord, Distance, Geodesic, LineString, MultiLineString, MultiPolygon, Point};
use std::collections::BTreeMap;
use std::fmt::Write as _;

/// Dashes per reach circle.
const REACH_DASHES: usize = 72;
/// Share of each dash period that is drawn.
const DASH_DUTY: f64 = 0.65;
/// Google Earth icons (drawn white, tinted by the style's colour).
const DOT_ICON: &str = "https://maps.google.com/mapfiles/kml/shapes/shaded_dot.png";
const RING_ICON: &str = "https://maps.google.com/mapfiles/kml/shapes/donut.png";
const SITE_ICON: &str = "https://maps.google.com/mapfiles/kml/shapes/triangle.png";

/// Escapes text for XML content and attributes.
fn xml(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// KML colour `aabbggrr`.
fn kml_color(c: Rgba) -> String {
    format!(
        "{:02x}{:02x}{:02x}{:02x}",
        (c.a * 255.0).round() as u8,
        c.b,
        c.g,
        c.r
    )
}

/// `lon,lat` pairs with 6 decimals.
fn coordinates(coords: &[Coord<f64>]) -> String {
    let mut s = String::with_capacity(coords.len() * 22);
    for (i, c) in coords.iter().enumerate() {
        if i > 0 {
            s.push(' ');
        }
        let _ = write!(s, "{:.6},{:.6}", c.x, c.y);
    }
    s
}

fn polygons_kml(mp: &MultiPolygon<f64>) -> String {
    let mut s = String::new();
    for p in &mp.0 {
        s.push_str("<Polygon><tessellate>1</tessellate><outerBoundaryIs><LinearRing><coordinates>");
        s.push_str(&coordinates(&p.exterior().0));
        s.push_str("</coordinates></LinearRing></outerBoundaryIs>");
        for hole in p.interiors() {
            s.push_str("<innerBoundaryIs><LinearRing><coordinates>");
            s.push_str(&coordinates(&hole.0));
            s.push_str("</coordinates></LinearRing></innerBoundaryIs>");
        }
        s.push_str("</Polygon>");
    }
    s
}

fn lines_kml(lines: &MultiLineString<f64>) -> String {
    let mut s = String::new();
    for l in &lines.0 {
        s.push_str("<LineString><tessellate>1</tessellate><coordinates>");
        s.push_str(&coordinates(&l.0));
        s.push_str("</coordinates></LineString>");
    }
    s
}

fn extended_data(fields: &[(&str, String)]) -> String {
    let mut s = String::from("<ExtendedData>");
    for (k, v) in fields {
        let _ = write!(
            s,
            r#"<Data name="{}"><value>{}</value></Data>"#,
            xml(k),
            xml(v)
        );
    }
    s.push_str("</ExtendedData>");
    s
}

/// A placemark with a name, a style, data and geometry (already KML).
fn placemark(name: &str, style: &str, data: &str, geometry: &str) -> String {
    format!(
        "<Placemark><name>{}</name><styleUrl>#{style}</styleUrl>{data}{geometry}</Placemark>\n",
        xml(name)
    )
}

fn multi(parts: &str) -> String {
    format!("<MultiGeometry>{parts}</MultiGeometry>")
}

/// The polyline cut into dashes: `REACH_DASHES` periods over its geodesic length.
fn dashes(lines: &MultiLineString<f64>) -> MultiLineString<f64> {
    let seg_len = |a: Coord<f64>, b: Coord<f64>| Geodesic.distance(Point::from(a), Point::from(b));
    let total_m: f64 = lines
        .0
        .iter()
        .flat_map(|l| l.0.windows(2).map(|w| seg_len(w[0], w[1])))
        .sum();
    if total_m <= 0.0 {
        return lines.clone();
    }
    let period_m = total_m / REACH_DASHES as f64;
    let on_m = DASH_DUTY * period_m;
    let mut out = Vec::new();
    for line in &lines.0 {
        // Distance along the whole outline decides what is drawn, so dashes run on across
        // a cut at ±180°.
        let mut at_m = 0.0;
        let mut current: Vec<Coord<f64>> = Vec::new();
        for w in line.0.windows(2) {
            let (a, b) = (w[0], w[1]);
            let len_m = seg_len(a, b);
            let mut t0 = 0.0;
            while t0 < 1.0 {
                let phase_m = (at_m + t0 * len_m).rem_euclid(period_m);
                let drawing = phase_m < on_m;
                let to_switch_m = if drawing {
                    on_m - phase_m
                } else {
                    period_m - phase_m
                };
                let t1 = if len_m > 0.0 {
                    (t0 + to_switch_m / len_m).min(1.0)
                } else {
                    1.0
                };
                let p = |t: f64| Coord {
                    x: a.x + t * (b.x - a.x),
                    y: a.y + t * (b.y - a.y),
                };
                if drawing {
                    if current.is_empty() {
                        current.push(p(t0));
                    }
                    current.push(p(t1));
                    if t1 < 1.0 {
                        out.push(LineString::new(std::mem::take(&mut current)));
                    }
                } else if current.len() >= 2 {
                    out.push(LineString::new(std::mem::take(&mut current)));
                } else {
                    current.clear();
                }
                t0 = t1 + 1e-12;
            }
            at_m += len_m;
        }
        if current.len() >= 2 {
            out.push(LineString::new(current));
        }
    }
    MultiLineString::new(out)
}

/// Zone colour of a city's band (`below`, a band, `beyond`) and its dot colour.
fn zone_colors(scenario: &Scenario, band: &str) -> (usize, Rgba) {
    if band == BELOW {
        return (0, below_zone_dot_color());
    }
    match scenario.bands.iter().position(|b| b.name == band) {
        Some(i) => (i + 1, band_dot_color(i)),
        None => (usize::MAX, colors::CITY_OUT),
    }
}

/// Size class 0..=7 of a population: doublings above 100,000, as the maps' marker radius.
fn size_class(population: Option<u64>) -> usize {
    let p = population.unwrap_or(1).max(1) as f64;
    (p / 100_000.0).max(1.0).log2().min(7.0).floor() as usize
}

/// A zone's fill without outline (the outline would draw the cuts; readers that ignore
/// `<outline>0</outline>` draw it transparent).
fn zone_style(id: &str, fill: Rgba) -> String {
    format!(
        "<Style id=\"{id}\"><LineStyle><color>00000000</color><width>0</width></LineStyle><PolyStyle><color>{}</color><fill>1</fill><outline>0</outline></PolyStyle></Style>\n",
        kml_color(fill.alpha(BAND_FILL_ALPHA))
    )
}

fn line_style(id: &str, color: Rgba, width: f64) -> String {
    format!(
        "<Style id=\"{id}\"><LineStyle><color>{}</color><width>{width}</width></LineStyle></Style>\n",
        kml_color(color)
    )
}

fn band_fields(
    scenario: &Scenario,
    band: usize,
    polygon: &BandPolygon,
) -> Vec<(&'static str, String)> {
    let mut fields = Vec::new();
    if let Some(b) = scenario.bands.get(band) {
        fields.push(("band", b.name.clone()));
        fields.push(("interval", b.interval()));
        fields.push(("min_km", format!("{}", b.min_km)));
        fields.push(("max_km", format!("{}", b.max_km)));
    }
    fields.push(("max_error_m", format!("{:.2}", polygon.max_error_m)));
    fields.push(("area_km2", format!("{:.1}", polygon.area_m2 / 1e6)));
    fields
}

/// The KML document of an analysis.
pub fn document(scenario: &Scenario, layers: &Layers, rows: &[&CityResult<'_>]) -> String {
    let mut styles = String::new();
    let mut body = String::new();

    // Sites.
    styles.push_str(&format!(
        "<Style id=\"site\"><IconStyle><color>ff000000</color><scale>1.1</scale><Icon><href>{SITE_ICON}</href></Icon></IconStyle><LabelStyle><scale>1</scale></LabelStyle></Style>\n"
    ));
    body.push_str("<Folder><name>Sites</name>\n");
    for s in &scenario.sites {
        let mut fields = Vec::new();
        if let Some(r) = &s.reach {
            if let Some(system) = &r.system {
                fields.push(("system", system.clone()));
            }
            fields.push(("range_km", format!("{}", r.range_km)));
            fields.push(("source", r.source.clone()));
        }
        if !s.note.is_empty() {
            fields.push(("note", s.note.clone()));
        }
        let point = format!(
            "<Point><coordinates>{:.6},{:.6}</coordinates></Point>",
            s.lon_deg, s.lat_deg
        );
        body.push_str(&placemark(&s.name, "site", &extended_data(&fields), &point));
    }
    body.push_str("</Folder>\n");

    // Band zones and their edges.
    let mut zones = String::new();
    let mut edges = String::new();
    if let (Some(below), Some(first)) = (&layers.below, scenario.bands.edges_km().first()) {
        styles.push_str(&zone_style("zone-below", below_zone_color()));
        styles.push_str(&line_style(
            "edge-below",
            below_zone_color().darker(OUTLINE_DARKEN),
            2.0,
        ));
        let name = format!("{BELOW} {} km", crate::numbers::format_km_grouped(*first));
        let fields = [
            ("band", BELOW.to_string()),
            ("max_km", format!("{first}")),
            ("max_error_m", format!("{:.2}", below.max_error_m)),
        ];
        zones.push_str(&placemark(
            &name,
            "zone-below",
            &extended_data(&fields),
            &multi(&polygons_kml(&globe_pieces(&below.geometry))),
        ));
        edges.push_str(&placemark(
            &name,
            "edge-below",
            "",
            &multi(&lines_kml(&true_boundary(&below.geometry))),
        ));
    }
    for c in &layers.coverage {
        let Some(band) = scenario.bands.get(c.band) else {
            continue;
        };
        if c.polygon.geometry.0.is_empty() {
            continue;
        }
        let (zone_id, edge_id) = (format!("zone-{}", c.band), format!("edge-{}", c.band));
        styles.push_str(&zone_style(&zone_id, band_color(c.band)));
        styles.push_str(&line_style(
            &edge_id,
            band_color(c.band).darker(OUTLINE_DARKEN),
            2.0,
        ));
        let name = format!("{} {}", band.name, band.interval());
        let fields = band_fields(scenario, c.band, &c.polygon);
        zones.push_str(&placemark(
            &name,
            &zone_id,
            &extended_data(&fields),
            &multi(&polygons_kml(&globe_pieces(&c.polygon.geometry))),
        ));
        edges.push_str(&placemark(
            &name,
            &edge_id,
            "",
            &multi(&lines_kml(&true_boundary(&c.polygon.geometry))),
        ));
    }
    let _ = write!(body, "<Folder><name>Band zones</name>\n{zones}</Folder>\n");
    let _ = write!(body, "<Folder><name>Band edges</name>\n{edges}</Folder>\n");

    // Reach.
    styles.push_str(&line_style("reach", colors::REACH, 2.0));
    body.push_str("<Folder><name>Reach</name>\n");
    // Many sites: one outline per reach, as the maps draw it (`merged_reach` is empty
    // otherwise); else one per site.
    for (range_km, zone) in &layers.merged_reach {
        let with: Vec<_> = scenario
            .sites
            .iter()
            .filter_map(|s| s.reach.as_ref())
            .filter(|r| r.range_km == *range_km)
            .collect();
        let system = with
            .first()
            .and_then(|r| r.system.clone())
            .unwrap_or_else(|| "reach".into());
        let fields = [
            ("sites", with.len().to_string()),
            ("system", system.clone()),
            ("range_km", format!("{range_km}")),
            (
                "source",
                with.first().map(|r| r.source.clone()).unwrap_or_default(),
            ),
        ];
        body.push_str(&placemark(
            &format!("{system} from any of {} sites", with.len()),
            "reach",
            &extended_data(&fields),
            &multi(&lines_kml(&dashes(&true_boundary(zone)))),
        ));
    }
    let per_site = if layers.merged_reach.is_empty() {
        layers.reach.as_slice()
    } else {
        &[]
    };
    for r in per_site {
        let site = &scenario.sites[r.site];
        let Some(reach) = &site.reach else {
            continue;
        };
        let system = reach.system.clone().unwrap_or_else(|| "reach".into());
        let fields = [
            ("site", site.name.clone()),
            ("system", system.clone()),
            ("range_km", format!("{}", reach.range_km)),
            ("source", reach.source.clone()),
        ];
        body.push_str(&placemark(
            &format!("{system} from {}", site.name),
            "reach",
            &extended_data(&fields),
            &multi(&lines_kml(&dashes(&true_boundary(&r.polygon.geometry)))),
        ));
    }
    body.push_str("</Folder>\n");

    // Cities, one shared style per zone, fill, size and label.
    let mut city_styles: BTreeMap<String, String> = BTreeMap::new();
    body.push_str("<Folder><name>Cities</name>\n");
    for r in rows {
        let record = CityRecord::new(scenario, r);
        let (zone, color) = zone_colors(scenario, record.band);
        let filled = !record.reached_by.is_empty() || record.band == BEYOND;
        let size = size_class(record.population);
        let id = format!(
            "city-{}-{}-{size}{}",
            if zone == usize::MAX {
                "out".to_string()
            } else {
                zone.to_string()
            },
            if filled { "dot" } else { "ring" },
            if record.capital { "-capital" } else { "" }
        );
        city_styles.entry(id.clone()).or_insert_with(|| {
            format!(
                "<Style id=\"{id}\"><IconStyle><color>{}</color><scale>{:.2}</scale><Icon><href>{}</href></Icon></IconStyle><LabelStyle><scale>{}</scale></LabelStyle></Style>\n",
                kml_color(color),
                0.3 + 0.08 * size as f64,
                if filled { DOT_ICON } else { RING_ICON },
                if record.capital { "0.8" } else { "0" }
            )
        });
        let fields = [
            ("country", record.country.to_string()),
            (
                "population",
                record.population.map(|p| p.to_string()).unwrap_or_default(),
            ),
            ("nearest_site", record.nearest_site.to_string()),
            ("distance_km", format!("{:.3}", record.distance_km)),
            ("band", record.band.to_string()),
            ("bearing_deg", format!("{:.1}", record.bearing_deg)),
            ("reached_by", join_names(record.reached_by.iter().copied())),
            (
                "capital",
                if record.capital { "1" } else { "0" }.to_string(),
            ),
        ];
        let point = format!(
            "<Point><coordinates>{:.6},{:.6}</coordinates></Point>",
            record.lon, record.lat
        );
        body.push_str(&placemark(
            record.name,
            &id,
            &extended_data(&fields),
            &point,
        ));
    }
    body.push_str("</Folder>\n");
    for s in city_styles.values() {
        styles.push_str(s);
    }

    let description = format!(
        "{} Bands: {}. Distances are geodesics on the WGS84 ellipsoid; drawn edges lie within \
         the error bound of the true range circles. Cities: GeoNames, CC BY 4.0. Made with infrange.",
        scenario.description,
        scenario
            .bands
            .iter()
            .map(|b| format!("{} {}", b.name, b.interval()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    format!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <kml xmlns=\"http://www.opengis.net/kml/2.2\">\n<Document>\n<name>{}</name>\n\
         <description>{}</description>\n{styles}{body}</Document>\n</kml>\n",
        xml(&scenario.title),
        xml(description.trim())
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours_are_aabbggrr() {
        assert_eq!(kml_color(Rgba::hex(0xB90300).alpha(0.3)), "4d0003b9");
    }

    #[test]
    fn dashes_cover_about_their_duty_of_the_line() {
        let line = MultiLineString::new(vec![LineString::from(vec![(0.0, 0.0), (10.0, 0.0)])]);
        let d = dashes(&line);
        assert_eq!(d.0.len(), REACH_DASHES);
        let drawn: f64 =
            d.0.iter()
                .map(|l| (l.0.last().unwrap().x - l.0[0].x).abs())
                .sum();
        assert!((drawn - 10.0 * DASH_DUTY).abs() < 0.01, "{drawn}");
    }
}
