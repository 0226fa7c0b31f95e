//! Map symbols: the marker of each city (by band and by whether the system reaches it).
//!
//! Thousands of markers overlap over Europe, so they are drawn to stay readable as a
//! mass. A filled dot keeps its full radius of colour and gets a thin, half-transparent
//! white halo outside it: enough to separate it from the dot beneath, not so much that
//! overlapping halos merge into a pale blob. A ring has a mostly transparent centre, so a
//! cluster of rings shows the band's tint through it rather than a white patch, and a
//! rim in the zone's dot colour. Filled (reached) and ring (in a band only) differ by
//! shape, not by colour.

use super::display_list::{Item, Layer};
use super::style::{band_dot_color, below_zone_dot_color, city_radius_px, colors, Rgba};
use super::MapCity;

/// Halo round filled dots: white, this opaque.
pub const DOT_HALO: Rgba = Rgba::hex(0xFFFFFF).alpha(0.75);
/// Halo width, pixels at size factor 1. The halo lies outside the dot's radius.
pub const DOT_HALO_PX: f64 = 0.7;
/// Centre of a ring: white, this opaque (lets the band tint show through).
pub const RING_CENTRE: Rgba = Rgba::hex(0xFFFFFF).alpha(0.45);
/// Smallest ring radius, pixels at size factor 1: a smaller ring closes up into a dot.
pub const RING_MIN_RADIUS_PX: f64 = 2.0;

/// Width of a ring's rim for a ring of radius `r`, pixels at size factor `s`: 30 % of the
/// radius, between 0.8 and 1.6 px (at size factor 1).
pub fn ring_width_px(r: f64, s: f64) -> f64 {
    (0.3 * r).clamp(0.8 * s, 1.6 * s)
}

/// A filled dot of radius `r` in `fill` with the white halo outside it (the outline is
/// stroked centred on the disc's edge, so the disc grows by half the halo).
fn dot(p: [f64; 2], r: f64, s: f64, fill: Rgba) -> Item {
    let w = DOT_HALO_PX * s.max(0.6);
    Item::Disc {
        layer: Layer::City,
        center: p,
        radius_px: r + w / 2.0,
        fill,
        outline: Some((DOT_HALO, w)),
    }
}

/// A city's marker: filled in its band's dot colour where a deployed system reaches it, a
/// ring in that colour where it is only inside a band, grey outside every band. Without
/// any system reach on the map (`with_reach` false) every city in a band is filled.
pub fn city_marker(c: &MapCity, p: [f64; 2], s: f64, with_reach: bool) -> Item {
    let r = city_radius_px(c.population, s);
    // The zone's dot colour: its band's, or the under-first-edge zone's.
    let zone = match c.band {
        Some(b) => Some(band_dot_color(b)),
        None if c.below => Some(below_zone_dot_color()),
        None => None,
    };
    match zone {
        Some(z) if c.reached || !with_reach => dot(p, r, s, z),
        Some(z) => {
            let s = s.max(0.5);
            let rr = r.max(RING_MIN_RADIUS_PX * s);
            Item::Disc {
                layer: Layer::City,
                center: p,
                radius_px: rr,
                fill: RING_CENTRE,
                outline: Some((z, ring_width_px(rr, s))),
            }
        }
        // A city named with --label that is not an allied city in the analysis.
        None if c.forced_label => Item::Disc {
            layer: Layer::City,
            center: p,
            radius_px: r,
            fill: colors::TEXT,
            outline: Some((Rgba::hex(0xFFFFFF), 1.2 * s.max(0.6))),
        },
        None => dot(p, r, s, colors::CITY_OUT),
    }
}
