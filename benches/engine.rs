//! Criterion benchmarks of the classification engine.
//!
//! `cargo bench --bench engine` — throughput is in pairs (points × sites),
//! so criterion's "elem/s" is pairs per second, except where noted.
//!
//! * `nearest_band/12000000x1000` — the kernel target: 12 M points
//!   against 1,000 sites, nearest site and band, on all cores.
//! * `classify_full/100000x1000` — nearest site with Karney distance and
//!   bearing, band, and every site whose reach covers the point.
//! * `dot_floor/100000x1000` — the floor of any all-pairs method: one
//!   3-term dot product per pair and a running maximum (AVX2+FMA when the
//!   CPU has it), nothing else, on all cores.
//! * `read_floor/12000000` — reading 16 bytes per point once (elements are
//!   points).
//! * `karney_inverse/1000` — one Karney inverse, the per-pair cost of
//!   all-pairs geodesic tools (elements are pairs).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use infrange::bands::Bands;
use infrange::engine::Engine;
use infrange::geodesy;
use rayon::prelude::*;
use std::hint::black_box;

#[path = "../tests/support/random.rs"]
mod random;
#[path = "support/sites.rs"]
mod sites;

use random::Rng;
use sites::random_sites;

fn unit_vector(lon_deg: f64, lat_deg: f64) -> [f64; 3] {
    let (sl, cl) = lat_deg.to_radians().sin_cos();
    let (so, co) = lon_deg.to_radians().sin_cos();
    [cl * co, cl * so, sl]
}

/// The largest `p·s_j` over structure-of-arrays site vectors.
#[inline(always)]
fn max_dot_body(sx: &[f64], sy: &[f64], sz: &[f64], p: [f64; 3]) -> f64 {
    let mut mx = [f64::NEG_INFINITY; 8];
    for ((x, y), z) in sx
        .chunks_exact(8)
        .zip(sy.chunks_exact(8))
        .zip(sz.chunks_exact(8))
    {
        for l in 0..8 {
            let c = z[l].mul_add(p[2], y[l].mul_add(p[1], x[l] * p[0]));
            mx[l] = if c > mx[l] { c } else { mx[l] };
        }
    }
    mx.iter().fold(f64::NEG_INFINITY, |a, &b| a.max(b))
}

#[cfg(target_arch = "x86_64")]
#[target_feature(enable = "avx2,fma")]
fn max_dot_avx2(sx: &[f64], sy: &[f64], sz: &[f64], p: [f64; 3]) -> f64 {
    max_dot_body(sx, sy, sz, p)
}

fn max_dot(avx2: bool, sx: &[f64], sy: &[f64], sz: &[f64], p: [f64; 3]) -> f64 {
    #[cfg(target_arch = "x86_64")]
    if avx2 {
        // SAFETY: only called when the CPU has AVX2 and FMA.
        return unsafe { max_dot_avx2(sx, sy, sz, p) };
    }
    let _ = avx2;
    max_dot_body(sx, sy, sz, p)
}

fn bench_engine(c: &mut Criterion) {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let n_sites = 1000;
    let sites = random_sites(&mut rng, n_sites);
    let engine = Engine::new(&sites, &Bands::inf());
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);

    let big: Vec<(f64, f64)> = (0..12_000_000).map(|_| rng.point()).collect();
    group.throughput(Throughput::Elements((big.len() * n_sites) as u64));
    group.bench_with_input(
        BenchmarkId::new("nearest_band", format!("{}x{n_sites}", big.len())),
        &big,
        |b, pts| b.iter(|| black_box(engine.nearest_band_many(black_box(pts)))),
    );

    let points = &big[..100_000];
    group.throughput(Throughput::Elements((points.len() * n_sites) as u64));
    group.bench_with_input(
        BenchmarkId::new("classify_full", format!("{}x{n_sites}", points.len())),
        points,
        |b, pts| b.iter(|| black_box(engine.classify_many(black_box(pts)))),
    );

    // The all-pairs floor: one dot product per pair.
    let avx2 = {
        #[cfg(target_arch = "x86_64")]
        {
            std::arch::is_x86_feature_detected!("avx2")
                && std::arch::is_x86_feature_detected!("fma")
        }
        #[cfg(not(target_arch = "x86_64"))]
        {
            false
        }
    };
    let units: Vec<[f64; 3]> = sites
        .iter()
        .map(|s| unit_vector(s.lon_deg, s.lat_deg))
        .collect();
    let soa = |k: usize| -> Vec<f64> { units.iter().map(|u| u[k]).collect() };
    let (sx, sy, sz) = (soa(0), soa(1), soa(2));
    let point_units: Vec<[f64; 3]> = points.iter().map(|&(lo, la)| unit_vector(lo, la)).collect();
    group.throughput(Throughput::Elements((points.len() * n_sites) as u64));
    group.bench_function(
        BenchmarkId::new("dot_floor", format!("{}x{n_sites}", points.len())),
        |b| {
            b.iter(|| {
                black_box(
                    point_units
                        .par_iter()
                        .map(|&p| max_dot(avx2, &sx, &sy, &sz, p))
                        .sum::<f64>(),
                )
            })
        },
    );

    // Reading the points once: 16 bytes each.
    group.throughput(Throughput::Elements(big.len() as u64));
    group.bench_function(BenchmarkId::new("read_floor", big.len()), |b| {
        b.iter(|| black_box(big.par_iter().map(|&(lon, lat)| lon + lat).sum::<f64>()))
    });

    // One Karney inverse, the per-pair cost of the all-pairs approach.
    let pairs: Vec<[f64; 4]> = (0..1000)
        .map(|_| {
            let (a, b) = (rng.point(), rng.point());
            [a.1, a.0, b.1, b.0]
        })
        .collect();
    group.throughput(Throughput::Elements(pairs.len() as u64));
    group.bench_function("karney_inverse/1000", |b| {
        b.iter(|| {
            for p in &pairs {
                black_box(geodesy::distance_m(p[0], p[1], p[2], p[3]));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench_engine);
criterion_main!(benches);
