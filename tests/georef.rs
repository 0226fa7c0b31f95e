//! Maps read back as a GIS reads them: through the world file beside the PNG.
//!
//! Each test renders a map, writes `map.pgw` (and `map.png.aux.xml`), then projects known
//! places with the map's projection, finds their pixel through the world file alone and
//! reads the colour there. This catches basemap polygons drawn inside out or across the
//! map (world-atlas rings crossing ±180° or winding round a pole), a globe left unfilled,
//! and bands that are not one even fill over a pole.

mod common;

use std::path::PathBuf;

use infrange::render::clip::DomainClip;
use infrange::render::georef;
use infrange::render::projection::Projector;
use infrange::render::style::{band_color, colors, BAND_FILL_ALPHA};
use infrange::render::{backend, layout, ExtentChoice, MapOptions, MapScene, ProjectionChoice};
use infrange::render::{DisplayList, Rgba};

fn out_dir(name: &str) -> PathBuf {
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR"))
        .join("georef")
        .join(name);
    std::fs::create_dir_all(&d).expect("out dir");
    d
}

/// A rendered map, read back from disk: pixels and the world file.
struct ReadBack {
    w: usize,
    h: usize,
    rgb: Vec<u8>,
    /// A, D, B, E, C, F.
    world: [f64; 6],
    proj: Projector,
    /// The map frame, pixels: places outside it are not on the map.
    frame: [f64; 4],
}

impl ReadBack {
    fn render(name: &str, scene: &MapScene, opts: &MapOptions) -> (Self, DisplayList) {
        let list = layout(scene, opts).expect("layout");
        let png = out_dir(name).join("map.png");
        backend::write_png(&list, &png).expect("png");
        let written = georef::write_sidecars(&list, &png).expect("side-cars");
        assert!(
            written.iter().any(|p| p.ends_with("map.pgw")),
            "{written:?}"
        );
        let world_text = std::fs::read_to_string(png.with_extension("pgw")).expect("pgw");
        let lines: Vec<f64> = world_text
            .lines()
            .map(|l| l.trim().parse().expect("world-file number"))
            .collect();
        assert_eq!(lines.len(), 6, "{world_text}");
        let (w, h, rgb) = common::decode_png(&png);
        let (w, h) = (w as usize, h as usize);
        let proj = Projector::new(&list.projection).expect("projection");
        let rb = Self {
            w,
            h,
            rgb,
            world: lines.try_into().expect("six"),
            proj,
            frame: list.frame,
        };
        (rb, list)
    }

    /// Colour of the pixel holding (lon, lat), found through the world file only.
    fn colour_at(&self, lon: f64, lat: f64) -> Option<[u8; 3]> {
        // Only places on the part of the globe the projection draws.
        if !DomainClip::new(self.proj.domain()).contains((lon, lat)) {
            return None;
        }
        let (x, y) = self.proj.forward(lon, lat)?;
        let [a, _d, _b, e, c, f] = self.world;
        // World file: x = C + A·col, y = F + E·row at pixel centres.
        let col = ((x - c) / a).round();
        let row = ((y - f) / e).round();
        let f = self.frame;
        let inside = col > f[0] + 2.0 && row > f[1] + 2.0 && col < f[2] - 2.0 && row < f[3] - 2.0;
        if !inside || col >= self.w as f64 || row >= self.h as f64 {
            return None;
        }
        let i = (row as usize * self.w + col as usize) * 3;
        Some([self.rgb[i], self.rgb[i + 1], self.rgb[i + 2]])
    }
}

fn rgb(c: Rgba) -> [u8; 3] {
    [c.r, c.g, c.b]
}

/// `top` drawn with opacity `a` over `base`, as the PNG rasteriser blends.
fn over(base: [u8; 3], top: Rgba, a: f64) -> [u8; 3] {
    let m = |d: u8, v: u8| (f64::from(d) + (f64::from(v) - f64::from(d)) * a).round() as u8;
    [m(base[0], top.r), m(base[1], top.g), m(base[2], top.b)]
}

