//! Time the engine on random points and sites (seeded):
//!
//! ```text
//! cargo run --release --example classify -- [POINTS] [SITES] [SEED] [nearest|full|both] [VERIFY]
//! ```
//!
//! Points are uniform on the sphere; sites are uniform too, with ranges
//! cycling through none, 500, 1000, 2350 and 5500 km. `VERIFY` points are
//! re-checked against the all-pairs Karney reference.

use infrange::bands::Bands;
use infrange::engine::{reference, Engine};
use std::time::Instant;

#[path = "../tests/support/random.rs"]
mod random;
#[path = "../benches/support/sites.rs"]
mod sites;

use random::Rng;
use sites::random_sites;

/// User + system CPU seconds of this process (all threads), from /proc.
fn cpu_s() -> f64 {
    let stat = std::fs::read_to_string("/proc/self/stat").unwrap_or_default();
    let after = stat.rsplit_once(')').map_or("", |x| x.1);
    let f: Vec<f64> = after
        .split_whitespace()
        .map(|t| t.parse().unwrap_or(0.0))
        .collect();
    // Fields 14 and 15 of stat (utime, stime) are the 12th and 13th after ')'.
    (f.get(11).copied().unwrap_or(0.0) + f.get(12).copied().unwrap_or(0.0)) / 100.0
}

fn arg<T: std::str::FromStr>(i: usize, default: T) -> T {
    std::env::args()
        .nth(i)
        .and_then(|a| a.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let n_points: usize = arg(1, 100_000);
    let n_sites: usize = arg(2, 1000);
    let seed: u64 = arg(3, 42);
    let mode: String = arg(4, "both".to_owned());
    let verify: usize = arg(5, 0);
    let mut rng = Rng(seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1);
    let sites = random_sites(&mut rng, n_sites);
    let points: Vec<(f64, f64)> = (0..n_points).map(|_| rng.point()).collect();
    let bands = Bands::inf();
    let t = Instant::now();
    let engine = Engine::new(&sites, &bands);
    eprintln!("engine built in {:.3} ms", t.elapsed().as_secs_f64() * 1e3);
    let pairs = (n_points * n_sites) as f64;
    let threads = rayon::current_num_threads();
    if mode == "nearest" || mode == "both" {
        let (t, c) = (Instant::now(), cpu_s());
        let (out, work) = engine.nearest_band_many_counted(&points);
        let (s, cpu) = (t.elapsed().as_secs_f64(), cpu_s() - c);
        println!(
            "nearest_band: {n_points} points x {n_sites} sites on {threads} threads: {s:.3} s, {:.4} ns/pair wall, {:.4} ns/pair CPU, karney {:.4}/point, tight {:.3}/point, cosines {:.1}/point",
            s * 1e9 / pairs,
            cpu * 1e9 / pairs,
            work.karney as f64 / n_points as f64,
            work.tight as f64 / n_points as f64,
            work.cosines as f64 / n_points as f64,
        );
        for (i, &(lon, lat)) in points.iter().enumerate().take(verify) {
            let want = reference(&sites, &bands, lon, lat);
            assert_eq!(
                (out[i].nearest_site, out[i].class),
                (want.nearest_site, want.class),
                "point {i}"
            );
        }
    }
    if mode == "full" || mode == "both" {
        let (t, c) = (Instant::now(), cpu_s());
        let (out, work) = engine.classify_many_counted(&points);
        let (s, cpu) = (t.elapsed().as_secs_f64(), cpu_s() - c);
        let reached: usize = out.iter().map(|c| c.reached_by.len()).sum();
        println!(
            "classify (distance, bearing, reach): {s:.3} s, {:.4} ns/pair wall, {:.4} ns/pair CPU, karney {:.4}/point, tight {:.3}/point, cosines {:.1}/point, reached {:.2}/point",
            s * 1e9 / pairs,
            cpu * 1e9 / pairs,
            work.karney as f64 / n_points as f64,
            work.tight as f64 / n_points as f64,
            work.cosines as f64 / n_points as f64,
            reached as f64 / n_points as f64,
        );
        for (i, &(lon, lat)) in points.iter().enumerate().take(verify) {
            let want = reference(&sites, &bands, lon, lat);
            assert_eq!(out[i], want, "point {i}");
        }
    }
    if verify > 0 {
        println!("verified {verify} points against the all-pairs reference: 0 disagreements");
    }
}
