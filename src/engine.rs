//! The classification engine: nearest site, band and reach for many points,
//! exactly as the all-pairs Karney computation ([`reference()`]) decides them,
//! with Karney's geodesic solved only where cheap rigorous bounds cannot
//! decide.
//!
//! # The bounds
//!
//! WGS84 has semi-axes `a` = 6,378,137 m and `b = a(1 − f)` with
//! `f` = 1/298.257223563. For a point `P` on the ellipsoid let
//!
//! * `u = P/|P|`, its geocentric unit vector;
//! * `n` the unit outward normal at `P`, `t ≥ 0` the one length with
//!   `|P + t·n| = a`, and `q = (P + t·n)/a` (a unit vector).
//!
//! For two points with geodesic distance `s` and the central angles
//! `θu = ∠(u1, u2)`, `θq = ∠(q1, q2)`:
//!
//! ```text
//!     b·θu  ≤  s  ≤  a·θq
//! ```
//!
//! *Proof sketch.* Both halves use one fact: the nearest-point projection
//! onto a closed convex set is 1-Lipschitz, so it never lengthens a curve.
//!
//! * Lower bound: the ellipsoid's surface lies outside the ball of radius `b`.
//!   Onto that ball the nearest-point projection of an outside point `X` is
//!   `b·X/|X|`. It maps the geodesic (length `s`) onto a curve on the sphere
//!   of radius `b` from `b·u1` to `b·u2`, which is at least as long as the
//!   great-circle arc `b·θu`. Hence `b·θu ≤ s`.
//! * Upper bound: the sphere of radius `a` encloses the solid ellipsoid `E`
//!   (convex). For a point `X` outside `E`, its nearest point in `E` is the
//!   surface point `P` whose outward normal line passes through `X`, i.e.
//!   `X = P + t·n`, `t ≥ 0`. So the projection onto `E` maps `a·q1` to `P1`
//!   and `a·q2` to `P2`, and maps the great-circle arc from `a·q1` to `a·q2`
//!   (length `a·θq`, all outside or on `E`) onto a curve **on the surface**
//!   from `P1` to `P2` that is no longer. The geodesic is the shortest such
//!   curve: `s ≤ a·θq`. (Note the direction: it is the projection *from the
//!   sphere onto the ellipsoid* that shortens curves; `q` is the point of the
//!   sphere that this projection sends to `P`, which is why `q` is built
//!   along the normal and not radially.)
//!
//! Both claims of issue 5 hold as stated. Numerically (tested), the window
//! `a·θq / (b·θu)` is at most about 1.0068 for distances above 100 km: a pair
//! needs Karney only if a decision edge falls into it.
//!
//! A third, looser bound avoids the second dot product in the hot loop: `q`
//! and `u` of one point lie in its meridian plane at latitudes `β` and `ψ`
//! (geocentric), with `β` between `ψ` and the geodetic latitude `φ`. So
//! `δ = |β − ψ| ≤ max(φ − ψ) ≈ 0.19245°`, and by the triangle inequality on
//! the unit sphere `θq ≤ θu + δ1 + δ2`.
//!
//! # Floating point
//!
//! Unit vectors are computed with a few ulps of error per component, so a
//! computed dot product is within `2e-14` of the true cosine; every cosine
//! comparison carries an absolute margin [`COS_MARGIN`] = `5e-14`, every
//! angle and distance from `acos`/`cos` and a product a relative margin
//! `1e-14`. Karney's algorithm itself is accurate to 15 nm on WGS84; since
//! infrange must agree with the *computed* Karney distance, bounds are widened
//! by [`KARNEY_SLACK_M`] = 0.1 mm before deciding an edge. All margins only
//! enlarge the set of pairs sent to Karney: they cost speed, never
//! correctness. At a 500 km edge the cosine margin is worth ~1 µm.
//!
//! # The algorithm
//!
//! Built once per site set ([`Engine::new`]):
//!
//! * a ball tree over the sites' unit vectors `u_j` (`engine/tree.rs`:
//!   8-way nodes, leaves of 8 sites stored structure-of-arrays);
//! * a grid of cells over the sphere (the faces of a cube, about 8 cells per
//!   site, `engine/cells.rs`), each listing the sites that may be the
//!   nearest for some point of the cell, found with the tree and the bounds
//!   below widened by the cell's radius;
//! * per cell, the sites whose reach may cover some point of it (when those
//!   lists stay below 2²⁵ entries; otherwise the tree is searched per point).
//!
//! Per point:
//!
//! 1. `c_j = u·u_j` for the sites of the point's cell (about 4 for 1,000
//!    random sites), keeping `max c_j`.
//! 2. From `max c_j`, an upper bound `U0` on the nearest distance
//!    (`a·(θu + δp + δmax)`); every site with `b·θu_j > U0 + 2κ` is
//!    certainly farther than some other site and drops out.
//! 3. For the few survivors the tight bounds `[b·θu, a·θq]`; the survivors
//!    whose lower bound does not exceed the least upper bound are the
//!    candidates. Karney runs on each in site order, strict `<`, so ties go
//!    to the lowest index exactly as in [`reference()`].
//! 4. Reach: for the sites of the cell's reach list, per-site cosine
//!    thresholds say "certainly out" (`b·θu − κ > range`), "certainly in"
//!    (`a·θq + κ ≤ range`, first with the loose bound from `c_j` alone, then
//!    the tight one), else Karney.
//!
//! [`Engine::nearest_band`] stops after step 3 and also decides the band
//! from the candidate's bounds when both ends fall in the same class,
//! running Karney only when an edge is within the window.
//!
//! The work per point does not grow with the number of sites, only with the
//! number of sites near it or within reach of it. All pruning (tree, cells)
//! is conservative, with margins far above rounding error: it only decides
//! which sites steps 2–4 look at, and those keep every site the exact tests
//! could accept.

