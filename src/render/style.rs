//! How the map looks: colours (basemap, range-band palette), city marker sizes and dash
//! patterns. Everything here is in screen pixels or sRGB; no geography.
//!
//! The colours are chosen together and checked together (the tests at the end of this
//! file): band fills as drawn (at [`BAND_FILL_ALPHA`] over sea, other land and allied
//! land), the zone under the first band ([`colors::BELOW_ZONE`]) and the city dots stay
//! apart by a minimum CIEDE2000 difference under normal vision and under simulated
//! protanopia, deuteranopia and tritanopia (Machado, Oliveira & Fernandes 2009); sea and
//! land stay apart under every tint; and no band colour is blue or cyan, so no band reads
//! as water.

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

    /// This colour, at its own opacity, painted over the opaque colour `base`: mixed
    /// per channel in sRGB and rounded, as the PNG backend blends (SVG viewers blend in
    /// sRGB too). The result is opaque.
    pub fn over(self, base: Rgba) -> Self {
        let a = self.a.clamp(0.0, 1.0);
        let m = |d: u8, v: u8| (f64::from(d) + (f64::from(v) - f64::from(d)) * a).round() as u8;
        Self {
            r: m(base.r, self.r),
            g: m(base.g, self.g),
            b: m(base.b, self.b),
            a: 1.0,
        }
    }

    /// `#rrggbb`.
    pub fn hex_string(&self) -> String {
        format!("#{:02X}{:02X}{:02X}", self.r, self.g, self.b)
    }
}

/// Range-band colours, nearest band first: red, orange, purple, brown, pink, lilac.
///
/// The nearest bands are the most intense: a dark red, then a lighter orange (red and
/// orange collapse into one olive hue for protan and deutan readers, so they are kept
/// about 30 L* apart and stay apart by lightness). Then hues from the other side of the
/// wheel (purple, pink, lilac) with a brown between them. No blue, cyan or teal: those
/// read as water (`is_sea_like` in the tests). Found by a search, within those hue
/// families, for the largest worst-case margin over the checks in the tests at the end
/// of this file (CIEDE2000 under normal vision and simulated protanopia, deuteranopia
/// and tritanopia; dot contrast), then verified there.
///
/// CIELAB (L*, C*, h°): 38.5/82/40, 67.8/76/72, 52.9/96/322, 41.9/25/45, 57.0/77/2,
/// 67.8/42/322.
pub const BAND_PALETTE: [Rgba; 6] = [
    Rgba::hex(0xB90300),
    Rgba::hex(0xE69305),
    Rgba::hex(0xC83AE5),
    Rgba::hex(0x875746),
    Rgba::hex(0xFB3688),
    Rgba::hex(0xCB91D4),
];
/// Opacity of band (and below-zone) fills.
pub const BAND_FILL_ALPHA: f64 = 0.30;
/// How much a zone colour is darkened (towards black, [`Rgba::darker`]) for its city
/// dots and rings.
pub const DOT_DARKEN: f64 = 0.25;
/// How much a zone colour is darkened for the zone's outline.
pub const OUTLINE_DARKEN: f64 = 0.15;

/// Colour of band `i` (0 = nearest). Beyond [`BAND_PALETTE`]'s six colours the palette
/// repeats (band 6 is coloured like band 0): neighbouring bands always differ, and the
/// legend lists bands in order.
pub fn band_color(i: usize) -> Rgba {
    BAND_PALETTE[i % BAND_PALETTE.len()]
}

/// City dot (and ring) colour of band `i`: [`band_color`] darkened by [`DOT_DARKEN`].
pub fn band_dot_color(i: usize) -> Rgba {
    band_color(i).darker(DOT_DARKEN)
}

/// Outline colour of band `i`: [`band_color`] darkened by [`OUTLINE_DARKEN`].
pub fn band_outline_color(i: usize) -> Rgba {
    band_color(i).darker(OUTLINE_DARKEN)
}

