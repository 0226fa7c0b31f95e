//! The SVG writer: draws a [`DisplayList`] as a self-contained SVG document.
//!
//! This module owns everything about the SVG output, written by hand (no drawing library):
//!
//! - **Geometry.** Coordinates are pixels rounded to 0.01 px and written with at most two
//!   decimals (`12.5`, `3`); a vertex that repeats the previous one after rounding is left out,
//!   and so are rings left with fewer than 3 distinct points and lines with fewer than 2. Each
//!   [`Item::Fill`] is one `<path>` holding all its rings with `fill-rule="nonzero"`, so
//!   adjacent pieces and holes come out exactly as in the PNG; each [`Item::Stroke`] is one
//!   `<path>` with round joins and caps (one path, so overlapping parts of a translucent line
//!   are painted once, as in the PNG). Discs are `<circle>`s. Consecutive items of one
//!   [`Layer`] share a `<g class="…">`.
//! - **Text.** One `<text>` per [`Item::Text`], set in the embedded DejaVu Sans: the faces
//!   the document uses are subset to the glyphs it needs (with a Unicode `cmap`, which
//!   browsers require) and embedded as base64 TrueType in an `@font-face` rule. Size,
//!   baseline and kerning follow the PNG, which draws with `ab_glyph`. A halo is the same
//!   element's stroke, painted under its fill (`paint-order: stroke`).
//! - **XML.** Text and attribute values are escaped, and characters XML 1.0 forbids (C0
//!   controls other than tab, line feed and carriage return; U+FFFE, U+FFFF) are dropped.

use std::collections::BTreeSet;
use std::fmt::Write as _;

use ab_glyph::{Font, FontRef};
use allsorts::binary::read::ReadScope;
use allsorts::subset::{subset, CmapTarget, SubsetProfile};
use allsorts::tables::OpenTypeFont;
use allsorts::tag;
use base64::Engine as _;

use super::display_list::{Align, DisplayList, Item, Layer, ScreenPolygon};
use super::labels::{self, FONT_BOLD, FONT_REGULAR};
use super::style::Rgba;
use super::RenderError;

/// Family name the embedded subsets are declared under in the SVG. It differs from the
/// installed "DejaVu Sans" so that a system copy never shadows the embedded glyphs.
pub const EMBEDDED_FAMILY: &str = "infrange DejaVu Sans";

/// Families a viewer falls back to if it cannot use the embedded font.
const FALLBACK_FAMILIES: &str = "'DejaVu Sans', 'Verdana', sans-serif";

/// Baseline below the top of the line box, as a fraction of the text's `size_px`: where the
/// PNG puts it (plotters' `ab_glyph` path draws the baseline half a size below its anchor,
/// and the PNG's anchor is 0.28 size below the top of the box).
pub const BASELINE_FRACTION: f64 = 0.78;

/// Width of a halo stroke, pixels, for text of `size_px` (line height, pixels).
///
/// The PNG draws a halo as eight copies of the text offset by about 1 px × (size / 13,
/// clamped to 0.8..=2) around it, so the halo reaches that far past the glyph outline; a
/// stroke centred on the outline reaches half its width past it.
pub fn halo_width_px(size_px: f64) -> f64 {
    2.0 * (size_px / 13.0).clamp(0.8, 2.0)
}

/// Renders the list to an SVG document (UTF-8 text).
///
/// Fails only if an embedded font cannot be read or subset.
pub fn to_svg(list: &DisplayList) -> Result<String, RenderError> {
    let faces = [Face::new(FONT_REGULAR, false)?, Face::new(FONT_BOLD, true)?];
    let texts = collect_texts(list, &faces);

    let mut out = String::with_capacity(1 << 20);
    let (w, h) = (list.width_px, list.height_px);
    // `xml:space="preserve"` keeps runs of spaces in labels as the PNG draws them.
    let _ = write!(
        out,
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n\
         <svg xmlns=\"http://www.w3.org/2000/svg\" version=\"1.1\" width=\"{w}\" height=\"{h}\" \
         viewBox=\"0 0 {w} {h}\" xml:space=\"preserve\" \
         font-family=\"'{EMBEDDED_FAMILY}', {FALLBACK_FAMILIES}\">\n"
    );
    write_style(&mut out, &faces, &texts)?;

    let mut open: Option<Layer> = None;
    let mut text_index = 0;
    for it in &list.items {
        let layer = it.layer();
        if open != Some(layer) {
            if open.is_some() {
                out.push_str("</g>\n");
            }
            let _ = writeln!(out, "<g class=\"{}\">", layer_class(layer));
            open = Some(layer);
        }
        match it {
            Item::Fill {
                polygons, color, ..
            } => write_fill(&mut out, polygons, *color),
            Item::Stroke {
                lines,
                color,
                width_px,
                ..
            } => write_stroke(&mut out, lines, *color, *width_px),
            Item::Disc {
                center,
                radius_px,
                fill,
                outline,
                ..
            } => write_disc(&mut out, *center, *radius_px, *fill, *outline),
            Item::Text { .. } => {
                write_text(&mut out, it, &texts[text_index], &faces);
                text_index += 1;
            }
        }
    }
    if open.is_some() {
        out.push_str("</g>\n");
    }
    out.push_str("</svg>\n");
    Ok(out)
}

