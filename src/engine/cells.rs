//! The cell grid: the sphere cut into cells (the six faces of a cube, each a
//! `k × k` grid, projected onto the sphere), each with the short list of
//! sites that can be the nearest site for some point of the cell.
//!
//! A point finds its cell with a few comparisons and a division, and then
//! looks at that list only. The lists are built once per engine, with the
//! cell's bounding cap: a site is listed unless it is provably farther,
//! from every point of the cell, than another site (see
//! `Engine::nearest_cut_rad`).
//!
//! A cell is the cone spanned by its four corner directions, so for its
//! centre `c`, `c·x ≥ min_i c·corner_i` for every unit `x` in it (`x` is a
//! non-negative combination of the corners, whose norm is at most the sum of
//! the weights). The cap radius is that corner angle, rounded up.

use rayon::prelude::*;

/// Added to the cap radius, radians.
const RHO_SLACK_RAD: f64 = 1e-9;

fn normalize(v: [f64; 3]) -> [f64; 3] {
    let n = (v[0] * v[0] + v[1] * v[1] + v[2] * v[2]).sqrt();
    [v[0] / n, v[1] / n, v[2] / n]
}

fn dot3(a: [f64; 3], b: [f64; 3]) -> f64 {
    a[0] * b[0] + a[1] * b[1] + a[2] * b[2]
}

/// The cube-face grid and each cell's list of entries.
#[derive(Debug, Clone)]
pub struct CellGrid<T> {
    /// Cells per face edge.
    k: usize,
    /// `items[start[c]..start[c + 1]]` are cell `c`'s entries.
    start: Vec<u32>,
    items: Vec<T>,
}

impl<T> Default for CellGrid<T> {
    fn default() -> Self {
        CellGrid {
            k: 0,
            start: Vec::new(),
            items: Vec::new(),
        }
    }
}

/// Cells per face edge for `sites` sites: about eight cells per site over
/// the six faces, at most 200 × 200 per face.
pub fn edge_for(sites: usize) -> usize {
    ((8.0 * sites as f64 / 6.0).sqrt().ceil() as usize).clamp(2, 200)
}

/// The largest cap radius of the cells of a `k × k` per face grid, radians.
pub fn max_cap_rad(k: usize) -> f64 {
    (0..6 * k * k).map(|c| cap(k, c).1).fold(0.0, f64::max)
}

impl<T: Send> CellGrid<T> {
    /// Build a grid of `k × k` cells per face whose lists are
    /// `list(centre, radius_rad)` for each cell's cap.
    pub fn build(k: usize, list: impl Fn([f64; 3], f64) -> Vec<T> + Sync) -> Self {
        let lists: Vec<Vec<T>> = (0..6 * k * k)
            .into_par_iter()
            .with_min_len(16)
            .map(|cell| {
                let (center, rho_rad) = cap(k, cell);
                list(center, rho_rad)
            })
            .collect();
        let mut start = Vec::with_capacity(lists.len() + 1);
        let mut items = Vec::with_capacity(lists.iter().map(Vec::len).sum());
        start.push(0);
        for l in lists {
            items.extend(l);
            start.push(items.len() as u32);
        }
        CellGrid { k, start, items }
    }

    /// The cell that holds unit vector `u` (the same cell in every grid of
    /// the same `k`).
    #[inline]
    pub fn cell(&self, u: [f64; 3]) -> usize {
        cell_of(self.k, u)
    }

    /// Where the list of cell `c` lies, with a hint to the CPU to start
    /// loading it (see [`CellGrid::items`]).
    #[inline]
    pub fn locate(&self, c: usize) -> (u32, u32) {
        let range = (self.start[c], self.start[c + 1]);
        #[cfg(target_arch = "x86_64")]
        if let Some(item) = self.items.get(range.0 as usize) {
            use std::arch::x86_64::{_mm_prefetch, _MM_HINT_T0};
            // SAFETY: a prefetch has no effect on memory or program state;
            // the pointer is to a live element.
            unsafe { _mm_prefetch::<_MM_HINT_T0>((item as *const T).cast::<i8>()) };
        }
        range
    }

