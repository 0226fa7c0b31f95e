//! QGIS layer styles (`.qml`) for the GeoJSON layers, styled like infrange's maps.
//!
//! QGIS applies a style file with the layer's file name (`bands.qml` beside
//! `bands.geojson`) when it loads the layer, so the layers open looking like the maps:
//!
//! * `bands` and `coverage`: each band filled in the maps' colour at the maps' opacity
//!   ([`crate::render::style`]), categorised by the `band` attribute; the zones' outlines are
//!   drawn with a geometry generator that leaves out the cuts along ±180° and the pole lines
//!   (they are not on any range circle, and in a polar projection they would show as a
//!   seam); `coverage`'s reach features are a dashed outline without fill;
//! * `cities`: a dot in the darker colour of the city's band (the zone under the first
//!   edge in its own colour), filled where a system reaches the city and a ring where it is
//!   only inside a band, sized by population as on the maps; capitals labelled;
//! * `sites`: black triangles with a white edge, labelled with their names.
//!
//! The files are QGIS 3 style documents (`renderer-v2`, `Option` maps), tested by loading
//! them with the layers in QGIS (see the README). Colours are `r,g,b,a` with 0–255
//! components; sizes are millimetres.

use crate::bands::{BELOW, BEYOND};
use crate::render::style::{
    band_color, band_dot_color, below_zone_dot_color, colors, Rgba, BAND_FILL_ALPHA, OUTLINE_DARKEN,
};
use crate::scenario::Scenario;

/// A style document for one layer.
#[derive(Debug, Clone)]
pub struct Style {
    /// File stem, the layer's name (`bands` → `bands.qml`).
    pub name: &'static str,
    /// The QML document.
    pub xml: String,
}

/// Millimetres per pixel at 96 dpi: the maps' pixel sizes in QGIS units.
const MM_PER_PX: f64 = 25.4 / 96.0;

/// The cuts along ±180° and the pole lines, as a WKT expression literal: subtracted from a
/// polygon's boundary they leave the range circles.
const CUTS_WKT: &str = "MULTILINESTRING((180 -90,180 90),(-180 -90,-180 90),\
                        (-180 90,180 90),(-180 -90,180 -90))";

/// Escapes text for an XML attribute value.
fn attr(text: &str) -> String {
    text.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
        .replace('\'', "&apos;")
}

/// A QGIS expression string literal.
fn literal(text: &str) -> String {
    format!("'{}'", text.replace('\'', "''"))
}

/// `r,g,b,a` with `a` in 0..=255.
fn qcolor(c: Rgba) -> String {
    format!("{},{},{},{}", c.r, c.g, c.b, (c.a * 255.0).round() as u8)
}

/// One `<Option>` entry.
fn option(name: &str, value: &str) -> String {
    format!(
        r#"<Option name="{}" type="QString" value="{}"/>"#,
        attr(name),
        attr(value)
    )
}

/// A symbol layer of class `class` with string options.
fn symbol_layer(class: &str, options: &[(&str, String)], data_defined: &str) -> String {
    let opts: String = options.iter().map(|(k, v)| option(k, v)).collect();
    format!(
        r#"<layer class="{class}" enabled="1" locked="0" pass="0"><Option type="Map">{opts}</Option>{data_defined}</layer>"#
    )
}

/// `<data_defined_properties>` setting one property from an expression.
fn data_defined(property: &str, expression: &str) -> String {
    format!(
        r#"<data_defined_properties><Option type="Map"><Option name="name" type="QString" value=""/><Option name="properties" type="Map"><Option name="{}" type="Map"><Option name="active" type="bool" value="true"/><Option name="expression" type="QString" value="{}"/><Option name="type" type="int" value="3"/></Option></Option><Option name="type" type="QString" value="collection"/></Option></data_defined_properties>"#,
        attr(property),
        attr(expression)
    )
}

fn symbol(kind: &str, name: &str, layers: &[String]) -> String {
    format!(
        r#"<symbol alpha="1" clip_to_extent="1" force_rhr="0" name="{}" type="{kind}">{}</symbol>"#,
        attr(name),
        layers.concat()
    )
}

