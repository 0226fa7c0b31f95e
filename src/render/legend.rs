//! The legend panel beside the map: bands (km range, city count, population), reach,
//! markers, country tints and a note on the projection.

use super::display_list::{
    band_color, city_radius_px, colors, dashes, text, Align, Item, Layer, PageLayout, Pipeline,
    Rgba, ScreenPolygon, BAND_FILL_ALPHA,
};
use super::furniture::{fmt_km, group_thousands};
use super::labels;
use super::MapScene;

/// "3.4 million", "850,000".
pub fn fmt_population(p: u64) -> String {
    if p >= 1_000_000 {
        format!("{:.1} million", p as f64 / 1e6)
    } else {
        group_thousands(i64::try_from(p).unwrap_or(i64::MAX))
    }
}

fn projection_note(family: &str) -> (String, Option<String>) {
    let name = match family {
        "laea" => "Lambert azimuthal equal-area (areas true)",
        "aeqd" => "Azimuthal equidistant (distances from the centre true; rings are circles)",
        "eqearth" => "Equal Earth (areas true)",
        "robin" => "Robinson",
        "merc" => "Mercator",
        "ortho" => "Orthographic",
        "" => "Custom projection",
        other => other,
    };
    let warning = (family == "merc").then(|| {
        "Mercator greatly enlarges areas far from the equator: range rings look \
         stretched northwards and the scale bar holds only at the map centre."
            .to_string()
    });
    (name.to_string(), warning)
}