use crate::bands::{BandClass, Bands};
use crate::geodesy;
use crate::sites::Site;
use cells::CellGrid;
use rayon::prelude::*;
use std::f64::consts::PI;
use tree::{Cut, Pending, SiteTree, LANES};

mod cells;
mod tree;

/// WGS84 semi-major axis, metres (GeographicLib's value).
pub const A_M: f64 = 6_378_137.0;
/// WGS84 flattening (GeographicLib's value).
pub const FLATTENING: f64 = 1.0 / 298.257_223_563;
/// WGS84 semi-minor axis, metres.
pub const B_M: f64 = A_M * (1.0 - FLATTENING);
const E2: f64 = FLATTENING * (2.0 - FLATTENING);

/// Absolute margin on every compared cosine (dot-product and unit-vector
/// rounding, `cos` rounding).
pub const COS_MARGIN: f64 = 5e-14;
/// Relative margin on angles and distances derived with `acos`, `cos`, `*`.
pub const REL_MARGIN: f64 = 1e-14;
/// Allowance for the error of the computed Karney distance, metres.
pub const KARNEY_SLACK_M: f64 = 1e-4;
/// Most entries of the per-cell reach lists (4 bytes each).
const MAX_REACH_ENTRIES: usize = 1 << 25;
/// Slack on the meridian-plane angles `δ`, radians.
const DELTA_SLACK_RAD: f64 = 1e-12;

/// What the engine decides for one point.
#[derive(Debug, Clone, PartialEq)]
pub struct Classified {
    /// Index of the nearest site (the lowest index on a tie of the computed
    /// Karney distances).
    pub nearest_site: usize,
    /// Karney geodesic distance from the nearest site, metres.
    pub distance_m: f64,
    /// Initial azimuth from the nearest site towards the point, degrees
    /// clockwise from north in [0, 360).
    pub bearing_deg: f64,
    /// The band of `distance_m` (the band rule).
    pub class: BandClass,
    /// Sites whose reach covers the point (the reach rule), ascending.
    pub reached_by: Vec<usize>,
}

/// The nearest site and its band, without distance, bearing or reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NearestBand {
    /// Index of the nearest site, as in [`Classified::nearest_site`].
    pub nearest_site: usize,
    /// The band of the nearest site's Karney distance.
    pub class: BandClass,
}

/// Counters of the work done, for benchmarks and tests.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Work {
    /// Karney inverse solutions.
    pub karney: u64,
    /// Tight-bound (second dot product) evaluations.
    pub tight: u64,
    /// Site cosines `u·u_j` computed (8 per visited leaf of the site tree):
    /// compare with points × sites for all pairs.
    pub cosines: u64,
}

impl std::ops::Add for Work {
    type Output = Work;
    fn add(self, o: Work) -> Work {
        Work {
            karney: self.karney + o.karney,
            tight: self.tight + o.tight,
            cosines: self.cosines + o.cosines,
        }
    }
}

impl std::ops::Sub for Work {
    type Output = Work;
    fn sub(self, o: Work) -> Work {
        Work {
            karney: self.karney - o.karney,
            tight: self.tight - o.tight,
            cosines: self.cosines - o.cosines,
        }
    }
}

/// A point's two unit vectors and the angle between them.
#[derive(Debug, Clone, Copy)]
struct Frame {
    u: [f64; 3],
    q: [f64; 3],
    delta_rad: f64,
}

/// Longitude reduced exactly to [-180, 180] degrees.
fn reduce_lon_deg(lon_deg: f64) -> f64 {
    if (-180.0..=180.0).contains(&lon_deg) {
        lon_deg // what the remainder gives, without its cost (tested)
    } else {
        reduce_lon_by_remainder_deg(lon_deg)
    }
}

/// [`reduce_lon_deg`] for any longitude, through `%`.
fn reduce_lon_by_remainder_deg(lon_deg: f64) -> f64 {
    let l = lon_deg % 360.0; // exact
    if l > 180.0 {
        l - 360.0 // exact (Sterbenz)
    } else if l < -180.0 {
        l + 360.0
    } else {
        l
    }
}