fn close(a: [u8; 3], b: [u8; 3], tol: u8) -> bool {
    a.iter().zip(b).all(|(x, y)| x.abs_diff(y) <= tol)
}

/// A map with only the basemap to look at: one site in the South Pacific, no bands.
fn basemap_scene() -> MapScene {
    let mut scene = common::scene(&[("Far", -130.0, -45.0)]);
    scene.cities.clear();
    scene.bands.clear();
    scene.reach.clear();
    scene.allied_iso_numeric = vec![616];
    scene
}

const OCEAN: &[(&str, f64, f64)] = &[
    ("Arctic Ocean at 86.5°N", 45.5, 86.5),
    ("Norwegian Sea, 70.5°N 5.5°E", 5.5, 70.5),
    ("Beaufort Sea", -140.5, 73.5),
    ("Central Pacific", -150.5, 5.5),
    ("South Atlantic", -20.5, -35.5),
    ("Indian Ocean", 80.5, -30.5),
];
const LAND: &[(&str, f64, f64)] = &[
    ("Greenland", -40.5, 74.5),
    ("Siberia", 100.5, 65.5),
    ("Chukotka", 175.5, 66.5),
    ("Sahara", 3.5, 27.5),
    ("Antarctica", 40.5, -80.5),
    ("Australia", 133.5, -25.5),
    ("Brazil", -55.5, -10.5),
];

fn check_places(name: &str, opts: MapOptions) {
    let (rb, _) = ReadBack::render(name, &basemap_scene(), &opts);
    let (sea, land) = (rgb(colors::SEA), rgb(colors::LAND));
    let mut seen = 0;
    for (what, lon, lat) in OCEAN {
        if let Some(c) = rb.colour_at(*lon, *lat) {
            seen += 1;
            assert!(close(c, sea, 3), "{name}: {what} is {c:?}, not sea {sea:?}");
        }
    }
    for (what, lon, lat) in LAND {
        if let Some(c) = rb.colour_at(*lon, *lat) {
            seen += 1;
            assert!(
                close(c, land, 3),
                "{name}: {what} is {c:?}, not land {land:?}"
            );
        }
    }
    assert!(seen >= 4, "{name}: only {seen} test places on the map");
}

fn opts(projection: &str, extent: ExtentChoice, w: u32, h: u32) -> MapOptions {
    MapOptions {
        projection: ProjectionChoice::Proj(projection.into()),
        extent,
        width_px: w,
        height_px: h,
    }
}

