//! Drawing a [`DisplayList`] to PNG (and, through [`super::svg`], to SVG).
//!
//! Filled and stroked geometry is scan-converted here with the non-zero rule and 4×
//! vertical / exact horizontal anti-aliasing (all rings of an item at once, so adjacent
//! pieces such as a band cut at ±180 show no seam) into an RGB buffer, the [`Canvas`].
//! Texts are then drawn into the same buffer by [`super::text_raster`], with the embedded
//! DejaVu fonts (no system font is needed) and the layout's own metrics.

use std::io::Write;
use std::path::Path;

use super::display_list::{DisplayList, Item, ScreenPolygon};
use super::style::Rgba;
use super::text_raster::{TextRasterizer, TextRun};
use super::RenderError;

fn backend_err<E: std::fmt::Debug>(e: E) -> RenderError {
    RenderError::Backend(format!("{e:?}"))
}

// ---------------------------------------------------------------------------------------
// Scan conversion for the PNG.

/// An RGB8 pixel buffer with anti-aliased non-zero polygon filling.
pub struct Canvas {
    w: usize,
    h: usize,
    /// RGB bytes, row-major.
    pub data: Vec<u8>,
    cov: Vec<f32>,
}

struct Edge {
    x0: f64,
    y0: f64,
    x1: f64,
    y1: f64,
    dir: i32,
}

const SUBSAMPLES: usize = 4;

impl Canvas {
    /// A white canvas.
    pub fn new(w: usize, h: usize) -> Self {
        Self {
            w,
            h,
            data: vec![255; w * h * 3],
            cov: vec![0.0; w + 2],
        }
    }

    /// Width, pixels.
    pub fn width(&self) -> usize {
        self.w
    }

    /// Height, pixels.
    pub fn height(&self) -> usize {
        self.h
    }

    /// The RGB value at pixel (x, y).
    pub fn pixel(&self, x: usize, y: usize) -> [u8; 3] {
        let i = (y * self.w + x) * 3;
        [self.data[i], self.data[i + 1], self.data[i + 2]]
    }

    /// Mixes `c` into pixel (x, y) with opacity `a` (clamped to 0..=1), linearly in sRGB.
    pub(super) fn blend(&mut self, x: usize, y: usize, c: Rgba, a: f64) {
        let i = (y * self.w + x) * 3;
        let a = a.clamp(0.0, 1.0);
        for (k, v) in [c.r, c.g, c.b].into_iter().enumerate() {
            let d = f64::from(self.data[i + k]);
            self.data[i + k] = (d + (f64::from(v) - d) * a).round() as u8;
        }
    }

