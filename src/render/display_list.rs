//! The display list: every item of the map in screen pixels, in drawing order.
//!
//! [`build`] runs the whole lon/lat → projected → pixel pipeline; both backends draw the
//! resulting [`DisplayList`] item by item, so tests can check geometry without rasterising.

use geo::{MultiLineString, MultiPolygon};

use super::basemap::{self, Resolution};
use super::clip::{self, DomainClip, LonLat, ScreenRect};
use super::extent::{self, Window};
use super::labels::{self, LabelPlacer};
use super::legend::LegendBox;
use super::projection::{self, Domain, Projector};
use super::{furniture, legend, MapOptions, MapScene, RenderError, RenderReport};

/// An sRGB colour with opacity `a` in 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgba {
    /// Red.
    pub r: u8,
    /// Green.
    pub g: u8,
    /// Blue.
    pub b: u8,
    /// Opacity, 0 (transparent) to 1 (opaque).
    pub a: f64,
}

impl Rgba {
    /// An opaque colour from `0xRRGGBB`.
    pub const fn hex(rgb: u32) -> Self {
        Self {
            r: ((rgb >> 16) & 0xff) as u8,
            g: ((rgb >> 8) & 0xff) as u8,
            b: (rgb & 0xff) as u8,
            a: 1.0,
        }
    }

    /// The same colour with opacity `a`.
    pub const fn alpha(self, a: f64) -> Self {
        Self { a, ..self }
    }

    /// Mixed towards black by `f` (0..=1).
    pub fn darker(self, f: f64) -> Self {
        let m = |c: u8| (f64::from(c) * (1.0 - f)).round().clamp(0.0, 255.0) as u8;
        Self {
            r: m(self.r),
            g: m(self.g),
            b: m(self.b),
            a: self.a,
        }
    }

    /// `#rrggbb`.
    pub fn hex_string(&self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

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

/// Projected metres to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenTransform {
    /// The projected window shown in the frame.
    pub window: Window,
    /// The frame, pixels.
    pub frame: ScreenRect,
    /// Pixels per projected unit.
    pub scale: f64,
}

impl ScreenTransform {
    /// Maps a projected point to pixels.
    pub fn to_px(&self, x: f64, y: f64) -> [f64; 2] {
        [
            self.frame[0] + (x - self.window.x_min) * self.scale,
            self.frame[1] + (self.window.y_max - y) * self.scale,
        ]
    }

    /// Maps pixels back to projected coordinates.
    pub fn from_px(&self, p: [f64; 2]) -> (f64, f64) {
        (
            self.window.x_min + (p[0] - self.frame[0]) / self.scale,
            self.window.y_max - (p[1] - self.frame[1]) / self.scale,
        )
    }
}

/// Projection, domain clip and pixel transform: lon/lat geometry to screen geometry.
pub struct Pipeline {
    /// The projection.
    pub proj: Projector,
    /// The domain clip.
    pub clip: DomainClip,
    /// Projected → pixel transform.
    pub tf: ScreenTransform,
}

/// Lon/lat densification step before projecting, degrees.
pub const DENSIFY_DEG: f64 = 1.0;

impl Pipeline {
    /// Lon/lat to pixels, `None` outside the domain or where PROJ fails.
    pub fn point_px(&self, p: LonLat) -> Option<[f64; 2]> {
        if !self.clip.contains(p) {
            return None;
        }
        let (x, y) = self.proj.forward(p.0, p.1)?;
        Some(self.tf.to_px(x, y))
    }

    /// Like [`Pipeline::point_px`] but also `None` outside the frame.
    pub fn point_in_frame(&self, p: LonLat) -> Option<[f64; 2]> {
        let q = self.point_px(p)?;
        let f = self.tf.frame;
        (q[0] >= f[0] && q[0] <= f[2] && q[1] >= f[1] && q[1] <= f[3]).then_some(q)
    }

    /// Projects to pixels after clamping rounding noise (lon 180.000000001) into range, so
    /// a vertex on ±180 never wraps to the other side of the map.
    fn project_clamped(&self, lon: f64, lat: f64) -> Option<[f64; 2]> {
        let (x, y) = self
            .proj
            .forward(lon.clamp(-180.0, 180.0), lat.clamp(-90.0, 90.0))?;
        Some(self.tf.to_px(x, y))
    }

    fn ring_px(&self, ring: &geo::LineString<f64>) -> Vec<[f64; 2]> {
        let mut v: Vec<[f64; 2]> = ring
            .0
            .iter()
            .filter_map(|c| self.project_clamped(c.x, c.y))
            .collect();
        if v.len() > 1 && v.first() == v.last() {
            v.pop();
        }
        v
    }

