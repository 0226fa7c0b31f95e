//! End-to-end rendering tests: display list geometry, SVG content, PNG output, hard places.

mod common;

use std::collections::HashSet;
use std::path::PathBuf;

use infrange::render::{
    layout, render_png, render_svg, render_svg_with_report, DisplayList, ExtentChoice, Layer,
    MapOptions, MapScene, ProjectionChoice,
};

fn out_dir() -> PathBuf {
    // Renders for a look after a test run: target/tmp/render/ (never the source tree).
    let d = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("render");
    std::fs::create_dir_all(&d).expect("out dir");
    d
}

fn assert_no_streaks(list: &DisplayList, what: &str) {
    let half_width = (list.frame[2] - list.frame[0]) / 2.0;
    let (m, layer, ends) = list.longest_segment();
    assert!(
        m < half_width,
        "{what}: segment of {m:.0} px on {layer:?} {ends:?} (half map width {half_width:.0})"
    );
}

fn write_both(scene: &MapScene, opts: &MapOptions, name: &str) -> DisplayList {
    let list = layout(scene, opts).expect("layout");
    let png = out_dir().join(format!("{name}.png"));
    let report = render_png(scene, opts, &png).expect("png");
    assert_eq!(report.drawn_band_shapes, list.drawn_band_shapes());
    let svg = render_svg(scene, opts).expect("svg");
    std::fs::write(out_dir().join(format!("{name}.svg")), svg).expect("write svg");
    assert_no_streaks(&list, name);
    list
}

#[test]
fn default_scenario_png_is_full_size_and_colourful() {
    let scene = common::default_scene();
    let opts = MapOptions::default();
    let t = std::time::Instant::now();
    let list = write_both(&scene, &opts, "default");
    eprintln!("default scenario layout+png+svg: {:?}", t.elapsed());
    let (w, h, rgb) = common::decode_png(&out_dir().join("default.png"));
    assert_eq!((w, h), (1600, 1200));
    let colours: HashSet<[u8; 3]> = rgb.chunks(3).map(|c| [c[0], c[1], c[2]]).collect();
    assert!(colours.len() > 500, "only {} colours", colours.len());
    // Text rendered with the embedded font: dark pixels in the title line.
    let dark_in_title = (20..60)
        .flat_map(|y| (20..800).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let i = ((y * w + x) * 3) as usize;
            rgb[i] < 80 && rgb[i + 1] < 80 && rgb[i + 2] < 80
        })
        .count();
    assert!(dark_in_title > 2000, "title pixels {dark_in_title}");
    assert!(list.drawn_band_shapes() >= 3);
}

#[test]
fn svg_has_names_legend_attribution_and_band_shapes() {
    let scene = common::default_scene();
    let (svg, report) = render_svg_with_report(&scene, &MapOptions::default()).expect("svg");
    assert!(svg.starts_with("<svg") || svg.contains("<svg"));
    for b in &scene.bands {
        assert!(svg.contains(&b.name), "band {}", b.name);
    }
    for s in &scene.sites {
        assert!(svg.contains(&s.name), "site {}", s.name);
    }
    assert!(svg.contains("Range bands"));
    assert!(svg.contains("GeoNames, CC BY 4.0 · Made with Natural Earth"));
    assert!(svg.contains(&scene.title));
    // Band fills are the only paths with a band colour at the fill opacity: one path per
    // band, whose exterior rings (positive signed area in screen coordinates; holes are
    // negative) are the drawn band shapes.
    let mut band_polys = 0;
    for el in svg.split("<path").skip(1) {
        let tag = el.split('>').next().unwrap_or("");
        let band_colour = (0..3)
            .map(|i| infrange::render::style::band_color(i).hex_string())
            .any(|c| tag.contains(&c));
        if band_colour && tag.contains("fill-opacity=\"0.3\"") {
            let d = tag.split(" d=\"").nth(1).expect("path data");
            let d = d.split('"').next().unwrap_or("");
            for ring in d.split('M').skip(1) {
                let nums: Vec<f64> = ring
                    .replace(['L', 'Z'], " ")
                    .split_whitespace()
                    .map(|v| v.parse().expect("number"))
                    .collect();
                let pts: Vec<[f64; 2]> = nums.chunks(2).map(|c| [c[0], c[1]]).collect();
                if infrange::render::display_list::signed_area(&pts) > 0.0 {
                    band_polys += 1;
                }
            }
        }
    }
    assert_eq!(band_polys, report.drawn_band_shapes);
    assert!(report.drawn_band_shapes >= 3);
}

