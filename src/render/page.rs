//! The page: where the map frame, header, legend and footer go, and how large text and
//! symbols are for the page's size.

use super::clip::ScreenRect;
use super::labels;
use super::legend::{self, LegendBox};
use super::MapScene;

/// Page layout: where the frame, header, legend and footer go.
#[derive(Debug, Clone)]
pub struct PageLayout {
    /// The title and subtitle as set for this page.
    pub header: Header,
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

/// The header's text, set for the page: the title (30 px at size factor 1, down to 26 px,
/// then wrapped) and the subtitle (18 px, down to 15 px, then wrapped).
#[derive(Debug, Clone, PartialEq)]
pub struct Header {
    /// Title font size, pixels.
    pub title_size: f64,
    /// Title lines.
    pub title: Vec<String>,
    /// Subtitle font size, pixels.
    pub sub_size: f64,
    /// Subtitle lines.
    pub subtitle: Vec<String>,
    /// Top of the first title line, pixels.
    pub top: f64,
    /// Line height as a multiple of the font size.
    pub leading: f64,
    /// Gap between title and subtitle, pixels.
    pub gap: f64,
    /// Height from the page top to the map frame, pixels.
    pub height: f64,
}

/// Sets a line of text: `size` at first, shrinking to `min` to fit `max_w`, then wrapped.
fn set(text: &str, size: f64, min: f64, bold: bool, max_w: f64) -> (f64, Vec<String>) {
    let mut sz = size;
    while sz > min && labels::text_width_px(text, sz, bold) > max_w {
        sz -= 0.5;
    }
    if labels::text_width_px(text, sz, bold) <= max_w {
        return (sz, vec![text.to_string()]);
    }
    (sz, labels::wrap(text, sz, bold, max_w))
}

/// The header for a page `w` pixels wide at size factor `s`.
pub fn header(title: &str, subtitle: &str, w: f64, s: f64) -> Header {
    let max_w = w - 2.0 * 22.0 * s;
    let (title_size, title) = set(title, 30.0 * s, 26.0 * s, true, max_w);
    let (sub_size, subtitle) = set(subtitle, 18.0 * s, 15.0 * s, false, max_w);
    let (top, leading, gap) = (22.0 * s, 1.2, 8.0 * s);
    let height = top
        + title.len() as f64 * title_size * leading
        + gap
        + subtitle.len() as f64 * sub_size * leading
        + 12.0 * s;
    Header {
        title_size,
        title,
        sub_size,
        subtitle,
        top,
        leading,
        gap,
        height,
    }
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
    let head = header(&scene.title, &scene.subtitle, w, s);
    let header = head.height.max(96.0 * s);
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
        header: head,
        s,
        margin,
        frame,
        legend,
        footer_top,
    }
}