    /// Clips lon/lat polygons to the domain, projects them and clips them to the frame.
    pub fn polygons(&self, mp: &MultiPolygon<f64>) -> Vec<ScreenPolygon> {
        let clipped = self.clip.clip_polygons(mp, DENSIFY_DEG);
        let mut out = Vec::new();
        for poly in &clipped.0 {
            let mut ext = clip::clip_ring_to_rect(&self.ring_px(poly.exterior()), self.tf.frame);
            if ext.len() < 3 || signed_area(&ext).abs() < 1e-3 {
                continue;
            }
            let ext_sign = signed_area(&ext).signum();
            if ext_sign < 0.0 {
                ext.reverse();
            }
            let mut holes = Vec::new();
            for h in poly.interiors() {
                let mut hp = clip::clip_ring_to_rect(&self.ring_px(h), self.tf.frame);
                if hp.len() < 3 || signed_area(&hp).abs() < 1e-3 {
                    continue;
                }
                if signed_area(&hp) > 0.0 {
                    hp.reverse();
                }
                holes.push(hp);
            }
            out.push(ScreenPolygon {
                exterior: ext,
                holes,
            });
        }
        out
    }

    /// Clips lon/lat polylines to the domain, projects them (splitting where PROJ fails,
    /// never joining across gaps) and clips them to the frame.
    pub fn lines(&self, lines: &[Vec<LonLat>]) -> Vec<Vec<[f64; 2]>> {
        let mut out = Vec::new();
        for line in lines {
            for piece in self.clip.clip_line(line, DENSIFY_DEG / 2.0) {
                let mut cur: Vec<[f64; 2]> = Vec::new();
                for &(lon, lat) in &piece {
                    match self.project_clamped(lon, lat) {
                        Some(p) => cur.push(p),
                        None => {
                            if cur.len() >= 2 {
                                out.extend(clip::clip_line_to_rect(&cur, self.tf.frame));
                            }
                            cur.clear();
                        }
                    }
                }
                if cur.len() >= 2 {
                    out.extend(clip::clip_line_to_rect(&cur, self.tf.frame));
                }
            }
        }
        out
    }

    /// Ground distance per pixel along screen x at pixel `p`, km (geodesic).
    pub fn km_per_px_at(&self, p: [f64; 2]) -> Option<f64> {
        use geo::{Distance, Geodesic, Point};
        let d = 20.0;
        let ll = |q: [f64; 2]| {
            let (x, y) = self.tf.from_px(q);
            self.proj.inverse(x, y)
        };
        let a = ll([p[0] - d, p[1]])?;
        let b = ll([p[0] + d, p[1]])?;
        let m = Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1));
        (m > 0.0).then_some(m / 1000.0 / (2.0 * d))
    }
}

fn multilinestring_lonlat(mls: &MultiLineString<f64>) -> Vec<Vec<LonLat>> {
    mls.0
        .iter()
        .map(|ls| ls.0.iter().map(|c| (c.x, c.y)).collect())
        .collect()
}

/// Okabe–Ito colours, nearest band first (colour-blind safe).
pub const BAND_PALETTE: [Rgba; 7] = [
    Rgba::hex(0xD55E00),
    Rgba::hex(0xE69F00),
    Rgba::hex(0x56B4E9),
    Rgba::hex(0x009E73),
    Rgba::hex(0xCC79A7),
    Rgba::hex(0x0072B2),
    Rgba::hex(0xF0E442),
];
/// Opacity of band fills.
pub const BAND_FILL_ALPHA: f64 = 0.30;

/// Colour of band `i`.
pub fn band_color(i: usize) -> Rgba {
    BAND_PALETTE[i % BAND_PALETTE.len()]
}

/// Basemap colours.
pub mod colors {
    use super::Rgba;
    /// Canvas.
    pub const PAPER: Rgba = Rgba::hex(0xFFFFFF);
    /// Frame outside the projection's domain.
    pub const OUTSIDE: Rgba = Rgba::hex(0xF3F3F1);
    /// Sea.
    pub const SEA: Rgba = Rgba::hex(0xDCE9F3);
    /// Non-allied land.
    pub const LAND: Rgba = Rgba::hex(0xE6E5E1);
    /// Allied land.
    pub const ALLIED: Rgba = Rgba::hex(0xF4E6BC);
    /// Borders and coasts.
    pub const BORDER: Rgba = Rgba::hex(0x9E9C96);
    /// Graticule.
    pub const GRATICULE: Rgba = Rgba::hex(0x6F8294);
    /// Main text.
    pub const TEXT: Rgba = Rgba::hex(0x1E1E1E);
    /// Secondary text.
    pub const TEXT_MUTED: Rgba = Rgba::hex(0x5A5A5A);
    /// Cities outside every band.
    pub const CITY_OUT: Rgba = Rgba::hex(0x8A8A8A);
    /// Reach rings.
    pub const REACH: Rgba = Rgba::hex(0x222222);
}

