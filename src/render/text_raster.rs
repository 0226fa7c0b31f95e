//! Text for the PNG: line layout with the embedded DejaVu fonts, glyph rasterisation at
//! sub-pixel positions, and halos, blended into the [`Canvas`] RGB buffer.
//!
//! This module owns how a display-list [`Item::Text`] becomes pixels. It lays a line out
//! exactly as [`super::labels::text_width_px`] measures it (same font, same scale — the
//! `size_px` line height as ab_glyph's `PxScale` — same advances and kerning, summed in the
//! same order), so the drawn width equals the width the label placer and the legend
//! reserved, and glyphs stand where the SVG writer puts them.
//!
//! Why not plotters: its `ab_glyph` text path truncates every glyph's pen position to whole
//! pixels and draws each glyph from the left edge of its ink box (dropping the left side
//! bearing), so PNG text showed uneven gaps ("shorter-ran ge", "Kapu stin Yar") and
//! disagreed with the laid-out widths; and it can only do halos as several offset copies of
//! the text. Here every glyph is outlined at its fractional position, the coverage of the
//! whole line goes into one alpha mask, and a halo is that mask dilated by the halo radius:
//! one halo blend and one text blend per label.

use ab_glyph::{point, Font, FontRef, Glyph, OutlinedGlyph, PxScale};

use super::backend::Canvas;
use super::display_list::{Align, Item};
use super::labels;
use super::style::Rgba;
use super::svg::{halo_width_px, BASELINE_FRACTION};
use super::RenderError;

/// The embedded faces ([`labels::font`]), regular and bold.
#[derive(Debug)]
pub struct Faces {
    regular: &'static FontRef<'static>,
    bold: &'static FontRef<'static>,
}

impl Faces {
    /// The face for `bold` or regular text.
    pub fn get(&self, bold: bool) -> &'static FontRef<'static> {
        if bold {
            self.bold
        } else {
            self.regular
        }
    }
}

/// The embedded DejaVu faces; fails only if the embedded font files cannot be parsed.
pub fn faces() -> Result<Faces, RenderError> {
    Ok(Faces {
        regular: labels::font(false)?,
        bold: labels::font(true)?,
    })
}

/// One line of text to draw, as the display list describes it.
#[derive(Debug, Clone, Copy)]
pub struct TextRun<'a> {
    /// The text (one line).
    pub text: &'a str,
    /// Anchor: x per `align`, y = top of the line box; pixels.
    pub pos: [f64; 2],
    /// Line height, pixels (ab_glyph's `PxScale`, as in [`super::labels::text_width_px`]).
    pub size_px: f64,
    /// Text colour; its alpha scales the glyph coverage.
    pub color: Rgba,
    /// Horizontal alignment of the kerned line at `pos[0]`.
    pub align: Align,
    /// Bold face.
    pub bold: bool,
    /// Halo colour, drawn [`halo_radius_px`] around the glyph outlines.
    pub halo: Option<Rgba>,
}

impl<'a> TextRun<'a> {
    /// The run of an [`Item::Text`]; `None` for other items.
    pub fn from_item(item: &'a Item) -> Option<Self> {
        match item {
            Item::Text {
                text,
                pos,
                size_px,
                color,
                align,
                bold,
                halo,
                ..
            } => Some(Self {
                text,
                pos: *pos,
                size_px: *size_px,
                color: *color,
                align: *align,
                bold: *bold,
                halo: *halo,
            }),
            _ => None,
        }
    }
}

/// How far a halo reaches past the glyph outlines, pixels, for text of `size_px` (line
/// height, pixels): about 1 px at 13 px, clamped to 0.8..=2. Half of the SVG's halo stroke
/// width (a stroke centred on the outline reaches half its width past it), so both formats
/// draw the same halo.
pub fn halo_radius_px(size_px: f64) -> f64 {
    halo_width_px(size_px) / 2.0
}

/// Lays one line out: appends its glyphs to `out`, the first one's origin (left end of the
/// baseline) at `origin`, pixels; returns the line's advance width, pixels.
///
/// Advances and kerning come from [`labels::set_line`], as for
/// [`labels::text_width_px`], so the returned width is the same number. Characters the font lacks
/// (and control characters) get glyph 0, the font's `.notdef` box, as there.
pub fn layout_line(
    font: &FontRef<'_>,
    text: &str,
    size_px: f32,
    origin: [f32; 2],
    out: &mut Vec<Glyph>,
) -> f32 {
    let scale = PxScale::from(size_px);
    labels::set_line(font, text, size_px, |id, _, pen| {
        out.push(Glyph {
            id,
            scale,
            position: point(origin[0] + pen, origin[1]),
        });
    })
}

