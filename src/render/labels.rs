//! Text metrics (embedded DejaVu fonts) and greedy overlap-free label placement.

use std::sync::OnceLock;

use ab_glyph::{Font, FontRef, GlyphId, ScaleFont};

use super::RenderError;

/// DejaVu Sans (Bitstream Vera licence, see `data/fonts/LICENSE-DejaVu`).
pub const FONT_REGULAR: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/fonts/DejaVuSans.ttf"
));
/// DejaVu Sans Bold.
pub const FONT_BOLD: &[u8] = include_bytes!(concat!(
    env!("CARGO_MANIFEST_DIR"),
    "/data/fonts/DejaVuSans-Bold.ttf"
));

/// The embedded DejaVu face (regular or bold), parsed once per process. Every user of the
/// fonts — layout metrics, the PNG text rasteriser, the SVG writer — takes them from here.
pub fn font(bold: bool) -> Result<&'static FontRef<'static>, RenderError> {
    static REGULAR: OnceLock<Result<FontRef<'static>, String>> = OnceLock::new();
    static BOLD: OnceLock<Result<FontRef<'static>, String>> = OnceLock::new();
    let (cell, bytes, file) = if bold {
        (&BOLD, FONT_BOLD, "DejaVuSans-Bold.ttf")
    } else {
        (&REGULAR, FONT_REGULAR, "DejaVuSans.ttf")
    };
    cell.get_or_init(|| {
        FontRef::try_from_slice(bytes).map_err(|_| format!("embedded {file} is not a usable font"))
    })
    .as_ref()
    .map_err(|e| RenderError::Font(e.clone()))
}

/// Sets one line of `text` at `size_px` (the font's line height in pixels): calls `glyph`
/// with each glyph, the kerning applied before it and its pen position (pixels from the
/// line's start), and returns the line's width in pixels. This is the one place advances
/// and kerning are summed, so measured widths, PNG glyphs and SVG `dx` agree.
pub fn set_line(
    font: &FontRef<'_>,
    text: &str,
    size_px: f32,
    mut glyph: impl FnMut(GlyphId, f32, f32),
) -> f32 {
    let scaled = font.as_scaled(size_px);
    let mut pen = 0f32;
    let mut prev = None;
    for c in text.chars() {
        let id = scaled.glyph_id(c);
        let kern = prev.map_or(0.0, |p| scaled.kern(p, id));
        pen += kern;
        glyph(id, kern, pen);
        pen += scaled.h_advance(id);
        prev = Some(id);
    }
    pen
}

/// Width of `text` set at `size_px` (the font's line height in pixels), pixels.
pub fn text_width_px(text: &str, size_px: f64, bold: bool) -> f64 {
    let Ok(f) = font(bold) else {
        return 0.6 * size_px * text.chars().count() as f64;
    };
    f64::from(set_line(f, text, size_px as f32, |_, _, _| {}))
}

