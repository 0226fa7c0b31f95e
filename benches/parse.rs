//! Criterion benchmarks of reading city tables, the work of the streaming
//! pipeline's reader thread (one thread). Throughput is in bytes of input.
//!
//! `cargo bench --bench parse`
//!
//! * `csv_17_digits/200000` — `name,country,lat,lon` rows with
//!   full-precision coordinates, as `benches/compare_pyproj.py` writes them.
//! * `csv_5_digits/200000` — the same with coordinates rounded to 5
//!   decimals, as GeoNames has them.
//! * `geonames/200000` — rows of a GeoNames dump (19 tab-separated columns).

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use infrange::stream::{Chunk, CityReader};
use std::hint::black_box;

#[path = "../tests/support/random.rs"]
mod random;

use random::Rng;

const ROWS: usize = 200_000;

fn csv(decimals: Option<i32>) -> Vec<u8> {
    let mut rng = Rng(0x5eed_1234);
    let mut text = String::from("name,country,lat,lon\n");
    for i in 0..ROWS {
        let (mut lon, mut lat) = rng.point();
        if let Some(d) = decimals {
            let scale = 10f64.powi(d);
            (lon, lat) = ((lon * scale).round() / scale, (lat * scale).round() / scale);
        }
        text += &format!("p{i},PL,{lat},{lon}\n");
    }
    text.into_bytes()
}

fn geonames() -> Vec<u8> {
    let mut rng = Rng(0x5eed_5678);
    let mut text = String::new();
    for i in 0..ROWS {
        let (lon, lat) = rng.point();
        text += &format!(
            "{id}\tPlace {i}\tPlace {i}\tPlace {i},Platz {i}\t{lat:.5}\t{lon:.5}\tP\tPPL\tPL\t\t78\t1465\t146501\t\t{pop}\t\t113\tEurope/Warsaw\t2023-09-05\n",
            id = 756_135 + i,
            pop = i * 7 % 100_000,
        );
    }
    text.into_bytes()
}

/// Read every row; the number of rows read.
fn read(input: &[u8]) -> usize {
    let mut reader = CityReader::new(input, "bench").expect("a valid table");
    let mut chunk = Chunk::default();
    let mut rows = 0;
    while reader.next_chunk(&mut chunk).expect("valid rows") {
        rows += chunk.len();
        black_box(chunk.cities());
    }
    rows
}

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("parse");
    for (name, input) in [
        ("csv_17_digits", csv(None)),
        ("csv_5_digits", csv(Some(5))),
        ("geonames", geonames()),
    ] {
        assert_eq!(read(&input), ROWS);
        group.throughput(Throughput::Bytes(input.len() as u64));
        group.bench_with_input(BenchmarkId::new(name, ROWS), &input, |b, input| {
            b.iter(|| read(black_box(input)))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