/// Builds the legend in the page's sidebar.
pub fn legend(scene: &MapScene, pipe: &Pipeline, page: &PageLayout) -> Vec<Item> {
    let s = page.s;
    let sb = page.sidebar;
    let x0 = sb[0] + 4.0 * s;
    let width = sb[2] - x0;
    let mut y = sb[1];
    let mut items = Vec::new();
    let h1 = 17.0 * s;
    let body = 13.0 * s;
    let small = 11.5 * s;
    let line_gap = 4.0 * s;
    let sw = 30.0 * s;
    let tx = x0 + sw + 10.0 * s;
    let text_w = sb[2] - tx;
    let rect = |r: [f64; 4]| ScreenPolygon {
        exterior: vec![[r[0], r[1]], [r[0], r[3]], [r[2], r[3]], [r[2], r[1]]],
        holes: Vec::new(),
    };
    let heading = |items: &mut Vec<Item>, y: &mut f64, t: &str| {
        items.push(text(
            Layer::Legend,
            t,
            [x0, *y],
            h1,
            colors::TEXT,
            Align::Left,
            true,
            None,
        ));
        *y += h1 + 8.0 * s;
    };

    heading(&mut items, &mut y, "Range bands");
    for (i, b) in scene.bands.iter().enumerate() {
        let c = band_color(i);
        let sw_box = [x0, y + 1.0 * s, x0 + sw, y + 1.0 * s + 20.0 * s];
        items.push(Item::Fill {
            layer: Layer::Legend,
            polygons: vec![rect(sw_box)],
            color: c.alpha(BAND_FILL_ALPHA + 0.1),
        });
        items.push(Item::Stroke {
            layer: Layer::Legend,
            lines: vec![vec![
                [sw_box[0], sw_box[1]],
                [sw_box[2], sw_box[1]],
                [sw_box[2], sw_box[3]],
                [sw_box[0], sw_box[3]],
                [sw_box[0], sw_box[1]],
            ]],
            color: c.darker(0.15),
            width_px: 1.5 * s.max(0.6),
        });
        items.push(text(
            Layer::Legend,
            &b.name,
            [tx, y],
            body + 1.0 * s,
            colors::TEXT,
            Align::Left,
            true,
            None,
        ));
        y += body + 1.0 * s + line_gap;
        let detail = format!(
            "{}–{} km · {} {} · {} people",
            fmt_km(b.min_km),
            fmt_km(b.max_km),
            b.city_count,
            if b.city_count == 1 { "city" } else { "cities" },
            fmt_population(b.population)
        );
        for line in labels::wrap(&detail, small, false, text_w) {
            items.push(text(
                Layer::Legend,
                &line,
                [tx, y],
                small,
                colors::TEXT_MUTED,
                Align::Left,
                false,
                None,
            ));
            y += small + line_gap;
        }
        y += 8.0 * s;
    }

    y += 6.0 * s;
    heading(&mut items, &mut y, "Symbols");
    // Reach ring.
    let mut reach_km: Vec<f64> = scene.reach.iter().map(|r| r.range_km).collect();
    reach_km.sort_by(f64::total_cmp);
    reach_km.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    if !reach_km.is_empty() {
        let ly = y + body / 2.0;
        items.push(Item::Stroke {
            layer: Layer::Legend,
            lines: dashes(&[[x0, ly], [x0 + sw, ly]], 8.0 * s, 4.0 * s),
            color: colors::REACH,
            width_px: 1.6 * s.max(0.6),
        });
        let list: Vec<String> = reach_km.iter().map(|k| fmt_km(*k)).collect();
        let t = format!("System reach from each site ({} km)", list.join(", "));
        for line in labels::wrap(&t, body, false, text_w) {
            items.push(text(
                Layer::Legend,
                &line,
                [tx, y],
                body,
                colors::TEXT,
                Align::Left,
                false,
                None,
            ));
            y += body + line_gap;
        }
        y += 6.0 * s;
    }
    // Site marker.
    let cx = x0 + sw / 2.0;
    let cy = y + body / 2.0 + 1.0 * s;
    let r = 8.0 * s;
    items.push(Item::Fill {
        layer: Layer::Legend,
        polygons: vec![ScreenPolygon {
            exterior: vec![
                [cx, cy - r],
                [cx - r * 0.866, cy + r * 0.5],
                [cx + r * 0.866, cy + r * 0.5],
            ],
            holes: Vec::new(),
        }],
        color: Rgba::hex(0x000000),
    });
    items.push(text(
        Layer::Legend,
        "Deployment site",
        [tx, y],
        body,
        colors::TEXT,
        Align::Left,
        false,
        None,
    ));
    y += body + line_gap + 8.0 * s;
    // City sizes.
    let samples = [
        (100_000u64, "100,000"),
        (1_000_000, "1 million"),
        (5_000_000, "5 million"),
    ];
    items.push(text(
        Layer::Legend,
        "Allied city, coloured by band, sized by population:",
        [x0, y],
        body,
        colors::TEXT,
        Align::Left,
        false,
        None,
    ));
    y += body + line_gap + 4.0 * s;
    let mut sx = x0 + 8.0 * s;
    let rmax = city_radius_px(5_000_000, s);
    for (pop, label) in samples {
        let rr = city_radius_px(pop, s);
        items.push(Item::Disc {
            layer: Layer::Legend,
            center: [sx + rr, y + rmax],
            radius_px: rr,
            fill: band_color(0).darker(0.25),
            outline: Some((Rgba::hex(0xFFFFFF), 0.9 * s.max(0.6))),
        });
        items.push(text(
            Layer::Legend,
            label,
            [sx + 2.0 * rr + 5.0 * s, y + rmax - small / 2.0],
            small,
            colors::TEXT_MUTED,
            Align::Left,
            false,
            None,
        ));
        sx += 2.0 * rr + 12.0 * s + labels::text_width_px(label, small, false);
    }
    y += 2.0 * rmax + line_gap + 6.0 * s;
    items.push(Item::Disc {
        layer: Layer::Legend,
        center: [x0 + 8.0 * s + 4.0 * s, y + body / 2.0],
        radius_px: 4.0 * s,
        fill: colors::CITY_OUT,
        outline: Some((Rgba::hex(0xFFFFFF), 0.9 * s.max(0.6))),
    });
    items.push(text(
        Layer::Legend,
        "Allied city outside every band",
        [tx, y],
        body,
        colors::TEXT,
        Align::Left,
        false,
        None,
    ));
    y += body + line_gap + 10.0 * s;
    // Country tints.
    for (color, label) in [
        (
            colors::ALLIED,
            format!("Allied country ({})", scene.allied_iso_numeric.len()),
        ),
        (colors::LAND, "Other country".to_string()),
    ] {
        let b = [x0, y, x0 + sw, y + body + 2.0 * s];
        items.push(Item::Fill {
            layer: Layer::Legend,
            polygons: vec![rect(b)],
            color,
        });
        items.push(Item::Stroke {
            layer: Layer::Legend,
            lines: vec![vec![
                [b[0], b[1]],
                [b[2], b[1]],
                [b[2], b[3]],
                [b[0], b[3]],
                [b[0], b[1]],
            ]],
            color: colors::BORDER,
            width_px: 1.0,
        });
        items.push(text(
            Layer::Legend,
            &label,
            [tx, y],
            body,
            colors::TEXT,
            Align::Left,
            false,
            None,
        ));
        y += body + line_gap + 8.0 * s;
    }

    y += 6.0 * s;
    heading(&mut items, &mut y, "Projection");
    let (name, warning) = projection_note(pipe.proj.family());
    for line in labels::wrap(&name, small, false, width) {
        items.push(text(
            Layer::Legend,
            &line,
            [x0, y],
            small,
            colors::TEXT,
            Align::Left,
            false,
            None,
        ));
        y += small + line_gap;
    }
    if let Some(w) = warning {
        y += 2.0 * s;
        for line in labels::wrap(&w, small, true, width) {
            items.push(text(
                Layer::Legend,
                &line,
                [x0, y],
                small,
                Rgba::hex(0xB03A00),
                Align::Left,
                true,
                None,
            ));
            y += small + line_gap;
        }
    }
    let _ = y;
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn population_formatting() {
        assert_eq!(fmt_population(3_400_000), "3.4 million");
        assert_eq!(fmt_population(850_000), "850,000");
        assert_eq!(fmt_population(0), "0");
    }

    #[test]
    fn mercator_gets_a_warning() {
        assert!(projection_note("merc").1.is_some());
        assert!(projection_note("laea").1.is_none());
    }
}