// ---------------------------------------------------------------------------------------
// Numbers.

/// `v` in hundredths, rounded; `None` if it is not finite.
fn centi(v: f64) -> Option<i64> {
    v.is_finite().then(|| (v * 100.0).round() as i64)
}

/// Writes a number given in hundredths with at most two decimals, no trailing zeros.
fn push_centi(out: &mut String, c: i64) {
    if c < 0 {
        out.push('-');
    }
    let a = c.unsigned_abs();
    let (int, frac) = (a / 100, a % 100);
    let _ = write!(out, "{int}");
    if frac % 10 == 0 && frac != 0 {
        let _ = write!(out, ".{}", frac / 10);
    } else if frac != 0 {
        let _ = write!(out, ".{frac:02}");
    }
}

/// Writes `v` with at most two decimals (0 if it is not finite).
fn push_num(out: &mut String, v: f64) {
    push_centi(out, centi(v).unwrap_or(0));
}

fn push_attr_num(out: &mut String, name: &str, v: f64) {
    let _ = write!(out, " {name}=\"");
    push_num(out, v);
    out.push('"');
}

/// Writes `name="#RRGGBB"` and, for a translucent colour, `name-opacity="…"`.
fn push_paint(out: &mut String, name: &str, c: Rgba) {
    let _ = write!(out, " {name}=\"{}\"", c.hex_string());
    if c.a < 1.0 {
        push_attr_num(out, &format!("{name}-opacity"), c.a.max(0.0));
    }
}

// ---------------------------------------------------------------------------------------
// Geometry.

/// The points of `pts` in hundredths of a pixel, without non-finite points and without a
/// point equal to the one before it. For a `closed` ring, a last point equal to the first
/// is dropped too.
fn quantise(pts: &[[f64; 2]], closed: bool) -> Vec<[i64; 2]> {
    let mut q: Vec<[i64; 2]> = Vec::with_capacity(pts.len());
    for p in pts {
        let (Some(x), Some(y)) = (centi(p[0]), centi(p[1])) else {
            continue;
        };
        if q.last() != Some(&[x, y]) {
            q.push([x, y]);
        }
    }
    if closed {
        while q.len() > 1 && q.last() == q.first() {
            q.pop();
        }
    }
    q
}

/// Whether a ring has at least three distinct points (consecutive points already differ).
fn has_three_distinct(q: &[[i64; 2]]) -> bool {
    q.len() >= 3 && q[2..].iter().any(|p| *p != q[0] && *p != q[1])
}

/// Appends one subpath: `M x y L x y x y …` and `Z` if `closed`.
fn push_subpath(d: &mut String, q: &[[i64; 2]], closed: bool) {
    for (i, p) in q.iter().enumerate() {
        d.push_str(match i {
            0 => "M",
            1 => "L",
            _ => " ",
        });
        push_centi(d, p[0]);
        d.push(' ');
        push_centi(d, p[1]);
    }
    if closed {
        d.push('Z');
    }
}

/// The path data of all rings of `polygons`, or an empty string if none is left.
fn fill_path_data(polygons: &[ScreenPolygon]) -> String {
    let mut d = String::new();
    for p in polygons {
        for ring in std::iter::once(&p.exterior).chain(&p.holes) {
            let q = quantise(ring, true);
            if has_three_distinct(&q) {
                push_subpath(&mut d, &q, true);
            }
        }
    }
    d
}

/// The path data of all `lines`, or an empty string if none is left.
fn stroke_path_data(lines: &[Vec<[f64; 2]>]) -> String {
    let mut d = String::new();
    for line in lines {
        let q = quantise(line, false);
        if q.len() >= 2 {
            push_subpath(&mut d, &q, false);
        }
    }
    d
}