/// A line sub-symbol drawing the boundary of a polygon without its cuts.
fn outline_generator(color: Rgba, width_mm: f64, dashed: bool) -> String {
    let line = symbol_layer(
        "SimpleLine",
        &[
            ("line_color", qcolor(color)),
            ("line_width", format!("{width_mm:.3}")),
            ("line_width_unit", "MM".into()),
            ("line_style", "solid".into()),
            ("use_custom_dash", if dashed { "1" } else { "0" }.into()),
            ("customdash", "2.9;1.6".into()),
            ("customdash_unit", "MM".into()),
            ("capstyle", "flat".into()),
            ("joinstyle", "round".into()),
        ],
        "",
    );
    // With map units the expression sees the feature in the layer's CRS (lon/lat), where
    // the cuts lie exactly on the lines subtracted; QGIS projects the result.
    let expression = format!(
        "difference(boundary($geometry), geom_from_wkt({}))",
        literal(CUTS_WKT)
    );
    format!(
        r#"<layer class="GeometryGenerator" enabled="1" locked="0" pass="0"><Option type="Map">{}{}{}</Option>{}</layer>"#,
        option("SymbolType", "Line"),
        option("geometryModifier", &expression),
        option("units", "MapUnit"),
        symbol("line", "@outline", &[line])
    )
}

/// A fill symbol: the zone's colour at the maps' opacity, outlined by a generator.
fn zone_symbol(name: &str, fill: Rgba) -> String {
    let fill_layer = symbol_layer(
        "SimpleFill",
        &[
            ("color", qcolor(fill.alpha(BAND_FILL_ALPHA))),
            ("style", "solid".into()),
            ("outline_style", "no".into()),
            ("outline_color", qcolor(fill)),
            ("outline_width", "0".into()),
        ],
        "",
    );
    symbol(
        "fill",
        name,
        &[
            fill_layer,
            outline_generator(fill.darker(OUTLINE_DARKEN), 1.5 * MM_PER_PX, false),
        ],
    )
}

/// The reach: a dashed outline without fill.
fn reach_symbol(name: &str) -> String {
    let no_fill = symbol_layer(
        "SimpleFill",
        &[
            ("color", "0,0,0,0".into()),
            ("style", "no".into()),
            ("outline_style", "no".into()),
        ],
        "",
    );
    symbol(
        "fill",
        name,
        &[
            no_fill,
            outline_generator(colors::REACH, 1.6 * MM_PER_PX, true),
        ],
    )
}

fn qgis_document(body: &str, geometry_type: u8) -> String {
    format!(
        "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n\
         <qgis version=\"3.22.0\" styleCategories=\"Symbology|Labeling\">\n{body}\n\
         <layerGeometryType>{geometry_type}</layerGeometryType>\n</qgis>\n"
    )
}

/// A rule-based renderer from `(filter, label, symbol)` rules.
fn rule_renderer(rules: &[(String, String, String)]) -> String {
    let mut rule_xml = String::new();
    let mut symbols = String::new();
    for (i, (filter, label, sym)) in rules.iter().enumerate() {
        rule_xml.push_str(&format!(
            r#"<rule filter="{}" key="rule{i}" label="{}" symbol="{i}"/>"#,
            attr(filter),
            attr(label)
        ));
        symbols.push_str(sym);
    }
    format!(
        r#"<renderer-v2 type="RuleRenderer" enableorderby="0" forceraster="0" symbollevels="0"><rules key="root">{rule_xml}</rules><symbols>{symbols}</symbols></renderer-v2>"#
    )
}

/// The bands of a scenario: (name, label, colour index).
fn bands_of(scenario: &Scenario) -> Vec<(String, String)> {
    scenario
        .bands
        .iter()
        .map(|b| (b.name.clone(), format!("{} {}", b.name, b.interval())))
        .collect()
}