#[test]
fn cities_in_a_band_are_drawn_inside_its_fill() {
    for (name, scene) in [
        ("default", common::default_scene()),
        ("anadyr", common::anadyr_scene()),
        ("svalbard", common::svalbard_scene()),
    ] {
        let list = layout(&scene, &MapOptions::default()).expect("layout");
        let mut checked = 0;
        for (i, c) in scene.cities.iter().enumerate() {
            let (Some(b), Some(p)) = (c.band, list.city_px[i]) else {
                continue;
            };
            assert!(
                list.band_fill_contains(b, p),
                "{name}: {} not in band {b}",
                c.name
            );
            for other in 0..scene.bands.len() {
                if other != b {
                    assert!(
                        !list.band_fill_contains(other, p),
                        "{name}: {} in band {other}",
                        c.name
                    );
                }
            }
            checked += 1;
        }
        assert!(checked >= 2, "{name}: only {checked} cities checked");
    }
}

#[test]
fn hard_places_render_without_streaks() {
    let anadyr = write_both(&common::anadyr_scene(), &MapOptions::default(), "anadyr");
    assert!(anadyr.projection.contains("+proj=aeqd"));
    // The site is at the frame centre's projection origin: north up there, circles round.
    let svalbard = write_both(
        &common::svalbard_scene(),
        &MapOptions::default(),
        "svalbard",
    );
    assert!(svalbard.projection.contains("+proj=aeqd"));
    let default = layout(&common::default_scene(), &MapOptions::default()).expect("layout");
    assert!(default.projection.contains("+proj=laea"));
    assert_no_streaks(&default, "default");
}

#[test]
fn other_projections_and_extents_render_without_streaks() {
    let scene = common::default_scene();
    let cases = [
        ("world_eqearth", ProjectionChoice::Auto, ExtentChoice::World),
        (
            "world_robinson",
            ProjectionChoice::Robinson,
            ExtentChoice::World,
        ),
        ("mercator", ProjectionChoice::Mercator, ExtentChoice::Auto),
        ("europe_laea", ProjectionChoice::Auto, ExtentChoice::Europe),
        (
            "pacific_eqearth",
            ProjectionChoice::Proj("+proj=eqearth +lon_0=150 +ellps=WGS84".into()),
            ExtentChoice::World,
        ),
        (
            "world_ortho",
            ProjectionChoice::Proj("+proj=ortho +lat_0=60 +lon_0=60 +ellps=WGS84".into()),
            ExtentChoice::World,
        ),
    ];
    for (name, projection, extent) in cases {
        let opts = MapOptions {
            projection,
            extent,
            width_px: 1200,
            height_px: 900,
        };
        let list = if name != "world_robinson" {
            write_both(&scene, &opts, name)
        } else {
            layout(&scene, &opts).expect(name)
        };
        assert_no_streaks(&list, name);
        assert!(
            list.items.iter().any(|i| i.layer() == Layer::Land),
            "{name}"
        );
        if opts.extent == ExtentChoice::World && name != "world_ortho" {
            let e = list.extent_lonlat;
            assert!(
                e[0] <= -179.0 && e[2] >= 179.0,
                "{name}: world extent {e:?}"
            );
            // World maps label the parallels where they meet the globe's outline.
            let texts = list.texts();
            assert!(
                texts.contains(&"30°N") && texts.contains(&"30°S"),
                "{name}: graticule labels missing: {texts:?}"
            );
        }
    }
}

#[test]
fn mercator_legend_warns_about_distortion() {
    let opts = MapOptions {
        projection: ProjectionChoice::Mercator,
        ..MapOptions::default()
    };
    let list = layout(&common::default_scene(), &opts).expect("layout");
    assert!(list.texts().iter().any(|t| t.contains("Mercator greatly")));
}