fn write_fill(out: &mut String, polygons: &[ScreenPolygon], color: Rgba) {
    if color.a <= 0.0 {
        return;
    }
    let d = fill_path_data(polygons);
    if d.is_empty() {
        return;
    }
    out.push_str("<path");
    push_paint(out, "fill", color);
    let _ = writeln!(out, " fill-rule=\"nonzero\" d=\"{d}\"/>");
}

/// Stroke width as the PNG draws it (its rasteriser never goes below 0.7 px).
fn stroke_width(width_px: f64) -> f64 {
    width_px.max(0.7)
}

fn write_stroke(out: &mut String, lines: &[Vec<[f64; 2]>], color: Rgba, width_px: f64) {
    if color.a <= 0.0 || !width_px.is_finite() {
        return;
    }
    let d = stroke_path_data(lines);
    if d.is_empty() {
        return;
    }
    out.push_str("<path fill=\"none\"");
    push_paint(out, "stroke", color);
    push_attr_num(out, "stroke-width", stroke_width(width_px));
    let _ = writeln!(
        out,
        " stroke-linejoin=\"round\" stroke-linecap=\"round\" d=\"{d}\"/>"
    );
}

fn write_disc(
    out: &mut String,
    center: [f64; 2],
    radius_px: f64,
    fill: Rgba,
    outline: Option<(Rgba, f64)>,
) {
    let outline = outline.filter(|(c, w)| c.a > 0.0 && w.is_finite());
    if !(center[0].is_finite() && center[1].is_finite() && radius_px.is_finite())
        || radius_px <= 0.0
        || (fill.a <= 0.0 && outline.is_none())
    {
        return;
    }
    out.push_str("<circle");
    push_attr_num(out, "cx", center[0]);
    push_attr_num(out, "cy", center[1]);
    push_attr_num(out, "r", radius_px);
    if fill.a > 0.0 {
        push_paint(out, "fill", fill);
    } else {
        out.push_str(" fill=\"none\"");
    }
    if let Some((c, w)) = outline {
        push_paint(out, "stroke", c);
        push_attr_num(out, "stroke-width", stroke_width(w));
    }
    out.push_str("/>\n");
}

fn layer_class(layer: Layer) -> String {
    match layer {
        Layer::Paper => "paper".into(),
        Layer::FrameBackground => "frame-background".into(),
        Layer::Sea => "sea".into(),
        Layer::Land => "land".into(),
        Layer::AlliedLand => "allied-land".into(),
        Layer::Border => "border".into(),
        Layer::Graticule => "graticule".into(),
        Layer::BelowFill => "below-fill".into(),
        Layer::BelowOutline => "below-outline".into(),
        Layer::BandFill(i) => format!("band-fill band-{i}"),
        Layer::BandOutline(i) => format!("band-outline band-{i}"),
        Layer::Reach => "reach".into(),
        Layer::City => "city".into(),
        Layer::Site => "site".into(),
        Layer::Label => "label".into(),
        Layer::Legend => "legend".into(),
        Layer::Furniture => "furniture".into(),
    }
}

// ---------------------------------------------------------------------------------------
// XML.

/// Whether XML 1.0 allows `c` in a document.
fn is_xml_char(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}')
        || c >= '\u{10000}'
}

/// `s` without the characters XML 1.0 forbids.
fn xml_text(s: &str) -> String {
    s.chars().filter(|&c| is_xml_char(c)).collect()
}

/// Appends `s` escaped for text content and attribute values (`s` holds only XML chars).
fn push_escaped(out: &mut String, s: &str) {
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            c => out.push(c),
        }
    }
}

// ---------------------------------------------------------------------------------------
// Text and fonts.

/// One embedded face.
struct Face {
    bytes: &'static [u8],
    font: FontRef<'static>,
    bold: bool,
    /// Font size (em, pixels) per pixel of line height: the PNG scales the font so that
    /// ascent − descent is `size_px`.
    em_per_size: f64,
}

impl Face {
    fn new(bytes: &'static [u8], bold: bool) -> Result<Self, RenderError> {
        let font = labels::font(bold)?.clone();
        let upem = f64::from(font.units_per_em().unwrap_or(2048.0));
        let height = f64::from(font.height_unscaled());
        Ok(Self {
            bytes,
            font,
            bold,
            em_per_size: if height > 0.0 { upem / height } else { 1.0 },
        })
    }
}

/// A text item prepared for writing: its XML-safe string and per-character kerning.
struct PreparedText {
    text: String,
    /// Set in the bold face.
    bold: bool,
    /// Whether the item is drawn at all (visible, non-empty, finite).
    drawn: bool,
    /// Kerning before each character, pixels (empty when there is none).
    dx: Vec<f64>,
}

