//! The site tree: a ball tree over the sites' geocentric unit vectors `u`,
//! so that a point looks only at the sites that can matter to it instead of
//! at all of them.
//!
//! Every node is a spherical cap: a unit centre `c` and an angular radius
//! `ρ` that covers all its sites (rounded up). A site `j` of the node is at
//! least `∠(u, c) − ρ` from a point `u` (triangle inequality on the unit
//! sphere), so when that exceeds the angle a search is after, the whole node
//! is skipped. Leaves hold up to [`LANES`] sites, stored structure-of-arrays
//! and padded, so a leaf is one fixed-width block of dot products that the
//! compiler vectorises.
//!
//! Pruning is conservative: every angle is rounded up and every cosine
//! threshold down by margins far above the rounding error (see
//! [`ANGLE_SLACK_RAD`], [`COS_SLACK`]), so a node is skipped only when none of
//! its sites could pass the caller's cosine test. The caller's exact tests
//! then run on the sites of the visited leaves only.

use std::f64::consts::PI;

/// Sites per leaf block.
pub const LANES: usize = 8;
/// Added to every angle that bounds a set of sites, radians.
const ANGLE_SLACK_RAD: f64 = 1e-9;
/// Added to the nearest-site cut's angle, radians: covers the error of a
/// cosine near 1 (`√(2·1e-13)`).
const CUT_SLACK_RAD: f64 = 1e-6;
/// Subtracted from every cosine threshold a node must reach to be skipped.
const COS_SLACK: f64 = 1e-12;

/// An angle `T` with `c ≥ x ⇒ ∠ ≤ T` for a computed cosine `c` (of a true
/// cosine within `COS_SLACK` of it), rounded up.
pub fn angle_of_threshold(x: f64) -> f64 {
    if x.is_nan() || x <= -1.0 {
        PI + 1.0
    } else {
        (x - COS_SLACK).max(-1.0).acos() + ANGLE_SLACK_RAD
    }
}

/// `cos(T + ρ)` rounded down, or `−∞` when `T + ρ ≥ π` (the node is always
/// visited).
fn visit_threshold(t_rad: f64, rho_rad: f64) -> f64 {
    if t_rad + rho_rad >= PI {
        f64::NEG_INFINITY
    } else {
        (t_rad + rho_rad).cos() - COS_SLACK
    }
}

fn dot3(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// A reference to a child: a leaf block or an inner node.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Child {
    Leaf(u32),
    Inner(u32),
}

/// An inner node: up to [`LANES`] children, each a cap, structure of arrays
/// so that all children are tested in one vectorised sweep. Missing
/// children have a NaN centre and never pass.
#[derive(Debug, Clone)]
struct Node {
    cx: [f64; LANES],
    cy: [f64; LANES],
    cz: [f64; LANES],
    cos_rho: [f64; LANES],
    sin_rho: [f64; LANES],
    rho_rad: [f64; LANES],
    /// `u·centre ≥` this: some site of the child may reach the point
    /// (`+∞` when none of its sites has a reach).
    reach_visit: [f64; LANES],
    child: [Option<Child>; LANES],
}

impl Default for Node {
    fn default() -> Self {
        Node {
            cx: [f64::NAN; LANES],
            cy: [f64::NAN; LANES],
            cz: [f64::NAN; LANES],
            cos_rho: [1.0; LANES],
            sin_rho: [0.0; LANES],
            rho_rad: [f64::NEG_INFINITY; LANES],
            reach_visit: [f64::INFINITY; LANES],
            child: [None; LANES],
        }
    }
}

/// A search's nearest-site cut: sites farther than an angle from the point
/// are not wanted (unless the search also asks for reach).
#[derive(Debug, Clone, Copy)]
pub struct Cut {
    cos_t: f64,
    sin_t: f64,
    t_rad: f64,
}

impl Cut {
    /// No cut: every site is wanted.
    pub fn everything() -> Self {
        Cut {
            cos_t: -1.0,
            sin_t: 0.0,
            t_rad: PI + 1.0,
        }
    }

    /// No site is wanted for being near (a search for reach only).
    pub fn nothing() -> Self {
        Cut {
            cos_t: f64::INFINITY,
            sin_t: 0.0,
            t_rad: f64::NEG_INFINITY,
        }
    }

