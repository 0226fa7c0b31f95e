//! Map furniture: scale bar, north arrow, title, subtitle, attribution.

use geo::{Destination, Geodesic, Point};

use super::display_list::{text, Align, Item, Layer, ScreenPolygon};
use super::labels::{self, LabelPlacer};
use super::page::PageLayout;
use super::screen::Pipeline;
use super::style::{colors, Rgba};
use super::MapScene;

/// Credit that must always appear (Natural Earth's requested wording).
pub const NATURAL_EARTH_CREDIT: &str = "Made with Natural Earth";

/// A "nice" scale-bar length (1, 2 or 5 × 10^k km) not longer than `max_km`.
pub fn nice_length_km(max_km: f64) -> f64 {
    if max_km <= 0.0 || !max_km.is_finite() {
        return 0.0;
    }
    let p = 10f64.powf(max_km.log10().floor());
    for m in [5.0, 2.0, 1.0] {
        if m * p <= max_km {
            return m * p;
        }
    }
    p
}

/// Formats kilometres for people: `2,350` (see [`crate::numbers::format_km_grouped`]).
pub fn fmt_km(km: f64) -> String {
    crate::numbers::format_km_grouped(km)
}

pub use crate::numbers::group_thousands;

fn rect(r: [f64; 4]) -> ScreenPolygon {
    ScreenPolygon {
        exterior: vec![[r[0], r[1]], [r[0], r[3]], [r[2], r[3]], [r[2], r[1]]],
        holes: Vec::new(),
    }
}

/// Screen angle of north at pixel `p`, radians clockwise from screen-up; `None` if unknown.
pub fn north_angle_at(pipe: &Pipeline, p: [f64; 2]) -> Option<f64> {
    let (x, y) = pipe.tf.from_px(p);
    let (lon, lat) = pipe.proj.inverse(x, y)?;
    if lat > 89.0 {
        return None;
    }
    let q = Geodesic.destination(Point::new(lon, lat), 0.0, 10_000.0);
    let (qx, qy) = pipe.proj.forward(q.x(), q.y())?;
    let a = pipe.tf.to_px(x, y);
    let b = pipe.tf.to_px(qx, qy);
    let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
    Some(dx.atan2(-dy))
}

/// Scale bar (true at the frame centre) and, where north is not up there, a north arrow.
pub fn map_furniture(
    pipe: &Pipeline,
    page: &PageLayout,
    km_per_px: Option<f64>,
    placer: &mut LabelPlacer,
) -> Vec<Item> {
    let s = page.s;
    let f = page.frame;
    let mut items = Vec::new();
    if let Some(kpp) = km_per_px {
        let max_px = (f[2] - f[0]) * 0.22;
        let len_km = nice_length_km(max_px * kpp);
        let len_px = len_km / kpp;
        if len_km > 0.0 && len_px > 20.0 {
            let x0 = f[0] + 18.0 * s;
            let y0 = f[3] - 30.0 * s;
            let bar_h = 6.0 * s;
            let size = 12.0 * s;
            let end_label = format!("{} km", fmt_km(len_km));
            let end_w = labels::text_width_px(&end_label, size, false);
            let panel = [
                x0 - 10.0 * s,
                y0 - size - 30.0 * s,
                x0 + len_px + end_w / 2.0 + 12.0 * s,
                f[3] - 8.0 * s,
            ];
            items.push(Item::Fill {
                layer: Layer::Furniture,
                polygons: vec![rect(panel)],
                color: Rgba::hex(0xFFFFFF).alpha(0.82),
            });
            placer.reserve(panel);
            let segs = 4;
            for i in 0..segs {
                let a = x0 + len_px * f64::from(i) / f64::from(segs);
                let b = x0 + len_px * f64::from(i + 1) / f64::from(segs);
                items.push(Item::Fill {
                    layer: Layer::Furniture,
                    polygons: vec![rect([a, y0, b, y0 + bar_h])],
                    color: if i % 2 == 0 {
                        Rgba::hex(0x222222)
                    } else {
                        Rgba::hex(0xFFFFFF)
                    },
                });
            }
            items.push(Item::Stroke {
                layer: Layer::Furniture,
                lines: vec![vec![
                    [x0, y0],
                    [x0 + len_px, y0],
                    [x0 + len_px, y0 + bar_h],
                    [x0, y0 + bar_h],
                    [x0, y0],
                ]],
                color: Rgba::hex(0x222222),
                width_px: 1.0,
            });
            let ty = y0 - size - 3.0 * s;
            items.push(text(
                Layer::Furniture,
                "0",
                [x0, ty],
                size,
                colors::TEXT,
                Align::Center,
                false,
                None,
            ));
            items.push(text(
                Layer::Furniture,
                &fmt_km(len_km / 2.0),
                [x0 + len_px / 2.0, ty],
                size,
                colors::TEXT,
                Align::Center,
                false,
                None,
            ));
            items.push(text(
                Layer::Furniture,
                &end_label,
                [x0 + len_px, ty],
                size,
                colors::TEXT,
                Align::Center,
                false,
                None,
            ));
            items.push(text(
                Layer::Furniture,
                "Scale true at map centre",
                [x0, y0 + bar_h + 3.0 * s],
                10.5 * s,
                colors::TEXT_MUTED,
                Align::Left,
                false,
                None,
            ));
        }
    }
    let centre = [(f[0] + f[2]) / 2.0, (f[1] + f[3]) / 2.0];
    if let Some(angle) = north_angle_at(pipe, centre) {
        if angle.abs().to_degrees() > 1.0 {
            let c = [f[2] - 40.0 * s, f[1] + 52.0 * s];
            let r = 22.0 * s;
            let rot = |dx: f64, dy: f64| {
                let (sn, cs) = angle.sin_cos();
                [c[0] + dx * cs - dy * sn, c[1] + dx * sn + dy * cs]
            };
            let panel = [
                c[0] - 30.0 * s,
                c[1] - 44.0 * s,
                c[0] + 30.0 * s,
                c[1] + 30.0 * s,
            ];
            placer.reserve(panel);
            items.push(Item::Disc {
                layer: Layer::Furniture,
                center: c,
                radius_px: r + 6.0 * s,
                fill: Rgba::hex(0xFFFFFF).alpha(0.82),
                outline: Some((Rgba::hex(0x888888), 0.8)),
            });
            items.push(Item::Fill {
                layer: Layer::Furniture,
                polygons: vec![ScreenPolygon {
                    exterior: vec![rot(0.0, -r), rot(-r * 0.38, r * 0.55), rot(0.0, r * 0.25)],
                    holes: Vec::new(),
                }],
                color: Rgba::hex(0x222222),
            });
            items.push(Item::Fill {
                layer: Layer::Furniture,
                polygons: vec![ScreenPolygon {
                    exterior: vec![rot(0.0, -r), rot(0.0, r * 0.25), rot(r * 0.38, r * 0.55)],
                    holes: Vec::new(),
                }],
                color: Rgba::hex(0x9A9A9A),
            });
            let n = rot(0.0, -r - 11.0 * s);
            let size = 13.0 * s;
            items.push(text(
                Layer::Furniture,
                "N",
                [n[0], n[1] - size / 2.0],
                size,
                colors::TEXT,
                Align::Center,
                true,
                Some(Rgba::hex(0xFFFFFF)),
            ));
        }
    }
    items
}