/// Whether `c` may be a character the SVG text layout does not address on its own
/// (outside the BMP, or a combining mark); kerning offsets are not written for such text.
fn is_unaddressable(c: char) -> bool {
    c > '\u{FFFF}'
        || matches!(c,
            '\u{300}'..='\u{36F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE20}'..='\u{FE2F}')
}

/// Kerning before each character of `text` at `size_px`, pixels, as the PNG applies it
/// (the subset fonts carry no kerning tables, so the SVG spells it out with `dx`).
fn kerning(face: &Face, text: &str, size_px: f64) -> Vec<f64> {
    if text.chars().any(is_unaddressable) {
        return Vec::new();
    }
    let mut dx = Vec::with_capacity(text.len());
    labels::set_line(&face.font, text, size_px as f32, |_, kern, _| {
        dx.push(f64::from(kern));
    });
    while dx.last().is_some_and(|v| v.abs() < 0.005) {
        dx.pop();
    }
    dx
}

/// The text items of `list`, in order, prepared for writing.
fn collect_texts(list: &DisplayList, faces: &[Face; 2]) -> Vec<PreparedText> {
    list.items
        .iter()
        .filter_map(|it| match it {
            Item::Text {
                text,
                size_px,
                bold,
                ..
            } => {
                let text = xml_text(text);
                let drawn = is_drawn(it, &text);
                let dx = if drawn {
                    kerning(&faces[usize::from(*bold)], &text, *size_px)
                } else {
                    Vec::new()
                };
                Some(PreparedText {
                    text,
                    bold: *bold,
                    drawn,
                    dx,
                })
            }
            _ => None,
        })
        .collect()
}

/// Whether a text item showing `text` (its XML-safe string) is drawn at all.
fn is_drawn(it: &Item, text: &str) -> bool {
    match it {
        Item::Text {
            pos,
            size_px,
            color,
            halo,
            ..
        } => {
            !text.is_empty()
                && pos[0].is_finite()
                && pos[1].is_finite()
                && size_px.is_finite()
                && *size_px > 0.0
                && (color.a > 0.0 || halo.is_some_and(|h| h.a > 0.0))
        }
        _ => false,
    }
}

/// The subset of `face` holding the glyphs of `chars` (and .notdef), as TrueType bytes.
fn subset_face(face: &Face, chars: &BTreeSet<char>) -> Result<Vec<u8>, RenderError> {
    let mut gids: BTreeSet<u16> = chars
        .iter()
        .map(|&c| face.font.glyph_id(c).0)
        .filter(|&g| g != 0)
        .collect();
    gids.insert(0);
    let gids: Vec<u16> = gids.into_iter().collect();
    let err = |e: &dyn std::fmt::Display| {
        let name = if face.bold { "bold" } else { "regular" };
        RenderError::Font(format!("subsetting the embedded {name} face: {e}"))
    };
    let font = ReadScope::new(face.bytes)
        .read::<OpenTypeFont<'_>>()
        .map_err(|e| err(&e))?;
    let provider = font.table_provider(0).map_err(|e| err(&e))?;
    // The tables a browser needs (OpenType's required set), plus the hinting programs the
    // glyphs' instructions call. `name` carries the font's copyright and licence notice.
    let profile = SubsetProfile::Custom(vec![
        tag::CMAP,
        tag::HEAD,
        tag::HHEA,
        tag::HMTX,
        tag::MAXP,
        tag::NAME,
        tag::OS_2,
        tag::POST,
        tag::CVT,
        tag::FPGM,
        tag::PREP,
    ]);
    subset(&provider, &gids, &profile, CmapTarget::Unicode).map_err(|e| err(&e))
}

/// Writes the `<style>` element: one `@font-face` per face the drawn texts use.
fn write_style(
    out: &mut String,
    faces: &[Face; 2],
    texts: &[PreparedText],
) -> Result<(), RenderError> {
    let mut chars: [BTreeSet<char>; 2] = [BTreeSet::new(), BTreeSet::new()];
    let mut used = [false; 2];
    for t in texts.iter().filter(|t| t.drawn) {
        used[usize::from(t.bold)] = true;
        chars[usize::from(t.bold)].extend(t.text.chars());
    }
    out.push_str("<style>\n");
    for (i, face) in faces.iter().enumerate() {
        if !used[i] {
            continue;
        }
        let ttf = subset_face(face, &chars[i])?;
        let b64 = base64::engine::general_purpose::STANDARD.encode(ttf);
        let _ = writeln!(
            out,
            "@font-face {{ font-family: '{EMBEDDED_FAMILY}'; font-style: normal; \
             font-weight: {}; src: url(data:font/ttf;base64,{b64}) format('truetype'); }}",
            if face.bold { 700 } else { 400 },
        );
    }
    // Kerning is written out as `dx` (the subsets have none; a fallback font must not add
    // its own on top).
    out.push_str("text { white-space: pre; font-kerning: none; }\n</style>\n");
    Ok(())
}