/// `bands.qml`: per site × band annuli, categorised by band.
pub fn bands_style(scenario: &Scenario) -> Style {
    let mut categories = String::new();
    let mut symbols = String::new();
    for (i, (name, label)) in bands_of(scenario).iter().enumerate() {
        categories.push_str(&format!(
            r#"<category label="{}" render="true" symbol="{i}" value="{}"/>"#,
            attr(label),
            attr(name)
        ));
        symbols.push_str(&zone_symbol(&i.to_string(), band_color(i)));
    }
    let renderer = format!(
        r#"<renderer-v2 type="categorizedSymbol" attr="band" enableorderby="0" forceraster="0" symbollevels="0"><categories>{categories}</categories><symbols>{symbols}</symbols></renderer-v2>"#
    );
    Style {
        name: "bands",
        xml: qgis_document(&renderer, 2),
    }
}

/// `coverage.qml`: band zones by band, the reach dashed.
pub fn coverage_style(scenario: &Scenario) -> Style {
    let mut rules: Vec<(String, String, String)> = bands_of(scenario)
        .into_iter()
        .enumerate()
        .map(|(i, (name, label))| {
            (
                format!("\"kind\" = 'band' AND \"band\" = {}", literal(&name)),
                label,
                zone_symbol(&i.to_string(), band_color(i)),
            )
        })
        .collect();
    let n = rules.len();
    rules.push((
        "\"kind\" = 'reach'".into(),
        "reach (dashed)".into(),
        reach_symbol(&n.to_string()),
    ));
    Style {
        name: "coverage",
        xml: qgis_document(&rule_renderer(&rules), 2),
    }
}

/// Marker size expression: the maps' `city_radius_px` as a diameter in millimetres.
fn city_size_expression() -> String {
    format!(
        "2 * {MM_PER_PX:.5} * (1.8 + 0.75 * min(7, max(0, log(2, coalesce(\"population\", 1) / 100000))))"
    )
}

/// A city marker: a dot (reached) or a ring (only inside a band) in `color`.
fn city_symbol(name: &str, color: Rgba, filled: bool) -> String {
    let (fill, stroke, stroke_width) = if filled {
        (color, Rgba::hex(0xFFFFFF).alpha(0.75), 0.7 * MM_PER_PX)
    } else {
        (Rgba::hex(0xFFFFFF).alpha(0.45), color, 1.4 * MM_PER_PX)
    };
    let marker = symbol_layer(
        "SimpleMarker",
        &[
            ("name", "circle".into()),
            ("color", qcolor(fill)),
            ("outline_color", qcolor(stroke)),
            ("outline_style", "solid".into()),
            ("outline_width", format!("{stroke_width:.3}")),
            ("outline_width_unit", "MM".into()),
            ("size", "1".into()),
            ("size_unit", "MM".into()),
            ("scale_method", "diameter".into()),
        ],
        &data_defined("size", &city_size_expression()),
    );
    symbol("marker", name, &[marker])
}