/// Colour of the zone under the first band's inner edge (closer than every band; cities a
/// short-range system reaches), drawn like a band: fill at [`BAND_FILL_ALPHA`], outline
/// darkened by [`OUTLINE_DARKEN`], dots by [`DOT_DARKEN`].
pub fn below_zone_color() -> Rgba {
    colors::BELOW_ZONE
}

/// City dot (and ring) colour of the below-first-band zone.
pub fn below_zone_dot_color() -> Rgba {
    colors::BELOW_ZONE.darker(DOT_DARKEN)
}

/// Basemap colours.
pub mod colors {
    use super::Rgba;
    /// Canvas.
    pub const PAPER: Rgba = Rgba::hex(0xFFFFFF);
    /// Frame outside the projection's domain.
    pub const OUTSIDE: Rgba = Rgba::hex(0xF3F3F1);
    /// Sea: a light blue (L* 92.5, C* 11), 8 L* lighter than other land, so that under
    /// every band tint sea and land stay apart in lightness as well as in hue (hue alone
    /// fails for tritan readers).
    pub const SEA: Rgba = Rgba::hex(0xD5EDFC);
    /// Non-allied land: a warm grey (L* 84.6), darker than sea and allied land.
    pub const LAND: Rgba = Rgba::hex(0xD5D3CF);
    /// Allied land: a pale cream (L* 97.6, C* 10), the brightest ground, so allied
    /// countries stand out, band tints over them stay light, and city dots on them keep
    /// a 3:1 contrast.
    pub const ALLIED: Rgba = Rgba::hex(0xFEF8E5);
    /// The zone under the first band edge (closer than every band): a deep purple (L*
    /// 27, h 317°), apart from the warm nearest bands in hue and lightness for every
    /// reader. See [`below_zone_color`].
    pub const BELOW_ZONE: Rgba = Rgba::hex(0x680496);
    /// Borders and coasts.
    pub const BORDER: Rgba = Rgba::hex(0x9E9C96);
    /// Graticule.
    pub const GRATICULE: Rgba = Rgba::hex(0x6F8294);
    /// Main text.
    pub const TEXT: Rgba = Rgba::hex(0x1E1E1E);
    /// Secondary text.
    pub const TEXT_MUTED: Rgba = Rgba::hex(0x5A5A5A);
    /// Cities outside every band: a mid grey (L* 63), apart from every band dot.
    pub const CITY_OUT: Rgba = Rgba::hex(0x999999);
    /// Reach rings.
    pub const REACH: Rgba = Rgba::hex(0x222222);
}