/// Page layout: where the frame, header, legend and footer go.
#[derive(Debug, Clone, Copy)]
pub struct PageLayout {
    /// Size factor of text, symbols and strokes ([`furniture_scale`]).
    pub s: f64,
    /// Page margin, pixels.
    pub margin: f64,
    /// Map frame.
    pub frame: ScreenRect,
    /// Where the legend goes.
    pub legend: LegendBox,
    /// Top of the footer, pixels.
    pub footer_top: f64,
}

/// Size factor of text, symbols and strokes for a page of `w` × `h` pixels: 1 at
/// 1600×1200, linear above; below it shrinks slower than the page (as `r^0.22`) so that the
/// smallest text (10.5 px at factor 1) stays at least 9 px on an 800×600 map.
pub fn furniture_scale(w: f64, h: f64) -> f64 {
    let r = (w / 1600.0).min(h / 1200.0);
    if r >= 1.0 {
        r
    } else {
        r.max(0.05).powf(0.22)
    }
}

/// Lays out the page for a map window of `win_aspect` (width / height).
///
/// Two arrangements are tried: the legend in a sidebar right of the map, and the legend in
/// columns under it. The one that shows the window at the larger scale wins (world maps,
/// being twice as wide as tall, get the legend underneath). The frame takes the whole box
/// left for it, so no empty band is left under the map.
fn page_layout(w: f64, h: f64, win_aspect: f64, scene: &MapScene, family: &str) -> PageLayout {
    let s = furniture_scale(w, h);
    let margin = 22.0 * s;
    let header = 104.0 * s;
    let footer_top = h - 40.0 * s;
    let gap = 16.0 * s;
    let sidebar_w = (w * 0.25).clamp(180.0 * s, 420.0 * s);
    let side_box = [margin, header, w - sidebar_w - margin, footer_top];
    let row_h = legend::legend_height(
        scene,
        family,
        LegendBox::Row([margin, 0.0, w - margin, 0.0]),
        s,
    );
    let row_box = [margin, header, w - margin, footer_top - row_h - gap];
    let scale_in = |b: ScreenRect| {
        let (bw, bh) = (b[2] - b[0], b[3] - b[1]);
        if bw <= 0.0 || bh <= 0.0 {
            return 0.0;
        }
        (bw / win_aspect).min(bh)
    };
    let use_row = row_box[3] - row_box[1] > 0.35 * (footer_top - header)
        && scale_in(row_box) > 1.08 * scale_in(side_box);
    // The frame takes its whole box; a window of another shape is widened to the frame's
    // (off-globe parts show the off-globe colour) rather than leaving paper under the map.
    let frame = if use_row { row_box } else { side_box };
    let legend = if use_row {
        let top = frame[3] + gap;
        LegendBox::Row([margin, top, w - margin, top + row_h])
    } else {
        LegendBox::Sidebar([w - sidebar_w, header, w - margin * 0.5, footer_top])
    };
    PageLayout {
        s,
        margin,
        frame,
        legend,
        footer_top,
    }
}

/// Points along a polyline, split into dashes of `on_px` separated by `off_px`.
pub fn dashes(line: &[[f64; 2]], on_px: f64, off_px: f64) -> Vec<Vec<[f64; 2]>> {
    let mut out = Vec::new();
    let mut cur: Vec<[f64; 2]> = Vec::new();
    let mut drawing = true;
    let mut left = on_px;
    for w in line.windows(2) {
        let (mut a, b) = (w[0], w[1]);
        let mut seg = (b[0] - a[0]).hypot(b[1] - a[1]);
        while seg > 0.0 {
            let step = seg.min(left);
            let t = step / seg;
            let p = [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t];
            if drawing {
                if cur.is_empty() {
                    cur.push(a);
                }
                cur.push(p);
            }
            left -= step;
            seg -= step;
            a = p;
            if left <= 1e-9 {
                if drawing && cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
                drawing = !drawing;
                left = if drawing { on_px } else { off_px };
            }
        }
    }
    if drawing && cur.len() >= 2 {
        out.push(cur);
    }
    out
}

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