/// Labels from `field` with a white halo, where `filter` holds (all features when empty).
fn labeling(field: &str, size_pt: f64, bold: bool, filter: &str) -> String {
    let settings = format!(
        r#"<settings calloutType="simple"><text-style fieldName="{}" fontFamily="DejaVu Sans" fontSize="{size_pt}" fontSizeUnit="Point" fontWeight="{}" textColor="{}" textOpacity="1" isExpression="0"><text-buffer bufferDraw="1" bufferSize="0.7" bufferSizeUnits="MM" bufferColor="255,255,255,255" bufferOpacity="0.9"/></text-style><placement placement="6" dist="1" distUnits="MM" priority="{}"/><rendering obstacle="1" drawLabels="1" upsidedownLabels="0"/></settings>"#,
        attr(field),
        if bold { 75 } else { 50 },
        qcolor(colors::TEXT),
        if bold { 9 } else { 5 },
    );
    let filter_attr = if filter.is_empty() {
        String::new()
    } else {
        format!(r#" filter="{}""#, attr(filter))
    };
    format!(
        r#"<labeling type="rule-based"><rules key="labels"><rule key="label0"{filter_attr}>{settings}</rule></rules></labeling>"#
    )
}

/// `cities.qml`: dots by band and reach, sized by population; capitals labelled.
pub fn cities_style(scenario: &Scenario) -> Style {
    let mut zones: Vec<(String, String, Rgba)> = vec![(
        BELOW.into(),
        format!("{BELOW} (under the first band edge)"),
        below_zone_dot_color(),
    )];
    zones.extend(
        bands_of(scenario)
            .into_iter()
            .enumerate()
            .map(|(i, (name, label))| (name, label, band_dot_color(i))),
    );
    let mut rules = Vec::new();
    for (name, label, color) in &zones {
        let band = format!("\"band\" = {}", literal(name));
        rules.push((
            format!("{band} AND \"reached_by\" <> ''"),
            format!("{label}, reached"),
            city_symbol(&rules.len().to_string(), *color, true),
        ));
        rules.push((
            format!("{band} AND coalesce(\"reached_by\", '') = ''"),
            label.clone(),
            city_symbol(&rules.len().to_string(), *color, false),
        ));
    }
    rules.push((
        format!("\"band\" = {}", literal(BEYOND)),
        BEYOND.into(),
        city_symbol(&rules.len().to_string(), colors::CITY_OUT, true),
    ));
    let body = format!(
        "{}\n{}",
        rule_renderer(&rules),
        labeling("name", 8.0, false, "\"capital\"")
    );
    Style {
        name: "cities",
        xml: qgis_document(&body, 0),
    }
}

/// `sites.qml`: black triangles with a white edge, labelled with their names.
pub fn sites_style() -> Style {
    let marker = symbol_layer(
        "SimpleMarker",
        &[
            ("name", "triangle".into()),
            ("color", "0,0,0,255".into()),
            ("outline_color", "255,255,255,255".into()),
            ("outline_style", "solid".into()),
            ("outline_width", format!("{:.3}", 2.5 * MM_PER_PX)),
            ("outline_width_unit", "MM".into()),
            ("size", format!("{:.3}", 2.0 * 9.0 * MM_PER_PX)),
            ("size_unit", "MM".into()),
        ],
        "",
    );
    let renderer = format!(
        r#"<renderer-v2 type="singleSymbol" enableorderby="0" forceraster="0" symbollevels="0"><symbols>{}</symbols></renderer-v2>"#,
        symbol("marker", "0", &[marker])
    );
    let body = format!("{renderer}\n{}", labeling("name", 10.0, true, ""));
    Style {
        name: "sites",
        xml: qgis_document(&body, 0),
    }
}

/// The four styles, one per GeoJSON layer.
pub fn styles(scenario: &Scenario) -> Vec<Style> {
    vec![
        sites_style(),
        bands_style(scenario),
        coverage_style(scenario),
        cities_style(scenario),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::ScenarioOptions;

    #[test]
    fn styles_are_well_formed_xml_with_the_maps_colours() {
        let scenario = ScenarioOptions::default()
            .resolve()
            .expect("default scenario");
        for style in styles(&scenario) {
            let doc = roxmltree::Document::parse_with_options(
                &style.xml,
                roxmltree::ParsingOptions {
                    allow_dtd: true,
                    ..Default::default()
                },
            )
            .unwrap_or_else(|e| panic!("{}: {e}", style.name));
            assert_eq!(doc.root_element().tag_name().name(), "qgis");
            assert!(doc.descendants().any(|n| n.has_tag_name("renderer-v2")));
        }
        let bands = bands_style(&scenario).xml;
        // Shorter-range in the maps' red at 30 % opacity, intermediate-range in orange.
        assert!(bands.contains(r#"value="185,3,0,77""#), "{bands}");
        assert!(bands.contains(r#"value="230,147,5,77""#));
        assert!(bands.contains(r#"value="shorter-range""#));
        let coverage = coverage_style(&scenario).xml;
        assert!(coverage.contains("&quot;kind&quot; = &apos;reach&apos;"));
        assert!(coverage.contains(r#"name="use_custom_dash" type="QString" value="1""#));
        let cities = cities_style(&scenario).xml;
        assert!(cities.contains("population"));
    }

    #[test]
    fn names_are_escaped() {
        assert_eq!(attr(r#"a<b>&"c'"#), "a&lt;b&gt;&amp;&quot;c&apos;");
        assert_eq!(literal("O'Hare"), "'O''Hare'");
    }
}
