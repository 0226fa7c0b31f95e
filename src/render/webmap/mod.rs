//! The interactive map: one self-contained, offline HTML file (`map.html`).
//!
//! The page shows the same scene as `map.png` — band zones, reach rings, sites and allied
//! cities on the Natural Earth basemap, in the same projection, colours and legend — and
//! adds what paper cannot: pan and zoom, a city's numbers on hover or tap, a site's
//! system and source on click, layer switches, a search box, and more labels as one
//! zooms in.
//!
//! **Geometry is projected here, not in the browser.** Every layer goes through the
//! static renderer's [`Pipeline`] (PROJ on the WGS84 ellipsoid, the clip to the
//! projection's domain in lon/lat, densification) and is stored as quantised TopoJSON
//! in integer map units ([`topology`]). The page only scales and translates, so it
//! shows exactly the projection `map.png` uses — any PROJ string or EPSG code included —
//! and needs no projection code of its own.
//!
//! The page's scripts are the vendored d3 modules and `topojson-client`
//! (`data/js/`, [`assets`]) plus infrange's own `map.js`; everything, data included, is
//! inline ([`html`]). Nothing is fetched from the network: a Content-Security-Policy
//! forbids it.

pub mod assets;
pub mod html;
pub mod topology;

use serde::Serialize;
use serde_json::{json, Value};

use super::basemap::{self, Resolution};
use super::clip::{self, DomainClip, LonLat};
use super::extent::{self, ScreenTransform, Window};
use super::legend;
use super::markers;
use super::projection::{self, Domain};
use super::screen::{multilinestring_lonlat, Pipeline};
use super::style::{self, colors, Rgba};
use super::{MapOptions, MapScene, RenderError};
use crate::analysis::CityResult;
use crate::bands::BandClass;
use crate::scenario::Scenario;
use topology::Topology;

/// Map units across the longer side of the initial view: the quantum is that side's
/// projected length divided by this (about 90 m for the default scenario), fine enough
/// for the deepest zoom the page allows (64 times the initial view).
pub const UNITS_ACROSS_VIEW: f64 = 100_000.0;

/// How far out the geometry reaches, as a margin around the initial view (each side, as
/// a fraction of its size): one can zoom out to about three times the view.
const DATA_MARGIN: f64 = 1.0;

/// Graticule spacing, degrees.
const GRATICULE_STEP_DEG: f64 = 10.0;

/// What went into a page, for the command's report and for tests.
#[derive(Debug, Clone, PartialEq)]
pub struct WebMapReport {
    /// The PROJ definition used.
    pub projection: String,
    /// Cities on the page (those inside the projection's domain).
    pub cities: usize,
    /// Cities left out because the projection cannot show them.
    pub cities_outside_domain: usize,
    /// Arcs (rings and lines) in the topology.
    pub arcs: usize,
    /// Vertices in the topology.
    pub vertices: usize,
}