    /// The list at a range from [`CellGrid::locate`].
    #[inline]
    pub fn items(&self, range: (u32, u32)) -> &[T] {
        &self.items[range.0 as usize..range.1 as usize]
    }
}

/// The face and face coordinates `(s, t)` in [-1, 1] of a unit vector.
#[inline]
fn face_of(u: [f64; 3]) -> (usize, f64, f64) {
    let (ax, ay, az) = (u[0].abs(), u[1].abs(), u[2].abs());
    if ax >= ay && ax >= az {
        (usize::from(u[0] < 0.0), u[1] / ax, u[2] / ax)
    } else if ay >= az {
        (2 + usize::from(u[1] < 0.0), u[0] / ay, u[2] / ay)
    } else {
        (4 + usize::from(u[2] < 0.0), u[0] / az, u[1] / az)
    }
}

/// The direction (not normalised) of face point `(s, t)`.
fn on_face(face: usize, s: f64, t: f64) -> [f64; 3] {
    let sign = if face.is_multiple_of(2) { 1.0 } else { -1.0 };
    match face / 2 {
        0 => [sign, s, t],
        1 => [s, sign, t],
        _ => [s, t, sign],
    }
}

#[inline]
fn cell_of(k: usize, u: [f64; 3]) -> usize {
    let (face, s, t) = face_of(u);
    let index = |v: f64| (((v + 1.0) * 0.5 * k as f64) as usize).min(k - 1);
    (face * k + index(s)) * k + index(t)
}

/// A cell's centre and cap radius (rounded up), radians.
fn cap(k: usize, cell: usize) -> ([f64; 3], f64) {
    let (face, i, j) = (cell / (k * k), (cell / k) % k, cell % k);
    let edge = |n: usize| n as f64 / k as f64 * 2.0 - 1.0;
    let (s0, s1, t0, t1) = (edge(i), edge(i + 1), edge(j), edge(j + 1));
    let center = normalize(on_face(face, (s0 + s1) * 0.5, (t0 + t1) * 0.5));
    let min_cos = [(s0, t0), (s0, t1), (s1, t0), (s1, t1)]
        .iter()
        .map(|&(s, t)| dot3(center, normalize(on_face(face, s, t))))
        .fold(1.0f64, f64::min);
    let rho_rad = (min_cos - 1e-12).min(1.0).acos() + RHO_SLACK_RAD;
    (center, rho_rad)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every point lies within its cell's cap, also on face and cell edges.
    #[test]
    fn points_lie_in_their_cell_cap() {
        for k in [1usize, 2, 7, 37] {
            let mut rng = crate::random::Rng(0x9e37_79b9_7f4a_7c15);
            let mut unit = || rng.unit();
            let mut points: Vec<[f64; 3]> = (0..20_000)
                .map(|_| normalize([unit() - 0.5, unit() - 0.5, unit() - 0.5]))
                .collect();
            // Cube edges and corners, and the axes.
            points.extend([
                normalize([1.0, 1.0, 1.0]),
                normalize([-1.0, 1.0, -1.0]),
                normalize([1.0, 1.0, 0.0]),
                [0.0, 0.0, 1.0],
                [0.0, -1.0, 0.0],
                [-1.0, 0.0, 0.0],
            ]);
            for u in points {
                let c = cell_of(k, u);
                assert!(c < 6 * k * k);
                let (center, rho) = cap(k, c);
                let angle = dot3(center, u).min(1.0).acos();
                assert!(
                    angle <= rho,
                    "k {k}: {u:?} is {angle} from its cell, cap {rho}"
                );
            }
        }
    }

    #[test]
    fn lists_are_found_by_cell() {
        let grid = CellGrid::build(3, |center, _| vec![(center[2] > 0.5) as u32]);
        assert_eq!(grid.start.len(), 55);
        let list = |u| grid.items(grid.locate(grid.cell(u)));
        assert_eq!(list([0.0, 0.0, 1.0]), &[1]);
        assert_eq!(list([1.0, 0.0, 0.0]), &[0]);
        assert_eq!(grid.items.len(), 54);
    }
}
