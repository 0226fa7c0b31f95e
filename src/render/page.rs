//! The page: where the map frame, header, legend and footer go, and how large text and
//! symbols are for the page's size.

use super::clip::ScreenRect;
use super::legend::{self, LegendBox};
use super::MapScene;

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
pub fn page_layout(w: f64, h: f64, win_aspect: f64, scene: &MapScene, family: &str) -> PageLayout {
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