/// Title and subtitle above the map; attribution and projection in the footer.
pub fn header_footer(
    scene: &MapScene,
    pipe: &Pipeline,
    page: &PageLayout,
    w: f64,
    h: f64,
) -> Vec<Item> {
    let s = page.s;
    let left = page.margin;
    let mut items = Vec::new();
    let head = &page.header;
    let mut y = head.top;
    for line in &head.title {
        items.push(text(
            Layer::Furniture,
            line,
            [left, y],
            head.title_size,
            colors::TEXT,
            Align::Left,
            true,
            None,
        ));
        y += head.title_size * head.leading;
    }
    y += head.gap;
    for line in &head.subtitle {
        items.push(text(
            Layer::Furniture,
            line,
            [left, y],
            head.sub_size,
            colors::TEXT_MUTED,
            Align::Left,
            false,
            None,
        ));
        y += head.sub_size * head.leading;
    }
    let mut attribution = scene.attribution.trim().to_string();
    if !attribution.contains("Natural Earth") {
        if !attribution.is_empty() {
            attribution.push_str(" · ");
        }
        attribution.push_str(NATURAL_EARTH_CREDIT);
    }
    let size = 12.5 * s;
    let y = page.footer_top + (h - page.footer_top - size) / 2.0;
    items.push(text(
        Layer::Furniture,
        &attribution,
        [left, y],
        size,
        colors::TEXT_MUTED,
        Align::Left,
        false,
        None,
    ));
    let mut proj_text = format!("Projection: {}", pipe.proj.definition());
    let room = w - left - labels::text_width_px(&attribution, size, false) - 3.0 * left;
    let small = 10.5 * s;
    while labels::text_width_px(&proj_text, small, false) > room && proj_text.chars().count() > 12 {
        let keep: String = proj_text
            .chars()
            .take(proj_text.chars().count() - 5)
            .collect();
        proj_text = format!("{}…", keep.trim_end_matches('…'));
    }
    items.push(text(
        Layer::Furniture,
        &proj_text,
        [w - left * 0.5, y + (size - small) / 2.0],
        small,
        colors::TEXT_MUTED,
        Align::Right,
        false,
        None,
    ));
    items
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nice_lengths() {
        assert_eq!(nice_length_km(740.0), 500.0);
        assert_eq!(nice_length_km(1999.0), 1000.0);
        assert_eq!(nice_length_km(2000.0), 2000.0);
        assert_eq!(nice_length_km(0.0), 0.0);
    }

    #[test]
    fn thousands() {
        assert_eq!(fmt_km(2350.0), "2,350");
        assert_eq!(group_thousands(1_234_567), "1,234,567");
        assert_eq!(group_thousands(-999), "-999");
    }
}