/// Splits `text` into lines no wider than `max_width_px`.
pub fn wrap(text: &str, size_px: f64, bold: bool, max_width_px: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in text.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_string()
        } else {
            format!("{cur} {word}")
        };
        if !cur.is_empty() && text_width_px(&candidate, size_px, bold) > max_width_px {
            lines.push(std::mem::replace(&mut cur, word.to_string()));
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// An axis-aligned box in pixels: `[left, top, right, bottom]`.
pub type BoxPx = [f64; 4];

/// Whether two boxes overlap (touching edges do not count).
pub fn overlaps(a: &BoxPx, b: &BoxPx) -> bool {
    a[0] < b[2] && b[0] < a[2] && a[1] < b[3] && b[1] < a[3]
}

/// Greedy placer: each label takes the first candidate box that stays inside the bounds and
/// overlaps no box placed or reserved before it.
///
/// Candidates are checked with a clearance of `pad` pixels, so two labels never touch (a
/// row of graticule degrees does not run together into one string).
#[derive(Debug, Clone)]
pub struct LabelPlacer {
    bounds: BoxPx,
    taken: Vec<BoxPx>,
    pad: f64,
}

impl LabelPlacer {
    /// A placer for labels inside `bounds`, keeping `pad` pixels between boxes.
    pub fn new(bounds: BoxPx, pad: f64) -> Self {
        Self {
            bounds,
            taken: Vec::new(),
            pad,
        }
    }

    /// Marks a box as occupied (markers, scale bar, ...).
    pub fn reserve(&mut self, b: BoxPx) {
        self.taken.push(b);
    }

    /// Places the first free candidate; returns its index.
    pub fn place(&mut self, candidates: &[BoxPx]) -> Option<usize> {
        for (i, c) in candidates.iter().enumerate() {
            let inside = c[0] >= self.bounds[0]
                && c[1] >= self.bounds[1]
                && c[2] <= self.bounds[2]
                && c[3] <= self.bounds[3];
            let padded = [
                c[0] - self.pad,
                c[1] - self.pad,
                c[2] + self.pad,
                c[3] + self.pad,
            ];
            if inside && !self.taken.iter().any(|t| overlaps(t, &padded)) {
                self.taken.push(*c);
                return Some(i);
            }
        }
        None
    }

    /// Boxes placed or reserved so far.
    pub fn taken(&self) -> &[BoxPx] {
        &self.taken
    }
}

/// Candidate label boxes around a marker at `p` with radius `r_px`, for a label `w`×`h`
/// pixels, in order of cartographic preference (right, upper right, lower right, left, ...).
pub fn candidates_around(p: [f64; 2], r_px: f64, w: f64, h: f64) -> Vec<BoxPx> {
    let at = |x: f64, y: f64| [x, y, x + w, y + h];
    let mut out = Vec::with_capacity(16);
    // A close ring of positions, then a wider one for crowded places.
    for g in [2.0 + r_px, 2.0 + r_px + 0.8 * h] {
        let d = g * std::f64::consts::FRAC_1_SQRT_2;
        out.extend([
            at(p[0] + g + 1.0, p[1] - h / 2.0),
            at(p[0] + d, p[1] - d - h),
            at(p[0] + d, p[1] + d),
            at(p[0] - g - 1.0 - w, p[1] - h / 2.0),
            at(p[0] - d - w, p[1] - d - h),
            at(p[0] - d - w, p[1] + d),
            at(p[0] - w / 2.0, p[1] - g - h),
            at(p[0] - w / 2.0, p[1] + g),
        ]);
    }
    out
}

/// Candidate boxes for a label that does not fit beside its marker: on three wider rings
/// (about 2.5, 4.5 and 6.5 label heights out), in 16 directions, nearest first. Such a label is
/// drawn with a [`leader_line`].
pub fn candidates_displaced(p: [f64; 2], r_px: f64, w: f64, h: f64) -> Vec<BoxPx> {
    candidates_on_rings(p, r_px, w, h, &[2.5, 4.5, 6.5], None)
}

/// Candidate boxes on rings `ring_heights` label heights beyond the marker's radius, 16
/// directions each, ring by ring. Within a ring the directions run from east clockwise on
/// screen, or, with `toward` (a screen direction), nearest that direction first — so a
/// label in a cluster of markers leaves it on the side away from the others.
pub fn candidates_on_rings(
    p: [f64; 2],
    r_px: f64,
    w: f64,
    h: f64,
    ring_heights: &[f64],
    toward: Option<[f64; 2]>,
) -> Vec<BoxPx> {
    let mut order: Vec<u32> = (0..16).collect();
    if let Some(t) = toward {
        let want = t[1].atan2(t[0]);
        let off = |k: u32| {
            let a = std::f64::consts::TAU * f64::from(k) / 16.0;
            let d = (a - want).rem_euclid(std::f64::consts::TAU);
            d.min(std::f64::consts::TAU - d)
        };
        order.sort_by(|&a, &b| off(a).total_cmp(&off(b)).then(a.cmp(&b)));
    }
    let mut out = Vec::with_capacity(16 * ring_heights.len());
    for dist in ring_heights.iter().map(|k| r_px + k * h) {
        for &k in &order {
            let a = std::f64::consts::TAU * f64::from(k) / 16.0;
            let (dx, dy) = (a.cos() * dist, a.sin() * dist);
            // Anchor the box by its side facing the marker.
            let x = if dx >= 0.0 { p[0] + dx } else { p[0] + dx - w };
            let y = p[1] + dy - h / 2.0;
            out.push([x, y, x + w, y + h]);
        }
    }
    out
}

/// A leader line from the edge of a marker at `p` (radius `r_px`) to the nearest point of
/// label box `b`.
pub fn leader_line(p: [f64; 2], r_px: f64, b: &BoxPx) -> Vec<[f64; 2]> {
    let q = [p[0].clamp(b[0], b[2]), p[1].clamp(b[1], b[3])];
    let (dx, dy) = (q[0] - p[0], q[1] - p[1]);
    let d = dx.hypot(dy).max(1e-9);
    vec![
        [p[0] + dx / d * (r_px + 1.0), p[1] + dy / d * (r_px + 1.0)],
        q,
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn widths_grow_with_text_and_size() {
        let a = text_width_px("Berlin", 14.0, false);
        assert!(a > 30.0 && a < 70.0, "{a}");
        assert!(text_width_px("Berlin", 28.0, false) > 1.9 * a);
        assert!(text_width_px("Berlin", 14.0, true) > a);
    }

    #[test]
    fn placer_never_overlaps() {
        let mut p = LabelPlacer::new([0.0, 0.0, 200.0, 200.0], 0.0);
        let mut placed = 0;
        for i in 0..50 {
            let x = f64::from(i % 7) * 25.0 + 10.0;
            let y = f64::from(i / 7) * 20.0 + 10.0;
            if p.place(&candidates_around([x, y], 3.0, 40.0, 12.0))
                .is_some()
            {
                placed += 1;
            }
        }
        assert!(placed > 5);
        let t = p.taken();
        for i in 0..t.len() {
            for j in i + 1..t.len() {
                assert!(!overlaps(&t[i], &t[j]));
            }
        }
    }

    #[test]
    fn displaced_candidates_start_on_the_wanted_side() {
        let p = [100.0, 100.0];
        // Unchanged order without a direction: the first candidate lies east.
        assert_eq!(
            candidates_displaced(p, 5.0, 40.0, 10.0),
            candidates_on_rings(p, 5.0, 40.0, 10.0, &[2.5, 4.5, 6.5], None)
        );
        // Towards the west (-x): the first box lies left of the marker, the first of each
        // ring too, and every ring keeps all 16 directions.
        let c = candidates_on_rings(p, 5.0, 40.0, 10.0, &[2.5, 6.5], Some([-1.0, 0.0]));
        assert_eq!(c.len(), 32);
        for first in [c[0], c[16]] {
            assert!(first[2] < p[0], "{first:?}");
            assert!(first[1] < p[1] && first[3] > p[1], "{first:?}");
        }
        // Towards the south (+y on screen): below the marker.
        let c = candidates_on_rings(p, 5.0, 40.0, 10.0, &[2.5], Some([0.0, 1.0]));
        assert!(c[0][1] > p[1], "{:?}", c[0]);
    }

    #[test]
    fn wraps_long_text() {
        let lines = wrap("one two three four five six seven", 14.0, false, 80.0);
        assert!(lines.len() >= 3);
        assert!(lines
            .iter()
            .all(|l| text_width_px(l, 14.0, false) <= 80.0 || !l.contains(' ')));
    }
}
