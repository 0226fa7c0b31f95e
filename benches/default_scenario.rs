//! The default scenario end to end, without I/O: analysis of the embedded
//! GeoNames catalogue, summary, and the band layers at the default 100 m
//! error bound.
//!
//! `cargo bench --bench default_scenario`

use criterion::{criterion_group, criterion_main, Criterion};
use infrange::analysis::{analyze, CityFilter};
use infrange::scenario::ScenarioOptions;
use infrange::{cities, layers, summary};
use std::hint::black_box;

fn default_scenario(c: &mut Criterion) {
    let scenario = ScenarioOptions::default()
        .resolve()
        .expect("default scenario");
    let all = cities::embedded().expect("embedded cities");
    let mut group = c.benchmark_group("default_scenario");
    group.sample_size(10);
    group.bench_function("analysis+summary", |b| {
        b.iter(|| {
            let results = analyze(&scenario, black_box(all), CityFilter::default());
            summary::summarize(&scenario, &results).expect("summary")
        })
    });
    group.bench_function("layers_100m", |b| {
        b.iter(|| layers::build(&scenario, black_box(layers::DEFAULT_MAX_ERROR_M)).expect("layers"))
    });
    group.finish();
}

criterion_group!(benches, default_scenario);
criterion_main!(benches);