/// Coverage below which a pixel is left alone (less than half a level of 8-bit colour).
const MIN_ALPHA: f64 = 0.5 / 255.0;

/// Draws texts into a [`Canvas`], reusing its buffers from one text to the next.
pub struct TextRasterizer {
    faces: Faces,
    glyphs: Vec<Glyph>,
    outlines: Vec<OutlinedGlyph>,
    /// Glyph coverage over the text's box, row-major, 0..=1.
    mask: Vec<f32>,
    /// `mask` dilated by the halo radius.
    halo: Vec<f32>,
    /// Dilation taps: offset x, offset y (pixels) and distance minus radius.
    taps: Vec<(isize, isize, f32)>,
}

impl TextRasterizer {
    /// A rasteriser with the embedded fonts; fails only if they cannot be parsed.
    pub fn new() -> Result<Self, RenderError> {
        Ok(Self {
            faces: faces()?,
            glyphs: Vec::new(),
            outlines: Vec::new(),
            mask: Vec::new(),
            halo: Vec::new(),
            taps: Vec::new(),
        })
    }

    /// Draws one text: its halo (if any) first, then the glyphs, each as one blend of the
    /// colour with its alpha × coverage (gamma-naïve, like the shape fills). Parts outside
    /// the canvas are clipped; empty or non-finite runs draw nothing.
    pub fn draw(&mut self, cv: &mut Canvas, run: &TextRun<'_>) {
        let size = run.size_px as f32;
        if run.text.is_empty()
            || !(size.is_finite() && size > 0.0)
            || !(run.pos[0].is_finite() && run.pos[1].is_finite())
        {
            return;
        }
        let font = self.faces.get(run.bold);

        // Lay out at x = 0 to learn the width, then shift by the alignment.
        self.glyphs.clear();
        let baseline = (run.pos[1] + BASELINE_FRACTION * run.size_px) as f32;
        let width = layout_line(font, run.text, size, [0.0, baseline], &mut self.glyphs);
        let left = match run.align {
            Align::Left => run.pos[0],
            Align::Center => run.pos[0] - f64::from(width) / 2.0,
            Align::Right => run.pos[0] - f64::from(width),
        } as f32;

        self.outlines.clear();
        let (mut x0, mut y0, mut x1, mut y1) = (f32::MAX, f32::MAX, f32::MIN, f32::MIN);
        for g in &self.glyphs {
            let mut g = g.clone();
            g.position.x += left;
            if let Some(o) = font.outline_glyph(g) {
                let b = o.px_bounds();
                x0 = x0.min(b.min.x);
                y0 = y0.min(b.min.y);
                x1 = x1.max(b.max.x);
                y1 = y1.max(b.max.y);
                self.outlines.push(o);
            }
        }
        if self.outlines.is_empty() {
            return;
        }

        // The mask covers the ink box, grown by the halo's reach, clipped to the canvas
        // grown by the same margin (ink just outside the canvas still casts a halo in).
        let halo = run.halo.filter(|h| h.a > 0.0);
        let radius = halo.map_or(0.0, |_| halo_radius_px(run.size_px) as f32);
        let pad = radius.ceil() as i64 + 1;
        let (cw, ch) = (cv.width() as i64, cv.height() as i64);
        let bx0 = (x0 as i64 - pad).max(-pad);
        let by0 = (y0 as i64 - pad).max(-pad);
        let bx1 = (x1 as i64 + pad).min(cw + pad);
        let by1 = (y1 as i64 + pad).min(ch + pad);
        if bx1 <= bx0 || by1 <= by0 {
            return;
        }
        let (bw, bh) = ((bx1 - bx0) as usize, (by1 - by0) as usize);
        self.mask.clear();
        self.mask.resize(bw * bh, 0.0);
        for o in &self.outlines {
            let b = o.px_bounds();
            let (ox, oy) = (b.min.x as i64 - bx0, b.min.y as i64 - by0);
            let mask = &mut self.mask;
            o.draw(|x, y, c| {
                let (mx, my) = (ox + i64::from(x), oy + i64::from(y));
                if mx >= 0 && my >= 0 && (mx as usize) < bw && (my as usize) < bh {
                    // Neighbouring glyphs' partial coverages of a pixel add up.
                    mask[my as usize * bw + mx as usize] += c;
                }
            });
        }
        for m in &mut self.mask {
            *m = m.min(1.0);
        }

        if let Some(hc) = halo {
            self.dilate(bw, bh, radius);
            blend_mask(cv, &self.halo, [bx0, by0], bw, hc);
        }
        blend_mask(cv, &self.mask, [bx0, by0], bw, run.color);
    }

