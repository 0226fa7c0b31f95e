//! The legend: bands (km range, city count, population), reach, markers, country tints and
//! a note on the projection — stacked in a sidebar beside the map, or in three columns
//! under it when the map is wide (world maps), so the map frame takes the page.

use super::clip::ScreenRect;
use super::display_list::{text, Align, Item, Layer, ScreenPolygon};
use super::furniture::fmt_km;
use super::labels;
use super::markers;
use super::style::{band_color, city_radius_px, colors, dashes, Rgba, BAND_FILL_ALPHA};
use super::{BandLayer, MapCity, MapScene, ReachCount};
use crate::numbers::group_count;

/// "3.4 million", "850,000".
pub fn fmt_population(p: u64) -> String {
    if p >= 1_000_000 {
        format!("{:.1} million", p as f64 / 1e6)
    } else {
        group_count(p)
    }
}

/// The projection's name for people (with what it keeps true) and, for Mercator, a
/// warning about its distortion.
pub fn projection_note(family: &str) -> (String, Option<String>) {
    let name = match family {
        "laea" => "Lambert azimuthal equal-area (areas true)",
        "aeqd" => "Azimuthal equidistant (distances and directions from the map centre are true)",
        "eqearth" => "Equal Earth (areas true)",
        "robin" => "Robinson",
        "merc" => "Mercator",
        "ortho" => "Orthographic",
        "stere" | "sterea" | "ups" => "Stereographic (angles true)",
        "lcc" => "Lambert conformal conic",
        "tmerc" | "utm" => "Transverse Mercator",
        "gnom" => "Gnomonic (great circles are straight lines)",
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

/// A band's legend line: "1,000–5,500 km · 6,228 cities · 397.7 million people".
pub fn band_detail(b: &BandLayer) -> String {
    format!(
        "{}–{} km · {} {} · {} people",
        fmt_km(b.min_km),
        fmt_km(b.max_km),
        group_count(b.city_count as u64),
        if b.city_count == 1 { "city" } else { "cities" },
        fmt_population(b.population)
    )
}

/// A system's reach line: "Reached by 9M729 (2,350 km): 2,833 cities, 18 capitals".
pub fn reach_entry(rc: &ReachCount) -> String {
    format!(
        "Reached by {}: {} {}, {} {}",
        rc.label,
        group_count(rc.cities as u64),
        if rc.cities == 1 { "city" } else { "cities" },
        rc.capitals,
        if rc.capitals == 1 {
            "capital"
        } else {
            "capitals"
        }
    )
}

/// The reach ring's legend line, "System reach from each site (2,350 km)"; `None` without
/// reach rings.
pub fn reach_ring_entry(scene: &MapScene) -> Option<String> {
    let mut reach_km: Vec<f64> = scene.reach.iter().map(|r| r.range_km).collect();
    reach_km.sort_by(f64::total_cmp);
    reach_km.dedup_by(|a, b| (*a - *b).abs() < 0.5);
    if reach_km.is_empty() {
        return None;
    }
    let list: Vec<String> = reach_km.iter().map(|k| fmt_km(*k)).collect();
    let what = if scene.sites.len() > super::MANY_SITES {
        "System reach from any site"
    } else {
        "System reach from each site"
    };
    Some(format!("{what} ({} km)", list.join(", ")))
}

/// The site marker's legend line: "Deployment site", or with more than
/// [`super::MANY_SITES`] sites, how many and that they are not named.
pub fn site_entry(scene: &MapScene) -> String {
    if scene.sites.len() > super::MANY_SITES {
        format!(
            "Deployment sites ({}, not named)",
            crate::numbers::group_count(scene.sites.len() as u64)
        )
    } else {
        "Deployment site".to_owned()
    }
}

/// Where the legend goes: stacked in a sidebar right of the map, or in columns under it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum LegendBox {
    /// One column, sections stacked, in `[left, top, right, bottom]` pixels.
    Sidebar(ScreenRect),
    /// Sections side by side in equal columns across `[left, top, right, bottom]` pixels.
    Row(ScreenRect),
}

/// Builds the legend in `place`, at size factor `s`, for a map in projection `family`.
pub fn legend(scene: &MapScene, family: &str, place: LegendBox, s: f64) -> Vec<Item> {
    let mut w = Writer {
        items: Vec::new(),
        s,
        h1: 17.0 * s,
        body: 13.0 * s,
        small: 11.5 * s,
        line_gap: 4.0 * s,
        sw: 30.0 * s,
    };
    match place {
        LegendBox::Sidebar(b) => {
            let col = Column::new(b[0] + 4.0 * s, b[2], s);
            let mut y = b[1];
            y = w.bands(scene, col, y);
            y = w.symbols(scene, col, y + 6.0 * s);
            // On a small page the projection's name may not fit under the rest; the
            // footer names the projection anyway. Mercator's warning is always kept.
            let n = w.items.len();
            let bottom = w.projection(family, col, y + 6.0 * s);
            if bottom > b[3] && family != "merc" {
                w.items.truncate(n);
            }
        }
        LegendBox::Row(b) => {
            let gap = 24.0 * s;
            let cw = (b[2] - b[0] - 2.0 * gap) / 3.0;
            let col = |k: f64| {
                let x = b[0] + k * (cw + gap);
                Column::new(x, x + cw, s)
            };
            w.bands(scene, col(0.0), b[1]);
            w.symbols(scene, col(1.0), b[1]);
            w.projection(family, col(2.0), b[1]);
        }
    }
    w.items
}

/// Height in pixels the legend takes in `place` (from its top to its lowest item).
pub fn legend_height(scene: &MapScene, family: &str, place: LegendBox, s: f64) -> f64 {
    let top = match place {
        LegendBox::Sidebar(b) | LegendBox::Row(b) => b[1],
    };
    let bottom = legend(scene, family, place, s)
        .iter()
        .map(|it| match it {
            Item::Text { pos, size_px, .. } => pos[1] + size_px,
            Item::Disc {
                center, radius_px, ..
            } => center[1] + radius_px,
            Item::Fill { polygons, .. } => polygons
                .iter()
                .flat_map(|p| p.exterior.iter().map(|q| q[1]))
                .fold(top, f64::max),
            Item::Stroke { lines, .. } => lines.iter().flatten().map(|q| q[1]).fold(top, f64::max),
        })
        .fold(top, f64::max);
    bottom - top
}

/// One column of the legend: swatch at `x0`, text from `tx`, wrapping at `right`.
#[derive(Debug, Clone, Copy)]
struct Column {
    x0: f64,
    tx: f64,
    right: f64,
}

impl Column {
    fn new(x0: f64, right: f64, s: f64) -> Self {
        Self {
            x0,
            tx: x0 + 40.0 * s,
            right,
        }
    }
    fn width(&self) -> f64 {
        self.right - self.x0
    }
    fn text_w(&self) -> f64 {
        self.right - self.tx
    }
}

struct Writer {
    items: Vec<Item>,
    s: f64,
    h1: f64,
    body: f64,
    small: f64,
    line_gap: f64,
    sw: f64,
}

fn rect(r: [f64; 4]) -> ScreenPolygon {
    ScreenPolygon {
        exterior: vec![[r[0], r[1]], [r[0], r[3]], [r[2], r[3]], [r[2], r[1]]],
        holes: Vec::new(),
    }
}

fn outline(b: [f64; 4]) -> Vec<Vec<[f64; 2]>> {
    vec![vec![
        [b[0], b[1]],
        [b[2], b[1]],
        [b[2], b[3]],
        [b[0], b[3]],
        [b[0], b[1]],
    ]]
}

/// A legend sample of a city marker as the map draws it ([`markers::city_marker`]).
fn sample(p: [f64; 2], s: f64, population: u64, band: Option<usize>, reached: bool) -> Item {
    let c = MapCity {
        name: String::new(),
        lon_deg: 0.0,
        lat_deg: 0.0,
        population,
        band,
        below: false,
        capital: false,
        reached,
        forced_label: false,
    };
    let mut it = markers::city_marker(&c, p, s, true);
    if let Item::Disc { layer, .. } = &mut it {
        *layer = Layer::Legend;
    }
    it
}

impl Writer {
    fn say(&mut self, t: &str, pos: [f64; 2], size: f64, color: Rgba, bold: bool) {
        self.items.push(text(
            Layer::Legend,
            t,
            pos,
            size,
            color,
            Align::Left,
            bold,
            None,
        ));
    }

    /// Wrapped lines at `x`; returns the y under them.
    fn para(
        &mut self,
        t: &str,
        x: f64,
        width: f64,
        mut y: f64,
        size: f64,
        style: (Rgba, bool),
    ) -> f64 {
        for line in labels::wrap(t, size, style.1, width) {
            self.say(&line, [x, y], size, style.0, style.1);
            y += size + self.line_gap;
        }
        y
    }

    fn heading(&mut self, col: Column, y: f64, t: &str) -> f64 {
        self.say(t, [col.x0, y], self.h1, colors::TEXT, true);
        y + self.h1 + 8.0 * self.s
    }

    fn bands(&mut self, scene: &MapScene, col: Column, y: f64) -> f64 {
        let s = self.s;
        let mut y = self.heading(col, y, "Range bands");
        let zones = scene.below.iter().map(|b| (colors::BELOW_ZONE, b)).chain(
            scene
                .bands
                .iter()
                .enumerate()
                .map(|(i, b)| (band_color(i), b)),
        );
        for (c, b) in zones {
            let sw_box = [col.x0, y + 1.0 * s, col.x0 + self.sw, y + 21.0 * s];
            self.items.push(Item::Fill {
                layer: Layer::Legend,
                polygons: vec![rect(sw_box)],
                color: c.alpha(BAND_FILL_ALPHA + 0.1),
            });
            self.items.push(Item::Stroke {
                layer: Layer::Legend,
                lines: outline(sw_box),
                color: c.darker(0.15),
                width_px: 1.5 * s.max(0.6),
            });
            let name_size = self.body + 1.0 * s;
            y = self.para(
                &b.name,
                col.tx,
                col.text_w(),
                y,
                name_size,
                (colors::TEXT, true),
            );
            let detail = band_detail(b);
            let small = self.small;
            y = self.para(
                &detail,
                col.tx,
                col.text_w(),
                y,
                small,
                (colors::TEXT_MUTED, false),
            );
            y += 8.0 * s;
        }
        y
    }

    fn symbols(&mut self, scene: &MapScene, col: Column, y: f64) -> f64 {
        let s = self.s;
        let (body, small, line_gap, sw) = (self.body, self.small, self.line_gap, self.sw);
        let (x0, tx) = (col.x0, col.tx);
        let mut y = self.heading(col, y, "Symbols");
        // Reach ring.
        if let Some(t) = reach_ring_entry(scene) {
            let ly = y + body / 2.0;
            self.items.push(Item::Stroke {
                layer: Layer::Legend,
                lines: dashes(&[[x0, ly], [x0 + sw, ly]], 8.0 * s, 4.0 * s),
                color: colors::REACH,
                width_px: 1.6 * s.max(0.6),
            });
            y = self.para(&t, tx, col.text_w(), y, body, (colors::TEXT, false));
            y += 6.0 * s;
        }
        // Site marker.
        let r = if scene.sites.len() > super::MANY_SITES {
            5.0 * s
        } else {
            8.0 * s
        };
        let (cx, cy) = (x0 + sw / 2.0, y + body / 2.0 + 1.0 * s);
        self.items.push(Item::Fill {
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
        self.say(&site_entry(scene), [tx, y], body, colors::TEXT, false);
        y += body + line_gap + 8.0 * s;
        // City sizes.
        y = self.para(
            "Allied city, coloured by band, sized by population:",
            x0,
            col.width(),
            y,
            body,
            (colors::TEXT, false),
        );
        y += 4.0 * s;
        let samples = [
            (100_000u64, "100,000"),
            (1_000_000, "1 million"),
            (5_000_000, "5 million"),
        ];
        let mut sx = x0 + 8.0 * s;
        let rmax = city_radius_px(5_000_000, s);
        for (pop, label) in samples {
            let rr = city_radius_px(pop, s);
            self.items
                .push(sample([sx + rr, y + rmax], s, pop, Some(0), true));
            self.say(
                label,
                [sx + 2.0 * rr + 5.0 * s, y + rmax - small / 2.0],
                small,
                colors::TEXT_MUTED,
                false,
            );
            sx += 2.0 * rr + 12.0 * s + labels::text_width_px(label, small, false);
        }
        y += 2.0 * rmax + line_gap + 6.0 * s;
        if !scene.reach.is_empty() {
            y = self.reach_entries(scene, col, y);
        }
        self.items.push(sample(
            [x0 + 12.0 * s, y + body / 2.0],
            s,
            300_000,
            None,
            false,
        ));
        y = self.para(
            "Allied city outside every band",
            tx,
            col.text_w(),
            y,
            body,
            (colors::TEXT, false),
        );
        y += 10.0 * s;
        // Country tints.
        for (color, label) in [
            (colors::ALLIED, allied_entry(scene)),
            (colors::LAND, "Other country".to_string()),
        ] {
            let b = [x0, y, x0 + sw, y + body + 2.0 * s];
            self.items.push(Item::Fill {
                layer: Layer::Legend,
                polygons: vec![rect(b)],
                color,
            });
            self.items.push(Item::Stroke {
                layer: Layer::Legend,
                lines: outline(b),
                color: colors::BORDER,
                width_px: 1.0,
            });
            y = self.para(&label, tx, col.text_w(), y, body, (colors::TEXT, false));
            y += 8.0 * s;
        }
        y
    }

    /// Filled dot: reached (with the count per system); ring: in a band, out of reach.
    fn reach_entries(&mut self, scene: &MapScene, col: Column, mut y: f64) -> f64 {
        let s = self.s;
        let body = self.body;
        let c = [col.x0 + 12.0 * s, y + body / 2.0 + 1.0 * s];
        self.items.push(sample(c, s, 1_000_000, Some(0), true));
        for rc in &scene.reach_counts {
            let t = reach_entry(rc);
            y = self.para(&t, col.tx, col.text_w(), y, body, (colors::TEXT, true));
        }
        if scene.reach_counts.is_empty() {
            y = self.para(
                "Reached by the deployed system",
                col.tx,
                col.text_w(),
                y,
                body,
                (colors::TEXT, false),
            );
        }
        y += 4.0 * s;
        let c = [col.x0 + 12.0 * s, y + body / 2.0 + 1.0 * s];
        self.items.push(sample(c, s, 1_000_000, Some(0), false));
        y = self.para(
            "In a band, out of the system's reach",
            col.tx,
            col.text_w(),
            y,
            body,
            (colors::TEXT, false),
        );
        y + 6.0 * s
    }

    fn projection(&mut self, family: &str, col: Column, y: f64) -> f64 {
        let mut y = self.heading(col, y, "Projection");
        let (name, warning) = projection_note(family);
        let small = self.small;
        y = self.para(&name, col.x0, col.width(), y, small, (colors::TEXT, false));
        if let Some(w) = warning {
            y += 2.0 * self.s;
            y = self.para(
                &w,
                col.x0,
                col.width(),
                y,
                small,
                (Rgba::hex(0xB03A00), true),
            );
        }
        y
    }
}

/// The legend's allied-country entry: how many countries are tinted, and which of them
/// are allied only in part though tinted whole, e.g. `Allied country (22; Germany
/// allied in part, tinted whole)`.
pub fn allied_entry(scene: &MapScene) -> String {
    let n = scene.allied_iso_numeric.len();
    match scene.allied_in_part.as_slice() {
        [] => format!("Allied country ({n})"),
        names => format!(
            "Allied country ({n}; {} allied in part, tinted whole)",
            names.join(", ")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_country_allied_in_part_is_named_in_the_allied_entry() {
        let mut scene = MapScene {
            allied_iso_numeric: vec![276, 616],
            ..MapScene::default()
        };
        assert_eq!(allied_entry(&scene), "Allied country (2)");
        scene.allied_in_part = vec!["Germany".into()];
        assert_eq!(
            allied_entry(&scene),
            "Allied country (2; Germany allied in part, tinted whole)"
        );
    }

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
