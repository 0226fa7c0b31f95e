//! Criterion benchmarks of the classification engine.
//!
//! `cargo bench --bench engine` — throughput is reported in pairs
//! (points × sites), so criterion's "elem/s" is pairs per second.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use infrange::bands::Bands;
use infrange::engine::Engine;
use infrange::geodesy;
use infrange::sites::{Reach, Site};
use std::hint::black_box;

struct Rng(u64);
impl Rng {
    fn unit(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
    fn point(&mut self) -> (f64, f64) {
        (
            self.unit() * 360.0 - 180.0,
            (self.unit() * 2.0 - 1.0).asin().to_degrees(),
        )
    }
}

fn sites(rng: &mut Rng, n: usize) -> Vec<Site> {
    (0..n)
        .map(|i| {
            let (lon_deg, lat_deg) = rng.point();
            let range_km = [None, Some(500.0), Some(1000.0), Some(2350.0), Some(5500.0)][i % 5];
            Site {
                name: format!("S{i}"),
                lon_deg,
                lat_deg,
                reach: range_km.map(|range_km| Reach {
                    system: None,
                    range_km,
                    source: "random".into(),
                }),
                note: String::new(),
            }
        })
        .collect()
}

fn bench_engine(c: &mut Criterion) {
    let mut rng = Rng(0x5eed_1234_abcd_ef01);
    let n_sites = 1000;
    let sites = sites(&mut rng, n_sites);
    let engine = Engine::new(&sites, &Bands::inf());
    let mut group = c.benchmark_group("engine");
    group.sample_size(10);
    for (name, n_points) in [("nearest_band", 100_000usize), ("classify_full", 100_000)] {
        let points: Vec<(f64, f64)> = (0..n_points).map(|_| rng.point()).collect();
        group.throughput(Throughput::Elements((n_points * n_sites) as u64));
        group.bench_with_input(
            BenchmarkId::new(name, format!("{n_points}x{n_sites}")),
            &points,
            |b, pts| {
                if name == "nearest_band" {
                    b.iter(|| black_box(engine.nearest_band_many(black_box(pts))));
                } else {
                    b.iter(|| black_box(engine.classify_many(black_box(pts))));
                }
            },
        );
    }
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