#[test]
fn scale_bar_matches_geodesic_distance_at_centre() {
    // aeqd centred on the site: along screen x at the centre, 1 px = 1/scale metres exactly.
    let list = layout(&common::anadyr_scene(), &MapOptions::default()).expect("layout");
    assert!(list.px_per_km_at_centre > 0.0);
    let labels = list.texts();
    assert!(labels
        .iter()
        .any(|t| t.ends_with(" km") && t.chars().next().is_some_and(|c| c.is_ascii_digit())));
}

#[test]
fn epsg_code_renders_or_errors_clearly() {
    let opts = MapOptions {
        projection: ProjectionChoice::Proj("EPSG:3035".into()),
        extent: ExtentChoice::Europe,
        width_px: 800,
        height_px: 600,
    };
    match layout(&common::default_scene(), &opts) {
        Ok(list) => assert_no_streaks(&list, "epsg3035"),
        Err(e) => assert!(e.to_string().contains("PROJ string"), "{e}"),
    }
}

/// Timing of the default map; run with `cargo test --release -- --ignored --nocapture`.
#[test]
#[ignore]
fn time_default_map() {
    let scene = common::default_scene();
    let opts = MapOptions::default();
    let _ = layout(&scene, &opts).expect("warm-up (decodes the basemap)");
    let t = std::time::Instant::now();
    let list = layout(&scene, &opts).expect("layout");
    let t_layout = t.elapsed();
    let t = std::time::Instant::now();
    let png = out_dir().join("default_timed.png");
    render_png(&scene, &opts, &png).expect("png");
    let t_png = t.elapsed();
    let t = std::time::Instant::now();
    let svg = render_svg(&scene, &opts).expect("svg");
    let t_svg = t.elapsed();
    eprintln!(
        "default map: layout {t_layout:?}, layout+png {t_png:?}, layout+svg {t_svg:?} ({} items, {} kB svg)",
        list.items.len(),
        svg.len() / 1024
    );
}

#[test]
fn empty_scene_still_renders_a_basemap() {
    let opts = MapOptions {
        width_px: 800,
        height_px: 600,
        ..MapOptions::default()
    };
    let list = layout(&MapScene::default(), &opts).expect("layout");
    assert!(list.items.iter().any(|i| i.layer() == Layer::Land));
    assert_eq!(list.drawn_band_shapes(), 0);
    assert_no_streaks(&list, "empty");
    let bad = MapOptions {
        projection: ProjectionChoice::Proj("+proj=nonsense".into()),
        ..opts
    };
    assert!(layout(&MapScene::default(), &bad).is_err());
}

#[test]
fn map_labels_do_not_overlap_and_capitals_come_first() {
    use infrange::render::labels::overlaps;
    let scene = common::svalbard_scene();
    let list = layout(&scene, &MapOptions::default()).expect("layout");
    let boxes = label_boxes(&list);
    assert!(boxes.len() > 15, "{} labels", boxes.len());
    for i in 0..boxes.len() {
        for j in i + 1..boxes.len() {
            assert!(
                !overlaps(&boxes[i].1, &boxes[j].1),
                "{} / {}",
                boxes[i].0,
                boxes[j].0
            );
        }
    }
    let texts: Vec<&str> = boxes.iter().map(|b| b.0.as_str()).collect();
    for must in ["Svalbard", "London", "Paris", "Berlin", "Washington"] {
        assert!(texts.contains(&must), "{must} not labelled: {texts:?}");
    }
}

/// Furniture scales with the page but stays legible: at 800×600 no text is under 9 px, on
/// a regional map (legend beside it) and on a world map (legend under it).
#[test]
fn small_maps_keep_text_legible() {
    let scene = common::default_scene();
    for extent in [ExtentChoice::Auto, ExtentChoice::World] {
        let opts = MapOptions {
            extent: extent.clone(),
            width_px: 800,
            height_px: 600,
            ..MapOptions::default()
        };
        let list = layout(&scene, &opts).expect("layout");
        let mut n = 0;
        for it in &list.items {
            if let infrange::render::Item::Text { text, size_px, .. } = it {
                n += 1;
                assert!(*size_px >= 9.0, "{extent:?}: {text:?} at {size_px:.1} px");
            }
        }
        assert!(n > 20, "{extent:?}: only {n} texts");
        // Nothing of the legend falls off the page.
        for it in &list.items {
            if let infrange::render::Item::Text {
                text, pos, size_px, ..
            } = it
            {
                assert!(
                    pos[1] + size_px <= 600.0 && pos[1] >= 0.0,
                    "{extent:?}: {text:?} at y {:.0}",
                    pos[1]
                );
            }
        }
    }
}