    /// Fills `self.halo` with `self.mask` dilated by a disc of `radius` pixels.
    ///
    /// Coverage is read as distance: a pixel cut by a straight edge has coverage 0.5 plus
    /// how far (pixels) the edge lies beyond its centre, so growing the shape by `radius`
    /// gives a pixel at least `m + radius − d`, for each neighbour of coverage `m` whose
    /// centre is `d` pixels away. The maximum over the neighbours closer than `radius + 1`
    /// is exact for straight edges at any sub-pixel position and close at corners; features
    /// thinner than a pixel get a slightly thinner halo.
    fn dilate(&mut self, w: usize, h: usize, radius: f32) {
        self.taps.clear();
        let reach = (radius + 1.0).ceil() as isize;
        for dy in -reach..=reach {
            for dx in -reach..=reach {
                let d = ((dx * dx + dy * dy) as f32).sqrt();
                if d < radius + 1.0 {
                    self.taps.push((dx, dy, d - radius));
                }
            }
        }
        self.halo.clear();
        self.halo.resize(w * h, 0.0);
        let (wi, hi) = (w as isize, h as isize);
        for y in 0..hi {
            for x in 0..wi {
                let mut best = 0f32;
                for &(dx, dy, pen) in &self.taps {
                    let (sx, sy) = (x + dx, y + dy);
                    if sx >= 0 && sy >= 0 && sx < wi && sy < hi {
                        let m = self.mask[(sy * wi + sx) as usize];
                        if m > 0.0 {
                            best = best.max(m - pen);
                        }
                    }
                }
                self.halo[(y * wi + x) as usize] = best.min(1.0);
            }
        }
    }
}