    /// Fills rings together with the non-zero winding rule.
    pub fn fill_rings(&mut self, rings: &[&[[f64; 2]]], color: Rgba) {
        if color.a <= 0.0 {
            return;
        }
        let mut edges: Vec<Edge> = Vec::new();
        for ring in rings {
            let n = ring.len();
            if n < 3 {
                continue;
            }
            for i in 0..n {
                let (a, b) = (ring[i], ring[(i + 1) % n]);
                if !(a[0].is_finite() && a[1].is_finite() && b[0].is_finite() && b[1].is_finite())
                    || a[1] == b[1]
                {
                    continue;
                }
                if a[1] < b[1] {
                    edges.push(Edge {
                        x0: a[0],
                        y0: a[1],
                        x1: b[0],
                        y1: b[1],
                        dir: 1,
                    });
                } else {
                    edges.push(Edge {
                        x0: b[0],
                        y0: b[1],
                        x1: a[0],
                        y1: a[1],
                        dir: -1,
                    });
                }
            }
        }
        if edges.is_empty() {
            return;
        }
        edges.sort_by(|a, b| a.y0.total_cmp(&b.y0));
        let y_lo = edges[0].y0.floor().max(0.0) as usize;
        let y_hi_f = edges.iter().map(|e| e.y1).fold(f64::MIN, f64::max);
        if y_hi_f < 0.0 || y_lo >= self.h {
            return;
        }
        let y_hi = (y_hi_f.ceil() as usize).min(self.h - 1);
        let mut next = 0;
        let mut active: Vec<usize> = Vec::new();
        let mut xs: Vec<(f64, i32)> = Vec::new();
        let wf = self.w as f64;
        let weight = 1.0 / SUBSAMPLES as f32;
        for py in y_lo..=y_hi {
            let (mut touched_lo, mut touched_hi) = (usize::MAX, 0usize);
            for s in 0..SUBSAMPLES {
                let sy = py as f64 + (s as f64 + 0.5) / SUBSAMPLES as f64;
                while next < edges.len() && edges[next].y0 <= sy {
                    active.push(next);
                    next += 1;
                }
                active.retain(|&i| edges[i].y1 > sy);
                xs.clear();
                for &i in &active {
                    let e = &edges[i];
                    if e.y0 <= sy {
                        let t = (sy - e.y0) / (e.y1 - e.y0);
                        xs.push((e.x0 + (e.x1 - e.x0) * t, e.dir));
                    }
                }
                xs.sort_by(|a, b| a.0.total_cmp(&b.0));
                let mut winding = 0;
                let mut start = 0.0;
                for &(x, d) in &xs {
                    let before = winding;
                    winding += d;
                    if before == 0 && winding != 0 {
                        start = x;
                    } else if before != 0 && winding == 0 {
                        let (xa, xb) = (start.clamp(0.0, wf), x.clamp(0.0, wf));
                        if xb > xa {
                            let (ia, ib) = (xa.floor() as usize, xb.floor() as usize);
                            touched_lo = touched_lo.min(ia);
                            touched_hi = touched_hi.max(ib.min(self.w - 1));
                            if ia == ib {
                                self.cov[ia] += (xb - xa) as f32 * weight;
                            } else {
                                self.cov[ia] += (ia as f64 + 1.0 - xa) as f32 * weight;
                                for c in &mut self.cov[ia + 1..ib] {
                                    *c += weight;
                                }
                                if ib < self.w {
                                    self.cov[ib] += (xb - ib as f64) as f32 * weight;
                                }
                            }
                        }
                    }
                }
            }
            if touched_lo <= touched_hi {
                for x in touched_lo..=touched_hi {
                    let c = self.cov[x];
                    if c > 0.002 {
                        self.blend(x, py, color, color.a * f64::from(c.min(1.0)));
                    }
                    self.cov[x] = 0.0;
                }
                self.cov[self.w] = 0.0;
            }
        }
    }

    /// Strokes polylines of width `width_px` with round joins (as one non-zero fill).
    pub fn stroke(&mut self, lines: &[Vec<[f64; 2]>], color: Rgba, width_px: f64) {
        let hw = (width_px / 2.0).max(0.35);
        let joins = width_px > 1.4;
        let mut polys: Vec<Vec<[f64; 2]>> = Vec::new();
        for line in lines {
            for (i, w) in line.windows(2).enumerate() {
                let (a, b) = (w[0], w[1]);
                let (dx, dy) = (b[0] - a[0], b[1] - a[1]);
                let len = dx.hypot(dy);
                if len < 1e-9 || !len.is_finite() {
                    continue;
                }
                let (nx, ny) = (-dy / len * hw, dx / len * hw);
                // Extend thin segments a little so joints do not show gaps.
                let (ex, ey) = if joins {
                    (0.0, 0.0)
                } else {
                    (dx / len * hw * 0.5, dy / len * hw * 0.5)
                };
                let quad = vec![
                    [a[0] + nx - ex, a[1] + ny - ey],
                    [b[0] + nx + ex, b[1] + ny + ey],
                    [b[0] - nx + ex, b[1] - ny + ey],
                    [a[0] - nx - ex, a[1] - ny - ey],
                ];
                polys.push(oriented(quad));
                if joins && i + 1 < line.len() - 1 {
                    polys.push(circle_ring(b, hw, 10));
                }
            }
            if joins && line.len() >= 2 {
                polys.push(circle_ring(line[0], hw, 10));
                polys.push(circle_ring(line[line.len() - 1], hw, 10));
            }
        }
        let refs: Vec<&[[f64; 2]]> = polys.iter().map(Vec::as_slice).collect();
        self.fill_rings(&refs, color);
    }
}

fn oriented(mut ring: Vec<[f64; 2]>) -> Vec<[f64; 2]> {
    if super::display_list::signed_area(&ring) < 0.0 {
        ring.reverse();
    }
    ring
}

/// A circle as a positively oriented ring.
pub fn circle_ring(c: [f64; 2], r: f64, min_steps: usize) -> Vec<[f64; 2]> {
    let n = ((r * 3.0) as usize).clamp(min_steps, 96);
    oriented(
        (0..n)
            .map(|i| {
                let t = std::f64::consts::TAU * i as f64 / n as f64;
                [c[0] + r * t.cos(), c[1] + r * t.sin()]
            })
            .collect(),
    )
}