/// City marker radius for a population, pixels at size factor `s`.
pub fn city_radius_px(population: u64, s: f64) -> f64 {
    let p = population.max(1) as f64;
    (2.2 + 1.6 * (p / 100_000.0).max(1.0).log2().min(7.0) * 0.6) * s.max(0.5)
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
    items.push(Item::Stroke {
        layer: Layer::Border,
        lines: pipe.lines(&borders),
        color: colors::BORDER,
        width_px: 0.7 * s.max(0.6),
    });

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
            for piece in &pieces {
                let (first, last) = (piece[0], piece[piece.len() - 1]);
                for end in [first, last] {
                    let other = if end == first { last } else { first };
                    let outline_edge = match (global, is_meridian) {
                        (true, false) if end[0] < other[0] => Some('r'),
                        (true, true) if end[1] > other[1] => Some('t'),
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

    // Bands: fills, then their true outlines.
    for (i, band) in scene.bands.iter().enumerate() {
        items.push(Item::Fill {
            layer: Layer::BandFill(i),
            polygons: pipe.polygons(&band.area),
            color: band_color(i).alpha(BAND_FILL_ALPHA),
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
            let fill = match c.band {
                Some(b) => band_color(b).darker(0.25),
                None => colors::CITY_OUT,
            };
            items.push(Item::Disc {
                layer: Layer::City,
                center: p,
                radius_px: city_radius_px(c.population, s),
                fill,
                outline: Some((Rgba::hex(0xFFFFFF), 0.9 * s.max(0.6))),
            });
        }
    }
    // Sites.
    let site_px: Vec<Option<[f64; 2]>> = scene
        .sites
        .iter()
        .map(|st| pipe.point_in_frame((st.lon_deg, st.lat_deg)))
        .collect();
    let tri = 9.0 * s;
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
            polygons: vec![mk(tri + 2.5 * s)],
            color: Rgba::hex(0xFFFFFF),
        });
        items.push(Item::Fill {
            layer: Layer::Site,
            polygons: vec![mk(tri)],
            color: Rgba::hex(0x000000),
        });
    }

    // Furniture inside the frame (reserved before labels).
    let mut placer = LabelPlacer::new(frame);
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
    // Site names come first and are always drawn: where every candidate
    // position is taken, the first one is used anyway.
    let site_size = 15.0 * s;
    for (i, st) in scene.sites.iter().enumerate() {
        if let Some(p) = site_px[i] {
            let w = labels::text_width_px(&st.name, site_size, true);
            let cands = labels::candidates_around(p, 9.0 * s, w, site_size);
            let k = placer.place(&cands).unwrap_or_else(|| {
                placer.reserve(cands[0]);
                0
            });
            {
                let b = cands[k];
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
    }
    for (i, c) in scene.cities.iter().enumerate() {
        if let Some(p) = city_px[i] {
            let r = city_radius_px(c.population, s);
            placer.reserve([p[0] - r, p[1] - r, p[0] + r, p[1] + r]);
        }
    }
    let mut order: Vec<usize> = (0..scene.cities.len())
        .filter(|&i| city_px[i].is_some())
        .collect();
    order.sort_by(|&a, &b| {
        let (ca, cb) = (&scene.cities[a], &scene.cities[b]);
        cb.capital
            .cmp(&ca.capital)
            .then(cb.population.cmp(&ca.population))
    });
    let max_labels = ((page.frame[2] - page.frame[0]) * (page.frame[3] - page.frame[1])
        / (150.0 * 150.0 * s * s)) as usize;
    let mut placed = 0;
    for &i in &order {
        if placed >= max_labels.max(10) {
            break;
        }
        let c = &scene.cities[i];
        let Some(p) = city_px[i] else { continue };
        let size = if c.capital { 13.0 * s } else { 12.0 * s };
        let w = labels::text_width_px(&c.name, size, c.capital);
        let cands = labels::candidates_around(p, city_radius_px(c.population, s), w, size);
        if let Some(k) = placer.place(&cands) {
            let b = cands[k];
            items.push(text(
                Layer::Label,
                &c.name,
                [b[0], b[1]],
                size,
                colors::TEXT,
                Align::Left,
                c.capital,
                halo,
            ));
            placed += 1;
        }
    }
    let gsize = 11.0 * s;
    for (label, p, edge) in grat_labels {
        let w = labels::text_width_px(label, gsize, false);
        let pad = 3.0 * s;
        let b = match edge {
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
        if placer.place(&[b]).is_some() {
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
    fn dashes_alternate() {
        let d = dashes(&[[0.0, 0.0], [100.0, 0.0]], 10.0, 5.0);
        assert_eq!(d.len(), 7);
        assert!((d[0][d[0].len() - 1][0] - 10.0).abs() < 1e-9);
        assert!((d[1][0][0] - 15.0).abs() < 1e-9);
    }

    #[test]
    fn winding_and_area() {
        let sq = [[0.0, 0.0], [10.0, 0.0], [10.0, 10.0], [0.0, 10.0]];
        assert_eq!(winding_number(&sq, [5.0, 5.0]).abs(), 1);
        assert_eq!(winding_number(&sq, [15.0, 5.0]), 0);
        assert!((signed_area(&sq) - 100.0).abs() < 1e-9);
    }

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
