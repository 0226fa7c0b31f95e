//! Laying out a map: the whole lon/lat → projected → pixel pipeline for every layer
//! (basemap, graticule, bands, reach, cities, sites), then labels, legend and furniture,
//! into one [`DisplayList`].

use super::basemap::{self, Resolution};
use super::clip::{self, DomainClip, LonLat, ScreenRect};
use super::display_list::{signed_area, text, Align, DisplayList, Item, Layer, ScreenPolygon};
use super::extent;
use super::extent::ScreenTransform;
use super::labels::{self, LabelPlacer};
use super::markers::city_marker;
use super::page::{page_layout, PageLayout};
use super::projection::{self, Domain};
use super::screen::{multilinestring_lonlat, Pipeline};
use super::style::{band_color, city_radius_px, colors, dashes, Rgba, BAND_FILL_ALPHA};
use super::{furniture, legend, MapCity, MapOptions, MapScene, RenderError};

fn graticule_step(extent: [f64; 4]) -> f64 {
    let lon_span = if extent[2] >= extent[0] {
        extent[2] - extent[0]
    } else {
        extent[2] + 360.0 - extent[0]
    };
    let lat_span = extent[3] - extent[1];
    let span = lat_span.max(lon_span * 0.5);
    match span {
        s if s > 120.0 => 30.0,
        s if s > 60.0 => 15.0,
        s if s > 30.0 => 10.0,
        s if s > 12.0 => 5.0,
        _ => 2.0,
    }
}

fn fmt_lon(lon: f64) -> String {
    let l = projection::normalize_lon(lon);
    if l.abs() < 1e-9 || (l.abs() - 180.0).abs() < 1e-9 {
        format!("{}°", l.abs().round())
    } else if l > 0.0 {
        format!("{}°E", l.round())
    } else {
        format!("{}°W", (-l).round())
    }
}

fn fmt_lat(lat: f64) -> String {
    if lat.abs() < 1e-9 {
        "0°".into()
    } else if lat > 0.0 {
        format!("{}°N", lat.round())
    } else {
        format!("{}°S", (-lat).round())
    }
}

