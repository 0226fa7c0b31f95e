//! The display list: every item of the map in screen pixels, in drawing order.
//!
//! `layout::build` runs the whole lon/lat → projected → pixel pipeline into a
//! [`DisplayList`]; both backends draw it item by item, so tests can check geometry without
//! rasterising.

use super::clip::ScreenRect;
use super::extent::ScreenTransform;
use super::style::Rgba;
use super::RenderReport;

/// What an item depicts (used by tests, the report and the streak check).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Layer {
    /// Canvas background.
    Paper,
    /// Map frame background outside the projection's domain.
    FrameBackground,
    /// The sea (the projection's domain).
    Sea,
    /// Countries not in the alliance.
    Land,
    /// Allied countries.
    AlliedLand,
    /// Country borders and coastlines.
    Border,
    /// Graticule lines.
    Graticule,
    /// Fill of the zone under the first band edge.
    BelowFill,
    /// Outline of the zone under the first band edge.
    BelowOutline,
    /// Fill of band `i`.
    BandFill(usize),
    /// Outline (true geodesic circles) of band `i`.
    BandOutline(usize),
    /// Dashed reach rings.
    Reach,
    /// City markers.
    City,
    /// Site markers.
    Site,
    /// Map labels (sites, cities, graticule).
    Label,
    /// Legend panel.
    Legend,
    /// Title, scale bar, north arrow, attribution, frame.
    Furniture,
}

impl Layer {
    /// Layers whose segments must stay short (no streaks across the map).
    pub fn is_geographic(&self) -> bool {
        matches!(
            self,
            Layer::Sea
                | Layer::Land
                | Layer::AlliedLand
                | Layer::Border
                | Layer::BandFill(_)
                | Layer::BandOutline(_)
                | Layer::BelowFill
                | Layer::BelowOutline
                | Layer::Reach
                | Layer::Graticule
        )
    }
}

/// A polygon in pixels: exterior and holes (no repeated closing vertex). Exteriors have
/// positive signed area in screen coordinates, holes negative; fills use the non-zero rule.
#[derive(Debug, Clone, PartialEq)]
pub struct ScreenPolygon {
    /// Outer ring.
    pub exterior: Vec<[f64; 2]>,
    /// Holes.
    pub holes: Vec<Vec<[f64; 2]>>,
}

/// Horizontal text alignment.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Align {
    /// `pos` is the left edge.
    Left,
    /// `pos` is the centre.
    Center,
    /// `pos` is the right edge.
    Right,
}

/// One thing to draw.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// Filled polygons (non-zero rule, all polygons of the item filled together).
    Fill {
        /// Depicted layer.
        layer: Layer,
        /// Polygons.
        polygons: Vec<ScreenPolygon>,
        /// Fill colour.
        color: Rgba,
    },
    /// Stroked polylines with round joins.
    Stroke {
        /// Depicted layer.
        layer: Layer,
        /// Polylines.
        lines: Vec<Vec<[f64; 2]>>,
        /// Line colour.
        color: Rgba,
        /// Line width, pixels.
        width_px: f64,
    },
    /// A filled circle with an optional outline.
    Disc {
        /// Depicted layer.
        layer: Layer,
        /// Centre, pixels.
        center: [f64; 2],
        /// Radius, pixels.
        radius_px: f64,
        /// Fill colour.
        fill: Rgba,
        /// Outline colour and width in pixels.
        outline: Option<(Rgba, f64)>,
    },
    /// A line of text; `pos` is the anchor on the top of the line box.
    Text {
        /// Depicted layer.
        layer: Layer,
        /// The text.
        text: String,
        /// Anchor point (x per `align`, y = top of the line box), pixels.
        pos: [f64; 2],
        /// Font size (line height), pixels.
        size_px: f64,
        /// Text colour.
        color: Rgba,
        /// Horizontal alignment.
        align: Align,
        /// Bold face.
        bold: bool,
        /// Colour of a halo drawn behind the glyphs for legibility over the map.
        halo: Option<Rgba>,
    },
}

impl Item {
    /// The depicted layer.
    pub fn layer(&self) -> Layer {
        match self {
            Item::Fill { layer, .. }
            | Item::Stroke { layer, .. }
            | Item::Disc { layer, .. }
            | Item::Text { layer, .. } => *layer,
        }
    }
}

/// The laid-out map.
#[derive(Debug, Clone, PartialEq)]
pub struct DisplayList {
    /// Canvas width, pixels.
    pub width_px: u32,
    /// Canvas height, pixels.
    pub height_px: u32,
    /// The map frame, `[left, top, right, bottom]` pixels.
    pub frame: ScreenRect,
    /// Items in drawing order.
    pub items: Vec<Item>,
    /// PROJ definition used.
    pub projection: String,
    /// Visible lon/lat window `[lon_min, lat_min, lon_max, lat_max]`.
    pub extent_lonlat: [f64; 4],
    /// Screen position of each site (None if off the map), same order as the scene.
    pub site_px: Vec<Option<[f64; 2]>>,
    /// Screen position of each city (None if off the map), same order as the scene.
    pub city_px: Vec<Option<[f64; 2]>>,
    /// Pixels per km along the screen x axis at the frame centre (scale bar basis).
    pub px_per_km_at_centre: f64,
    /// Projected coordinates → pixels, for the whole canvas (georeferencing).
    pub transform: ScreenTransform,
    /// The projection as WKT, when PROJ can express it as a CRS.
    pub crs_wkt: Option<String>,
}