/// A scenario analysed with the embedded catalogue into the scene `infrange run` draws,
/// with cities named as `--label` would.
fn real_scene(opts: &infrange::scenario::ScenarioOptions, labels: &[&str]) -> MapScene {
    use infrange::analysis::{analyze, CityFilter};
    use infrange::{cities, layers, summary};
    let scenario = opts.resolve().expect("scenario");
    let all = cities::embedded().expect("embedded cities");
    let results = analyze(&scenario, all, CityFilter::default());
    let summary = summary::summarize(&scenario, &results).expect("summary");
    let rows: Vec<_> = results
        .iter()
        .filter(|r| r.class != infrange::bands::BandClass::Beyond)
        .collect();
    let band_layers = layers::build(&scenario, layers::DEFAULT_MAX_ERROR_M).expect("layers");
    let mut scene = infrange::render::scene::scene(&scenario, &band_layers, &summary, &rows, None)
        .expect("scene");
    let labels: Vec<String> = labels.iter().map(|s| s.to_string()).collect();
    infrange::render::scene::add_labels(&mut scene, &scenario, all, &labels).expect("labels");
    scene
}

/// The real default scenario (embedded catalogue), laid out as `infrange run` does.
fn real_default_scene(labels: &[&str]) -> MapScene {
    real_scene(&infrange::scenario::ScenarioOptions::default(), labels)
}

/// Label boxes of a laid-out map: (text, [left, top, right, bottom]).
fn label_boxes(list: &DisplayList) -> Vec<(String, [f64; 4])> {
    use infrange::render::labels::text_width_px;
    use infrange::render::Item;
    list.items
        .iter()
        .filter_map(|it| match it {
            Item::Text {
                layer: Layer::Label,
                text,
                pos,
                size_px,
                bold,
                ..
            } => {
                let w = text_width_px(text, *size_px, *bold);
                Some((text.clone(), [pos[0], pos[1], pos[0] + w, pos[1] + size_px]))
            }
            _ => None,
        })
        .collect()
}

/// On the default map every allied capital inside a band is named, and no label overlaps
/// another label, a site symbol or the frame (so none reaches the legend).
#[test]
fn default_map_names_every_capital_in_the_bands_without_overlaps() {
    use infrange::render::labels::overlaps;
    let scene = real_default_scene(&[]);
    let list = layout(&scene, &MapOptions::default()).expect("layout");
    let boxes = label_boxes(&list);
    let texts: HashSet<&str> = boxes.iter().map(|b| b.0.as_str()).collect();
    let capitals: Vec<&str> = scene
        .cities
        .iter()
        .zip(&list.city_px)
        .filter(|(c, px)| c.capital && c.band.is_some() && px.is_some())
        .map(|(c, _)| c.name.as_str())
        .collect();
    assert!(
        capitals.len() >= 27,
        "{} capitals in the bands",
        capitals.len()
    );
    let missing: Vec<&&str> = capitals.iter().filter(|c| !texts.contains(**c)).collect();
    assert!(missing.is_empty(), "capitals without a label: {missing:?}");
    let f = list.frame;
    for (i, (t, b)) in boxes.iter().enumerate() {
        assert!(
            b[0] >= f[0] && b[1] >= f[1] && b[2] <= f[2] && b[3] <= f[3],
            "{t} leaves the frame"
        );
        for (u, c) in &boxes[i + 1..] {
            assert!(!overlaps(b, c), "{t} overlaps {u}");
        }
        for p in list.site_px.iter().flatten() {
            let site = [p[0] - 8.0, p[1] - 8.0, p[0] + 8.0, p[1] + 8.0];
            assert!(!overlaps(b, &site), "{t} covers a site symbol");
        }
    }
}