/// Whether a position is one the bounds are proven for; anything else goes
/// through [`reference()`].
fn valid_position(lon_deg: f64, lat_deg: f64) -> bool {
    lon_deg.is_finite() && (-720.0..=720.0).contains(&lon_deg) && (-90.0..=90.0).contains(&lat_deg)
}

fn frame(lon_deg: f64, lat_deg: f64) -> Frame {
    let (s_lat, c_lat) = lat_deg.to_radians().sin_cos();
    let (s_lon, c_lon) = reduce_lon_deg(lon_deg).to_radians().sin_cos();
    // Meridian-plane coordinates of P: p (from the axis) and z.
    let n_m = A_M / (1.0 - E2 * s_lat * s_lat).sqrt();
    let p_m = n_m * c_lat;
    let z_m = n_m * (1.0 - E2) * s_lat;
    let r_m = (p_m * p_m + z_m * z_m).sqrt();
    let (c_psi, s_psi) = (p_m / r_m, z_m / r_m);
    // X = P + t·n on the sphere of radius a (stable root of the quadratic).
    let pn_m = p_m * c_lat + z_m * s_lat;
    let rem_m2 = (A_M * A_M - (p_m * p_m + z_m * z_m)).max(0.0);
    let t_m = rem_m2 / (pn_m + (pn_m * pn_m + rem_m2).sqrt());
    let (xp_m, xz_m) = (p_m + t_m * c_lat, z_m + t_m * s_lat);
    let rx_m = (xp_m * xp_m + xz_m * xz_m).sqrt();
    let (c_beta, s_beta) = (xp_m / rx_m, xz_m / rx_m);
    // δ = asin(x) ≤ x + x³/6 + x⁵ for 0 ≤ x ≤ 0.5 (here x ≤ 0.0034).
    let x = (c_psi * s_beta - s_psi * c_beta).abs();
    let delta_rad = x + x * x * x / 6.0 + x.powi(5);
    Frame {
        u: [c_psi * c_lon, c_psi * s_lon, s_psi],
        q: [c_beta * c_lon, c_beta * s_lon, s_beta],
        delta_rad,
    }
}

/// Largest `φ − ψ` (geodetic minus geocentric latitude) on WGS84, plus slack:
/// a bound on every point's `δ`.
fn delta_max_rad() -> f64 {
    let k = (1.0 - E2).sqrt();
    (1.0 / k).atan() - k.atan() + DELTA_SLACK_RAD
}

/// An upper bound on the angle whose computed cosine is `c`.
fn acos_hi(c: f64) -> f64 {
    (c - COS_MARGIN).max(-1.0).acos() * (1.0 + REL_MARGIN)
}

/// A lower bound on the angle whose computed cosine is `c`.
fn acos_lo(c: f64) -> f64 {
    (c + COS_MARGIN).min(1.0).acos() * (1.0 - REL_MARGIN)
}

/// Threshold `x` such that a computed cosine `c ≥ x` proves angle ≤ `theta`.
fn cos_at_most(theta_rad: f64) -> f64 {
    if theta_rad <= 0.0 {
        f64::INFINITY
    } else if theta_rad >= PI {
        f64::NEG_INFINITY
    } else {
        theta_rad.cos() + COS_MARGIN
    }
}

/// Threshold `x` such that a computed cosine `c < x` proves angle > `theta`;
/// so `c ≥ x` means "maybe ≤ theta".
fn cos_maybe_at_most(theta_rad: f64) -> f64 {
    if theta_rad >= PI {
        f64::NEG_INFINITY
    } else {
        theta_rad.max(0.0).cos() - COS_MARGIN
    }
}

fn dot3(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// Per-site reach thresholds.
#[derive(Debug, Clone, Copy)]
struct ReachTest {
    range_m: f64,
    /// `u·u_j ≥` this: certainly reached (loose bound).
    in_loose: f64,
    /// `q·q_j ≥` this: certainly reached (tight bound).
    in_tight: f64,
}

/// A site that may be the nearest, with the cosines that bound its
/// distance.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    site: usize,
    /// `u·u_j`.
    cos_u: f64,
    /// `q·q_j`.
    cos_q: f64,
}

impl Candidate {
    /// Lower bound on the distance, metres: `b·θu`.
    fn lo_m(&self) -> f64 {
        B_M * acos_lo(self.cos_u) * (1.0 - REL_MARGIN)
    }

    /// Upper bound on the distance, metres: `a·θq`.
    fn hi_m(&self) -> f64 {
        A_M * acos_hi(self.cos_q) * (1.0 + REL_MARGIN)
    }
}

/// A point made ready for [`Engine::screen`]: its frame, its cell, and where
/// the cell's nearest list lies (whose loading has begun).
#[derive(Debug, Clone, Copy)]
struct Located {
    f: Frame,
    cell: usize,
    near: (u32, u32),
}

