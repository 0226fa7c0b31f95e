//! The visible window: which part of the projected plane the map frame shows.

use super::clip::{angular_distance_deg, densify, DomainClip, LonLat, ScreenRect};
use super::projection::{Domain, Projector};
use super::{MapScene, RenderError};

/// Which part of the world to show.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ExtentChoice {
    /// What matters for the scene: [`ExtentChoice::Reach`] when the longest reach is
    /// under 40 % of the outermost band edge (a short-range system: the story is local),
    /// else [`ExtentChoice::Cities`], else [`ExtentChoice::Bands`].
    #[default]
    Auto,
    /// The band zones (out to the outermost edge) and the cities in them.
    Bands,
    /// Each site's reach, widened to the next band edge beyond it (at most twice the
    /// reach), so the next band shows around it.
    Reach,
    /// The allied cities inside a band or under the first edge, the reach rings, the sites.
    Cities,
    /// The whole projection domain.
    World,
    /// Europe: lon -25..45, lat 34..72 degrees.
    Europe,
    /// A lon/lat box in degrees; `lon_min > lon_max` crosses the antimeridian.
    BBox {
        /// West edge, degrees.
        lon_min: f64,
        /// South edge, degrees.
        lat_min: f64,
        /// East edge, degrees.
        lon_max: f64,
        /// North edge, degrees.
        lat_max: f64,
    },
}

/// A window in projected coordinates (PROJ units, usually metres).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Window {
    /// Minimum x.
    pub x_min: f64,
    /// Minimum y.
    pub y_min: f64,
    /// Maximum x.
    pub x_max: f64,
    /// Maximum y.
    pub y_max: f64,
}

impl Window {
    fn from_points(pts: impl IntoIterator<Item = (f64, f64)>) -> Option<Self> {
        let mut w: Option<Self> = None;
        for (x, y) in pts {
            let cur = w.get_or_insert(Self {
                x_min: x,
                y_min: y,
                x_max: x,
                y_max: y,
            });
            cur.x_min = cur.x_min.min(x);
            cur.y_min = cur.y_min.min(y);
            cur.x_max = cur.x_max.max(x);
            cur.y_max = cur.y_max.max(y);
        }
        w
    }

    /// Width in projected units.
    pub fn width(&self) -> f64 {
        self.x_max - self.x_min
    }

    /// Height in projected units.
    pub fn height(&self) -> f64 {
        self.y_max - self.y_min
    }

    /// Grows the window by `fraction` of its size on every side.
    pub fn with_margin(self, fraction: f64) -> Self {
        let (mx, my) = (self.width() * fraction, self.height() * fraction);
        Self {
            x_min: self.x_min - mx,
            y_min: self.y_min - my,
            x_max: self.x_max + mx,
            y_max: self.y_max + my,
        }
    }

    /// Grows the window (about its centre) to the aspect ratio `width / height`.
    pub fn fit_aspect(self, aspect: f64) -> Self {
        let (cx, cy) = (
            (self.x_min + self.x_max) / 2.0,
            (self.y_min + self.y_max) / 2.0,
        );
        let (mut w, mut h) = (self.width().max(1e-9), self.height().max(1e-9));
        if w / h < aspect {
            w = h * aspect;
        } else {
            h = w / aspect;
        }
        Self {
            x_min: cx - w / 2.0,
            y_min: cy - h / 2.0,
            x_max: cx + w / 2.0,
            y_max: cy + h / 2.0,
        }
    }
}

/// Projected metres to pixels.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ScreenTransform {
    /// The projected window shown in the frame.
    pub window: Window,
    /// The frame, pixels.
    pub frame: ScreenRect,
    /// Pixels per projected unit.
    pub scale: f64,
}

impl ScreenTransform {
    /// Maps a projected point to pixels.
    pub fn to_px(&self, x: f64, y: f64) -> [f64; 2] {
        [
            self.frame[0] + (x - self.window.x_min) * self.scale,
            self.frame[1] + (self.window.y_max - y) * self.scale,
        ]
    }