    /// Sites within `angle_rad` of the point are wanted.
    pub fn within(angle_rad: f64) -> Self {
        let t_rad = angle_rad + CUT_SLACK_RAD;
        if t_rad >= PI || t_rad.is_nan() {
            return Self::everything();
        }
        let (sin_t, cos_t) = t_rad.sin_cos();
        Cut {
            cos_t,
            sin_t,
            t_rad,
        }
    }

    /// A computed cosine `u·u_j` below this proves the site is farther than
    /// the cut's angle.
    pub fn min_cos(&self) -> f64 {
        if self.t_rad >= PI {
            f64::NEG_INFINITY
        } else if self.t_rad < 0.0 {
            f64::INFINITY
        } else {
            self.cos_t - COS_SLACK
        }
    }

    /// Whether a cap of radius `ρ` whose centre has cosine `d` with the point
    /// may hold a site within the cut: `∠(u, c) ≤ T + ρ`, i.e.
    /// `d ≥ cos T cos ρ − sin T sin ρ` (when `T + ρ < π`).
    #[inline(always)]
    fn admits(&self, d: f64, cos_rho: f64, sin_rho: f64, rho_rad: f64) -> bool {
        (self.t_rad + rho_rad >= PI)
            | ((self.t_rad >= 0.0) & (d >= self.cos_t * cos_rho - self.sin_t * sin_rho - COS_SLACK))
    }
}

/// A child waiting on the search stack, with what its test needs.
#[derive(Debug, Clone, Copy)]
pub struct Pending {
    child: Child,
    d: f64,
    cos_rho: f64,
    sin_rho: f64,
    rho_rad: f64,
    /// Passed on reach: visit whatever the cut becomes.
    reach: bool,
}

/// The ball tree with its leaf blocks.
#[derive(Debug, Clone, Default)]
pub struct SiteTree {
    /// Leaf slots, [`LANES`] per block: unit vector components (NaN padding).
    pub x: Vec<f64>,
    pub y: Vec<f64>,
    pub z: Vec<f64>,
    /// The site index of each slot (`usize::MAX` for padding).
    pub site: Vec<usize>,
    /// Per slot: the site may reach a point whose cosine is at least this
    /// (`+∞` without reach, and for padding).
    pub maybe_in: Vec<f64>,
    /// Inner nodes; the root's children are the top level.
    nodes: Vec<Node>,
}

impl SiteTree {
    /// Build the tree over unit vectors `units[j]` with per-site reach
    /// thresholds `maybe_in[j]` (a cosine; `+∞` for no reach).
    pub fn build(units: &[[f64; 3]], maybe_in: &[f64]) -> Self {
        let mut tree = SiteTree::default();
        if units.is_empty() {
            return tree;
        }
        let mut ids: Vec<usize> = (0..units.len()).collect();
        tree.nodes.push(Node::default());
        tree.fill(0, units, maybe_in, &mut ids);
        tree
    }

    /// Fill node `index` with children that partition `ids`.
    fn fill(&mut self, index: usize, units: &[[f64; 3]], maybe_in: &[f64], ids: &mut [usize]) {
        let mut parts: Vec<&mut [usize]> = vec![ids];
        // Halve the largest part (median along its widest axis) until there
        // are LANES parts or every part fits in a leaf.
        while parts.len() < LANES {
            let (k, _) = parts
                .iter()
                .enumerate()
                .max_by_key(|(_, p)| p.len())
                .unwrap_or((0, &parts[0]));
            if parts[k].len() <= LANES {
                break;
            }
            let part = parts.swap_remove(k);
            let axis = widest_axis(units, part);
            let mid = part.len() / 2;
            part.select_nth_unstable_by(mid, |&a, &b| units[a][axis].total_cmp(&units[b][axis]));
            let (left, right) = part.split_at_mut(mid);
            parts.push(left);
            parts.push(right);
        }
        for (lane, part) in parts.into_iter().enumerate() {
            let (center, rho_rad, reach_t) = cap(units, maybe_in, part);
            let child = if part.len() <= LANES {
                Child::Leaf(self.push_leaf(units, maybe_in, part))
            } else {
                let inner = self.nodes.len();
                self.nodes.push(Node::default());
                self.fill(inner, units, maybe_in, part);
                Child::Inner(inner as u32)
            };
            let node = &mut self.nodes[index];
            (node.cx[lane], node.cy[lane], node.cz[lane]) = (center[0], center[1], center[2]);
            (node.sin_rho[lane], node.cos_rho[lane]) = rho_rad.sin_cos();
            node.rho_rad[lane] = rho_rad;
            node.reach_visit[lane] = if reach_t.is_nan() {
                f64::INFINITY
            } else {
                visit_threshold(reach_t, rho_rad)
            };
            node.child[lane] = Some(child);
        }
    }