/// A site in a cell's nearest list: its unit vector `u` inline (one cache
/// line holds two), and its index.
#[derive(Debug, Clone, Copy)]
struct Near {
    u: [f64; 3],
    site: usize,
}

/// A band edge as two cosine thresholds, so that a candidate's band can be
/// decided without an `acos`.
#[derive(Debug, Clone, Copy)]
struct EdgeTest {
    /// `u·u_j <` this: the lower bound `b·θu − κ` is above the edge.
    above: f64,
    /// `q·q_j >` this: the upper bound `a·θq + κ` is below the edge.
    below: f64,
}

impl EdgeTest {
    fn new(edge_m: f64) -> Self {
        // Twice the relative margins of `acos_lo`/`acos_hi` and the product,
        // and twice the cosine margin, so the cosine test implies the metre
        // test.
        let r = 4.0 * REL_MARGIN;
        let above_rad = (edge_m + KARNEY_SLACK_M) / B_M * (1.0 + r);
        let below_rad = (edge_m - KARNEY_SLACK_M) / A_M * (1.0 - r);
        EdgeTest {
            above: if above_rad >= PI {
                f64::NEG_INFINITY
            } else {
                above_rad.cos() - 2.0 * COS_MARGIN
            },
            below: if below_rad <= 0.0 {
                f64::INFINITY
            } else {
                below_rad.min(PI).cos() + 2.0 * COS_MARGIN
            },
        }
    }
}

/// Per-thread scratch space.
#[derive(Debug, Default)]
struct Scratch {
    /// The tree search's stack.
    stack: Vec<Pending>,
    /// Sites that may be the nearest, in site order, with their cosine
    /// `u·u_j`.
    hits: Vec<(usize, f64)>,
    /// Leaf slots that may reach the point, with their cosine.
    reach_hits: Vec<(usize, f64)>,
    /// A batch of points, located ahead of their screening so that the
    /// loads of their cells' lists overlap.
    batch: Vec<Option<Located>>,
    candidates: Vec<Candidate>,
    /// Karney solutions of this point: (site, distance_m, bearing_deg).
    solved: Vec<(usize, f64, f64)>,
    work: Work,
}

/// The precomputed sites, bands and thresholds. Build once, classify many.
///
/// # Examples
/// ```
/// use infrange::bands::{BandClass, Bands};
/// use infrange::engine::Engine;
/// use infrange::sites::parse_site_arg;
///
/// let sites = [parse_site_arg("Kaliningrad=54.71,20.51,Iskander-M").unwrap()];
/// let engine = Engine::new(&sites, &Bands::inf());
/// let warsaw = engine.classify(21.01178, 52.22977);
/// assert_eq!(warsaw.class, BandClass::Below); // about 279 km
/// assert_eq!(warsaw.reached_by, vec![0]); // Iskander-M: 500 km
/// ```
#[derive(Debug, Clone)]
pub struct Engine {
    bands: Bands,
    sites: Vec<Site>,
    /// The sites' unit vectors `u` and reach thresholds, in a ball tree.
    tree: SiteTree,
    /// Per cell of the sphere, the sites that may be nearest there.
    cells: CellGrid<Near>,
    /// Per cell (the same cells as `cells`), the tree slots that may reach
    /// a point there, in site order; `None` when the lists would be too
    /// long (then the tree is searched).
    reach_cells: Option<CellGrid<u32>>,
    /// Site unit vectors `q` (used per candidate only).
    q: Vec<[f64; 3]>,
    reach: Vec<Option<ReachTest>>,
    any_reach: bool,
    delta_site_max_rad: f64,
    delta_point_max_rad: f64,
    /// A site lies outside the proven domain: use [`reference()`] throughout.
    fallback: bool,
    /// The band edges, nearest first, as cosine tests.
    edges: Vec<EdgeTest>,
    /// `edge_class[k]`: the class of a distance strictly between edges
    /// `k − 1` and `k` (below the first for `k = 0`, beyond the last for
    /// `k = edges.len()`).
    edge_class: Vec<BandClass>,
}