    /// Maps pixels back to projected coordinates.
    pub fn from_px(&self, p: [f64; 2]) -> (f64, f64) {
        (
            self.window.x_min + (p[0] - self.frame[0]) / self.scale,
            self.window.y_max - (p[1] - self.frame[1]) / self.scale,
        )
    }
}

fn project_all(
    proj: &Projector,
    clip: &DomainClip,
    pts: impl IntoIterator<Item = LonLat>,
) -> Vec<(f64, f64)> {
    pts.into_iter()
        .filter(|&p| clip.contains(p))
        .filter_map(|(lon, lat)| proj.forward(lon, lat))
        .collect()
}

fn lonlat_box_outline(lon_min: f64, lat_min: f64, lon_max: f64, lat_max: f64) -> Vec<LonLat> {
    let lon_max = if lon_max < lon_min {
        lon_max + 360.0
    } else {
        lon_max
    };
    let corners = [
        (lon_min, lat_min),
        (lon_max, lat_min),
        (lon_max, lat_max),
        (lon_min, lat_max),
        (lon_min, lat_min),
    ];
    let mut pts = densify(&corners, 0.5);
    // Interior grid so boxes that bulge (conic/azimuthal) are covered.
    for i in 0..=10 {
        for j in 0..=10 {
            pts.push((
                lon_min + (lon_max - lon_min) * f64::from(i) / 10.0,
                lat_min + (lat_max - lat_min) * f64::from(j) / 10.0,
            ));
        }
    }
    pts.into_iter()
        .map(|(lon, lat)| (super::projection::normalize_lon(lon), lat))
        .collect()
}

/// The whole domain's outline in lon/lat, densely sampled.
pub fn domain_outline(domain: Domain) -> Vec<LonLat> {
    match domain {
        Domain::Cap {
            lon_deg,
            lat_deg,
            radius_deg,
        } => super::clip::small_circle((lon_deg, lat_deg), radius_deg - 1e-6, 720),
        Domain::Global {
            lon0_deg,
            lat_max_deg,
        } => {
            // Just inside the cut, beyond DomainClip's exclusion strip.
            let off = 2.0 * super::clip::CUT_EPS_DEG;
            let (w, e) = (lon0_deg - 180.0 + off, lon0_deg + 180.0 - off);
            let corners = [
                (w, -lat_max_deg),
                (e, -lat_max_deg),
                (e, lat_max_deg),
                (w, lat_max_deg),
                (w, -lat_max_deg),
            ];
            densify(&corners, 0.5)
                .into_iter()
                .map(|(lon, lat)| (super::projection::normalize_lon(lon), lat))
                .collect()
        }
    }
}