impl DisplayList {
    /// Number of band polygons (exterior rings) drawn.
    pub fn drawn_band_shapes(&self) -> usize {
        self.items
            .iter()
            .map(|it| match it {
                Item::Fill {
                    layer: Layer::BandFill(_),
                    polygons,
                    ..
                } => polygons.len(),
                _ => 0,
            })
            .sum()
    }

    /// Longest segment of a geographic layer in pixels, leaving out segments that run along
    /// the frame (created by clipping to it).
    pub fn max_segment_px(&self) -> f64 {
        self.longest_segment().0
    }

    /// The longest geographic segment: length in pixels, its layer and its end points.
    pub fn longest_segment(&self) -> (f64, Option<Layer>, [[f64; 2]; 2]) {
        let f = self.frame;
        let on_frame = |a: &[f64; 2], b: &[f64; 2]| {
            let near = |u: f64, v: f64| (u - v).abs() < 1e-6;
            (near(a[0], f[0]) && near(b[0], f[0]))
                || (near(a[0], f[2]) && near(b[0], f[2]))
                || (near(a[1], f[1]) && near(b[1], f[1]))
                || (near(a[1], f[3]) && near(b[1], f[3]))
        };
        let mut best: (f64, Option<Layer>, [[f64; 2]; 2]) = (0.0, None, [[0.0; 2]; 2]);
        let mut seg_max = |pts: &[[f64; 2]], closed: bool, layer: Layer| {
            let n = pts.len();
            let count = if closed { n } else { n.saturating_sub(1) };
            for i in 0..count {
                let (a, b) = (&pts[i], &pts[(i + 1) % n]);
                let len = (b[0] - a[0]).hypot(b[1] - a[1]);
                if len > best.0 && !on_frame(a, b) {
                    best = (len, Some(layer), [*a, *b]);
                }
            }
        };
        for it in &self.items {
            let layer = it.layer();
            if !layer.is_geographic() {
                continue;
            }
            match it {
                Item::Fill { polygons, .. } => {
                    for p in polygons {
                        seg_max(&p.exterior, true, layer);
                        for h in &p.holes {
                            seg_max(h, true, layer);
                        }
                    }
                }
                Item::Stroke { lines, .. } => {
                    for l in lines {
                        seg_max(l, false, layer);
                    }
                }
                _ => {}
            }
        }
        best
    }

    /// Whether pixel `p` is inside the drawn fill of band `band` (non-zero rule).
    pub fn band_fill_contains(&self, band: usize, p: [f64; 2]) -> bool {
        let mut winding = 0;
        for it in &self.items {
            if let Item::Fill {
                layer: Layer::BandFill(b),
                polygons,
                ..
            } = it
            {
                if *b != band {
                    continue;
                }
                for poly in polygons {
                    winding += winding_number(&poly.exterior, p);
                    for h in &poly.holes {
                        winding += winding_number(h, p);
                    }
                }
            }
        }
        winding != 0
    }

    /// All text strings, in drawing order.
    pub fn texts(&self) -> Vec<&str> {
        self.items
            .iter()
            .filter_map(|it| match it {
                Item::Text { text, .. } => Some(text.as_str()),
                _ => None,
            })
            .collect()
    }

    /// The render report for this list.
    pub fn report(&self) -> RenderReport {
        RenderReport {
            projection: self.projection.clone(),
            extent_lonlat: self.extent_lonlat,
            drawn_band_shapes: self.drawn_band_shapes(),
            max_segment_px: self.max_segment_px(),
        }
    }
}

/// Winding number of a closed ring around `p`.
pub fn winding_number(ring: &[[f64; 2]], p: [f64; 2]) -> i32 {
    let mut w = 0;
    let n = ring.len();
    for i in 0..n {
        let (a, b) = (ring[i], ring[(i + 1) % n]);
        if a[1] <= p[1] {
            if b[1] > p[1] && cross(a, b, p) > 0.0 {
                w += 1;
            }
        } else if b[1] <= p[1] && cross(a, b, p) < 0.0 {
            w -= 1;
        }
    }
    w
}

fn cross(a: [f64; 2], b: [f64; 2], p: [f64; 2]) -> f64 {
    (b[0] - a[0]) * (p[1] - a[1]) - (p[0] - a[0]) * (b[1] - a[1])
}

/// Signed area of a ring (positive for counter-clockwise in a y-up frame).
pub fn signed_area(ring: &[[f64; 2]]) -> f64 {
    let n = ring.len();
    (0..n)
        .map(|i| {
            let (a, b) = (ring[i], ring[(i + 1) % n]);
            a[0] * b[1] - b[0] * a[1]
        })
        .sum::<f64>()
        / 2.0
}

/// Text item helper.
#[allow(clippy::too_many_arguments)]
pub fn text(
    layer: Layer,
    s: &str,
    pos: [f64; 2],
    size_px: f64,
    color: Rgba,
    align: Align,
    bold: bool,
    halo: Option<Rgba>,
) -> Item {
    Item::Text {
        layer,
        text: s.to_string(),
        pos,
        size_px,
        color,
        align,
        bold,
        halo,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winding_and_area() {
        let sq = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert_eq!(winding_number(&sq, [5.0, 5.0]).abs(), 1);
        assert_eq!(winding_number(&sq, [15.0, 5.0]), 0);
        assert!((signed_area(&sq) - 100.0).abs() < 1e-9);
    }
}