impl Engine {
    /// Precompute the sites (any number, including none) and bands.
    ///
    /// With no sites, [`Engine::classify`] returns `nearest_site` 0 at an
    /// infinite distance, class `Beyond`, like [`reference()`] would before
    /// indexing the missing site; callers should not ask.
    pub fn new(sites: &[Site], bands: &Bands) -> Self {
        let n = sites.len();
        let mut e = Engine {
            bands: bands.clone(),
            sites: sites.to_vec(),
            tree: SiteTree::default(),
            cells: CellGrid::default(),
            reach_cells: None,
            q: Vec::with_capacity(n),
            reach: Vec::with_capacity(n),
            any_reach: false,
            delta_site_max_rad: 0.0,
            delta_point_max_rad: delta_max_rad(),
            fallback: sites.iter().any(|s| !valid_position(s.lon_deg, s.lat_deg)),
            edges: Vec::new(),
            edge_class: Vec::new(),
        };
        let edges_m: Vec<f64> = bands.edges_km().iter().map(|e| e * 1000.0).collect();
        e.edges = edges_m.iter().map(|&m| EdgeTest::new(m)).collect();
        e.edge_class = (0..=edges_m.len())
            .map(|k| {
                let between_m = match (k.checked_sub(1).map(|i| edges_m[i]), edges_m.get(k)) {
                    (None, Some(&hi)) => hi / 2.0,
                    (Some(lo), Some(&hi)) => (lo + hi) / 2.0,
                    (Some(lo), None) => lo + 1000.0,
                    (None, None) => 0.0,
                };
                bands.classify_m(between_m)
            })
            .collect();
        if e.fallback {
            return e;
        }
        let mut units = Vec::with_capacity(n);
        // `u·u_j ≥` this: the site may reach the point (`+∞` without reach).
        let mut maybe_in = vec![f64::INFINITY; n];
        for (j, site) in sites.iter().enumerate() {
            let f = frame(site.lon_deg, site.lat_deg);
            units.push(f.u);
            e.q.push(f.q);
            e.delta_site_max_rad = e.delta_site_max_rad.max(f.delta_rad + DELTA_SLACK_RAD);
            let test = site.reach.as_ref().map(|r| {
                // The very expression of `Reach::reaches_m`.
                let range_m = r.range_km * 1000.0;
                // Certainly out: b·θu − κ > range.
                let out_rad = (range_m + KARNEY_SLACK_M) / B_M * (1.0 + REL_MARGIN);
                if !range_m.is_nan() {
                    maybe_in[j] = cos_maybe_at_most(out_rad);
                }
                // Certainly in: a·θq + κ ≤ range.
                let in_rad = (range_m - KARNEY_SLACK_M) / A_M * (1.0 - REL_MARGIN);
                let loose_rad = in_rad - f.delta_rad - DELTA_SLACK_RAD - e.delta_point_max_rad;
                ReachTest {
                    range_m,
                    in_loose: cos_at_most(loose_rad),
                    in_tight: cos_at_most(in_rad),
                }
            });
            e.any_reach |= test.is_some();
            e.reach.push(test);
        }
        e.tree = SiteTree::build(&units, &maybe_in);
        let k = cells::edge_for(n);
        e.cells = CellGrid::build(k, |center, rho_rad| e.cell_list(center, rho_rad));
        if e.any_reach {
            e.reach_cells = e.reach_lists(k);
        }
        e
    }

    /// Per cell, the tree slots whose site may reach some point of the
    /// cell: `θ(centre, u_j) ≤ out_j + ρmax`, with `out_j` the angle of
    /// the "certainly out" test. `None` if there would be more than
    /// [`MAX_REACH_ENTRIES`] entries.
    fn reach_lists(&self, k: usize) -> Option<CellGrid<u32>> {
        let tree = &self.tree;
        let rho_max_rad = cells::max_cap_rad(k);
        // Per slot: the cell centre's cosine must reach this.
        let threshold: Vec<f64> = tree
            .maybe_in
            .iter()
            .map(|&m| {
                if m > 1.0 {
                    return f64::INFINITY;
                }
                let out_rad = tree::angle_of_threshold(m);
                if out_rad + rho_max_rad >= PI {
                    f64::NEG_INFINITY
                } else {
                    (out_rad + rho_max_rad).cos() - 1e-12
                }
            })
            .collect();
        let cells = 6.0 * (k * k) as f64;
        let expected: f64 = threshold
            .iter()
            .map(|&t| (1.0 - t.clamp(-1.0, 1.0)) / 2.0 * cells)
            .sum();
        if expected > MAX_REACH_ENTRIES as f64 {
            return None;
        }
        let mut by_site: Vec<usize> = (0..tree.site.len())
            .filter(|&slot| threshold[slot] <= 1.0)
            .collect();
        by_site.sort_unstable_by_key(|&slot| tree.site[slot]);
        Some(CellGrid::build(k, |center, _| {
            by_site
                .iter()
                .filter(|&&slot| tree.cosine(slot, center) >= threshold[slot])
                .map(|&slot| slot as u32)
                .collect()
        }))
    }