fn bbox(lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> ExtentChoice {
    ExtentChoice::BBox {
        lon_min,
        lat_min,
        lon_max,
        lat_max,
    }
}

#[test]
fn basemap_is_right_in_world_projections() {
    for (name, p) in [
        ("eqearth", "+proj=eqearth +ellps=WGS84"),
        ("eqearth_pacific", "+proj=eqearth +lon_0=150 +ellps=WGS84"),
        ("robin", "+proj=robin +ellps=WGS84"),
    ] {
        check_places(name, opts(p, ExtentChoice::World, 1600, 1200));
    }
}

/// Mercator drew land-coloured streaks across the whole width at 65–72°N.
#[test]
fn basemap_is_right_in_mercator() {
    check_places(
        "merc",
        opts(
            "+proj=merc +ellps=WGS84",
            bbox(-180.0, -80.0, 180.0, 85.0),
            1600,
            1200,
        ),
    );
}

/// The polar cap drew a grey band at about 80°N and filled only half the globe; the
/// polar world map drew an octagonal ocean.
#[test]
fn basemap_is_right_in_polar_views() {
    check_places(
        "north_cap",
        opts(
            "+proj=laea +lat_0=90 +lon_0=0 +datum=WGS84",
            bbox(-180.0, 60.0, 180.0, 90.0),
            1200,
            1200,
        ),
    );
    check_places(
        "north_world",
        opts(
            "+proj=laea +lat_0=90 +lon_0=40 +ellps=WGS84",
            ExtentChoice::World,
            1600,
            1200,
        ),
    );
    check_places(
        "south_world",
        opts(
            "+proj=laea +lat_0=-90 +lon_0=0 +ellps=WGS84",
            ExtentChoice::World,
            1600,
            1200,
        ),
    );
    check_places(
        "pacific_aeqd",
        opts(
            "+proj=aeqd +lat_0=60 +lon_0=-170 +ellps=WGS84",
            ExtentChoice::World,
            1600,
            1200,
        ),
    );
}

/// The whole disc of a polar view is globe: sea or land everywhere inside, no off-globe
/// colour (the top half used to be left unfilled).
#[test]
fn polar_globe_is_filled() {
    let (rb, list) = ReadBack::render(
        "north_cap_fill",
        &basemap_scene(),
        &opts(
            "+proj=laea +lat_0=90 +lon_0=0 +datum=WGS84",
            bbox(-180.0, 60.0, 180.0, 90.0),
            1200,
            1200,
        ),
    );
    let outside = rgb(colors::OUTSIDE);
    let mut checked = 0;
    for lat in [62.5, 75.5, 88.5] {
        for k in 0..36 {
            let lon = -177.5 + 10.0 * f64::from(k);
            if let Some(c) = rb.colour_at(lon, lat) {
                checked += 1;
                assert_ne!(c, outside, "({lon}, {lat}) has the off-globe colour");
            }
        }
    }
    assert!(checked > 90, "{checked}");
    assert!(list.crs_wkt.is_some(), "laea has a WKT");
}

/// In the default scenario the intermediate-range band encloses the North Pole; over the
/// Arctic Ocean it must be one even fill (no rings of land colour, nothing drawn twice).
#[test]
fn band_over_the_pole_is_one_even_fill() {
    let scene = common::default_scene();
    let opts = MapOptions {
        extent: ExtentChoice::Bands,
        ..MapOptions::default()
    };
    let (rb, _) = ReadBack::render("default_pole", &scene, &opts);
    let band = scene
        .bands
        .iter()
        .position(|b| b.max_km >= 5499.0)
        .expect("outermost band");
    let want = over(rgb(colors::SEA), band_color(band), BAND_FILL_ALPHA);
    let mut seen = 0;
    // Off the graticule: meridians every 15° (only 0°, ±90°, 180° reach the pole).
    for (lon, lat) in [
        (7.5, 86.5),
        (67.5, 84.5),
        (127.5, 85.5),
        (172.5, 87.5),
        (-142.5, 84.5),
        (-97.5, 86.5),
        (-37.5, 85.5),
        (45.0, 89.0),
        (-135.0, 89.3),
    ] {
        if let Some(c) = rb.colour_at(lon, lat) {
            seen += 1;
            assert!(close(c, want, 3), "({lon}, {lat}): {c:?}, want {want:?}");
        }
    }
    assert!(seen >= 6, "only {seen} Arctic points on the default map");
}

/// A world map fills its page: the rows under the map frame hold the legend, not paper.
#[test]
fn world_map_leaves_no_empty_band_under_the_frame() {
    for (w, h) in [(1600, 1200), (1200, 1600), (800, 600)] {
        let (rb, list) = ReadBack::render(
            "world_rows",
            &common::default_scene(),
            &opts("+proj=eqearth +ellps=WGS84", ExtentChoice::World, w, h),
        );
        let footer_rows = (40.0
            * infrange::render::page::furniture_scale(f64::from(w), f64::from(h)))
        .ceil() as usize;
        let paper = rgb(colors::PAPER);
        // Longest run of all-paper rows between the frame and the footer.
        let (mut run, mut longest) = (0usize, 0usize);
        for row in list.frame[3].ceil() as usize..rb.h - footer_rows {
            let blank = (0..rb.w).all(|x| {
                let i = (row * rb.w + x) * 3;
                close([rb.rgb[i], rb.rgb[i + 1], rb.rgb[i + 2]], paper, 2)
            });
            run = if blank { run + 1 } else { 0 };
            longest = longest.max(run);
        }
        let share = longest as f64 / rb.h as f64;
        assert!(
            share < 0.10,
            "{w}x{h}: {longest} empty rows ({:.0} %) under the frame",
            share * 100.0
        );
    }
}