/// Blends `color` into the canvas with alpha `color.a × mask`, the mask's pixel (0, 0) at
/// canvas pixel `origin`; pixels outside the canvas are skipped.
fn blend_mask(cv: &mut Canvas, mask: &[f32], origin: [i64; 2], w: usize, color: Rgba) {
    if color.a <= 0.0 || w == 0 {
        return;
    }
    let (cw, ch) = (cv.width() as i64, cv.height() as i64);
    for (row, line) in mask.chunks_exact(w).enumerate() {
        let y = origin[1] + row as i64;
        if y < 0 || y >= ch {
            continue;
        }
        for (col, &m) in line.iter().enumerate() {
            let x = origin[0] + col as i64;
            let a = color.a * f64::from(m);
            if a >= MIN_ALPHA && x >= 0 && x < cw {
                cv.blend(x as usize, y as usize, color, a);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::labels::text_width_px;
    use ab_glyph::ScaleFont;

    const BG: Rgba = Rgba::hex(0xFFFFFF);
    const INK: Rgba = Rgba::hex(0x000000);

    fn run(text: &str, pos: [f64; 2], size_px: f64, align: Align) -> TextRun<'_> {
        TextRun {
            text,
            pos,
            size_px,
            color: INK,
            align,
            bold: false,
            halo: None,
        }
    }

    fn render(w: usize, h: usize, runs: &[TextRun<'_>]) -> Canvas {
        let mut cv = Canvas::new(w, h);
        let mut tr = TextRasterizer::new().expect("fonts");
        for r in runs {
            tr.draw(&mut cv, r);
        }
        cv
    }

    /// Ink (0 = white, 1 = black) of the red channel at every pixel, row-major.
    fn ink(cv: &Canvas) -> Vec<f64> {
        cv.data
            .chunks_exact(3)
            .map(|p| 1.0 - f64::from(p[0]) / 255.0)
            .collect()
    }

    /// `[left, top, right, bottom]` of pixels with ink above `min` (right/bottom exclusive).
    fn ink_box(cv: &Canvas, min: f64) -> [usize; 4] {
        let (w, h) = (cv.width(), cv.height());
        let ink = ink(cv);
        let mut b = [usize::MAX, usize::MAX, 0, 0];
        for y in 0..h {
            for x in 0..w {
                if ink[y * w + x] > min {
                    b = [b[0].min(x), b[1].min(y), b[2].max(x + 1), b[3].max(y + 1)];
                }
            }
        }
        assert!(b[0] < b[2], "no ink");
        b
    }

    /// Coverage-weighted mean x of the ink, pixels (pixel centres at x + 0.5).
    fn ink_centroid_x(cv: &Canvas) -> f64 {
        let w = cv.width();
        let (mut s, mut n) = (0.0, 0.0);
        for (i, v) in ink(cv).into_iter().enumerate() {
            s += v * ((i % w) as f64 + 0.5);
            n += v;
        }
        s / n
    }

    /// Right edge of the outline of the last glyph of `text` laid out from x = 0, pixels,
    /// from the font's outline bounds (not from drawn pixels).
    fn outline_right(text: &str, size_px: f64) -> f64 {
        let font = faces().unwrap().get(false);
        let mut glyphs = Vec::new();
        layout_line(font, text, size_px as f32, [0.0, 0.0], &mut glyphs);
        let last = glyphs.pop().unwrap();
        let bounds = font.outline(last.id).unwrap().bounds;
        let h_scale = font.as_scaled(last.scale).h_scale_factor();
        f64::from(last.position.x + bounds.max.x * h_scale)
    }

    #[test]
    fn layout_width_is_the_label_width() {
        let font = faces().unwrap().get(false);
        let bold = faces().unwrap().get(true);
        for s in [
            "shorter-range",
            "1,000–5,500 km · 6,228 cities · 397.7 million people",
            "Kapustin Yar",
            "AVAVA Tower",
            "中\u{7}\n\t",
        ] {
            for size in [9.5, 11.0, 13.0, 28.0] {
                let mut g = Vec::new();
                let w = layout_line(font, s, size as f32, [0.0, 0.0], &mut g);
                assert_eq!(f64::from(w), text_width_px(s, size, false), "{s} {size}");
                let w = layout_line(bold, s, size as f32, [0.0, 0.0], &mut g);
                assert_eq!(f64::from(w), text_width_px(s, size, true), "{s} {size}");
            }
        }
    }

    #[test]
    fn kerning_is_applied_to_the_ink() {
        let size = 40.0;
        let font = faces().unwrap().get(false);
        let scaled = font.as_scaled(size as f32);
        let (a, v) = (scaled.glyph_id('A'), scaled.glyph_id('V'));
        let (adv_a, kern) = (scaled.h_advance(a), scaled.kern(a, v));
        let unkerned = f64::from(adv_a + scaled.h_advance(v));
        let kerned = text_width_px("AV", size, false);
        assert!(kern < -1.5, "AV at 40 px: kerning {kern} px");
        assert!((kerned - (unkerned + f64::from(kern))).abs() < 1e-4);

        // The V's ink ends where the kerned layout puts it, not where it would stand
        // without kerning (worked out here from the font, not from `layout_line`).
        let v_right = font.outline(v).unwrap().bounds.max.x * scaled.h_scale_factor();
        let at_kerned = 10.0 + f64::from(adv_a + kern + v_right);
        let at_unkerned = 10.0 + f64::from(adv_a + v_right);
        let cv = render(120, 60, &[run("AV", [10.0, 5.0], size, Align::Left)]);
        let right = ink_box(&cv, 0.05)[2] as f64;
        assert!(
            (right - at_kerned).abs() <= 1.0,
            "ink right edge {right}, kerned outline {at_kerned}"
        );
        assert!(right < at_unkerned - 1.0, "{right} vs {at_unkerned}");
    }

    #[test]
    fn glyphs_stand_at_their_fractional_pen_positions() {
        // Drawing a line equals drawing each glyph alone at its kerned pen position, taken
        // from the label metrics: the pen is never snapped to whole pixels.
        let (text, size, x, top) = ("Kapustin Yar", 13.0, 10.3, 5.0);
        let line = render(150, 30, &[run(text, [x, top], size, Align::Left)]);
        let chars: Vec<String> = text.chars().map(String::from).collect();
        let mut runs = Vec::new();
        for (i, c) in chars.iter().enumerate() {
            let through: String = chars[..=i].concat();
            let advance = text_width_px(c, size, false);
            let at = x + text_width_px(&through, size, false) - advance;
            runs.push(run(c, [at, top], size, Align::Left));
        }
        let glyphs = render(150, 30, &runs);
        let worst = ink(&line)
            .iter()
            .zip(ink(&glyphs))
            .map(|(a, b)| (a - b).abs())
            .fold(0.0, f64::max);
        assert!(worst < 0.02, "largest difference {worst}");
        // ... and a line drawn with its glyphs snapped to whole pixels would differ.
        let mut snapped = runs.clone();
        for r in &mut snapped {
            r.pos[0] = r.pos[0].round();
        }
        assert_ne!(render(150, 30, &snapped).data, line.data);
    }

    #[test]
    fn drawn_advance_matches_the_label_width() {
        // 'V' has no right side bearing to speak of: its ink ends at the advance.
        let text = "Kapustin Yar V";
        let size = 13.0;
        let cv = render(200, 30, &[run(text, [20.3, 5.0], size, Align::Left)]);
        let right = ink_box(&cv, 0.05)[2] as f64;
        let width = text_width_px(text, size, false);
        assert!(
            (right - (20.3 + width)).abs() <= 1.0,
            "ink right {right}, laid out {}",
            20.3 + width
        );
        let outline = 20.3 + outline_right(text, size);
        assert!((right - outline).abs() <= 1.0, "{right} vs {outline}");
    }

    #[test]
    fn subpixel_positions_shift_the_ink() {
        let a = render(120, 30, &[run("Kapustin", [10.0, 5.0], 13.0, Align::Left)]);
        let b = render(120, 30, &[run("Kapustin", [10.5, 5.0], 13.0, Align::Left)]);
        assert_ne!(a.data, b.data, "half a pixel must change the pixels");
        let shift = ink_centroid_x(&b) - ink_centroid_x(&a);
        assert!((shift - 0.5).abs() < 0.1, "centroid moved {shift} px");
        // A whole pixel moves the same pixels by one column.
        let c = render(120, 30, &[run("Kapustin", [11.0, 5.0], 13.0, Align::Left)]);
        let shift = ink_centroid_x(&c) - ink_centroid_x(&a);
        assert!((shift - 1.0).abs() < 1e-6, "{shift}");
    }

    #[test]
    fn alignment_uses_the_kerned_width() {
        // 'A' and 'V' end at their advance, so the ink's right edge is the anchor.
        let cv = render(200, 40, &[run("AVA", [150.0, 5.0], 20.0, Align::Right)]);
        let b = ink_box(&cv, 0.05);
        let right = 150.0 - text_width_px("AVA", 20.0, false) + outline_right("AVA", 20.0);
        assert!((b[2] as f64 - right).abs() <= 1.0, "{b:?} vs {right}");
        assert!((b[2] as f64 - 150.0).abs() <= 1.0, "{b:?}");

        // "HOH" is symmetric: centred on 100, its ink centre is at 100.
        let cv = render(200, 40, &[run("HOH", [100.0, 5.0], 20.0, Align::Center)]);
        let b = ink_box(&cv, 0.05);
        let mid = (b[0] + b[2]) as f64 / 2.0;
        assert!((mid - 100.0).abs() <= 1.0, "{b:?}");
        assert!((ink_centroid_x(&cv) - 100.0).abs() <= 0.5);
    }

    #[test]
    fn baseline_is_at_the_line_box_fraction() {
        let (top, size) = (10.0, 20.0);
        let cv = render(100, 50, &[run("HHH", [5.0, top], size, Align::Left)]);
        let b = ink_box(&cv, 0.5);
        let baseline = top + BASELINE_FRACTION * size;
        assert!((b[3] as f64 - baseline).abs() <= 0.5, "{b:?} vs {baseline}");
        // Cap height of DejaVu Sans: 1493 of 2384 units of line height.
        let cap_top = baseline - size * 1493.0 / 2384.0;
        assert!((b[1] as f64 - cap_top).abs() <= 1.0, "{b:?} vs {cap_top}");
    }

    #[test]
    fn halo_surrounds_the_glyphs_in_one_blend() {
        // Grey background, opaque red halo, black text: an 'l' stem at size 26 (radius 2).
        let grey = Rgba::hex(0x646464);
        let mut cv = Canvas::new(60, 50);
        cv.fill_rings(
            &[&[[0.0, 0.0], [60.0, 0.0], [60.0, 50.0], [0.0, 50.0]]],
            grey,
        );
        let mut tr = TextRasterizer::new().unwrap();
        let mut r = run("l", [20.0, 5.0], 26.0, Align::Left);
        r.halo = Some(Rgba::hex(0xFF0000));
        tr.draw(&mut cv, &r);
        // The stem's columns: black at mid-height.
        let y = 20;
        let row: Vec<[u8; 3]> = (0..60).map(|x| cv.pixel(x, y)).collect();
        let stem: Vec<usize> = (0..60).filter(|&x| row[x] == [0, 0, 0]).collect();
        assert!(!stem.is_empty(), "{row:?}");
        let (l, r_) = (stem[0], stem[stem.len() - 1]);
        assert!(r_ - l < 4);
        // One pixel outside the stem on either side: pure halo colour.
        assert_eq!(cv.pixel(l - 2, y), [255, 0, 0]);
        assert_eq!(cv.pixel(r_ + 2, y), [255, 0, 0]);
        // Far away: untouched background.
        assert_eq!(cv.pixel(l - 6, y), [100, 100, 100]);
        assert_eq!(cv.pixel(r_ + 6, y), [100, 100, 100]);

        // A half-transparent halo is blended once: grey + (white − grey) × 0.5, not the
        // compounded colour of several overlapping copies.
        let mut cv = Canvas::new(60, 50);
        cv.fill_rings(
            &[&[[0.0, 0.0], [60.0, 0.0], [60.0, 50.0], [0.0, 50.0]]],
            grey,
        );
        r.halo = Some(Rgba::hex(0xFFFFFF).alpha(0.5));
        tr.draw(&mut cv, &r);
        let once = (100.0 + 155.0 * 0.5_f64).round() as u8;
        for x in [l - 2, r_ + 2] {
            let p = cv.pixel(x, y);
            assert!(p.iter().all(|&c| c.abs_diff(once) <= 1), "{p:?} vs {once}");
        }
        // The glyph itself is drawn once over the halo: black where the stem is solid.
        assert_eq!(cv.pixel(l, y), [0, 0, 0]);
    }

    #[test]
    fn halo_widens_a_stem_by_the_radius_on_each_side() {
        // Summed ink across a row through the stem of an 'l': a halo in the text colour adds
        // exactly 2 × radius to it (coverage is area, and the stem's edges are straight).
        for size in [9.0, 10.4, 13.0, 19.5, 26.0, 40.0] {
            let (w, h) = (80, 70);
            let mut r = run("l", [30.0, 5.0], size, Align::Left);
            let y = (5.0 + (BASELINE_FRACTION - 0.3) * size) as usize;
            let row_ink = |cv: &Canvas| -> f64 { ink(cv)[y * w..(y + 1) * w].iter().sum() };
            let bare = row_ink(&render(w, h, &[r]));
            r.halo = Some(INK);
            let haloed = row_ink(&render(w, h, &[r]));
            let radius = halo_radius_px(size);
            assert!(
                (haloed - bare - 2.0 * radius).abs() < 0.05,
                "size {size}: stem {bare:.3} px, with halo {haloed:.3} px, radius {radius}"
            );
        }
        assert_eq!(halo_radius_px(13.0), 1.0);
        assert_eq!(halo_radius_px(5.0), 0.8);
        assert_eq!(halo_radius_px(40.0), 2.0);
    }

    #[test]
    fn missing_and_control_characters_draw_boxes_without_panic() {
        let cv = render(100, 40, &[run("\u{4E2D}", [10.0, 5.0], 20.0, Align::Left)]);
        let b = ink_box(&cv, 0.5);
        assert!(b[2] - b[0] >= 5 && b[3] - b[1] >= 5, ".notdef box: {b:?}");
        for s in ["\n", "\t\u{7}\u{0}", "a\u{feff}b", "\u{10FFFF}", " "] {
            let _ = render(100, 40, &[run(s, [10.0, 5.0], 20.0, Align::Center)]);
        }
    }

    #[test]
    fn off_canvas_and_degenerate_runs_are_clipped() {
        let runs = [
            run("Clipped at the left", [-30.0, 5.0], 13.0, Align::Left),
            run("Clipped at the right", [90.0, 5.0], 13.0, Align::Left),
            run("Above", [10.0, -30.0], 13.0, Align::Left),
            run("Far away", [1e7, 1e7], 13.0, Align::Left),
            run("NaN", [f64::NAN, 5.0], 13.0, Align::Left),
            run("Zero", [10.0, 5.0], 0.0, Align::Left),
            run("", [10.0, 5.0], 13.0, Align::Left),
        ];
        let mut cv = Canvas::new(100, 30);
        let mut tr = TextRasterizer::new().unwrap();
        for mut r in runs {
            r.halo = Some(BG);
            tr.draw(&mut cv, &r);
        }
        let b = ink_box(&cv, 0.5);
        assert_eq!(b[0], 0, "left-clipped text reaches the edge");
        assert_eq!(b[2], 100, "right-clipped text reaches the edge");
    }
}