    /// The tree slots that may be the nearest site for some point within
    /// `rho_rad` of `center`: for every such point `p` the site `k` with the
    /// largest cosine at the centre is within `θk + ρ`, so `p`'s nearest
    /// distance is at most `U = a·(θk + ρ + δmax + δsite)`, and a site `j`
    /// with `b·(θj − ρ) > U + 2κ` is certainly farther than `k` from `p`.
    fn cell_list(&self, center: [f64; 3], rho_rad: f64) -> Vec<Near> {
        let cut_rad = |c_max: f64| {
            let u0_m = A_M
                * (acos_hi(c_max) + rho_rad + self.delta_point_max_rad + self.delta_site_max_rad)
                * (1.0 + REL_MARGIN);
            (u0_m + 2.0 * KARNEY_SLACK_M) / B_M * (1.0 + REL_MARGIN) + rho_rad
        };
        let tree = &self.tree;
        let (mut hits, mut stack) = (Vec::new(), Vec::new());
        let mut c_max = f64::NEG_INFINITY;
        tree.search(
            center,
            Cut::everything(),
            false,
            &mut stack,
            |block, cut| {
                let c = tree.cosines(block, center);
                let block_max = c
                    .iter()
                    .fold(f64::NEG_INFINITY, |m, &v| if v > m { v } else { m });
                if block_max > c_max {
                    c_max = block_max;
                    *cut = Cut::within(cut_rad(c_max));
                }
                let min_cos = cut.min_cos();
                hits.extend(
                    (0..LANES)
                        .filter(|&l| c[l] >= min_cos)
                        .map(|l| (block * LANES + l, c[l])),
                );
            },
        );
        let min_cos = Cut::within(cut_rad(c_max)).min_cos();
        let mut near: Vec<Near> = hits
            .into_iter()
            .filter(|&(_, c)| c >= min_cos)
            .map(|(slot, _)| Near {
                u: [tree.x[slot], tree.y[slot], tree.z[slot]],
                site: tree.site[slot],
            })
            .collect();
        near.sort_unstable_by_key(|n| n.site);
        near
    }

    /// The angle cut of step 2: a site with `θu_j` above it is certainly
    /// not the nearest, given some site has cosine `c_max`. Non-increasing
    /// in `c_max`.
    fn nearest_cut_rad(&self, c_max: f64, f: &Frame) -> f64 {
        let u0_m = A_M
            * (acos_hi(c_max) + f.delta_rad + DELTA_SLACK_RAD + self.delta_site_max_rad)
            * (1.0 + REL_MARGIN);
        (u0_m + 2.0 * KARNEY_SLACK_M) / B_M * (1.0 + REL_MARGIN)
    }

    /// Number of sites.
    pub fn site_count(&self) -> usize {
        self.sites.len()
    }

    /// The bands the engine classifies into.
    pub fn bands(&self) -> &Bands {
        &self.bands
    }

    /// Classify one point: nearest site with its Karney distance and bearing,
    /// band, and the sites that reach it. Identical to [`reference()`].
    pub fn classify(&self, lon_deg: f64, lat_deg: f64) -> Classified {
        let at = self.locate(lon_deg, lat_deg);
        self.classify_with(&mut self.scratch(), lon_deg, lat_deg, at.as_ref())
    }

    /// [`Engine::classify`] for many `(lon_deg, lat_deg)` points, in
    /// parallel (rayon), results in input order.
    pub fn classify_many(&self, points: &[(f64, f64)]) -> Vec<Classified> {
        self.classify_many_counted(points).0
    }

    /// The nearest site and its band only; Karney runs only when the bounds
    /// leave the nearest site or the band open. Identical to the
    /// `nearest_site` and `class` of [`reference()`].
    pub fn nearest_band(&self, lon_deg: f64, lat_deg: f64) -> NearestBand {
        let at = self.locate(lon_deg, lat_deg);
        self.nearest_band_with(&mut self.scratch(), lon_deg, lat_deg, at.as_ref())
    }

    /// [`Engine::nearest_band`] for many points, in parallel.
    pub fn nearest_band_many(&self, points: &[(f64, f64)]) -> Vec<NearestBand> {
        self.nearest_band_many_counted(points).0
    }

    /// [`Engine::nearest_band_many`] that also reports the work done.
    pub fn nearest_band_many_counted(&self, points: &[(f64, f64)]) -> (Vec<NearestBand>, Work) {
        self.map_counted(points, Self::nearest_band_with)
    }

    /// [`Engine::classify_many`] that also reports the work done.
    pub fn classify_many_counted(&self, points: &[(f64, f64)]) -> (Vec<Classified>, Work) {
        self.map_counted(points, Self::classify_with)
    }

    /// [`Engine::classify`] for every point in order, on the calling thread,
    /// handing each result to `each`: for callers that already run in
    /// parallel over blocks of points (e.g. the streaming pipeline), without
    /// nested parallelism or a result vector.
    pub fn classify_each(&self, points: &[(f64, f64)], mut each: impl FnMut(usize, Classified)) {
        let mut s = self.scratch();
        self.for_each_located(&mut s, points, |s, i, lon, lat, at| {
            each(i, self.classify_with(s, lon, lat, at));
        });
    }