fn polygon_rings(polys: &[ScreenPolygon]) -> Vec<&[[f64; 2]]> {
    let mut v: Vec<&[[f64; 2]]> = Vec::new();
    for p in polys {
        v.push(&p.exterior);
        for h in &p.holes {
            v.push(h);
        }
    }
    v
}

/// Rasterises every non-text item of the list.
pub fn rasterize_shapes(list: &DisplayList) -> Canvas {
    let mut cv = Canvas::new(list.width_px as usize, list.height_px as usize);
    for it in &list.items {
        match it {
            Item::Fill {
                polygons, color, ..
            } => cv.fill_rings(&polygon_rings(polygons), *color),
            Item::Stroke {
                lines,
                color,
                width_px,
                ..
            } => cv.stroke(lines, *color, *width_px),
            Item::Disc {
                center,
                radius_px,
                fill,
                outline,
                ..
            } => {
                let ring = circle_ring(*center, *radius_px, 16);
                cv.fill_rings(&[&ring], *fill);
                if let Some((oc, ow)) = outline {
                    let mut closed = ring.clone();
                    closed.push(ring[0]);
                    cv.stroke(&[closed], *oc, *ow);
                }
            }
            Item::Text { .. } => {}
        }
    }
    cv
}

/// Renders the list to RGB8 bytes (row-major, `width_px * height_px * 3`).
pub fn to_rgb(list: &DisplayList) -> Result<Vec<u8>, RenderError> {
    let mut text = TextRasterizer::new()?;
    let mut cv = rasterize_shapes(list);
    for run in list.items.iter().filter_map(TextRun::from_item) {
        text.draw(&mut cv, &run);
    }
    Ok(cv.data)
}

/// Encodes the display list as an 8-bit RGB PNG.
pub fn encode_png(list: &DisplayList, out: &mut dyn Write) -> Result<(), RenderError> {
    let rgb = to_rgb(list)?;
    let mut enc = png::Encoder::new(out, list.width_px, list.height_px);
    enc.set_color(png::ColorType::Rgb);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header().map_err(backend_err)?;
    w.write_image_data(&rgb).map_err(backend_err)?;
    w.finish().map_err(backend_err)?;
    Ok(())
}

/// Writes the PNG atomically (temporary file, then rename).
pub fn write_png(list: &DisplayList, path: &Path) -> crate::Result<()> {
    crate::export::atomic::write_atomic(path, |w| Ok(encode_png(list, w)?))
}

/// Renders the list to an SVG document; see [`super::svg::to_svg`].
pub fn to_svg(list: &DisplayList) -> Result<String, RenderError> {
    super::svg::to_svg(list)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fills_square_with_antialiased_edges() {
        let mut cv = Canvas::new(20, 20);
        let sq = [[5.0, 5.0], [15.5, 5.0], [15.5, 15.0], [5.0, 15.0]];
        cv.fill_rings(&[&sq], Rgba::hex(0x000000));
        assert_eq!(cv.pixel(10, 10), [0, 0, 0]);
        assert_eq!(cv.pixel(2, 2), [255, 255, 255]);
        let edge = cv.pixel(15, 10)[0];
        assert!(edge > 100 && edge < 160, "{edge}");
    }

    #[test]
    fn holes_stay_empty_and_adjacent_pieces_have_no_seam() {
        let mut cv = Canvas::new(40, 40);
        let outer = [[0.0, 0.0], [0.0, 40.0], [40.0, 40.0], [40.0, 0.0]];
        let outer = oriented(outer.to_vec());
        let mut hole = vec![[10.0, 10.0], [30.0, 10.0], [30.0, 30.0], [10.0, 30.0]];
        if super::super::display_list::signed_area(&hole) > 0.0 {
            hole.reverse();
        }
        cv.fill_rings(&[&outer, &hole], Rgba::hex(0x000000));
        assert_eq!(cv.pixel(20, 20), [255, 255, 255]);
        assert_eq!(cv.pixel(5, 5), [0, 0, 0]);

        let mut cv = Canvas::new(40, 10);
        let a = oriented(vec![[0.0, 0.0], [20.3, 0.0], [20.3, 10.0], [0.0, 10.0]]);
        let b = oriented(vec![[20.3, 0.0], [40.0, 0.0], [40.0, 10.0], [20.3, 10.0]]);
        cv.fill_rings(&[&a, &b], Rgba::hex(0x000000));
        assert_eq!(cv.pixel(20, 5), [0, 0, 0]);
    }
}