/// Builds the display list for a scene.
pub fn build(scene: &MapScene, opts: &MapOptions) -> Result<DisplayList, RenderError> {
    let (w_px, h_px) = (opts.width_px, opts.height_px);
    if !(200..=10_000).contains(&w_px) || !(200..=10_000).contains(&h_px) {
        return Err(RenderError::InvalidSize {
            width_px: w_px,
            height_px: h_px,
        });
    }
    let (w, h) = (f64::from(w_px), f64::from(h_px));

    // Projection, domain and window.
    let mut proj = projection::choose(&opts.projection, scene, &opts.extent)?;
    let mut dclip = DomainClip::new(proj.domain());
    let raw_win = extent::window(&opts.extent, scene, &proj, &dclip)?;
    let page = page_layout(
        w,
        h,
        raw_win.width() / raw_win.height(),
        scene,
        proj.family(),
    );
    let s = page.s;
    let frame = page.frame;
    let frame_aspect = (frame[2] - frame[0]) / (frame[3] - frame[1]);
    let win = raw_win.fit_aspect(frame_aspect);
    if let Domain::Cap {
        lon_deg, lat_deg, ..
    } = proj.domain()
    {
        if let Some(r) = extent::needed_cap_radius(&proj, &win, (lon_deg, lat_deg)) {
            proj.limit_cap(r + 2.0);
            dclip = DomainClip::new(proj.domain());
        }
    }
    let tf = ScreenTransform {
        window: win,
        frame,
        scale: (frame[2] - frame[0]) / win.width(),
    };
    let extent_lonlat = extent::lonlat_bounds(&proj, &dclip, &win);
    let pipe = Pipeline {
        proj,
        clip: dclip,
        tf,
    };

    let mut items: Vec<Item> = Vec::new();
    let rect_poly = |r: ScreenRect| ScreenPolygon {
        exterior: vec![[r[0], r[1]], [r[0], r[3]], [r[2], r[3]], [r[2], r[1]]],
        holes: Vec::new(),
    };
    items.push(Item::Fill {
        layer: Layer::Paper,
        polygons: vec![rect_poly([0.0, 0.0, w, h])],
        color: colors::PAPER,
    });
    items.push(Item::Fill {
        layer: Layer::FrameBackground,
        polygons: vec![rect_poly(frame)],
        color: colors::OUTSIDE,
    });

    // Sea: the domain outline, projected.
    let outline = extent::domain_outline(pipe.proj.domain());
    let sea_ring: Vec<[f64; 2]> = outline
        .iter()
        .filter_map(|&(lon, lat)| pipe.proj.forward(lon, lat))
        .map(|(x, y)| tf.to_px(x, y))
        .collect();
    let mut sea = clip::clip_ring_to_rect(&sea_ring, frame);
    if signed_area(&sea) < 0.0 {
        sea.reverse();
    }
    if sea.len() >= 3 {
        items.push(Item::Fill {
            layer: Layer::Sea,
            polygons: vec![ScreenPolygon {
                exterior: sea,
                holes: Vec::new(),
            }],
            color: colors::SEA,
        });
    }

    // Countries.
    let world_like = matches!(pipe.proj.domain(), Domain::Global { .. })
        && (extent_lonlat[3] - extent_lonlat[1]) > 100.0;
    let res = if world_like {
        Resolution::Coarse110m
    } else {
        Resolution::Medium50m
    };
    let countries = basemap::countries(res)?;
    let mut allied = Vec::new();
    let mut others = Vec::new();
    let mut borders: Vec<Vec<LonLat>> = Vec::new();
    for c in countries {
        let polys = pipe.polygons(&c.area);
        let is_allied = c
            .iso_numeric
            .is_some_and(|id| scene.allied_iso_numeric.contains(&id));
        if is_allied {
            allied.extend(polys);
        } else {
            others.extend(polys);
        }
        for p in &c.area.0 {
            for ring in std::iter::once(p.exterior()).chain(p.interiors()) {
                let pts: Vec<LonLat> = ring.0.iter().map(|c| (c.x, c.y)).collect();
                borders.extend(clip::strokable_parts(&pts));
            }
        }
    }
    items.push(Item::Fill {
        layer: Layer::Land,
        polygons: others,
        color: colors::LAND,
    });
    items.push(Item::Fill {
        layer: Layer::AlliedLand,
        polygons: allied,
        color: colors::ALLIED,
    });
    // Coasts and borders go over the band fills (below), so they stay crisp inside a band
    // and sea and land stay apart under the tint.
    let borders_item = Item::Stroke {
        layer: Layer::Border,
        lines: pipe.lines(&borders),
        color: colors::BORDER,
        width_px: 0.7 * s.max(0.6),
    };

    // Graticule.
    let step = graticule_step(extent_lonlat);
    let mut meridians: Vec<(f64, Vec<LonLat>)> = Vec::new();
    let mut parallels: Vec<(f64, Vec<LonLat>)> = Vec::new();
    let n_lon = (360.0 / step).round() as i32;
    for i in 0..n_lon {
        let lon = -180.0 + f64::from(i) * step;
        let lat_lim = if (lon.rem_euclid(90.0)).abs() < 1e-9 {
            90.0
        } else {
            80.0
        };
        meridians.push((lon, clip::densify(&[(lon, -lat_lim), (lon, lat_lim)], 0.5)));
    }
    let n_lat = (80.0 / step).floor() as i32;
    for j in -n_lat..=n_lat {
        let lat = f64::from(j) * step;
        parallels.push((lat, clip::densify(&[(-180.0, lat), (180.0, lat)], 0.5)));
    }
    let mut grat_lines = Vec::new();
    let mut grat_labels: Vec<(String, [f64; 2], char)> = Vec::new();
    let near = |u: f64, v: f64| (u - v).abs() < 0.5;
    // On world maps lines end on the globe's outline, not on the frame: label
    // parallels at their western end and meridians at their southern end.
    let global = matches!(pipe.proj.domain(), projection::Domain::Global { .. });
    for (is_meridian, set) in [(true, &meridians), (false, &parallels)] {
        for (value, line) in set {
            let pieces = pipe.lines(std::slice::from_ref(line));
            // On a world map a line is labelled once, where it meets the globe's outline:
            // a parallel at its westernmost end, a meridian at its southernmost. Pieces
            // may end mid-map where a line is split at ±180°; those ends get no label.
            let ends = pieces.iter().flat_map(|p| [p[0], p[p.len() - 1]]);
            let west = ends.clone().min_by(|a, b| a[0].total_cmp(&b[0]));
            let south = ends.max_by(|a, b| a[1].total_cmp(&b[1]));
            for piece in &pieces {
                let (first, last) = (piece[0], piece[piece.len() - 1]);
                for end in [first, last] {
                    let outline_edge = match (global, is_meridian) {
                        (true, false) if Some(end) == west => Some('r'),
                        (true, true) if Some(end) == south => Some('t'),
                        _ => None,
                    };
                    let frame_edge = if near(end[1], frame[3]) {
                        Some('b')
                    } else if near(end[1], frame[1]) {
                        Some('t')
                    } else if near(end[0], frame[0]) {
                        Some('l')
                    } else if near(end[0], frame[2]) {
                        Some('r')
                    } else {
                        None
                    };
                    let (edge, wanted) = match frame_edge {
                        Some(e @ ('b' | 't')) => (Some(e), is_meridian),
                        Some(e) => (Some(e), !is_meridian),
                        None => (outline_edge, outline_edge.is_some()),
                    };
                    if let (true, Some(e)) = (wanted, edge) {
                        let label = if is_meridian {
                            fmt_lon(*value)
                        } else {
                            fmt_lat(*value)
                        };
                        grat_labels.push((label, end, e));
                    }
                }
            }
            grat_lines.extend(pieces);
        }
    }
    items.push(Item::Stroke {
        layer: Layer::Graticule,
        lines: grat_lines,
        color: colors::GRATICULE.alpha(0.35),
        width_px: 0.6 * s.max(0.6),
    });

    // The zone under the first edge, then the bands: fills, then their true outlines.
    if let Some(zone) = &scene.below {
        items.push(Item::Fill {
            layer: Layer::BelowFill,
            polygons: pipe.polygons(&zone.area),
            color: colors::BELOW_ZONE.alpha(BAND_FILL_ALPHA),
        });
    }
    for (i, band) in scene.bands.iter().enumerate() {
        items.push(Item::Fill {
            layer: Layer::BandFill(i),
            polygons: pipe.polygons(&band.area),
            color: band_color(i).alpha(BAND_FILL_ALPHA),
        });
    }
    items.push(borders_item);
    if let Some(zone) = &scene.below {
        items.push(Item::Stroke {
            layer: Layer::BelowOutline,
            lines: pipe.lines(&multilinestring_lonlat(&zone.outline)),
            color: colors::BELOW_ZONE.darker(0.15),
            width_px: 1.5 * s.max(0.6),
        });
    }
    for (i, band) in scene.bands.iter().enumerate() {
        items.push(Item::Stroke {
            layer: Layer::BandOutline(i),
            lines: pipe.lines(&multilinestring_lonlat(&band.outline)),
            color: band_color(i).darker(0.15),
            width_px: 1.5 * s.max(0.6),
        });
    }
    // Reach rings, dashed.
    let mut reach_dashes = Vec::new();
    for r in &scene.reach {
        for l in pipe.lines(&multilinestring_lonlat(&r.outline)) {
            reach_dashes.extend(dashes(&l, 11.0 * s, 6.0 * s));
        }
    }
    items.push(Item::Stroke {
        layer: Layer::Reach,
        lines: reach_dashes,
        color: colors::REACH,
        width_px: 1.6 * s.max(0.6),
    });

    // Cities (largest first so small markers stay visible on top).
    let city_px: Vec<Option<[f64; 2]>> = scene
        .cities
        .iter()
        .map(|c| pipe.point_in_frame((c.lon_deg, c.lat_deg)))
        .collect();
    let mut order: Vec<usize> = (0..scene.cities.len()).collect();
    order.sort_by(|&a, &b| scene.cities[b].population.cmp(&scene.cities[a].population));
    for &i in &order {
        let c = &scene.cities[i];
        if let Some(p) = city_px[i] {
            items.push(city_marker(c, p, s, !scene.reach.is_empty()));
        }
    }
    // Sites.
    let site_px: Vec<Option<[f64; 2]>> = scene
        .sites
        .iter()
        .map(|st| pipe.point_in_frame((st.lon_deg, st.lat_deg)))
        .collect();
    // Many sites: smaller markers, so that they do not hide the zones they stand in.
    let tri = if scene.sites.len() > super::MANY_SITES {
        5.0 * s
    } else {
        9.0 * s
    };
    for p in site_px.iter().flatten() {
        let mk = |r: f64| ScreenPolygon {
            exterior: vec![
                [p[0], p[1] - r],
                [p[0] - r * 0.866, p[1] + r * 0.5],
                [p[0] + r * 0.866, p[1] + r * 0.5],
            ],
            holes: Vec::new(),
        };
        items.push(Item::Fill {
            layer: Layer::Site,
            polygons: vec![mk(tri + tri * 0.28)],
            color: Rgba::hex(0xFFFFFF),
        });
        items.push(Item::Fill {
            layer: Layer::Site,
            polygons: vec![mk(tri)],
            color: Rgba::hex(0x000000),
        });
    }

    // Furniture inside the frame (reserved before labels).
    let mut placer = LabelPlacer::new(frame, 3.0 * s);
    let km_per_px = pipe.km_per_px_at([(frame[0] + frame[2]) / 2.0, (frame[1] + frame[3]) / 2.0]);
    let furn = furniture::map_furniture(&pipe, &page, km_per_px, &mut placer);
    items.extend(furn);

    // Labels.
    items.extend(place_labels(
        scene,
        &pipe,
        &page,
        &site_px,
        &city_px,
        &grat_labels,
        &mut placer,
    ));

    // Frame line, header, legend, footer.
    items.push(Item::Stroke {
        layer: Layer::Furniture,
        lines: vec![vec![
            [frame[0], frame[1]],
            [frame[2], frame[1]],
            [frame[2], frame[3]],
            [frame[0], frame[3]],
            [frame[0], frame[1]],
        ]],
        color: Rgba::hex(0x4A4A4A),
        width_px: 1.0,
    });
    items.extend(furniture::header_footer(scene, &pipe, &page, w, h));
    items.extend(legend::legend(scene, pipe.proj.family(), page.legend, s));

    Ok(DisplayList {
        width_px: w_px,
        height_px: h_px,
        frame,
        items,
        projection: pipe.proj.definition().to_string(),
        extent_lonlat,
        site_px,
        city_px,
        px_per_km_at_centre: km_per_px.map_or(0.0, |k| 1.0 / k),
        transform: tf,
        crs_wkt: pipe.proj.crs_wkt(),
    })
}