    /// Call `per_point` for each point in order, located in batches of 16
    /// so that the loads of their cells' lists overlap.
    fn for_each_located(
        &self,
        s: &mut Scratch,
        points: &[(f64, f64)],
        mut per_point: impl FnMut(&mut Scratch, usize, f64, f64, Option<&Located>),
    ) {
        for (b, batch) in points.chunks(16).enumerate() {
            let mut located = std::mem::take(&mut s.batch);
            located.clear();
            located.extend(batch.iter().map(|&(lon, lat)| self.locate(lon, lat)));
            for (k, (&(lon, lat), at)) in batch.iter().zip(&located).enumerate() {
                per_point(s, b * 16 + k, lon, lat, at.as_ref());
            }
            s.batch = located;
        }
    }

    /// Apply a per-point classification to every point in parallel (one
    /// scratch space per worker), summing the work done.
    fn map_counted<T: Send>(
        &self,
        points: &[(f64, f64)],
        per_point: impl Fn(&Self, &mut Scratch, f64, f64, Option<&Located>) -> T + Sync,
    ) -> (Vec<T>, Work) {
        let chunks: Vec<(Vec<T>, Work)> = points
            .par_chunks(256)
            .map_init(
                || self.scratch(),
                |s, chunk| {
                    let before = s.work;
                    let mut out = Vec::with_capacity(chunk.len());
                    self.for_each_located(s, chunk, |s, _, lon, lat, at| {
                        out.push(per_point(self, s, lon, lat, at));
                    });
                    (out, s.work - before)
                },
            )
            .collect();
        let mut work = Work::default();
        let mut out = Vec::with_capacity(points.len());
        for (v, w) in chunks {
            out.extend(v);
            work = work + w;
        }
        (out, work)
    }

    fn scratch(&self) -> Scratch {
        Scratch::default()
    }

    /// Step 0: the point's frame and cell, or `None` when it must go
    /// through [`reference()`] (no sites, a site or the point outside the
    /// proven domain).
    fn locate(&self, lon_deg: f64, lat_deg: f64) -> Option<Located> {
        if self.fallback || self.sites.is_empty() || !valid_position(lon_deg, lat_deg) {
            return None;
        }
        let f = frame(lon_deg, lat_deg);
        let cell = self.cells.cell(f.u);
        Some(Located {
            f,
            cell,
            near: self.cells.locate(cell),
        })
    }

    fn karney(&self, s: &mut Scratch, site: usize, lon_deg: f64, lat_deg: f64) -> (f64, f64) {
        if let Some(&(_, d, b)) = s.solved.iter().find(|x| x.0 == site) {
            return (d, b);
        }
        let st = &self.sites[site];
        s.work.karney += 1;
        let (d, b) = geodesy::distance_and_bearing(st.lat_deg, st.lon_deg, lat_deg, lon_deg);
        s.solved.push((site, d, b));
        (d, b)
    }

    /// Steps 1–3 of the algorithm (and reach, when `reached` is given):
    /// leaves the nearest-site candidates in `s.candidates`, in site order,
    /// and the reaching sites in `reached`, ascending. Returns false when the
    /// point must go through [`reference()`].
    fn screen(
        &self,
        s: &mut Scratch,
        lon_deg: f64,
        lat_deg: f64,
        at: Option<&Located>,
        mut reached: Option<&mut Vec<usize>>,
    ) -> bool {
        s.candidates.clear();
        s.solved.clear();
        let Some(&Located { f, cell, near }) = at else {
            return false;
        };
        let want_reach = reached.is_some() && self.any_reach;
        let tree = &self.tree;
        // Step 1: the cell's list for the nearest site, the tree for reach.
        let mut c_max = f64::NEG_INFINITY;
        s.hits.clear();
        for near in self.cells.items(near) {
            let c = dot3(near.u, f.u);
            c_max = if c > c_max { c } else { c_max };
            s.hits.push((near.site, c));
        }
        s.work.cosines += s.hits.len() as u64;
        if !c_max.is_finite() {
            return false;
        }
        s.reach_hits.clear();
        let sorted = self.reach_cells.is_some();
        if let (true, Some(grid)) = (want_reach, &self.reach_cells) {
            let list = grid.items(grid.locate(cell));
            for &slot in list {
                let c = tree.cosine(slot as usize, f.u);
                if c >= tree.maybe_in[slot as usize] {
                    s.reach_hits.push((slot as usize, c));
                }
            }
            s.work.cosines += list.len() as u64;
        } else if want_reach {
            let Scratch {
                stack,
                reach_hits,
                work,
                ..
            } = s;
            tree.search(f.u, Cut::nothing(), true, stack, |block, _| {
                work.cosines += LANES as u64;
                let c = tree.cosines(block, f.u);
                let maybe_in = &tree.maybe_in[block * LANES..(block + 1) * LANES];
                for l in 0..LANES {
                    if c[l] >= maybe_in[l] {
                        reach_hits.push((block * LANES + l, c[l]));
                    }
                }
            });
        }
        // Steps 2 and 3.
        let maybe_nearest = cos_maybe_at_most(self.nearest_cut_rad(c_max, &f));
        for i in 0..s.hits.len() {
            let (j, c) = s.hits[i];
            if c >= maybe_nearest {
                s.work.tight += 1;
                let v = dot3(f.q, self.q[j]);
                s.candidates.push(Candidate {
                    site: j,
                    cos_u: c,
                    cos_q: v,
                });
            }
        }
        // Step 4.
        for i in 0..s.reach_hits.len() {
            let (slot, c) = s.reach_hits[i];
            let j = tree.site[slot];
            let Some(test) = self.reach[j] else { continue };
            let inside = c >= test.in_loose
                || {
                    s.work.tight += 1;
                    dot3(f.q, self.q[j]) >= test.in_tight
                }
                || self.karney(s, j, lon_deg, lat_deg).0 <= test.range_m;
            if inside {
                if let Some(r) = reached.as_deref_mut() {
                    r.push(j);
                }
            }
        }
        if let Some(r) = reached.filter(|_| !sorted) {
            r.sort_unstable();
        }
        // Tight cut: drop candidates certainly farther than another one.
        if s.candidates.len() > 1 {
            let hi_min_m = s
                .candidates
                .iter()
                .map(Candidate::hi_m)
                .fold(f64::INFINITY, f64::min);
            let limit_m = hi_min_m + 2.0 * KARNEY_SLACK_M;
            s.candidates.retain(|c| c.lo_m() <= limit_m);
        }
        !s.candidates.is_empty()
    }