/// `--label Moscow` names Moscow (not allied) on a Pershing II map from West Germany,
/// with its distance to the site.
#[test]
fn a_named_city_is_labelled_even_if_not_allied() {
    use infrange::scenario::ScenarioOptions;
    let opts = ScenarioOptions {
        site_args: vec!["Mutlangen=48.82,9.87,Pershing II".into()],
        allies: Some("nato".into()),
        ..ScenarioOptions::default()
    };
    let mut scene = real_scene(&opts, &["Moscow"]);
    let list = layout(&scene, &MapOptions::default()).expect("layout");
    let boxes = label_boxes(&list);
    assert!(
        boxes
            .iter()
            .any(|b| b.0.starts_with("Moscow · 1,") || b.0.starts_with("Moscow · 2,")),
        "{:?}",
        boxes.iter().map(|b| &b.0).collect::<Vec<_>>()
    );
    let scenario = opts.resolve().expect("scenario");
    let all = infrange::cities::embedded().expect("embedded cities");
    let err = infrange::render::scene::add_labels(&mut scene, &scenario, all, &["Qqxyz".into()]);
    assert!(err.unwrap_err().to_string().contains("--label"));
}

/// The default map's legend counts what the system reaches, draws the zone under the
/// first edge, and writes every number of four or more digits with separators.
#[test]
fn default_legend_counts_the_reach_with_grouped_numbers() {
    use infrange::render::Item;
    let scene = real_default_scene(&[]);
    let list = layout(&scene, &MapOptions::default()).expect("layout");
    let legend: Vec<&str> = list
        .items
        .iter()
        .filter_map(|it| match it {
            Item::Text {
                layer: Layer::Legend,
                text,
                ..
            } => Some(text.as_str()),
            _ => None,
        })
        .collect();
    let joined = legend.join(" ");
    let reached = scene.cities.iter().filter(|c| c.reached).count();
    let capitals = scene
        .cities
        .iter()
        .filter(|c| c.reached && c.capital)
        .count();
    assert!(reached > 1000 && capitals >= 10, "{reached} {capitals}");
    let want = format!(
        "Reached by 9M729 (2,350 km): {}",
        infrange::render::furniture::group_thousands(reached as i64)
    );
    assert!(joined.contains(&want), "{want:?} not in {joined:?}");
    assert!(joined.contains(&format!("{capitals} capitals")), "{joined}");
    assert!(joined.contains("under 500 km"), "{joined}");
    for t in &legend {
        let mut run = 0;
        for ch in t.chars() {
            run = if ch.is_ascii_digit() { run + 1 } else { 0 };
            assert!(run < 4, "ungrouped number in legend text {t:?}");
        }
    }
    // Reached cities are filled, cities only in a band are rings.
    let with_reach = list
        .items
        .iter()
        .filter(|it| matches!(it, Item::Disc { layer: Layer::City, fill, .. } if fill.a >= 1.0))
        .count();
    assert!(with_reach >= reached / 2, "{with_reach} filled dots");
}

/// On a Europe map most of the largest cities in the frame are named too, not only the
/// capitals (capitals and `--label` cities do not use up the budget for the others).
#[test]
fn europe_map_names_most_of_the_largest_cities() {
    let scene = real_default_scene(&[]);
    let opts = MapOptions {
        extent: ExtentChoice::Europe,
        ..MapOptions::default()
    };
    let list = layout(&scene, &opts).expect("layout");
    let texts: HashSet<String> = label_boxes(&list).into_iter().map(|b| b.0).collect();
    let mut drawn: Vec<&infrange::render::MapCity> = scene
        .cities
        .iter()
        .zip(&list.city_px)
        .filter(|(_, px)| px.is_some())
        .map(|(c, _)| c)
        .collect();
    drawn.sort_by_key(|c| std::cmp::Reverse(c.population));
    let top: Vec<&str> = drawn.iter().take(25).map(|c| c.name.as_str()).collect();
    let named = top.iter().filter(|n| texts.contains(**n)).count();
    assert!(named >= 18, "{named} of the 25 largest named: {top:?}");
}
