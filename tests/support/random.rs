//! A seeded xorshift generator for tests, benches and examples: the same
//! reproducible numbers everywhere, no dependency. Included by path
//! (`#[path = ".../tests/support/random.rs"] mod random;`).
#![allow(dead_code)]

/// Xorshift64; the state must not be zero.
pub struct Rng(pub u64);

impl Rng {
    /// The next state.
    pub fn next_u64(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A point uniform on the sphere, `(lon_deg, lat_deg)`.
    pub fn point(&mut self) -> (f64, f64) {
        let lon = self.unit() * 360.0 - 180.0;
        let lat = (self.unit() * 2.0 - 1.0).asin().to_degrees();
        (lon, lat)
    }

    /// A unit vector uniform on the sphere.
    pub fn vector(&mut self) -> [f64; 3] {
        let z = self.unit() * 2.0 - 1.0;
        let lon = self.unit() * 2.0 * std::f64::consts::PI;
        let r = (1.0 - z * z).sqrt();
        [r * lon.cos(), r * lon.sin(), z]
    }
}