    fn classify_with(
        &self,
        s: &mut Scratch,
        lon_deg: f64,
        lat_deg: f64,
        at: Option<&Located>,
    ) -> Classified {
        let mut reached_by = Vec::new();
        if !self.screen(s, lon_deg, lat_deg, at, Some(&mut reached_by)) {
            return reference(&self.sites, &self.bands, lon_deg, lat_deg);
        }
        let mut best = (usize::MAX, f64::INFINITY, f64::NAN);
        for i in 0..s.candidates.len() {
            let j = s.candidates[i].site;
            let (d, b) = self.karney(s, j, lon_deg, lat_deg);
            if d < best.1 || best.0 == usize::MAX {
                best = (j, d, b);
            }
        }
        Classified {
            nearest_site: best.0,
            distance_m: best.1,
            bearing_deg: best.2,
            class: self.bands.classify_m(best.1),
            reached_by,
        }
    }

    fn nearest_band_with(
        &self,
        s: &mut Scratch,
        lon_deg: f64,
        lat_deg: f64,
        at: Option<&Located>,
    ) -> NearestBand {
        if !self.screen(s, lon_deg, lat_deg, at, None) {
            let r = reference(&self.sites, &self.bands, lon_deg, lat_deg);
            return NearestBand {
                nearest_site: r.nearest_site,
                class: r.class,
            };
        }
        if let [only] = s.candidates[..] {
            // Every edge certainly below or certainly above the distance
            // (the edges certainly below are a prefix): the class between.
            let mut below = 0;
            let decided = self.edges.iter().all(|t| {
                if only.cos_u < t.above {
                    below += 1;
                    true
                } else {
                    only.cos_q > t.below
                }
            });
            if decided {
                return NearestBand {
                    nearest_site: only.site,
                    class: self.edge_class[below],
                };
            }
        }
        let mut best = (usize::MAX, f64::INFINITY);
        for i in 0..s.candidates.len() {
            let j = s.candidates[i].site;
            let (d, _) = self.karney(s, j, lon_deg, lat_deg);
            if d < best.1 || best.0 == usize::MAX {
                best = (j, d);
            }
        }
        NearestBand {
            nearest_site: best.0,
            class: self.bands.classify_m(best.1),
        }
    }
}

/// The brute-force definition: Karney on every (site, point) pair; nearest
/// is the first site with the least computed distance. The engine must
/// reproduce it exactly; it is also the path for inputs outside the proven
/// domain (non-finite or out-of-range coordinates).
pub fn reference(sites: &[Site], bands: &Bands, lon_deg: f64, lat_deg: f64) -> Classified {
    let mut nearest_site = 0;
    let mut nearest_m = f64::INFINITY;
    let mut reached_by = Vec::new();
    for (i, site) in sites.iter().enumerate() {
        let d_m = geodesy::distance_m(site.lat_deg, site.lon_deg, lat_deg, lon_deg);
        if d_m < nearest_m {
            nearest_m = d_m;
            nearest_site = i;
        }
        if site.reach.as_ref().is_some_and(|r| r.reaches_m(d_m)) {
            reached_by.push(i);
        }
    }
    let bearing_deg = sites.get(nearest_site).map_or(f64::NAN, |site| {
        geodesy::initial_bearing_deg(site.lat_deg, site.lon_deg, lat_deg, lon_deg)
    });
    Classified {
        nearest_site,
        distance_m: nearest_m,
        bearing_deg,
        class: bands.classify_m(nearest_m),
        reached_by,
    }
}

#[cfg(test)]
mod tests;
