//! The classification engine: nearest site, band and reach for many points,
//! exactly as the all-pairs Karney computation ([`reference`]) decides them,
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
//! # The algorithm, per point
//!
//! 1. `c_j = u·u_j` for all sites (one 3-term dot product per pair,
//!    vectorised, AVX2+FMA when the CPU has it), keeping `max c_j`.
//! 2. From `max c_j`, an upper bound `U0` on the nearest distance
//!    (`a·(θu + δp + δmax)`); every site with `b·θu_j > U0 + 2κ` is
//!    certainly farther than some other site and drops out.
//! 3. For the few survivors the tight bounds `[b·θu, a·θq]`; the survivors
//!    whose lower bound does not exceed the least upper bound are the
//!    candidates. Karney runs on each (index order, strict `<`, so ties go
//!    to the lowest index exactly as in [`reference`]).
//! 4. Reach: per site precomputed cosine thresholds say "certainly out"
//!    (`b·θu − κ > range`), "certainly in" (`a·θq + κ ≤ range`, first with
//!    the loose bound from `c_j` alone, then the tight one), else Karney.
//!
//! [`Engine::nearest_band`] stops after step 3 and also decides the band
//! from the candidate's bounds when both ends fall in the same class,
//! running Karney only when an edge is within the window.

use crate::bands::{BandClass, Bands};
use crate::geodesy;
use crate::sites::Site;
use rayon::prelude::*;
use std::f64::consts::PI;

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
/// Slack on the meridian-plane angles `δ`, radians.
const DELTA_SLACK_RAD: f64 = 1e-12;
/// Sites are padded to a multiple of this for the vector kernel.
const LANES: usize = 8;
/// Size of the subset that gives the early cut.
const GUESS_SITES: usize = 64;

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
/// through [`reference`].
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
    let r_m = p_m.hypot(z_m);
    let (c_psi, s_psi) = (p_m / r_m, z_m / r_m);
    // X = P + t·n on the sphere of radius a (stable root of the quadratic).
    let pn_m = p_m * c_lat + z_m * s_lat;
    let rem_m2 = (A_M * A_M - (p_m * p_m + z_m * z_m)).max(0.0);
    let t_m = rem_m2 / (pn_m + (pn_m * pn_m + rem_m2).sqrt());
    let (xp_m, xz_m) = (p_m + t_m * c_lat, z_m + t_m * s_lat);
    let rx_m = xp_m.hypot(xz_m);
    let (c_beta, s_beta) = (xp_m / rx_m, xz_m / rx_m);
    let delta_rad = (c_psi * s_beta - s_psi * c_beta)
        .abs()
        .atan2(c_psi * c_beta + s_psi * s_beta);
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

/// A site that may be the nearest, with bounds on its distance.
#[derive(Debug, Clone, Copy)]
struct Candidate {
    site: usize,
    lo_m: f64,
    hi_m: f64,
}

/// Per-thread scratch space.
#[derive(Debug, Default)]
struct Scratch {
    cos_u: Vec<f64>,
    /// Cosines to the guess subset.
    guess: Vec<f64>,
    /// One bit per site: may be the nearest, or may be reached.
    masks: Vec<u8>,
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
    /// Site unit vectors `u`, structure of arrays, padded with NaN.
    ux: Vec<f64>,
    uy: Vec<f64>,
    uz: Vec<f64>,
    /// A strided subset of at most [`GUESS_SITES`] sites' `u` (padded), whose
    /// nearest gives an early, conservative cut for the fused kernel.
    gx: Vec<f64>,
    gy: Vec<f64>,
    gz: Vec<f64>,
    /// Site unit vectors `q` (not padded; used per candidate only).
    q: Vec<[f64; 3]>,
    /// `u·u_j ≥` this: the site may reach the point (`+∞` without reach).
    maybe_in: Vec<f64>,
    reach: Vec<Option<ReachTest>>,
    any_reach: bool,
    delta_site_max_rad: f64,
    delta_point_max_rad: f64,
    /// A site lies outside the proven domain: use [`reference`] throughout.
    fallback: bool,
    simd: bool,
}