/// The projected window for an extent choice (before fitting to the frame's aspect).
pub fn window(
    choice: &ExtentChoice,
    scene: &MapScene,
    proj: &Projector,
    clip: &DomainClip,
) -> Result<Window, RenderError> {
    let pts: Vec<(f64, f64)> = match choice {
        ExtentChoice::World => project_all(proj, clip, domain_outline(proj.domain())),
        ExtentChoice::Europe => {
            project_all(proj, clip, lonlat_box_outline(-25.0, 34.0, 45.0, 72.0))
        }
        ExtentChoice::BBox {
            lon_min,
            lat_min,
            lon_max,
            lat_max,
        } => {
            let ok = [lon_min, lat_min, lon_max, lat_max]
                .iter()
                .all(|v| v.is_finite())
                && lat_min < lat_max
                && (-90.0..=90.0).contains(lat_min)
                && (-90.0..=90.0).contains(lat_max)
                && lon_min != lon_max;
            if !ok {
                return Err(RenderError::Extent(format!(
                    "bbox {lon_min},{lat_min},{lon_max},{lat_max} is not a lon/lat box"
                )));
            }
            project_all(
                proj,
                clip,
                lonlat_box_outline(*lon_min, *lat_min, *lon_max, *lat_max),
            )
        }
        ExtentChoice::Auto | ExtentChoice::Bands | ExtentChoice::Reach | ExtentChoice::Cities => {
            let ll = match resolve_auto(choice, scene) {
                ExtentChoice::Reach => reach_points(scene),
                ExtentChoice::Cities => city_points(scene),
                _ => band_points(scene),
            };
            let mut pts = project_all(proj, clip, ll);
            if pts.len() < 2 {
                // Nothing to fit: 1,000 km around the sites, else the world.
                pts = scene
                    .sites
                    .iter()
                    .flat_map(|s| {
                        (0..8).map(move |i| {
                            super::clip::spherical_destination(
                                (s.lon_deg, s.lat_deg),
                                45.0 * f64::from(i),
                                9.0,
                            )
                        })
                    })
                    .filter_map(|(lon, lat)| proj.forward(lon, lat))
                    .collect();
            }
            if pts.len() < 2 {
                pts = project_all(proj, clip, domain_outline(proj.domain()));
            }
            let w = Window::from_points(pts)
                .ok_or_else(|| RenderError::Extent("nothing to show".into()))?;
            return Ok(w.with_margin(0.04));
        }
    };
    let w = Window::from_points(pts).ok_or_else(|| {
        RenderError::Extent("the extent lies outside the projection's domain".into())
    })?;
    if w.width() <= 0.0 || w.height() <= 0.0 {
        return Err(RenderError::Extent("the extent is empty".into()));
    }
    Ok(w.with_margin(0.01))
}

/// Mean Earth radius for sizing windows, km (the window is a view, not a measurement).
const EARTH_RADIUS_KM: f64 = 6_371.0;

/// Which data-driven extent `choice` stands for in `scene` (`Auto` resolved).
pub fn resolve_auto(choice: &ExtentChoice, scene: &MapScene) -> ExtentChoice {
    if *choice != ExtentChoice::Auto {
        return choice.clone();
    }
    let outer_km = scene.bands.iter().map(|b| b.max_km).fold(0.0, f64::max);
    let reach_km = scene.reach.iter().map(|r| r.range_km).fold(0.0, f64::max);
    if reach_km > 0.0 && reach_km < 0.4 * outer_km {
        ExtentChoice::Reach
    } else if scene.cities.iter().any(|c| c.band.is_some() || c.below) {
        ExtentChoice::Cities
    } else {
        ExtentChoice::Bands
    }
}

/// The band zones' outer rings, the cities in them and the sites.
fn band_points(scene: &MapScene) -> Vec<LonLat> {
    let mut ll: Vec<LonLat> = Vec::new();
    for band in &scene.bands {
        for poly in &band.area.0 {
            let ring: Vec<LonLat> = poly.exterior().0.iter().map(|c| (c.x, c.y)).collect();
            ll.extend(densify(&ring, 2.0));
        }
    }
    ll.extend(
        scene
            .cities
            .iter()
            .filter(|c| c.band.is_some())
            .map(|c| (c.lon_deg, c.lat_deg)),
    );
    ll.extend(scene.sites.iter().map(|s| (s.lon_deg, s.lat_deg)));
    ll
}

/// The cities inside a band or under the first edge, cities named with `--label`, the
/// reach rings and the sites.
fn city_points(scene: &MapScene) -> Vec<LonLat> {
    let mut ll: Vec<LonLat> = scene
        .cities
        .iter()
        .filter(|c| c.band.is_some() || c.below || c.forced_label)
        .map(|c| (c.lon_deg, c.lat_deg))
        .collect();
    for r in &scene.reach {
        ll.extend(
            r.outline
                .0
                .iter()
                .flat_map(|l| l.0.iter().map(|c| (c.x, c.y))),
        );
    }
    ll.extend(scene.sites.iter().map(|s| (s.lon_deg, s.lat_deg)));
    ll
}

