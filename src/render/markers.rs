//! Map symbols: the marker of each city (by band and by whether the system reaches it).

use super::display_list::{Item, Layer};
use super::style::{band_color, city_radius_px, colors, Rgba};
use super::MapCity;

/// A city's marker: filled in its band's colour where a deployed system reaches it, a ring
/// in that colour where it is only inside a band, grey outside every band. Without any
/// system reach on the map (`with_reach` false) every city in a band is filled.
pub fn city_marker(c: &MapCity, p: [f64; 2], s: f64, with_reach: bool) -> Item {
    let r = city_radius_px(c.population, s);
    // The zone's colour: its band's, or the under-first-edge zone's.
    let zone = match c.band {
        Some(b) => Some(band_color(b)),
        None if c.below => Some(colors::BELOW_ZONE),
        None => None,
    };
    let (fill, outline) = match zone {
        Some(z) if c.reached || !with_reach => {
            (z.darker(0.25), (Rgba::hex(0xFFFFFF), 0.9 * s.max(0.6)))
        }
        Some(z) => (
            Rgba::hex(0xFFFFFF).alpha(0.85),
            (z.darker(0.25), (0.3 * r).clamp(1.0 * s, 2.4 * s)),
        ),
        // A city named with --label that is not an allied city in the analysis.
        None if c.forced_label => (colors::TEXT, (Rgba::hex(0xFFFFFF), 1.2 * s.max(0.6))),
        None => (colors::CITY_OUT, (Rgba::hex(0xFFFFFF), 0.9 * s.max(0.6))),
    };
    Item::Disc {
        layer: Layer::City,
        center: p,
        radius_px: r,
        fill,
        outline: Some(outline),
    }
}