/// The screen direction from the centroid of the other sites within `radius_px` of `p`
/// towards `p` (where a label leaves a cluster), or `None` when no site is that near.
fn away_from_neighbours(
    p: [f64; 2],
    site_px: &[Option<[f64; 2]>],
    radius_px: f64,
) -> Option<[f64; 2]> {
    let near: Vec<[f64; 2]> = site_px
        .iter()
        .flatten()
        .filter(|q| {
            let d = (q[0] - p[0]).hypot(q[1] - p[1]);
            d > 0.0 && d <= radius_px
        })
        .copied()
        .collect();
    if near.is_empty() {
        return None;
    }
    let n = near.len() as f64;
    let c = [
        near.iter().map(|q| q[0]).sum::<f64>() / n,
        near.iter().map(|q| q[1]).sum::<f64>() / n,
    ];
    let d = [p[0] - c[0], p[1] - c[1]];
    (d[0].hypot(d[1]) > 1e-9).then_some(d)
}

/// Site labels, then capitals, then the largest cities, then graticule degrees.
fn place_labels(
    scene: &MapScene,
    _pipe: &Pipeline,
    page: &PageLayout,
    site_px: &[Option<[f64; 2]>],
    city_px: &[Option<[f64; 2]>],
    grat_labels: &[(String, [f64; 2], char)],
    placer: &mut LabelPlacer,
) -> Vec<Item> {
    let s = page.s;
    let halo = Some(Rgba::hex(0xFFFFFF).alpha(0.85));
    let mut items = Vec::new();
    // Markers are obstacles.
    for p in site_px.iter().flatten() {
        let r = 10.0 * s;
        placer.reserve([p[0] - r, p[1] - r, p[0] + r, p[1] + r]);
    }
    // City labels, in priority: cities named with `--label`, capitals inside a band, other
    // cities inside a band by population, then the rest by population. The dots of the
    // cities likely to be labelled are obstacles from the start, so no label hides them;
    // small dots under a label stay visible through its halo.
    let in_zone = |c: &MapCity| c.band.is_some() || c.below;
    let rank = |c: &MapCity| (!c.forced_label, !(c.capital && in_zone(c)), !in_zone(c));
    let mut order: Vec<usize> = (0..scene.cities.len())
        .filter(|&i| city_px[i].is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (&scene.cities[a], &scene.cities[b]);
        rank(ca)
            .cmp(&rank(cb))
            .then(cb.population.cmp(&ca.population))
            .then(ca.name.cmp(&cb.name))
    });
    let max_labels = ((page.frame[2] - page.frame[0]) * (page.frame[3] - page.frame[1])
        / (150.0 * 150.0 * s * s)) as usize;
    let max_labels = max_labels.max(10);
    let dot_box = |i: usize| {
        let (p, r) = (city_px[i]?, city_radius_px(scene.cities[i].population, s));
        Some([p[0] - r, p[1] - r, p[0] + r, p[1] + r])
    };
    let must = |c: &MapCity| c.forced_label || (c.capital && in_zone(c));
    for &i in &order {
        if must(&scene.cities[i]) {
            if let Some(b) = dot_box(i) {
                placer.reserve(b);
            }
        }
    }
    // Site names are always drawn: after the capitals and the cities named with `--label`
    // (so each of those stays beside its own dot), before every other city. Beside the
    // marker if there is room; else, in a cluster of sites (West Germany in 1987), farther
    // out on the side away from the neighbouring sites, tied to the marker by a leader
    // line; where even that is taken, the first position beside the marker is used anyway.
    let place_sites = |placer: &mut LabelPlacer, items: &mut Vec<Item>| {
        let site_size = 15.0 * s;
        let site_r = 9.0 * s;
        for (i, st) in scene.sites.iter().enumerate() {
            if let Some(p) = site_px[i] {
                let w = labels::text_width_px(&st.name, site_size, true);
                let near = labels::candidates_around(p, site_r, w, site_size);
                let (b, leader) = match placer.place(&near) {
                    Some(k) => (near[k], k >= 8),
                    None => {
                        let far = labels::candidates_on_rings(
                            p,
                            site_r,
                            w,
                            site_size,
                            &[1.5, 3.0, 4.5, 6.0, 8.0, 10.0],
                            away_from_neighbours(p, site_px, 12.0 * site_size),
                        );
                        match placer.place(&far) {
                            Some(k) => (far[k], true),
                            None => {
                                placer.reserve(near[0]);
                                (near[0], false)
                            }
                        }
                    }
                };
                if leader {
                    items.push(Item::Stroke {
                        layer: Layer::Label,
                        lines: vec![labels::leader_line(p, site_r, &b)],
                        color: colors::TEXT,
                        width_px: 1.0 * s,
                    });
                }
                items.push(text(
                    Layer::Label,
                    &st.name,
                    [b[0], b[1]],
                    site_size,
                    colors::TEXT,
                    Align::Left,
                    true,
                    halo,
                ));
            }
        }
    };
    let mut placed = 0;
    let mut sites_placed = false;
    for &i in &order {
        let c = &scene.cities[i];
        let must = must(c);
        if !must && !sites_placed {
            if scene.sites.len() <= super::MANY_SITES {
                place_sites(placer, &mut items);
            }
            sites_placed = true;
        }
        if placed >= max_labels && !must {
            break;
        }
        let Some(p) = city_px[i] else { continue };
        let size = if c.capital || c.forced_label {
            13.0 * s
        } else {
            12.0 * s
        };
        let bold = c.capital || c.forced_label;
        let w = labels::text_width_px(&c.name, size, bold);
        let r = city_radius_px(c.population, s);
        let near = labels::candidates_around(p, r, w, size);
        let (b, leader) = match placer.place(&near) {
            // The second, wider ring of candidates is far enough to need a leader.
            Some(k) => (near[k], k >= 8),
            None if must => {
                // Displaced: farther out, tied to the dot by a leader line.
                let far = labels::candidates_displaced(p, r, w, size);
                match placer.place(&far) {
                    Some(k) => (far[k], true),
                    None => continue,
                }
            }
            None => continue,
        };
        if !must {
            if let Some(d) = dot_box(i) {
                placer.reserve(d);
            }
        }
        if leader {
            items.push(Item::Stroke {
                layer: Layer::Label,
                lines: vec![labels::leader_line(p, r, &b)],
                color: colors::TEXT_MUTED,
                width_px: 0.9 * s,
            });
        }
        items.push(text(
            Layer::Label,
            &c.name,
            [b[0], b[1]],
            size,
            colors::TEXT,
            Align::Left,
            bold,
            halo,
        ));
        // Capitals and named cities come on top of the budget for the largest cities.
        if !must {
            placed += 1;
        }
    }
    if !sites_placed && scene.sites.len() <= super::MANY_SITES {
        place_sites(placer, &mut items);
    }
    let gsize = 11.0 * s;
    for (label, p, edge) in grat_labels {
        let w = labels::text_width_px(label, gsize, false);
        let pad = 3.0 * s;
        let at = |e: char| match e {
            'b' => [
                p[0] - w / 2.0,
                p[1] - gsize - pad,
                p[0] + w / 2.0,
                p[1] - pad,
            ],
            't' => [
                p[0] - w / 2.0,
                p[1] + pad,
                p[0] + w / 2.0,
                p[1] + pad + gsize,
            ],
            'l' => [
                p[0] + pad,
                p[1] - gsize / 2.0,
                p[0] + pad + w,
                p[1] + gsize / 2.0,
            ],
            _ => [
                p[0] - pad - w,
                p[1] - gsize / 2.0,
                p[0] - pad,
                p[1] + gsize / 2.0,
            ],
        };
        // Outside the line's end first; where the frame leaves no room there (a globe
        // that meets the frame), inside it.
        let opposite = match edge {
            'b' => 't',
            't' => 'b',
            'l' => 'r',
            _ => 'l',
        };
        let cands = [at(*edge), at(opposite)];
        if let Some(k) = placer.place(&cands) {
            let b = cands[k];
            items.push(text(
                Layer::Label,
                label,
                [b[0], b[1]],
                gsize,
                colors::GRATICULE,
                Align::Left,
                false,
                Some(colors::OUTSIDE.alpha(0.7)),
            ));
        }
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn degree_labels() {
        assert_eq!(fmt_lon(30.0), "30°E");
        assert_eq!(fmt_lon(-150.0), "150°W");
        assert_eq!(fmt_lon(180.0), "180°");
        assert_eq!(fmt_lat(-20.0), "20°S");
    }

    #[test]
    fn bad_size_is_an_error() {
        let opts = MapOptions {
            width_px: 10,
            ..MapOptions::default()
        };
        assert!(matches!(
            build(&MapScene::default(), &opts),
            Err(RenderError::InvalidSize { .. })
        ));
    }
}
