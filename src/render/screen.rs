//! From lon/lat to pixels: the projection, the clip to its drawable domain and the
//! projected-to-pixel transform ([`Pipeline`]), with the frame clip at the end.

use geo::{MultiLineString, MultiPolygon};

use super::clip::{self, DomainClip, LonLat};
use super::display_list::{signed_area, ScreenPolygon};
use super::extent::ScreenTransform;
use super::projection::Projector;

/// Projection, domain clip and pixel transform: lon/lat geometry to screen geometry.
pub struct Pipeline {
    /// The projection.
    pub proj: Projector,
    /// The domain clip.
    pub clip: DomainClip,
    /// Projected → pixel transform.
    pub tf: ScreenTransform,
}

/// Lon/lat densification step before projecting, degrees.
pub const DENSIFY_DEG: f64 = 1.0;

impl Pipeline {
    /// Lon/lat to pixels, `None` outside the domain or where PROJ fails.
    pub fn point_px(&self, p: LonLat) -> Option<[f64; 2]> {
        if !self.clip.contains(p) {
            return None;
        }
        let (x, y) = self.proj.forward(p.0, p.1)?;
        Some(self.tf.to_px(x, y))
    }

    /// Like [`Pipeline::point_px`] but also `None` outside the frame.
    pub fn point_in_frame(&self, p: LonLat) -> Option<[f64; 2]> {
        let q = self.point_px(p)?;
        let f = self.tf.frame;
        (q[0] >= f[0] && q[0] <= f[2] && q[1] >= f[1] && q[1] <= f[3]).then_some(q)
    }

    /// Projects to pixels after clamping rounding noise (lon 180.000000001) into range, so
    /// a vertex on ±180 never wraps to the other side of the map.
    fn project_clamped(&self, lon: f64, lat: f64) -> Option<[f64; 2]> {
        let (x, y) = self
            .proj
            .forward(lon.clamp(-180.0, 180.0), lat.clamp(-90.0, 90.0))?;
        Some(self.tf.to_px(x, y))
    }

    fn ring_px(&self, ring: &geo::LineString<f64>) -> Vec<[f64; 2]> {
        let mut v: Vec<[f64; 2]> = ring
            .0
            .iter()
            .filter_map(|c| self.project_clamped(c.x, c.y))
            .collect();
        if v.len() > 1 && v.first() == v.last() {
            v.pop();
        }
        v
    }

    /// Clips lon/lat polygons to the domain, projects them and clips them to the frame.
    pub fn polygons(&self, mp: &MultiPolygon<f64>) -> Vec<ScreenPolygon> {
        let clipped = self.clip.clip_polygons(mp, DENSIFY_DEG);
        let mut out = Vec::new();
        for poly in &clipped.0 {
            let mut ext = clip::clip_ring_to_rect(&self.ring_px(poly.exterior()), self.tf.frame);
            if ext.len() < 3 || signed_area(&ext).abs() < 1e-3 {
                continue;
            }
            let ext_sign = signed_area(&ext).signum();
            if ext_sign < 0.0 {
                ext.reverse();
            }
            let mut holes = Vec::new();
            for h in poly.interiors() {
                let mut hp = clip::clip_ring_to_rect(&self.ring_px(h), self.tf.frame);
                if hp.len() < 3 || signed_area(&hp).abs() < 1e-3 {
                    continue;
                }
                if signed_area(&hp) > 0.0 {
                    hp.reverse();
                }
                holes.push(hp);
            }
            out.push(ScreenPolygon {
                exterior: ext,
                holes,
            });
        }
        out
    }

    /// Clips lon/lat polylines to the domain, projects them (splitting where PROJ fails,
    /// never joining across gaps) and clips them to the frame.
    pub fn lines(&self, lines: &[Vec<LonLat>]) -> Vec<Vec<[f64; 2]>> {
        let mut out = Vec::new();
        for line in lines {
            for piece in self.clip.clip_line(line, DENSIFY_DEG / 2.0) {
                let mut cur: Vec<[f64; 2]> = Vec::new();
                for &(lon, lat) in &piece {
                    match self.project_clamped(lon, lat) {
                        Some(p) => cur.push(p),
                        None => {
                            if cur.len() >= 2 {
                                out.extend(clip::clip_line_to_rect(&cur, self.tf.frame));
                            }
                            cur.clear();
                        }
                    }
                }
                if cur.len() >= 2 {
                    out.extend(clip::clip_line_to_rect(&cur, self.tf.frame));
                }
            }
        }
        out
    }

    /// Ground distance per pixel along screen x at pixel `p`, km (geodesic).
    pub fn km_per_px_at(&self, p: [f64; 2]) -> Option<f64> {
        use geo::{Distance, Geodesic, Point};
        let d = 20.0;
        let ll = |q: [f64; 2]| {
            let (x, y) = self.tf.from_px(q);
            self.proj.inverse(x, y)
        };
        let a = ll([p[0] - d, p[1]])?;
        let b = ll([p[0] + d, p[1]])?;
        let m = Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1));
        (m > 0.0).then_some(m / 1000.0 / (2.0 * d))
    }
}

/// A multi-line string as lon/lat point lists.
pub fn multilinestring_lonlat(mls: &MultiLineString<f64>) -> Vec<Vec<LonLat>> {
    mls.0
        .iter()
        .map(|ls| ls.0.iter().map(|c| (c.x, c.y)).collect())
        .collect()
}
