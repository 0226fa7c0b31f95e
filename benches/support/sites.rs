//! Random sites for the engine benchmark and the `classify` example (both
//! include this file by path, next to `tests/support/random.rs`).

use crate::random::Rng;
use infrange::sites::{Reach, Site};

/// `n` sites uniform on the sphere, named `S0`, `S1`, …, with ranges cycling
/// through none, 500, 1000, 2350 and 5500 km.
pub fn random_sites(rng: &mut Rng, n: usize) -> Vec<Site> {
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
                    flight: None,
                }),
                note: String::new(),
            }
        })
        .collect()
}