/// City marker radius for a population, pixels at size factor `s`: 1.8 px up to 100,000
/// people, then 0.75 px more per doubling, up to 7 doublings (12.8 million).
pub fn city_radius_px(population: u64, s: f64) -> f64 {
    let p = population.max(1) as f64;
    (1.8 + 0.75 * (p / 100_000.0).max(1.0).log2().min(7.0)) * s.max(0.5)
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

/// Colour checks: the palette, the basemap and the city dots stay apart under normal
/// vision and simulated colour-vision deficiencies.
///
/// **Metric.** CIEDE2000 (ΔE00; Sharma, Wu & Dalal 2005, "The CIEDE2000 color-difference
/// formula: implementation notes, supplementary test data, and mathematical
/// observations", Color Res. Appl. 30(1):21–30) on CIELAB (D65). Not CIE76: CIE76
/// counts chroma differences between saturated colours up to about three times more
/// than CIEDE2000 does (the red and brown dots here: 46 against 16), while for the pale
/// ground the two agree within about 20 %, so one CIE76 threshold would mean different
/// things for the dots and for the ground. ΔE00 ≈ 1 is about one just-noticeable
/// difference for large patches side by side.
///
/// **Thresholds** (ΔE00, each under every vision):
/// - fills of different zones over the same ground ≥ 4 (≈ 4 JND: plainly different
///   large areas, which also have an outline between them); ≥ 8 among the zones of the
///   common maps (no band, below zone, bands 0 and 1);
/// - one zone over sea, other land and allied land ≥ 4.5 (sea and land apart under the
///   tint; today's Okabe–Ito + old basemap measure 2.7);
/// - a zone over land against open sea ≥ 5 (tinted land never reads as water);
/// - any other pair (different zone and different ground) ≥ 2: never the same colour,
///   though these never touch;
/// - city dots ≥ 11 between every pair, ≥ 20 among grey, below zone, bands 0 and 1:
///   dots are small marks (3–14 px across, 0.1–0.4° at reading distance), and the
///   difference needed to tell small marks apart grows several-fold as they shrink
///   (Stone, Szafir & Setlur 2014, "An engineering model for color difference as a
///   function of size", CIC 22); the reported olive pair (Okabe–Ito vermilion and
///   orange dots under deuteranopia) measures 12.0;
/// - a dot against its own zone's fill over allied land ≥ 20 under every vision, and a
///   luminance contrast ratio ≥ 3:1 (WCAG 2.1 success criterion 1.4.11, non-text
///   contrast, on relative luminance; normal vision, as WCAG defines it): the dot reads
///   on its tint. Okabe–Ito's orange dot on its band over the old cream measures 2.6:1.
///
/// **Simulation.** Machado, Oliveira & Fernandes (2009), "A Physiologically-based Model
/// for Simulation of Color Vision Deficiency", IEEE TVCG 15(6):1291–1298,
/// doi:10.1109/TVCG.2009.113; the severity-1.0 matrices of the authors' published table
/// (<https://www.inf.ufrgs.br/~oliveira/pubs_files/CVD_Simulation/CVD_Simulation.html>),
/// applied in linear RGB: sRGB decode → matrix → clamp → sRGB encode.
#[cfg(test)]
mod colour_checks {
    use super::*;

    /// Protanopia, severity 1.0 (Machado et al. 2009).
    const PROTANOPIA: [[f64; 3]; 3] = [
        [0.152286, 1.052583, -0.204868],
        [0.114503, 0.786281, 0.099216],
        [-0.003882, -0.048116, 1.051998],
    ];
    /// Deuteranopia, severity 1.0 (Machado et al. 2009).
    const DEUTERANOPIA: [[f64; 3]; 3] = [
        [0.367322, 0.860646, -0.227968],
        [0.280085, 0.672501, 0.047413],
        [-0.011820, 0.042940, 0.968881],
    ];
    /// Tritanopia, severity 1.0 (Machado et al. 2009).
    const TRITANOPIA: [[f64; 3]; 3] = [
        [1.255528, -0.076749, -0.178779],
        [-0.078411, 0.930809, 0.147602],
        [0.004733, 0.691367, 0.303900],
    ];

    #[derive(Debug, Clone, Copy, PartialEq)]
    enum Vision {
        Normal,
        Protanopia,
        Deuteranopia,
        Tritanopia,
    }
    const VISIONS: [Vision; 4] = [
        Vision::Normal,
        Vision::Protanopia,
        Vision::Deuteranopia,
        Vision::Tritanopia,
    ];

    /// sRGB channel (0..=255) to linear light (0..=1), IEC 61966-2-1.
    fn decode(c: f64) -> f64 {
        let c = c / 255.0;
        if c <= 0.04045 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    }

    /// Linear light to an sRGB channel (0..=255), clamped to the gamut.
    fn encode(l: f64) -> f64 {
        let l = l.clamp(0.0, 1.0);
        255.0
            * if l <= 0.003_130_8 {
                12.92 * l
            } else {
                1.055 * l.powf(1.0 / 2.4) - 0.055
            }
    }

    /// An opaque colour as seen with `v`, as sRGB channels 0..=255.
    fn seen(c: Rgba, v: Vision) -> [f64; 3] {
        let rgb = [f64::from(c.r), f64::from(c.g), f64::from(c.b)];
        let m = match v {
            Vision::Normal => return rgb,
            Vision::Protanopia => PROTANOPIA,
            Vision::Deuteranopia => DEUTERANOPIA,
            Vision::Tritanopia => TRITANOPIA,
        };
        let lin = rgb.map(decode);
        let row = |k: usize| encode(m[k][0] * lin[0] + m[k][1] * lin[1] + m[k][2] * lin[2]);
        [row(0), row(1), row(2)]
    }

    /// sRGB (0..=255) to CIELAB, D65 white.
    fn lab(rgb: [f64; 3]) -> [f64; 3] {
        let [r, g, b] = rgb.map(decode);
        let x = (0.412_456_4 * r + 0.357_576_1 * g + 0.180_437_5 * b) / 0.950_47;
        let y = 0.212_672_9 * r + 0.715_152_2 * g + 0.072_175_0 * b;
        let z = (0.019_333_9 * r + 0.119_192_0 * g + 0.950_304_1 * b) / 1.088_83;
        let f = |t: f64| {
            if t > 216.0 / 24389.0 {
                t.cbrt()
            } else {
                (24389.0 / 27.0 * t + 16.0) / 116.0
            }
        };
        let (fx, fy, fz) = (f(x), f(y), f(z));
        [116.0 * fy - 16.0, 500.0 * (fx - fy), 200.0 * (fy - fz)]
    }

    /// CIEDE2000 colour difference (kL = kC = kH = 1), after Sharma, Wu & Dalal (2005).
    fn ciede2000(p: [f64; 3], q: [f64; 3]) -> f64 {
        let ([l1, a1, b1], [l2, a2, b2]) = (p, q);
        let c_bar = (a1.hypot(b1) + a2.hypot(b2)) / 2.0;
        let c7 = c_bar.powi(7);
        let g = 0.5 * (1.0 - (c7 / (c7 + 25f64.powi(7))).sqrt());
        let (a1p, a2p) = ((1.0 + g) * a1, (1.0 + g) * a2);
        let (c1p, c2p) = (a1p.hypot(b1), a2p.hypot(b2));
        let hue = |b: f64, a: f64| {
            if a == 0.0 && b == 0.0 {
                0.0
            } else {
                b.atan2(a).to_degrees().rem_euclid(360.0)
            }
        };
        let (h1p, h2p) = (hue(b1, a1p), hue(b2, a2p));
        let chroma_zero = c1p * c2p == 0.0;
        let dh = if chroma_zero {
            0.0
        } else if (h2p - h1p).abs() <= 180.0 {
            h2p - h1p
        } else if h2p - h1p > 180.0 {
            h2p - h1p - 360.0
        } else {
            h2p - h1p + 360.0
        };
        let d_l = l2 - l1;
        let d_c = c2p - c1p;
        let d_h = 2.0 * (c1p * c2p).sqrt() * (dh.to_radians() / 2.0).sin();
        let l_bar = (l1 + l2) / 2.0;
        let cp_bar = (c1p + c2p) / 2.0;
        let h_bar = if chroma_zero {
            h1p + h2p
        } else if (h1p - h2p).abs() <= 180.0 {
            (h1p + h2p) / 2.0
        } else if h1p + h2p < 360.0 {
            (h1p + h2p + 360.0) / 2.0
        } else {
            (h1p + h2p - 360.0) / 2.0
        };
        let cosd = |d: f64| d.to_radians().cos();
        let t = 1.0 - 0.17 * cosd(h_bar - 30.0)
            + 0.24 * cosd(2.0 * h_bar)
            + 0.32 * cosd(3.0 * h_bar + 6.0)
            - 0.20 * cosd(4.0 * h_bar - 63.0);
        let d_theta = 30.0 * (-((h_bar - 275.0) / 25.0).powi(2)).exp();
        let cp7 = cp_bar.powi(7);
        let r_c = 2.0 * (cp7 / (cp7 + 25f64.powi(7))).sqrt();
        let s_l = 1.0 + 0.015 * (l_bar - 50.0).powi(2) / (20.0 + (l_bar - 50.0).powi(2)).sqrt();
        let s_c = 1.0 + 0.045 * cp_bar;
        let s_h = 1.0 + 0.015 * cp_bar * t;
        let r_t = -(2.0 * d_theta).to_radians().sin() * r_c;
        let (x, y, z) = (d_l / s_l, d_c / s_c, d_h / s_h);
        (x * x + y * y + z * z + r_t * y * z).sqrt()
    }

    /// WCAG 2.1 relative luminance of an opaque colour (0..=1).
    fn luminance(c: Rgba) -> f64 {
        let [r, g, b] = [c.r, c.g, c.b].map(|v| decode(f64::from(v)));
        0.2126 * r + 0.7152 * g + 0.0722 * b
    }

    /// WCAG 2.1 contrast ratio of two opaque colours (1..=21).
    fn contrast_ratio(p: Rgba, q: Rgba) -> f64 {
        let (a, b) = (luminance(p), luminance(q));
        (a.max(b) + 0.05) / (a.min(b) + 0.05)
    }

    /// ΔE00 between two opaque colours as seen with `v`.
    fn delta_e(p: Rgba, q: Rgba, v: Vision) -> f64 {
        ciede2000(lab(seen(p, v)), lab(seen(q, v)))
    }

    /// CIELAB hue angle (degrees) and chroma of an opaque colour.
    fn hue_chroma(c: Rgba) -> (f64, f64) {
        let [_, a, b] = lab(seen(c, Vision::Normal));
        (b.atan2(a).to_degrees().rem_euclid(360.0), a.hypot(b))
    }

    /// Sea-like: a CIELAB hue in [160°, 315°) with chroma ≥ 8, i.e. any noticeably hued
    /// teal, cyan, azure, blue or blue-violet. 160° lies between green (sRGB green is at
    /// 136°) and teal; 315° just past the sRGB blue primary (306°), so saturated blues
    /// whose CIELAB hue reads violet are caught too. Purples from 315° on (e.g.
    /// 0x7B3294 at 320°) and greys are not sea-like. [`colors::SEA`] (≈ 244°) is.
    fn is_sea_like(c: Rgba) -> bool {
        let (h, chroma) = hue_chroma(c);
        (160.0..315.0).contains(&h) && chroma >= 8.0
    }

    /// What the checks are run on: a palette and the basemap it is drawn over.
    struct Scheme {
        bands: Vec<Rgba>,
        below: Option<Rgba>,
        sea: Rgba,
        land: Rgba,
        allied: Rgba,
        city_out: Rgba,
        alpha: f64,
    }

    impl Scheme {
        fn current(n_bands: usize) -> Self {
            Self {
                bands: (0..n_bands).map(band_color).collect(),
                below: Some(below_zone_color()),
                sea: colors::SEA,
                land: colors::LAND,
                allied: colors::ALLIED,
                city_out: colors::CITY_OUT,
                alpha: BAND_FILL_ALPHA,
            }
        }

        /// The palette and basemap before this check existed (Okabe–Ito).
        fn okabe_ito(n_bands: usize) -> Self {
            let oi = [0xD55E00, 0xE69F00, 0x56B4E9, 0x009E73, 0xCC79A7, 0x0072B2];
            Self {
                bands: oi[..n_bands].iter().map(|&h| Rgba::hex(h)).collect(),
                below: None,
                sea: Rgba::hex(0xDCE9F3),
                land: Rgba::hex(0xE6E5E1),
                allied: Rgba::hex(0xF4E6BC),
                city_out: Rgba::hex(0x8A8A8A),
                alpha: 0.30,
            }
        }

        /// Zones (name, colour, one of the common maps' zones), nearest first.
        fn zones(&self) -> Vec<(String, Rgba, bool)> {
            let mut z: Vec<(String, Rgba, bool)> = Vec::new();
            if let Some(c) = self.below {
                z.push(("below zone".into(), c, true));
            }
            for (i, &c) in self.bands.iter().enumerate() {
                z.push((format!("band {i}"), c, i < 2));
            }
            z
        }
    }

    /// Minimum ΔE00s (see the module's documentation).
    const FILL: f64 = 4.0;
    const FILL_COMMON: f64 = 8.0;
    const GROUND: f64 = 4.5;
    const WATER: f64 = 5.0;
    const CROSS: f64 = 2.0;
    const DOT: f64 = 11.0;
    const DOT_COMMON: f64 = 20.0;
    const DOT_ON_FILL: f64 = 20.0;
    /// Minimum luminance contrast ratio of a dot against its own fill over allied land.
    const DOT_CONTRAST: f64 = 3.0;

    /// One measured pair.
    #[derive(Debug, Clone)]
    struct Pair {
        vision: Vision,
        kind: &'static str,
        what: String,
        delta_e: f64,
        min: f64,
    }

    /// Every checked pair, with its ΔE00 and threshold.
    fn pairs(s: &Scheme) -> Vec<Pair> {
        let grounds = [("sea", s.sea), ("land", s.land), ("allied land", s.allied)];
        // Fills: (zone, ground, common, colour); zone None = no band (bare ground).
        let mut fills: Vec<(Option<String>, &str, bool, Rgba)> = Vec::new();
        for &(g, base) in &grounds {
            fills.push((None, g, true, base));
            for (name, c, common) in s.zones() {
                fills.push((Some(name), g, common, c.alpha(s.alpha).over(base)));
            }
        }
        let mut dots: Vec<(String, bool, Rgba)> = s
            .zones()
            .into_iter()
            .map(|(n, c, common)| (format!("{n} dot"), common, c.darker(DOT_DARKEN)))
            .collect();
        dots.push(("grey dot (outside every band)".into(), true, s.city_out));
        dots.push(("--label dot".into(), false, colors::TEXT));
        let zone_name = |z: &Option<String>| z.clone().unwrap_or_else(|| "no band".into());

        let mut out = Vec::new();
        for v in VISIONS {
            for (i, a) in fills.iter().enumerate() {
                for b in &fills[i + 1..] {
                    let (kind, min) = if a.1 == b.1 {
                        if a.2 && b.2 {
                            ("fill", FILL_COMMON)
                        } else {
                            ("fill", FILL)
                        }
                    } else if a.0 == b.0 {
                        ("ground", GROUND)
                    } else if (a.0.is_none() && a.1 == "sea") || (b.0.is_none() && b.1 == "sea") {
                        ("water", WATER)
                    } else {
                        ("cross", CROSS)
                    };
                    out.push(Pair {
                        vision: v,
                        kind,
                        what: format!(
                            "{} over {} / {} over {}",
                            zone_name(&a.0),
                            a.1,
                            zone_name(&b.0),
                            b.1
                        ),
                        delta_e: delta_e(a.3, b.3, v),
                        min,
                    });
                }
            }
            for (i, a) in dots.iter().enumerate() {
                for b in &dots[i + 1..] {
                    out.push(Pair {
                        vision: v,
                        kind: "dot",
                        what: format!("{} / {}", a.0, b.0),
                        delta_e: delta_e(a.2, b.2, v),
                        min: if a.1 && b.1 { DOT_COMMON } else { DOT },
                    });
                }
            }
            for (name, c, _) in s.zones() {
                let fill = c.alpha(s.alpha).over(s.allied);
                out.push(Pair {
                    vision: v,
                    kind: "dot on fill",
                    what: format!("{name} dot / its fill over allied land"),
                    delta_e: delta_e(c.darker(DOT_DARKEN), fill, v),
                    min: DOT_ON_FILL,
                });
                if v == Vision::Normal {
                    // A contrast ratio, not a ΔE00, in the same record.
                    out.push(Pair {
                        vision: v,
                        kind: "dot contrast",
                        what: format!("{name} dot / its fill over allied land (ratio)"),
                        delta_e: contrast_ratio(c.darker(DOT_DARKEN), fill),
                        min: DOT_CONTRAST,
                    });
                }
            }
        }
        out
    }

    fn failures(s: &Scheme) -> Vec<Pair> {
        pairs(s).into_iter().filter(|p| p.delta_e < p.min).collect()
    }

    fn describe(f: &[Pair]) -> String {
        f.iter()
            .map(|p| {
                let unit = if p.kind == "dot contrast" {
                    "contrast"
                } else {
                    "ΔE00"
                };
                format!(
                    "{:?} {}: {} {unit} {:.2} < {}",
                    p.vision, p.kind, p.what, p.delta_e, p.min
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// Reference pairs from Sharma, Wu & Dalal (2005), table 1 (pairs 1, 2, 7, 13, 17,
    /// 18, 21, 25, 34, 32), to four decimals.
    #[test]
    fn ciede2000_matches_sharma_test_data() {
        let cases = [
            ([50.0, 2.6772, -79.7751], [50.0, 0.0, -82.7485], 2.0425),
            ([50.0, 3.1571, -77.2803], [50.0, 0.0, -82.7485], 2.8615),
            ([50.0, 0.0, 0.0], [50.0, -1.0, 2.0], 2.3669),
            ([50.0, 2.49, -0.001], [50.0, -2.49, 0.0011], 7.2195),
            ([50.0, 2.5, 0.0], [73.0, 25.0, -18.0], 27.1492),
            ([50.0, 2.5, 0.0], [61.0, -5.0, 29.0], 22.8977),
            ([50.0, 2.5, 0.0], [50.0, 3.1736, 0.5854], 1.0000),
            (
                [60.2574, -34.0099, 36.2677],
                [60.4626, -34.1751, 39.4387],
                1.2644,
            ),
            (
                [22.7233, 20.0904, -46.6940],
                [23.0331, 14.9730, -42.5619],
                2.0373,
            ),
            (
                [90.9257, -0.5406, -0.9208],
                [88.6381, -0.8985, -0.7239],
                1.5381,
            ),
        ];
        for (p, q, want) in cases {
            let got = ciede2000(p, q);
            assert!((got - want).abs() < 5e-5, "{p:?} {q:?}: {got} != {want}");
            assert!((ciede2000(q, p) - want).abs() < 5e-5, "symmetric");
        }
    }

    /// The Machado matrices keep greys grey (rows sum to 1) and really collapse the
    /// confusion they model: red and green look alike to protan and deutan readers,
    /// blue and green to tritan readers.
    #[test]
    fn machado_simulation_behaves() {
        for m in [PROTANOPIA, DEUTERANOPIA, TRITANOPIA] {
            for row in m {
                assert!((row.iter().sum::<f64>() - 1.0).abs() < 1e-5);
            }
        }
        let grey = Rgba::hex(0x808080);
        for v in VISIONS {
            assert!(delta_e(grey, grey, v) < 1e-9);
            let g = seen(grey, v);
            assert!(g.iter().all(|c| (c - 128.0).abs() < 0.6), "{v:?}: {g:?}");
        }
        let (red, green) = (Rgba::hex(0xC8503C), Rgba::hex(0x7A8A3C));
        assert!(delta_e(red, green, Vision::Normal) > 30.0);
        assert!(delta_e(red, green, Vision::Deuteranopia) < 12.0);
        assert!(delta_e(red, green, Vision::Protanopia) < 15.0);
        let (blue, teal) = (Rgba::hex(0x3C64C8), Rgba::hex(0x2E8C82));
        assert!(delta_e(blue, teal, Vision::Normal) > 20.0);
        assert!(delta_e(blue, teal, Vision::Tritanopia) < 12.0);
    }

    /// Fills, dots and ground stay apart for 1 to 6 bands (with the below-first-band
    /// zone), under normal vision and each simulated deficiency.
    #[test]
    fn palette_stays_apart_under_colour_vision_deficiencies() {
        let mut report = String::new();
        for n in 1..=BAND_PALETTE.len() {
            let f = failures(&Scheme::current(n));
            if !f.is_empty() {
                report += &format!("{n} bands:\n{}\n", describe(&f));
            }
        }
        assert!(report.is_empty(), "{report}");
        // The smallest difference of each kind, per vision (run with --nocapture).
        let all = pairs(&Scheme::current(BAND_PALETTE.len()));
        for v in VISIONS {
            let mut line = format!("{v:?}:");
            for kind in [
                "fill",
                "ground",
                "water",
                "cross",
                "dot",
                "dot on fill",
                "dot contrast",
            ] {
                let worst = all
                    .iter()
                    .filter(|p| p.vision == v && p.kind == kind)
                    .min_by(|a, b| a.delta_e.total_cmp(&b.delta_e));
                if let Some(w) = worst {
                    line += &format!(" {kind} {:.2} ({});", w.delta_e, w.what);
                }
            }
            eprintln!("{line}");
        }
    }

    /// The checks catch what users reported with the Okabe–Ito palette: the shorter- and
    /// intermediate-range dots both olive under deuteranopia, sea and land alike under
    /// the intermediate tint, orange-yellow dots on the orange-yellow band, and the
    /// light-blue third band sea-like.
    #[test]
    fn okabe_ito_fails_the_checks() {
        let f = failures(&Scheme::okabe_ito(2));
        let olive = f
            .iter()
            .find(|p| p.vision == Vision::Deuteranopia && p.what == "band 0 dot / band 1 dot");
        let olive = olive.unwrap_or_else(|| panic!("olive pair not caught:\n{}", describe(&f)));
        assert!((olive.delta_e - 12.04).abs() < 0.01, "{}", olive.delta_e);
        assert!(f
            .iter()
            .any(|p| p.kind == "ground" && p.what == "band 1 over sea / band 1 over land"));
        // Orange-yellow dots on the orange-yellow band over cream.
        assert!(f
            .iter()
            .any(|p| p.kind == "dot contrast" && p.what.starts_with("band 1 dot")));
        assert!(is_sea_like(Rgba::hex(0x56B4E9)));
        assert!(is_sea_like(Rgba::hex(0x0072B2)));
    }

    /// No band colour (nor the below zone's) is blue or cyan; the sea is.
    #[test]
    fn no_zone_colour_is_sea_like() {
        assert!(is_sea_like(colors::SEA));
        for c in BAND_PALETTE.iter().chain([&colors::BELOW_ZONE]) {
            assert!(
                !is_sea_like(*c),
                "{} (hue, chroma {:?})",
                c.hex_string(),
                hue_chroma(*c)
            );
        }
    }

    /// Sea against land and allied land under every tint (and with none), alone: the
    /// measurable contrast asked of the basemap.
    #[test]
    fn sea_and_land_apart_under_every_tint() {
        let tints = BAND_PALETTE
            .iter()
            .chain([&colors::BELOW_ZONE])
            .map(|c| Some(c.alpha(BAND_FILL_ALPHA)))
            .chain([None]);
        for t in tints {
            let paint = |g: Rgba| t.map_or(g, |t| t.over(g));
            for v in VISIONS {
                for (a, b) in [
                    (colors::SEA, colors::LAND),
                    (colors::SEA, colors::ALLIED),
                    (colors::LAND, colors::ALLIED),
                ] {
                    let d = delta_e(paint(a), paint(b), v);
                    assert!(d >= GROUND, "{v:?} tint {t:?}: {a:?} / {b:?} ΔE00 {d:.2}");
                }
            }
        }
    }

    /// Helpers agree with the renderer: `over` is the PNG blend, dots are darkened bands.
    #[test]
    fn helpers_match_the_renderer() {
        let got = Rgba::hex(0xE69F00).alpha(0.3).over(Rgba::hex(0xDCE9F3));
        assert_eq!((got.r, got.g, got.b), (223, 211, 170)); // the sea pixel
        assert_eq!(band_dot_color(7), band_color(1).darker(DOT_DARKEN));
        assert_eq!(band_color(6), band_color(0));
        assert_eq!(
            below_zone_dot_color(),
            colors::BELOW_ZONE.darker(DOT_DARKEN)
        );
    }
}