    fn push_leaf(&mut self, units: &[[f64; 3]], maybe_in: &[f64], ids: &[usize]) -> u32 {
        let block = self.site.len() / LANES;
        for l in 0..LANES {
            let j = ids.get(l).copied();
            let u = j.map_or([f64::NAN; 3], |j| units[j]);
            self.x.push(u[0]);
            self.y.push(u[1]);
            self.z.push(u[2]);
            self.site.push(j.unwrap_or(usize::MAX));
            self.maybe_in.push(j.map_or(f64::INFINITY, |j| maybe_in[j]));
        }
        block as u32
    }

    /// The cosines `u·u_j` of a leaf block's slots (NaN for padding).
    #[inline]
    pub fn cosines(&self, block: usize, u: [f64; 3]) -> [f64; LANES] {
        let base = block * LANES;
        let (x, y, z) = (
            &self.x[base..base + LANES],
            &self.y[base..base + LANES],
            &self.z[base..base + LANES],
        );
        let mut c = [0.0; LANES];
        for l in 0..LANES {
            c[l] = x[l] * u[0] + y[l] * u[1] + z[l] * u[2];
        }
        c
    }

    /// The cosine `u·u_j` of one slot.
    #[inline]
    pub fn cosine(&self, slot: usize, u: [f64; 3]) -> f64 {
        self.x[slot] * u[0] + self.y[slot] * u[1] + self.z[slot] * u[2]
    }

    /// Visit, nearest-looking first, every leaf block that may hold a site
    /// `j` with `u·u_j ≥ cut.min_cos()` or (when `reach`)
    /// `u·u_j ≥ maybe_in[j]`.
    ///
    /// `leaf(block, &mut cut)` is called for each and may narrow the cut,
    /// which only prunes more. `stack` is scratch space.
    pub fn search(
        &self,
        u: [f64; 3],
        mut cut: Cut,
        reach: bool,
        stack: &mut Vec<Pending>,
        mut leaf: impl FnMut(usize, &mut Cut),
    ) {
        if self.nodes.is_empty() {
            return;
        }
        stack.clear();
        self.expand(0, u, reach, &cut, stack);
        while let Some(p) = stack.pop() {
            if !(p.reach || cut.admits(p.d, p.cos_rho, p.sin_rho, p.rho_rad)) {
                continue;
            }
            match p.child {
                Child::Leaf(block) => leaf(block as usize, &mut cut),
                Child::Inner(i) => self.expand(i as usize, u, reach, &cut, stack),
            }
        }
    }

    /// Push the children of node `i` that pass, the nearest-looking last
    /// (so it is visited first).
    fn expand(&self, i: usize, u: [f64; 3], reach: bool, cut: &Cut, stack: &mut Vec<Pending>) {
        let n = &self.nodes[i];
        let mut d = [0.0; LANES];
        let mut pass = [false; LANES];
        let mut by_reach = [false; LANES];
        for l in 0..LANES {
            d[l] = n.cx[l] * u[0] + n.cy[l] * u[1] + n.cz[l] * u[2];
            by_reach[l] = reach & (d[l] >= n.reach_visit[l]);
            pass[l] = by_reach[l] | cut.admits(d[l], n.cos_rho[l], n.sin_rho[l], n.rho_rad[l]);
        }
        let first = stack.len();
        let mut best = (f64::NEG_INFINITY, usize::MAX);
        for l in 0..LANES {
            let Some(child) = n.child[l] else { break };
            if !pass[l] {
                continue;
            }
            if d[l] > best.0 || best.1 == usize::MAX {
                best = (d[l], stack.len());
            }
            stack.push(Pending {
                child,
                d: d[l],
                cos_rho: n.cos_rho[l],
                sin_rho: n.sin_rho[l],
                rho_rad: n.rho_rad[l],
                reach: by_reach[l],
            });
        }
        if best.1 != usize::MAX && stack.len() > first {
            let last = stack.len() - 1;
            stack.swap(best.1, last);
        }
    }
}

