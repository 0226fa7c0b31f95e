//! How the map looks: colours (basemap, Okabe–Ito band palette), city marker sizes and
//! dash patterns. Everything here is in screen pixels or sRGB; no geography.

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
    /// The zone under the first band edge (what a short-range system reaches).
    pub const BELOW_ZONE: Rgba = Rgba::hex(0x7B3294);
}

/// City marker radius for a population, pixels at size factor `s`.
pub fn city_radius_px(population: u64, s: f64) -> f64 {
    let p = population.max(1) as f64;
    (2.2 + 1.6 * (p / 100_000.0).max(1.0).log2().min(7.0) * 0.6) * s.max(0.5)
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
}