/// Around each site with a reach, a circle out to the next band edge beyond the reach (at
/// most twice the reach); cities named with `--label`; the sites.
fn reach_points(scene: &MapScene) -> Vec<LonLat> {
    let mut edges: Vec<f64> = scene
        .bands
        .iter()
        .flat_map(|b| [b.min_km, b.max_km])
        .collect();
    edges.sort_by(f64::total_cmp);
    let mut ll: Vec<LonLat> = scene
        .cities
        .iter()
        .filter(|c| c.forced_label)
        .map(|c| (c.lon_deg, c.lat_deg))
        .collect();
    for r in &scene.reach {
        let Some(site) = scene.sites.iter().find(|s| s.name == r.site) else {
            continue;
        };
        let next = edges
            .iter()
            .copied()
            .find(|&e| e > r.range_km * 1.0001)
            .unwrap_or(r.range_km);
        let radius_km = next.min(2.0 * r.range_km).max(r.range_km);
        let centre = (site.lon_deg, site.lat_deg);
        ll.extend(super::clip::small_circle(
            centre,
            (radius_km / EARTH_RADIUS_KM).to_degrees(),
            180,
        ));
    }
    ll.extend(scene.sites.iter().map(|s| (s.lon_deg, s.lat_deg)));
    ll
}

/// Largest angular distance from the cap centre needed to cover the window (degrees), or
/// `None` if part of the window is beyond the projection's range.
pub fn needed_cap_radius(proj: &Projector, win: &Window, centre: LonLat) -> Option<f64> {
    let mut max_d: f64 = 0.0;
    let n = 24;
    for i in 0..=n {
        for j in 0..=n {
            let edge = i == 0 || j == 0 || i == n || j == n;
            if !edge && (i + j) % 3 != 0 {
                continue;
            }
            let x = win.x_min + win.width() * f64::from(i) / f64::from(n);
            let y = win.y_min + win.height() * f64::from(j) / f64::from(n);
            let ll = proj.inverse(x, y)?;
            max_d = max_d.max(angular_distance_deg(centre, ll));
        }
    }
    Some(max_d)
}