impl Engine {
    /// Precompute the sites (any number, including none) and bands.
    ///
    /// With no sites, [`Engine::classify`] returns `nearest_site` 0 at an
    /// infinite distance, class `Beyond`, like [`reference`] would before
    /// indexing the missing site; callers should not ask.
    pub fn new(sites: &[Site], bands: &Bands) -> Self {
        let n = sites.len();
        let padded = n.div_ceil(LANES) * LANES;
        let mut e = Engine {
            bands: bands.clone(),
            sites: sites.to_vec(),
            ux: vec![f64::NAN; padded],
            uy: vec![f64::NAN; padded],
            uz: vec![f64::NAN; padded],
            gx: Vec::new(),
            gy: Vec::new(),
            gz: Vec::new(),
            q: Vec::with_capacity(n),
            maybe_in: vec![f64::INFINITY; padded],
            reach: Vec::with_capacity(n),
            any_reach: false,
            delta_site_max_rad: 0.0,
            delta_point_max_rad: delta_max_rad(),
            fallback: sites.iter().any(|s| !valid_position(s.lon_deg, s.lat_deg)),
            simd: simd_available(),
        };
        if e.fallback {
            return e;
        }
        for (j, site) in sites.iter().enumerate() {
            let f = frame(site.lon_deg, site.lat_deg);
            (e.ux[j], e.uy[j], e.uz[j]) = (f.u[0], f.u[1], f.u[2]);
            e.q.push(f.q);
            e.delta_site_max_rad = e.delta_site_max_rad.max(f.delta_rad + DELTA_SLACK_RAD);
            let test = site.reach.as_ref().map(|r| {
                // The very expression of `Reach::reaches_m`.
                let range_m = r.range_km * 1000.0;
                // Certainly out: b·θu − κ > range.
                let out_rad = (range_m + KARNEY_SLACK_M) / B_M * (1.0 + REL_MARGIN);
                e.maybe_in[j] = if range_m.is_nan() {
                    f64::INFINITY
                } else {
                    cos_maybe_at_most(out_rad)
                };
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
        let stride = n.div_ceil(GUESS_SITES).max(1);
        for j in (0..n).step_by(stride) {
            e.gx.push(e.ux[j]);
            e.gy.push(e.uy[j]);
            e.gz.push(e.uz[j]);
        }
        let guess_padded = e.gx.len().div_ceil(LANES) * LANES;
        for v in [&mut e.gx, &mut e.gy, &mut e.gz] {
            v.resize(guess_padded, f64::NAN);
        }
        e
    }

    /// The cosine cut of step 2: a site with `u·u_j` below it is certainly
    /// not the nearest, given some site has cosine `c_max`. Non-decreasing
    /// in `c_max`.
    fn nearest_cut(&self, c_max: f64, f: &Frame) -> f64 {
        let u0_m = A_M
            * (acos_hi(c_max) + f.delta_rad + DELTA_SLACK_RAD + self.delta_site_max_rad)
            * (1.0 + REL_MARGIN);
        let cut_rad = (u0_m + 2.0 * KARNEY_SLACK_M) / B_M * (1.0 + REL_MARGIN);
        cos_maybe_at_most(cut_rad)
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
    /// band, and the sites that reach it. Identical to [`reference`].
    pub fn classify(&self, lon_deg: f64, lat_deg: f64) -> Classified {
        self.classify_with(&mut self.scratch(), lon_deg, lat_deg)
    }

    /// [`Engine::classify`] for many `(lon_deg, lat_deg)` points, in
    /// parallel (rayon), results in input order.
    pub fn classify_many(&self, points: &[(f64, f64)]) -> Vec<Classified> {
        points
            .par_iter()
            .with_min_len(64)
            .map_init(
                || self.scratch(),
                |s, &(lon, lat)| self.classify_with(s, lon, lat),
            )
            .collect()
    }

    /// The nearest site and its band only; Karney runs only when the bounds
    /// leave the nearest site or the band open. Identical to the
    /// `nearest_site` and `class` of [`reference`].
    pub fn nearest_band(&self, lon_deg: f64, lat_deg: f64) -> NearestBand {
        self.nearest_band_with(&mut self.scratch(), lon_deg, lat_deg)
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

    /// Apply a per-point classification to every point in parallel (one
    /// scratch space per worker), summing the work done.
    fn map_counted<T: Send>(
        &self,
        points: &[(f64, f64)],
        per_point: impl Fn(&Self, &mut Scratch, f64, f64) -> T + Sync,
    ) -> (Vec<T>, Work) {
        let chunks: Vec<(Vec<T>, Work)> = points
            .par_chunks(256)
            .map_init(
                || self.scratch(),
                |s, chunk| {
                    let before = s.work;
                    let out = chunk
                        .iter()
                        .map(|&(lon, lat)| per_point(self, s, lon, lat))
                        .collect();
                    let w = Work {
                        karney: s.work.karney - before.karney,
                        tight: s.work.tight - before.tight,
                    };
                    (out, w)
                },
            )
            .collect();
        let mut work = Work::default();
        let mut out = Vec::with_capacity(points.len());
        for (v, w) in chunks {
            out.extend(v);
            work.karney += w.karney;
            work.tight += w.tight;
        }
        (out, work)
    }

    fn scratch(&self) -> Scratch {
        Scratch {
            cos_u: vec![f64::NAN; self.ux.len()],
            guess: vec![f64::NAN; self.gx.len()],
            ..Default::default()
        }
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
    /// leaves the nearest-site candidates in `s.candidates`. Returns false
    /// when the point must go through [`reference`].
    fn screen(
        &self,
        s: &mut Scratch,
        lon_deg: f64,
        lat_deg: f64,
        mut reached: Option<&mut Vec<usize>>,
    ) -> bool {
        s.candidates.clear();
        s.solved.clear();
        if self.fallback || self.sites.is_empty() || !valid_position(lon_deg, lat_deg) {
            return false;
        }
        let f = frame(lon_deg, lat_deg);
        let want_reach = reached.is_some() && self.any_reach;
        let n = self.sites.len();
        let mut cos_u = std::mem::take(&mut s.cos_u);
        let mut masks = std::mem::take(&mut s.masks);
        masks.resize(cos_u.len() / LANES, 0);
        let maybe_in: &[f64] = if want_reach { &self.maybe_in } else { &[] };
        let fused = fused_pass(self, &f, &mut s.guess, maybe_in, &mut cos_u, &mut masks);
        let c_max =
            fused.unwrap_or_else(|| cos_pass(false, &self.ux, &self.uy, &self.uz, f.u, &mut cos_u));
        if !c_max.is_finite() {
            s.cos_u = cos_u;
            s.masks = masks;
            return false;
        }
        // Loose upper bound on the nearest distance, and the loose cut.
        let maybe_nearest = self.nearest_cut(c_max, &f);
        if fused.is_none() {
            mask_pass_body(&cos_u, maybe_nearest, maybe_in, &mut masks);
        }
        for (block, &mask) in masks.iter().enumerate() {
            if mask == 0 {
                continue;
            }
            let cs = &cos_u[block * LANES..(block + 1) * LANES];
            let mi = &self.maybe_in[block * LANES..(block + 1) * LANES];
            // Recheck the block against the final cut (the fused kernel
            // used the early one), without branches.
            let mut exact = 0u8;
            for l in 0..LANES {
                let hit = cs[l] >= maybe_nearest || (want_reach && cs[l] >= mi[l]);
                exact |= u8::from(hit) << l;
            }
            let mut bits = u32::from(mask & exact);
            while bits != 0 {
                let l = bits.trailing_zeros() as usize;
                bits &= bits - 1;
                let j = block * LANES + l;
                if j >= n {
                    break;
                }
                let c = cs[l];
                let mut cq = None;
                if c >= maybe_nearest {
                    s.work.tight += 1;
                    let v = dot3(f.q, self.q[j]);
                    cq = Some(v);
                    s.candidates.push(Candidate {
                        site: j,
                        lo_m: B_M * acos_lo(c) * (1.0 - REL_MARGIN),
                        hi_m: A_M * acos_hi(v) * (1.0 + REL_MARGIN),
                    });
                }
                if want_reach && c >= mi[l] {
                    let Some(test) = self.reach[j] else { continue };
                    let inside = c >= test.in_loose
                        || cq.unwrap_or_else(|| {
                            s.work.tight += 1;
                            dot3(f.q, self.q[j])
                        }) >= test.in_tight
                        || self.karney(s, j, lon_deg, lat_deg).0 <= test.range_m;
                    if inside {
                        if let Some(r) = reached.as_deref_mut() {
                            r.push(j);
                        }
                    }
                }
            }
        }
        s.cos_u = cos_u;
        s.masks = masks;
        // Tight cut: drop candidates certainly farther than another one.
        let hi_min_m = s
            .candidates
            .iter()
            .map(|c| c.hi_m)
            .fold(f64::INFINITY, f64::min);
        let limit_m = hi_min_m + 2.0 * KARNEY_SLACK_M;
        s.candidates.retain(|c| c.lo_m <= limit_m);
        !s.candidates.is_empty()
    }

    fn classify_with(&self, s: &mut Scratch, lon_deg: f64, lat_deg: f64) -> Classified {
        let mut reached_by = Vec::new();
        if !self.screen(s, lon_deg, lat_deg, Some(&mut reached_by)) {
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

    fn nearest_band_with(&self, s: &mut Scratch, lon_deg: f64, lat_deg: f64) -> NearestBand {
        if !self.screen(s, lon_deg, lat_deg, None) {
            let r = reference(&self.sites, &self.bands, lon_deg, lat_deg);
            return NearestBand {
                nearest_site: r.nearest_site,
                class: r.class,
            };
        }
        if let [only] = s.candidates[..] {
            let lo = self.bands.classify_m(only.lo_m - KARNEY_SLACK_M);
            let hi = self.bands.classify_m(only.hi_m + KARNEY_SLACK_M);
            if lo == hi {
                return NearestBand {
                    nearest_site: only.site,
                    class: lo,
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

// ---------------------------------------------------------------------------
// The kernel: c_j = u·u_j for every site, and max c_j.

fn simd_available() -> bool {
    #[cfg(target_arch = "x86_64")]
    {
        std::arch::is_x86_feature_detected!("avx2") && std::arch::is_x86_feature_detected!("fma")
    }
    #[cfg(not(target_arch = "x86_64"))]
    {
        false
    }
}

#[inline(always)]
fn cos_pass_body<const FMA: bool>(
    ux: &[f64],
    uy: &[f64],
    uz: &[f64],
    p: [f64; 3],
    out: &mut [f64],
) -> f64 {
    let mut mx = [f64::NEG_INFINITY; LANES];
    for (((x, y), z), o) in ux
        .chunks_exact(LANES)
        .zip(uy.chunks_exact(LANES))
        .zip(uz.chunks_exact(LANES))
        .zip(out.chunks_exact_mut(LANES))
    {
        for l in 0..LANES {
            let c = if FMA {
                z[l].mul_add(p[2], y[l].mul_add(p[1], x[l] * p[0]))
            } else {
                x[l] * p[0] + y[l] * p[1] + z[l] * p[2]
            };
            o[l] = c;
            mx[l] = if c > mx[l] { c } else { mx[l] };
        }
    }
    mx.iter()
        .fold(f64::NAN, |a, &b| if b > a || a.is_nan() { b } else { a })
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn cos_pass_avx2(ux: &[f64], uy: &[f64], uz: &[f64], p: [f64; 3], out: &mut [f64]) -> f64 {
    cos_pass_body::<true>(ux, uy, uz, p, out)
}

/// Fill `out[j] = p·u_j` and return the largest (NaN if no site).
fn cos_pass(simd: bool, ux: &[f64], uy: &[f64], uz: &[f64], p: [f64; 3], out: &mut [f64]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if simd {
        // SAFETY: `simd` is true only when the CPU has AVX2 and FMA.
        return unsafe { cos_pass_avx2(ux, uy, uz, p, out) };
    }
    let _ = simd;
    cos_pass_body::<false>(ux, uy, uz, p, out)
}

#[inline(always)]
fn mask_pass_body(cos_u: &[f64], maybe_nearest: f64, maybe_in: &[f64], out: &mut [u8]) {
    if maybe_in.is_empty() {
        for (cs, o) in cos_u.chunks_exact(LANES).zip(out.iter_mut()) {
            let mut bits = 0u8;
            for (l, &c) in cs.iter().enumerate() {
                bits |= u8::from(c >= maybe_nearest) << l;
            }
            *o = bits;
        }
    } else {
        for ((cs, mi), o) in cos_u
            .chunks_exact(LANES)
            .zip(maybe_in.chunks_exact(LANES))
            .zip(out.iter_mut())
        {
            let mut bits = 0u8;
            for l in 0..LANES {
                bits |= u8::from((cs[l] >= maybe_nearest) | (cs[l] >= mi[l])) << l;
            }
            *o = bits;
        }
    }
}

/// The AVX2 kernel, fused: cosines, their maximum and the candidate masks
/// in one sweep. The masks use an early cut from the guess subset, which is
/// at most the final cut (the cut is non-decreasing in the maximum cosine,
/// and the subset's maximum is at most the full one), so they mark a
/// superset of the sites to look at; [`Engine::screen`] rechecks each.
/// Returns `None` without AVX2+FMA.
fn fused_pass(
    engine: &Engine,
    f: &Frame,
    guess: &mut [f64],
    maybe_in: &[f64],
    cos_u: &mut [f64],
    masks: &mut [u8],
) -> Option<f64> {
    #[cfg(target_arch = "x86_64")]
    if engine.simd {
        // SAFETY: `simd` is true only when the CPU has AVX2 and FMA.
        let c_guess = unsafe { cos_pass_avx2(&engine.gx, &engine.gy, &engine.gz, f.u, guess) };
        let early = if c_guess.is_finite() {
            engine.nearest_cut(c_guess, f) - 1e-15
        } else {
            f64::NEG_INFINITY
        };
        // SAFETY: as above.
        return Some(unsafe {
            fused_avx2(
                &engine.ux, &engine.uy, &engine.uz, f.u, early, maybe_in, cos_u, masks,
            )
        });
    }
    let _ = (engine, f, guess, maybe_in, cos_u, masks);
    None
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
#[allow(clippy::too_many_arguments)]
fn fused_avx2(
    ux: &[f64],
    uy: &[f64],
    uz: &[f64],
    p: [f64; 3],
    early_cut: f64,
    maybe_in: &[f64],
    cos_u: &mut [f64],
    masks: &mut [u8],
) -> f64 {
    use std::arch::x86_64::{
        _mm256_cmp_pd, _mm256_fmadd_pd, _mm256_loadu_pd, _mm256_max_pd, _mm256_movemask_pd,
        _mm256_mul_pd, _mm256_or_pd, _mm256_set1_pd, _mm256_storeu_pd, _CMP_GE_OQ,
    };
    let (px, py, pz) = (
        _mm256_set1_pd(p[0]),
        _mm256_set1_pd(p[1]),
        _mm256_set1_pd(p[2]),
    );
    let thr = _mm256_set1_pd(early_cut);
    let mut mx = [_mm256_set1_pd(f64::NEG_INFINITY); 2];
    let reach = maybe_in.len() >= cos_u.len();
    let blocks = masks.len().min(ux.len() / LANES).min(cos_u.len() / LANES);
    let blocks = blocks.min(uy.len() / LANES).min(uz.len() / LANES);
    for (b, mask) in masks.iter_mut().enumerate().take(blocks) {
        let mut m = [0i32; 2];
        for h in 0..2 {
            let i = b * LANES + 4 * h;
            // SAFETY: i + 4 ≤ blocks·LANES ≤ every slice's length.
            unsafe {
                let c = _mm256_fmadd_pd(
                    _mm256_loadu_pd(uz.as_ptr().add(i)),
                    pz,
                    _mm256_fmadd_pd(
                        _mm256_loadu_pd(uy.as_ptr().add(i)),
                        py,
                        _mm256_mul_pd(_mm256_loadu_pd(ux.as_ptr().add(i)), px),
                    ),
                );
                _mm256_storeu_pd(cos_u.as_mut_ptr().add(i), c);
                // max_pd returns its second operand when the first is NaN (padding).
                mx[h] = _mm256_max_pd(c, mx[h]);
                let mut hit = _mm256_cmp_pd::<_CMP_GE_OQ>(c, thr);
                if reach {
                    hit = _mm256_or_pd(
                        hit,
                        _mm256_cmp_pd::<_CMP_GE_OQ>(c, _mm256_loadu_pd(maybe_in.as_ptr().add(i))),
                    );
                }
                m[h] = _mm256_movemask_pd(hit);
            }
        }
        *mask = (m[0] | (m[1] << 4)) as u8;
    }
    let mut lanes = [0.0f64; 8];
    // SAFETY: `lanes` holds 8 f64.
    unsafe {
        _mm256_storeu_pd(lanes.as_mut_ptr(), mx[0]);
        _mm256_storeu_pd(lanes.as_mut_ptr().add(4), mx[1]);
    }
    lanes
        .iter()
        .fold(f64::NAN, |a, &b| if b > a || a.is_nan() { b } else { a })
}

#[cfg(test)]
mod tests;