/// The axis (x, y or z) along which `ids` spread widest.
fn widest_axis(units: &[[f64; 3]], ids: &[usize]) -> usize {
    let spread = |k: usize| {
        let (lo, hi) = ids.iter().fold((f64::MAX, f64::MIN), |(lo, hi), &j| {
            (lo.min(units[j][k]), hi.max(units[j][k]))
        });
        hi - lo
    };
    (0..3)
        .max_by(|&a, &b| spread(a).total_cmp(&spread(b)))
        .unwrap_or(0)
}

/// The cap of a set of sites: unit centre, angular radius (rounded up) and
/// the largest reach angle (NaN when no site has a reach).
fn cap(units: &[[f64; 3]], maybe_in: &[f64], ids: &[usize]) -> ([f64; 3], f64, f64) {
    let mut sum = [0.0; 3];
    for &j in ids {
        for k in 0..3 {
            sum[k] += units[j][k];
        }
    }
    let norm = dot3(sum, sum).sqrt();
    let center = if norm > 1e-9 {
        [sum[0] / norm, sum[1] / norm, sum[2] / norm]
    } else {
        units[ids[0]]
    };
    let min_cos = ids
        .iter()
        .map(|&j| dot3(center, units[j]))
        .fold(1.0f64, f64::min);
    let rho_rad = angle_of_threshold(min_cos).min(PI);
    let reach_t = ids
        .iter()
        .filter(|&&j| maybe_in[j] <= 1.0)
        .map(|&j| angle_of_threshold(maybe_in[j]))
        .fold(f64::NAN, f64::max);
    (center, rho_rad, reach_t)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::random::Rng;

    /// The leaves a search visits hold every site that passes the tests.
    #[test]
    fn search_finds_every_site_that_passes() {
        let mut rng = Rng(0x0123_4567_89ab_cdef);
        for n in [1, 7, 8, 9, 100, 1000] {
            let units: Vec<[f64; 3]> = (0..n).map(|_| rng.vector()).collect();
            let maybe_in: Vec<f64> = (0..n)
                .map(|j| [f64::INFINITY, 0.99, 0.5, -0.2, -2.0][j % 5])
                .collect();
            let tree = SiteTree::build(&units, &maybe_in);
            assert_eq!(
                tree.site.iter().filter(|&&s| s != usize::MAX).count(),
                n,
                "every site in exactly one slot"
            );
            let mut stack = Vec::new();
            for _ in 0..200 {
                let u = rng.vector();
                let cut = Cut::within(rng.unit() * PI);
                for reach in [false, true] {
                    let mut seen = vec![false; n];
                    tree.search(u, Cut::everything(), reach, &mut stack, |block, c| {
                        *c = cut;
                        for l in 0..LANES {
                            let s = tree.site[block * LANES + l];
                            if s != usize::MAX {
                                seen[s] = true;
                            }
                        }
                    });
                    let cut = cut.min_cos();
                    for j in 0..n {
                        let c = dot3(u, units[j]);
                        if c >= cut || (reach && c >= maybe_in[j]) {
                            assert!(seen[j], "site {j} of {n} missed (c = {c}, cut = {cut})");
                        }
                    }
                }
            }
        }
    }

    /// Identical sites and sites at the poles and antipodes build and search.
    #[test]
    fn degenerate_site_sets() {
        let units = vec![[0.0, 0.0, 1.0]; 20]
            .into_iter()
            .chain(vec![[0.0, 0.0, -1.0]; 20])
            .collect::<Vec<_>>();
        let tree = SiteTree::build(&units, &vec![f64::INFINITY; 40]);
        let mut stack = Vec::new();
        let mut seen = 0;
        tree.search(
            [0.0, 0.0, -1.0],
            Cut::everything(),
            false,
            &mut stack,
            |block, cut| {
                *cut = Cut::within(0.01);
                seen += (0..LANES)
                    .filter(|&l| (20..40).contains(&tree.site[block * LANES + l]))
                    .count();
            },
        );
        assert_eq!(seen, 20);
    }
}