/// The lon/lat box covered by a window, `[lon_min, lat_min, lon_max, lat_max]` degrees;
/// `lon_min > lon_max` when it crosses the antimeridian.
pub fn lonlat_bounds(proj: &Projector, clip: &DomainClip, win: &Window) -> [f64; 4] {
    let n = 32;
    let mut lons: Vec<f64> = Vec::new();
    let (mut lat_min, mut lat_max) = (f64::MAX, f64::MIN);
    for i in 0..=n {
        for j in 0..=n {
            let x = win.x_min + win.width() * f64::from(i) / f64::from(n);
            let y = win.y_min + win.height() * f64::from(j) / f64::from(n);
            if let Some((lon, lat)) = proj.inverse(x, y) {
                if clip.contains((lon, lat)) {
                    lons.push(lon);
                    lat_min = lat_min.min(lat);
                    lat_max = lat_max.max(lat);
                }
            }
        }
    }
    let inside = |p: Option<(f64, f64)>| {
        p.is_some_and(|(x, y)| x >= win.x_min && x <= win.x_max && y >= win.y_min && y <= win.y_max)
    };
    let north = clip.contains((0.0, 90.0)) && inside(proj.forward(0.0, 90.0));
    let south = clip.contains((0.0, -90.0)) && inside(proj.forward(0.0, -90.0));
    if north {
        lat_max = 90.0;
    }
    if south {
        lat_min = -90.0;
    }
    if lons.is_empty() {
        return [-180.0, -90.0, 180.0, 90.0];
    }
    if north || south {
        return [-180.0, lat_min, 180.0, lat_max];
    }
    lons.sort_by(f64::total_cmp);
    // The lon range is the complement of the largest gap between sampled longitudes.
    let mut best_gap = lons[0] + 360.0 - lons[lons.len() - 1];
    let (mut west, mut east) = (lons[0], lons[lons.len() - 1]);
    for w in lons.windows(2) {
        let gap = w[1] - w[0];
        if gap > best_gap {
            best_gap = gap;
            west = w[1];
            east = w[0];
        }
    }
    if best_gap < 5.0 {
        return [-180.0, lat_min, 180.0, lat_max];
    }
    [west, lat_min, east, lat_max]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn aspect_fit_grows_the_short_side() {
        let w = Window {
            x_min: 0.0,
            y_min: 0.0,
            x_max: 100.0,
            y_max: 100.0,
        }
        .fit_aspect(2.0);
        assert!((w.width() - 200.0).abs() < 1e-9 && (w.height() - 100.0).abs() < 1e-9);
        assert!((w.x_min + 50.0).abs() < 1e-9);
    }

    #[test]
    fn europe_window_in_laea() {
        let proj = Projector::new("+proj=laea +lat_0=52 +lon_0=10 +ellps=WGS84").expect("laea");
        let clip = DomainClip::new(proj.domain());
        let w = window(&ExtentChoice::Europe, &MapScene::default(), &proj, &clip).expect("w");
        assert!(w.width() > 3.0e6 && w.width() < 8.0e6, "{w:?}");
        let b = lonlat_bounds(&proj, &clip, &w);
        assert!(
            b[0] < -20.0 && b[2] > 40.0 && b[1] < 36.0 && b[3] > 70.0,
            "{b:?}"
        );
    }

    /// A short-range system (Iskander-M, 500 km, against INF bands out to 5,500 km) gets
    /// a map of its reach out to the next band edge, not a 5,500 km window.
    #[test]
    fn auto_extent_frames_a_short_reach() {
        use crate::render::{BandLayer, MapSite, ReachRing};
        use geo::{MultiLineString, MultiPolygon};
        let band = |min_km: f64, max_km: f64| BandLayer {
            name: String::new(),
            min_km,
            max_km,
            area: MultiPolygon(Vec::new()),
            outline: MultiLineString(Vec::new()),
            city_count: 0,
            population: 0,
        };
        let mut scene = MapScene {
            bands: vec![band(500.0, 1000.0), band(1000.0, 5500.0)],
            sites: vec![MapSite {
                name: "K".into(),
                lon_deg: 20.5,
                lat_deg: 54.7,
            }],
            reach: vec![ReachRing {
                site: "K".into(),
                range_km: 500.0,
                outline: MultiLineString(Vec::new()),
            }],
            ..MapScene::default()
        };
        assert_eq!(
            resolve_auto(&ExtentChoice::Auto, &scene),
            ExtentChoice::Reach
        );
        let proj = Projector::new("+proj=aeqd +lat_0=54.7 +lon_0=20.5 +ellps=WGS84").expect("aeqd");
        let clip = DomainClip::new(proj.domain());
        let w = window(&ExtentChoice::Auto, &scene, &proj, &clip).expect("window");
        // A 1,000 km circle (the next edge) plus the 4 % margin each side.
        let width_km = w.width() / 1000.0;
        assert!((width_km - 2000.0 * 1.08).abs() < 40.0, "{width_km} km");
        scene.reach[0].range_km = 2350.0;
        assert_eq!(
            resolve_auto(&ExtentChoice::Auto, &scene),
            ExtentChoice::Bands
        );
    }

    #[test]
    fn bad_bbox_is_an_error() {
        let proj = Projector::new("+proj=eqearth +ellps=WGS84").expect("eqearth");
        let clip = DomainClip::new(proj.domain());
        let bad = ExtentChoice::BBox {
            lon_min: 0.0,
            lat_min: 50.0,
            lon_max: 10.0,
            lat_max: 40.0,
        };
        assert!(window(&bad, &MapScene::default(), &proj, &clip).is_err());
    }
}