/// Renders the interactive map as one HTML document.
///
/// `rows` are the analysed cities the scene was built from, in the scene's order:
/// `scene.cities[i]` is `rows[i]` for `i < rows.len()` (cities added after them, e.g. by
/// [`super::scene::add_labels`], have no analysis and show only their name). The
/// projection and extent come from `opts`; its pixel size is ignored (the page fills the
/// browser window).
///
/// # Errors
/// [`RenderError`] when the projection or extent cannot be used, as for `map.png`.
pub fn to_html(
    scene: &MapScene,
    scenario: &Scenario,
    rows: &[&CityResult<'_>],
    opts: &MapOptions,
) -> Result<(String, WebMapReport), RenderError> {
    let (data, report) = build_data(scene, scenario, rows, opts)?;
    Ok((html::page(scene, &data), report))
}

/// The page's data: geometry, cities, sites, legend and style, as one JSON value.
pub fn build_data(
    scene: &MapScene,
    scenario: &Scenario,
    rows: &[&CityResult<'_>],
    opts: &MapOptions,
) -> Result<(Value, WebMapReport), RenderError> {
    let mut proj = projection::choose(&opts.projection, scene, &opts.extent)?;
    let dclip = DomainClip::new(proj.domain());
    let home = extent::window(&opts.extent, scene, &proj, &dclip)?;
    if let Domain::Cap {
        lon_deg, lat_deg, ..
    } = proj.domain()
    {
        if let Some(r) =
            extent::needed_cap_radius(&proj, &home.with_margin(DATA_MARGIN), (lon_deg, lat_deg))
        {
            proj.limit_cap(r + 2.0);
        }
    }
    let dclip = DomainClip::new(proj.domain());
    let quantum_m = home.width().max(home.height()) / UNITS_ACROSS_VIEW;
    let pipe = Pipeline {
        proj,
        clip: dclip,
        tf: unit_transform(home.x_min, home.y_max, quantum_m),
    };
    let mut topo = Topology::new();
    let world_like = matches!(pipe.proj.domain(), Domain::Global { .. })
        && matches!(opts.extent, super::ExtentChoice::World);
    basemap_objects(&mut topo, scene, &pipe, world_like)?;
    graticule_object(&mut topo, &pipe);
    zone_objects(&mut topo, scene, &pipe);

    let cities = CityColumns::build(scene, scenario, rows, &pipe);
    let report = WebMapReport {
        projection: pipe.proj.definition().to_owned(),
        cities: cities.x.len(),
        cities_outside_domain: cities.outside_domain,
        arcs: topo.arc_count(),
        vertices: topo.vertex_count(),
    };
    // Every site, in the scenario's order (cities refer to sites by index); one the
    // projection cannot show has no position.
    let sites: Vec<Value> = scenario
        .sites
        .iter()
        .map(|s| {
            let p = pipe.point_px((s.lon_deg, s.lat_deg));
            let reach = s.reach.as_ref();
            json!({
                "name": clean(&s.name),
                "x": p.map(|p| round1(p[0])),
                "y": p.map(|p| round1(p[1])),
                "lon": s.lon_deg,
                "lat": s.lat_deg,
                "system": reach.and_then(|r| r.system.as_deref()).map(clean),
                "range_km": reach.map(|r| r.range_km),
                "source": reach.map(|r| clean(&r.source)),
                "flight": reach.and_then(|r| r.flight.as_ref()).map(|f| json!({
                    "model": clean(&f.describe()),
                    "source": clean(f.source()),
                })),
                "note": clean(&s.note),
            })
        })
        .collect();
    let data = json!({
        "title": clean(&scene.title),
        "subtitle": clean(&scene.subtitle),
        "attribution": clean(&attribution(scene)),
        "projection": {
            "definition": clean(pipe.proj.definition()),
            "family": pipe.proj.family(),
            "name": legend::projection_note(pipe.proj.family()).0,
            "warning": legend::projection_note(pipe.proj.family()).1,
        },
        "view": {
            "width": round1(home.width() / quantum_m),
            "height": round1(home.height() / quantum_m),
            "quantum_m": quantum_m,
        },
        "scale_grid": scale_grid(&pipe, &home, quantum_m),
        "legend": legend_data(scene),
        "style": style_data(),
        "bands": scenario.bands.iter().map(|b| json!({
            "name": clean(&b.name),
            "min_km": b.min_km,
            "max_km": b.max_km,
        })).collect::<Vec<_>>(),
        "below_label": scenario.bands.label(BandClass::Below),
        "beyond_label": scenario.bands.label(BandClass::Beyond),
        "with_reach": !scene.reach.is_empty(),
        "with_flight": crate::flight::any_model(&scenario.sites),
        "sites": sites,
        "cities": cities,
        "topology": topo.to_json(),
    });
    Ok((data, report))
}

/// A transform from projected metres to map units: origin at (`x0`, `y0`) (the initial
/// view's top-left corner), `quantum_m` metres per unit, y down. The frame is far larger
/// than any geometry, so [`Pipeline`] clips nothing to it.
fn unit_transform(x0: f64, y0: f64, quantum_m: f64) -> ScreenTransform {
    const FAR: f64 = 1e9;
    ScreenTransform {
        window: Window {
            x_min: x0 - FAR * quantum_m,
            y_min: y0 - FAR * quantum_m,
            x_max: x0 + FAR * quantum_m,
            y_max: y0 + FAR * quantum_m,
        },
        frame: [-FAR, -FAR, FAR, FAR],
        scale: 1.0 / quantum_m,
    }
}

/// Samples per side of [`scale_grid`].
const SCALE_GRID_N: usize = 25;

/// Ground kilometres per map unit along x (geodesic) on a grid over the area the page
/// can show, so the page's scale bar is true at the centre of whatever view is shown:
/// `{x0, y0, dx, dy, n, km}` with `km[j * n + i]` at (`x0 + i dx`, `y0 + j dy`) map units,
/// `null` where the projection cannot be inverted.
fn scale_grid(pipe: &Pipeline, home: &Window, quantum_m: f64) -> Value {
    let (w, h) = (home.width() / quantum_m, home.height() / quantum_m);
    let (x0, y0) = (-w * DATA_MARGIN, -h * DATA_MARGIN);
    let (span_x, span_y) = (w * (1.0 + 2.0 * DATA_MARGIN), h * (1.0 + 2.0 * DATA_MARGIN));
    let n = SCALE_GRID_N;
    let (dx, dy) = (span_x / (n - 1) as f64, span_y / (n - 1) as f64);
    let km: Vec<Option<f64>> = (0..n * n)
        .map(|k| {
            let (i, j) = (k % n, k / n);
            // `km_per_px_at` steps 20 units either side (about 2 km here).
            pipe.km_per_px_at([x0 + i as f64 * dx, y0 + j as f64 * dy])
                .map(|v| (v * 1e7).round() / 1e7)
        })
        .collect();
    json!({"x0": x0, "y0": y0, "dx": dx, "dy": dy, "n": n, "km": km})
}

fn round1(v: f64) -> f64 {
    (v * 10.0).round() / 10.0
}

/// Text from data for the page: control characters are removed, line breaks, tabs and
/// other white space become one space, ends are trimmed. HTML and JavaScript escaping happen
/// where the text is embedded ([`html`]).
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_control() && !c.is_whitespace() {
            continue;
        }
        if c.is_whitespace() {
            if !space && !out.is_empty() {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.truncate(out.trim_end().len());
    out
}

/// The scene's attribution with Natural Earth's credit, as in the static map's footer.
fn attribution(scene: &MapScene) -> String {
    let mut a = scene.attribution.trim().to_owned();
    if !a.contains("Natural Earth") {
        if !a.is_empty() {
            a.push_str(" · ");
        }
        a.push_str(super::furniture::NATURAL_EARTH_CREDIT);
    }
    a
}

/// Sea (the domain's outline), countries (allied or not) and their borders.
fn basemap_objects(
    topo: &mut Topology,
    scene: &MapScene,
    pipe: &Pipeline,
    world_like: bool,
) -> Result<(), RenderError> {
    // As in `map.png`: the domain's outline projected as it is (it lies just inside the
    // domain), one ring.
    let ring: Vec<[f64; 2]> = extent::domain_outline(pipe.proj.domain())
        .iter()
        .filter_map(|&(lon, lat)| pipe.proj.forward(lon, lat))
        .map(|(x, y)| pipe.tf.to_px(x, y))
        .collect();
    let sea = super::ScreenPolygon {
        exterior: ring,
        holes: Vec::new(),
    };
    let sea = topo.multipolygon(&[sea], json!({})).into_iter().collect();
    topo.object("sea", sea);

    let res = if world_like {
        Resolution::Coarse110m
    } else {
        Resolution::Medium50m
    };
    let mut countries = Vec::new();
    let mut borders: Vec<Vec<LonLat>> = Vec::new();
    for c in basemap::countries(res)? {
        let allied = c
            .iso_numeric
            .is_some_and(|id| scene.allied_iso_numeric.contains(&id));
        let polys = pipe.polygons(&c.area);
        countries.extend(topo.multipolygon(&polys, json!({"allied": allied})));
        for p in &c.area.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let pts: Vec<LonLat> = ring.0.iter().map(|c| (c.x, c.y)).collect();
                borders.extend(clip::strokable_parts(&pts));
            }
        }
    }
    topo.object("countries", countries);
    let borders = topo
        .multilinestring(&pipe.lines(&borders), json!({}))
        .into_iter()
        .collect();
    topo.object("borders", borders);
    Ok(())
}

/// Meridians and parallels every [`GRATICULE_STEP_DEG`] degrees.
fn graticule_object(topo: &mut Topology, pipe: &Pipeline) {
    let step = GRATICULE_STEP_DEG;
    let mut lines: Vec<Vec<LonLat>> = Vec::new();
    let n_lon = (360.0 / step).round() as i32;
    for i in 0..n_lon {
        let lon = -180.0 + f64::from(i) * step;
        let lat_lim = if lon.rem_euclid(90.0).abs() < 1e-9 {
            90.0
        } else {
            80.0
        };
        lines.push(clip::densify(&[(lon, -lat_lim), (lon, lat_lim)], 0.5));
    }
    let n_lat = (80.0 / step).floor() as i32;
    for j in -n_lat..=n_lat {
        let lat = f64::from(j) * step;
        lines.push(clip::densify(&[(-180.0, lat), (180.0, lat)], 0.5));
    }
    let g = topo
        .multilinestring(&pipe.lines(&lines), json!({}))
        .into_iter()
        .collect();
    topo.object("graticule", g);
}

/// The zone under the first band edge (`zone` -1) and each band (`zone` i): fills and
/// true outlines; then each site's reach.
fn zone_objects(topo: &mut Topology, scene: &MapScene, pipe: &Pipeline) {
    let zones = scene
        .below
        .iter()
        .map(|b| (-1i64, b))
        .chain(scene.bands.iter().enumerate().map(|(i, b)| (i as i64, b)));
    let mut fills = Vec::new();
    let mut outlines = Vec::new();
    for (z, band) in zones {
        fills.extend(topo.multipolygon(&pipe.polygons(&band.area), json!({"zone": z})));
        outlines.extend(topo.multilinestring(
            &pipe.lines(&multilinestring_lonlat(&band.outline)),
            json!({"zone": z}),
        ));
    }
    topo.object("zones", fills);
    topo.object("zone_outlines", outlines);
    let reach = scene
        .reach
        .iter()
        .enumerate()
        .filter_map(|(i, r)| {
            topo.multilinestring(
                &pipe.lines(&multilinestring_lonlat(&r.outline)),
                json!({"ring": i, "site": clean(&r.site), "range_km": r.range_km}),
            )
        })
        .collect();
    topo.object("reach", reach);
}

/// The cities, column by column (one array per field: compact, and fast to read).
#[derive(Debug, Default, Serialize)]
struct CityColumns {
    /// Name.
    name: Vec<String>,
    /// Index into `countries`.
    country: Vec<u32>,
    /// `[ISO alpha-2, name]` of each country used.
    countries: Vec<[String; 2]>,
    /// Inhabitants (`null`: unknown).
    pop: Vec<Option<u64>>,
    /// Position, map units.
    x: Vec<f64>,
    /// Position, map units (y down).
    y: Vec<f64>,
    /// Zone: band index, -1 under the first edge, -2 outside every band.
    zone: Vec<i64>,
    /// National capital (1) or not (0).
    capital: Vec<u8>,
    /// Distance to the nearest site, metres, rounded (`null`: not analysed).
    dist_m: Vec<Option<u64>>,
    /// Bearing from the nearest site, tenths of a degree clockwise from north.
    bearing: Vec<Option<u16>>,
    /// Index of the nearest site.
    site: Vec<Option<usize>>,
    /// Indices of the sites whose system reaches the city.
    reached_by: Vec<Vec<usize>>,
    /// Time of flight, minutes to one decimal ([`crate::flight::city_time_min`], as
    /// `flight_time_min` in `cities.csv`); `null` without one. Empty when no site of
    /// the scenario has a trajectory model.
    flight_min: Vec<Option<f64>>,
    /// Always labelled (`--label`): indices into these columns.
    forced: Vec<usize>,
    /// Cities the projection cannot show (not in the columns).
    #[serde(skip)]
    outside_domain: usize,
}

impl CityColumns {
    fn build(
        scene: &MapScene,
        scenario: &Scenario,
        rows: &[&CityResult<'_>],
        pipe: &Pipeline,
    ) -> Self {
        let mut out = Self::default();
        let flight = crate::flight::any_model(&scenario.sites);
        let mut country_index: std::collections::HashMap<String, u32> = Default::default();
        for (i, c) in scene.cities.iter().enumerate() {
            let Some(p) = pipe.point_px((c.lon_deg, c.lat_deg)) else {
                out.outside_domain += 1;
                continue;
            };
            // The row this city was made from, if the scene keeps the rows' order.
            let row = rows.get(i).filter(|r| {
                r.city.name == c.name && r.city.lon_deg == c.lon_deg && r.city.lat_deg == c.lat_deg
            });
            let iso2 = row.map(|r| r.city.country.clone()).unwrap_or_default();
            let next = out.countries.len() as u32;
            let ci = *country_index.entry(iso2.clone()).or_insert_with(|| {
                let name = crate::countries::by_iso2(&iso2)
                    .ok()
                    .flatten()
                    .map(|c| c.name.clone())
                    .unwrap_or_else(|| iso2.clone());
                out.countries.push([clean(&iso2), clean(&name)]);
                next
            });
            if c.forced_label {
                out.forced.push(out.name.len());
            }
            out.name.push(clean(&c.name));
            out.country.push(ci);
            out.pop
                .push(row.map_or(Some(c.population), |r| r.city.population));
            out.x.push(round1(p[0]));
            out.y.push(round1(p[1]));
            out.zone.push(match (c.band, c.below) {
                (Some(b), _) => b as i64,
                (None, true) => -1,
                (None, false) => -2,
            });
            out.capital.push(u8::from(c.capital));
            out.dist_m.push(row.map(|r| r.distance_m.round() as u64));
            out.bearing
                .push(row.map(|r| ((r.bearing_deg * 10.0).round() as u16) % 3600));
            out.site.push(row.map(|r| r.nearest_site));
            out.reached_by
                .push(row.map(|r| r.reached_by.clone()).unwrap_or_default());
            if flight {
                out.flight_min.push(row.and_then(|r| {
                    crate::flight::result_time_min(&scenario.sites, r).map(crate::flight::round_min)
                }));
            }
        }
        out
    }
}

/// The legend's entries, with the static legend's wording and numbers.
fn legend_data(scene: &MapScene) -> Value {
    let zones: Vec<Value> = scene
        .below
        .iter()
        .map(|b| (-1i64, b))
        .chain(scene.bands.iter().enumerate().map(|(i, b)| (i as i64, b)))
        .map(|(z, b)| {
            json!({
                "zone": z,
                "name": clean(&b.name),
                "detail": legend::band_detail(b),
                "cities": b.city_count,
                "population": b.population,
            })
        })
        .collect();
    json!({
        "zones": zones,
        "reach_ring": legend::reach_ring_entry(scene).map(|s| clean(&s)),
        "site": clean(&legend::site_entry(scene)),
        "name_sites": scene.sites.len() <= super::MANY_SITES,
        "reach": scene.reach_counts.iter().map(|rc| clean(&legend::reach_entry(rc))).collect::<Vec<_>>(),
        "allied": legend::allied_entry(scene),
    })
}

fn css(c: Rgba) -> String {
    if (c.a - 1.0).abs() < 1e-9 {
        c.hex_string()
    } else {
        format!("rgba({},{},{},{})", c.r, c.g, c.b, c.a)
    }
}

/// Colours and marker sizes from [`style`] and [`markers`], so the page draws as the
/// static map does.
fn style_data() -> Value {
    let zone = |c: Rgba| {
        json!({
            "fill": css(c.alpha(style::BAND_FILL_ALPHA)),
            "swatch": css(c.alpha(style::BAND_FILL_ALPHA + 0.1)),
            "outline": css(c.darker(style::OUTLINE_DARKEN)),
            "dot": css(c.darker(style::DOT_DARKEN)),
        })
    };
    json!({
        "paper": css(colors::PAPER),
        "outside": css(colors::OUTSIDE),
        "sea": css(colors::SEA),
        "land": css(colors::LAND),
        "allied": css(colors::ALLIED),
        "border": css(colors::BORDER),
        "graticule": css(colors::GRATICULE.alpha(0.35)),
        "text": css(colors::TEXT),
        "muted": css(colors::TEXT_MUTED),
        "city_out": css(colors::CITY_OUT),
        "reach": css(colors::REACH),
        "below": zone(style::below_zone_color()),
        "bands": style::BAND_PALETTE.iter().map(|&c| zone(c)).collect::<Vec<_>>(),
        "dot_halo": css(markers::DOT_HALO),
        "dot_halo_px": markers::DOT_HALO_PX,
        "ring_centre": css(markers::RING_CENTRE),
        "ring_min_radius_px": markers::RING_MIN_RADIUS_PX,
        // city_radius_px(p) = base + per_doubling * min(log2(max(p / from, 1)), doublings)
        "radius": {
            "base": style::city_radius_px(1, 1.0),
            "per_doubling": style::city_radius_px(200_000, 1.0) - style::city_radius_px(100_000, 1.0),
            "from": 100_000,
            "max": style::city_radius_px(u64::MAX, 1.0),
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clean_removes_control_characters() {
        assert_eq!(clean("  Vil\u{0}nius\r\n</script>\t"), "Vilnius </script>");
        assert_eq!(clean("a\u{7f}\u{1b}b\u{85}c"), "ab c");
        assert_eq!(clean("Reykjavík"), "Reykjavík");
    }

    #[test]
    fn style_radius_matches_the_static_map() {
        let s = style_data();
        let r = &s["radius"];
        let f = |p: f64| {
            let base = r["base"].as_f64().unwrap();
            let per = r["per_doubling"].as_f64().unwrap();
            (base + per * (p / 100_000f64).max(1.0).log2()).min(r["max"].as_f64().unwrap())
        };
        for p in [1u64, 50_000, 100_000, 1_000_000, 5_000_000, 40_000_000] {
            assert!(
                (f(p as f64) - style::city_radius_px(p, 1.0)).abs() < 1e-9,
                "population {p}"
            );
        }
    }
}