fn write_text(out: &mut String, it: &Item, t: &PreparedText, faces: &[Face; 2]) {
    let Item::Text {
        pos,
        size_px,
        color,
        align,
        bold,
        halo,
        ..
    } = it
    else {
        return;
    };
    if !t.drawn {
        return;
    }
    let face = &faces[usize::from(*bold)];
    out.push_str("<text");
    push_attr_num(out, "x", pos[0]);
    push_attr_num(out, "y", pos[1] + BASELINE_FRACTION * size_px);
    push_attr_num(out, "font-size", size_px * face.em_per_size);
    if *bold {
        out.push_str(" font-weight=\"bold\"");
    }
    match align {
        Align::Left => {}
        Align::Center => out.push_str(" text-anchor=\"middle\""),
        Align::Right => out.push_str(" text-anchor=\"end\""),
    }
    if color.a > 0.0 {
        push_paint(out, "fill", *color);
    } else {
        out.push_str(" fill=\"none\"");
    }
    if let Some(h) = halo.filter(|h| h.a > 0.0) {
        push_paint(out, "stroke", h);
        push_attr_num(out, "stroke-width", halo_width_px(*size_px));
        out.push_str(" stroke-linejoin=\"round\" paint-order=\"stroke\"");
    }
    if !t.dx.is_empty() {
        out.push_str(" dx=\"");
        for (i, v) in t.dx.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            push_num(out, *v);
        }
        out.push('"');
    }
    out.push('>');
    push_escaped(out, &t.text);
    out.push_str("</text>\n");
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::render::display_list::{signed_area, text};
    use ab_glyph::ScaleFont;

    fn list(items: Vec<Item>) -> DisplayList {
        DisplayList {
            width_px: 400,
            height_px: 300,
            frame: [10.0, 10.0, 390.0, 290.0],
            items,
            projection: "+proj=longlat".into(),
            extent_lonlat: [-10.0, 40.0, 30.0, 60.0],
            site_px: Vec::new(),
            city_px: Vec::new(),
            px_per_km_at_centre: 1.0,
            transform: crate::render::extent::ScreenTransform {
                window: crate::render::extent::Window {
                    x_min: 0.0,
                    y_min: 0.0,
                    x_max: 380.0,
                    y_max: 280.0,
                },
                frame: [10.0, 10.0, 390.0, 290.0],
                scale: 1.0,
            },
            crs_wkt: None,
        }
    }

    fn parse(svg: &str) -> roxmltree::Document<'_> {
        roxmltree::Document::parse(svg).unwrap_or_else(|e| panic!("not well-formed: {e}\n{svg}"))
    }

    fn elements<'a>(
        doc: &'a roxmltree::Document<'a>,
        name: &'a str,
    ) -> impl Iterator<Item = roxmltree::Node<'a, 'a>> + 'a {
        doc.descendants().filter(move |n| n.has_tag_name(name))
    }

    /// Subpaths of path data written by this module: points and whether closed.
    fn subpaths(d: &str) -> Vec<(Vec<[f64; 2]>, bool)> {
        let mut out: Vec<(Vec<[f64; 2]>, bool)> = Vec::new();
        let mut nums: Vec<f64> = Vec::new();
        let flush = |nums: &mut Vec<f64>, out: &mut Vec<(Vec<[f64; 2]>, bool)>| {
            assert_eq!(nums.len() % 2, 0, "odd coordinate count in {d}");
            if let Some(last) = out.last_mut() {
                last.0.extend(nums.chunks(2).map(|c| [c[0], c[1]]));
            }
            nums.clear();
        };
        let mut tok = String::new();
        for ch in d.chars().chain(std::iter::once(' ')) {
            if ch == '-' || ch == '.' || ch.is_ascii_digit() {
                tok.push(ch);
                continue;
            }
            if !tok.is_empty() {
                nums.push(tok.parse().unwrap());
                tok.clear();
            }
            match ch {
                'M' => {
                    flush(&mut nums, &mut out);
                    out.push((Vec::new(), false));
                }
                'L' | ' ' => {}
                'Z' => {
                    flush(&mut nums, &mut out);
                    out.last_mut().unwrap().1 = true;
                }
                c => panic!("unexpected {c:?} in {d}"),
            }
        }
        flush(&mut nums, &mut out);
        out
    }

    fn poly(exterior: Vec<[f64; 2]>, holes: Vec<Vec<[f64; 2]>>) -> ScreenPolygon {
        ScreenPolygon { exterior, holes }
    }

    /// A list with every kind of item and awkward coordinates.
    fn sample() -> DisplayList {
        let third = 1.0 / 3.0;
        list(vec![
            Item::Fill {
                layer: Layer::Land,
                polygons: vec![
                    poly(
                        vec![
                            [10.0 + third, 10.0],
                            [10.334, 10.002], // rounds onto the previous point
                            [100.1261, 10.0],
                            [100.1349, 10.001], // same after rounding
                            [100.0, 80.555_5],
                            [10.0, 80.0],
                            [10.333_1, 10.0], // equal to the first point after rounding
                        ],
                        vec![vec![[30.0, 30.0], [30.0, 50.0], [60.0, 50.0], [60.0, 30.0]]],
                    ),
                    // Collapses to two points after rounding: dropped.
                    poly(
                        vec![[5.0, 5.0], [5.001, 5.0], [6.0, 6.0], [5.0, 5.004]],
                        vec![],
                    ),
                    poly(vec![[200.0, 200.0], [250.0, 200.0], [250.0, 250.0]], vec![]),
                ],
                color: Rgba::hex(0x8899AA),
            },
            Item::Stroke {
                layer: Layer::Border,
                lines: vec![
                    vec![
                        [0.0, 0.0],
                        [0.004, 0.0],
                        [1.0 / 7.0, 2.0 / 3.0],
                        [12.0, 13.5],
                    ],
                    vec![[3.0, 3.0], [3.001, 3.002]], // one point after rounding: dropped
                    vec![[f64::NAN, 1.0], [4.0, 4.0], [8.0, 9.0]],
                ],
                color: Rgba::hex(0x112233).alpha(0.5),
                width_px: 1.25,
            },
            Item::Disc {
                layer: Layer::City,
                center: [123.456, 78.901],
                radius_px: 3.145_9,
                fill: Rgba::hex(0xFF0000),
                outline: Some((Rgba::hex(0xFFFFFF), 0.8)),
            },
            text(
                Layer::Label,
                "Tallinn – 50 °C · ≥ 2",
                [120.25, 40.0],
                13.0,
                Rgba::hex(0x222222),
                Align::Center,
                false,
                Some(Rgba::hex(0xFFFFFF).alpha(0.85)),
            ),
            text(
                Layer::Furniture,
                "AVATAR Title",
                [20.0, 20.0],
                22.0,
                Rgba::hex(0x000000),
                Align::Left,
                true,
                None,
            ),
        ])
    }

    #[test]
    fn numbers_have_at_most_two_decimals() {
        let svg = to_svg(&sample()).unwrap();
        let doc = parse(&svg);
        let mut checked = 0;
        for n in doc.descendants().filter(|n| n.is_element()) {
            for a in n.attributes() {
                if matches!(a.name(), "font-family" | "class" | "version" | "space") {
                    continue;
                }
                for tok in a
                    .value()
                    .split(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-'))
                {
                    if tok.is_empty() || tok == "-" {
                        continue;
                    }
                    let v: f64 = tok.parse().unwrap_or_else(|_| panic!("{tok:?} in {a:?}"));
                    assert!(v.is_finite());
                    let decimals = tok.split('.').nth(1).map_or(0, str::len);
                    assert!(decimals <= 2, "{tok} in {}={}", a.name(), a.value());
                    assert!(
                        !tok.contains('.') || !tok.ends_with('0'),
                        "trailing zero: {tok}"
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 40, "only {checked} numbers");
        assert!(
            svg.contains(" cx=\"123.46\" cy=\"78.9\" r=\"3.15\""),
            "{svg}"
        );
        assert!(
            svg.contains("M10.33 10L100.13 10 100 80.56 10 80Z"),
            "{svg}"
        );
    }

    #[test]
    fn paths_repeat_no_point_and_drop_degenerate_rings_and_lines() {
        let svg = to_svg(&sample()).unwrap();
        let doc = parse(&svg);
        let paths: Vec<_> = elements(&doc, "path").collect();
        assert_eq!(paths.len(), 2, "one path per fill item and per stroke item");
        let fill = subpaths(paths[0].attribute("d").unwrap());
        let stroke = subpaths(paths[1].attribute("d").unwrap());
        // Exterior, hole and triangle; the collapsed ring is gone.
        assert_eq!(fill.len(), 3);
        assert!(fill.iter().all(|(pts, closed)| *closed && pts.len() >= 3));
        assert_eq!(fill[0].0.len(), 4);
        // Orientation survives: exteriors positive, the hole negative (non-zero rule).
        assert!(signed_area(&fill[0].0) > 0.0 && signed_area(&fill[1].0) < 0.0);
        assert_eq!(paths[0].attribute("fill-rule"), Some("nonzero"));
        // Two lines: the first lost its repeated point, the second is dropped, the third
        // lost its non-finite point.
        assert_eq!(stroke.len(), 2);
        assert_eq!(stroke[0].0.len(), 3);
        assert_eq!(stroke[1].0, vec![[4.0, 4.0], [8.0, 9.0]]);
        assert!(stroke
            .iter()
            .all(|(pts, closed)| !*closed && pts.len() >= 2));
        for (pts, closed) in fill.iter().chain(&stroke) {
            for w in pts.windows(2) {
                assert_ne!(w[0], w[1], "repeated point in {pts:?}");
            }
            if *closed {
                assert_ne!(pts.first(), pts.last(), "closing point repeated in {pts:?}");
            }
        }
        let s = &paths[1];
        assert_eq!(s.attribute("fill"), Some("none"));
        assert_eq!(s.attribute("stroke"), Some("#112233"));
        assert_eq!(s.attribute("stroke-opacity"), Some("0.5"));
        assert_eq!(s.attribute("stroke-width"), Some("1.25"));
        assert_eq!(s.attribute("stroke-linejoin"), Some("round"));
        assert_eq!(s.attribute("stroke-linecap"), Some("round"));
        assert_eq!(paths[0].attribute("fill-opacity"), None);
    }

    #[test]
    fn items_are_grouped_by_layer() {
        let doc_svg = to_svg(&sample()).unwrap();
        let doc = parse(&doc_svg);
        let classes: Vec<&str> = elements(&doc, "g")
            .filter_map(|g| g.attribute("class"))
            .collect();
        assert_eq!(classes, ["land", "border", "city", "label", "furniture"]);
    }

    #[test]
    fn halo_is_a_stroke_on_the_one_text_element() {
        let svg = to_svg(&sample()).unwrap();
        let doc = parse(&svg);
        let texts: Vec<_> = elements(&doc, "text").collect();
        assert_eq!(texts.len(), 2, "no duplicate text elements");
        let t = texts
            .iter()
            .find(|t| t.text() == Some("Tallinn – 50 °C · ≥ 2"))
            .expect("label");
        assert_eq!(t.attribute("paint-order"), Some("stroke"));
        assert_eq!(t.attribute("stroke"), Some("#FFFFFF"));
        assert_eq!(t.attribute("stroke-opacity"), Some("0.85"));
        assert_eq!(t.attribute("stroke-linejoin"), Some("round"));
        assert_eq!(t.attribute("stroke-width"), Some("2"));
        assert_eq!(t.attribute("fill"), Some("#222222"));
        assert_eq!(t.attribute("text-anchor"), Some("middle"));
        // Baseline 0.78 size below the top of the box; em = size / 1.164 for DejaVu Sans.
        assert_eq!(t.attribute("y"), Some("50.14"));
        assert_eq!(t.attribute("x"), Some("120.25"));
        assert_eq!(t.attribute("font-size"), Some("11.17"));
        let title = texts
            .iter()
            .find(|t| t.text() == Some("AVATAR Title"))
            .unwrap();
        assert_eq!(title.attribute("stroke"), None);
        assert_eq!(title.attribute("paint-order"), None);
        assert_eq!(title.attribute("font-weight"), Some("bold"));
        assert_eq!(title.attribute("text-anchor"), None);
        assert_eq!(halo_width_px(30.0), 4.0);
        assert_eq!(halo_width_px(5.0), 1.6);
    }

    #[test]
    fn kerning_matches_the_png() {
        let faces = [
            Face::new(FONT_REGULAR, false).unwrap(),
            Face::new(FONT_BOLD, true).unwrap(),
        ];
        let f = faces[1].font.as_scaled(22.0);
        let want = f.kern(f.glyph_id('A'), f.glyph_id('V'));
        assert!(want < -0.5, "DejaVu kerns AV: {want}");
        let svg = to_svg(&sample()).unwrap();
        let doc = parse(&svg);
        let title = elements(&doc, "text")
            .find(|t| t.text() == Some("AVATAR Title"))
            .unwrap();
        let dx: Vec<f64> = title
            .attribute("dx")
            .expect("kerning offsets")
            .split(' ')
            .map(|v| v.parse().unwrap())
            .collect();
        assert_eq!(dx[0], 0.0);
        assert!((dx[1] - f64::from(want)).abs() < 0.006, "{dx:?} vs {want}");
    }

    #[test]
    fn control_characters_and_markup_give_well_formed_xml() {
        let title = "Bad\u{1} \u{1b}[31mtitle\u{0} <&> \"q\" 'a' \u{FFFE}end";
        let l = list(vec![
            text(
                Layer::Furniture,
                title,
                [10.0, 10.0],
                20.0,
                Rgba::hex(0),
                Align::Left,
                true,
                None,
            ),
            text(
                Layer::Label,
                "\u{7}\u{1f}",
                [10.0, 40.0],
                12.0,
                Rgba::hex(0),
                Align::Left,
                false,
                Some(Rgba::hex(0xFFFFFF)),
            ),
        ]);
        let svg = to_svg(&l).unwrap();
        assert!(!svg.contains(['\u{1}', '\u{1b}', '\u{0}', '\u{7}', '\u{FFFE}']));
        let doc = parse(&svg);
        let texts: Vec<_> = elements(&doc, "text").collect();
        assert_eq!(
            texts.len(),
            1,
            "a text of only control characters is not drawn"
        );
        assert_eq!(texts[0].text(), Some("Bad [31mtitle <&> \"q\" 'a' end"));
        // Only the face in use is embedded.
        assert_eq!(svg.matches("@font-face").count(), 1);
        assert!(svg.contains("font-weight: 700"));
    }

    /// The embedded subsets, decoded: (font-weight, bytes).
    fn embedded_fonts(svg: &str) -> Vec<(u16, Vec<u8>)> {
        let doc = parse(svg);
        let style = elements(&doc, "style")
            .next()
            .unwrap()
            .text()
            .unwrap()
            .to_string();
        style
            .split("@font-face")
            .skip(1)
            .map(|rule| {
                let weight = rule.split("font-weight: ").nth(1).unwrap()[..3]
                    .parse()
                    .unwrap();
                let b64 = rule
                    .split("data:font/ttf;base64,")
                    .nth(1)
                    .unwrap()
                    .split(')')
                    .next()
                    .unwrap();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(b64)
                    .expect("valid base64");
                (weight, bytes)
            })
            .collect()
    }

    #[test]
    fn embedded_subsets_map_every_character_through_their_cmap() {
        let l = sample();
        let svg = to_svg(&l).unwrap();
        assert!(svg.contains(&format!("font-family=\"'{EMBEDDED_FAMILY}', 'DejaVu Sans'")));
        let fonts = embedded_fonts(&svg);
        assert_eq!(fonts.iter().map(|f| f.0).collect::<Vec<_>>(), [400, 700]);
        for (weight, bytes) in &fonts {
            let (original, bold) = if *weight == 700 {
                (FONT_BOLD, true)
            } else {
                (FONT_REGULAR, false)
            };
            assert!(bytes.len() * 20 < original.len(), "{} bytes", bytes.len());
            let font = FontRef::try_from_slice(bytes).expect("subset parses");
            let full = FontRef::try_from_slice(original).unwrap();
            assert_eq!(font.units_per_em(), full.units_per_em());
            assert_eq!(font.height_unscaled(), full.height_unscaled());
            let mut n = 0;
            for it in &l.items {
                let Item::Text { text, bold: b, .. } = it else {
                    continue;
                };
                if *b != bold {
                    continue;
                }
                for c in text.chars() {
                    let (id, full_id) = (font.glyph_id(c), full.glyph_id(c));
                    assert_ne!(id.0, 0, "{c:?} missing from the {weight} subset");
                    // Same glyph: same advance and outline bounds.
                    assert_eq!(
                        font.h_advance_unscaled(id),
                        full.h_advance_unscaled(full_id)
                    );
                    let (a, b) = (font.outline(id), full.outline(full_id));
                    assert_eq!(a.map(|o| o.bounds), b.map(|o| o.bounds), "{c:?}");
                    n += 1;
                }
                // A glyph the document does not use is not embedded.
                assert_eq!(font.glyph_id('Q').0, 0);
            }
            assert!(n > 10);
        }
    }
}
