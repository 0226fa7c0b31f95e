//! The default scenario end to end, without file I/O: analysis of the
//! embedded GeoNames catalogue, summary, the band layers at the default 100 m
//! error bound, and the map (layout, PNG encoding into memory, SVG) — what
//! `infrange run` computes.
//!
//! `cargo bench --bench default_scenario`

use criterion::{criterion_group, criterion_main, Criterion};
use infrange::analysis::{analyze, CityFilter};
use infrange::scenario::ScenarioOptions;
use infrange::{cities, layers, render, summary};
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
    let results = analyze(&scenario, all, CityFilter::default());
    let summary = summary::summarize(&scenario, &results).expect("summary");
    let rows: Vec<_> = results
        .iter()
        .filter(|r| r.class != infrange::bands::BandClass::Beyond)
        .collect();
    let band_layers = layers::build(&scenario, layers::DEFAULT_MAX_ERROR_M).expect("layers");
    let scene =
        render::scene::scene(&scenario, &band_layers, &summary, &rows, None).expect("scene");
    let opts = render::MapOptions::default();
    group.bench_function("map_layout+png", |b| {
        b.iter(|| {
            let list = render::layout(black_box(&scene), &opts).expect("layout");
            let mut png = Vec::new();
            render::backend::encode_png(&list, &mut png).expect("png");
            png
        })
    });
    group.bench_function("map_layout+svg", |b| {
        b.iter(|| {
            let list = render::layout(black_box(&scene), &opts).expect("layout");
            render::backend::to_svg(&list).expect("svg")
        })
    });
    group.bench_function("run_total_no_io", |b| {
        b.iter(|| {
            let results = analyze(&scenario, all, CityFilter::default());
            let summary = summary::summarize(&scenario, &results).expect("summary");
            let rows: Vec<_> = results
                .iter()
                .filter(|r| r.class != infrange::bands::BandClass::Beyond)
                .collect();
            let band_layers =
                layers::build(&scenario, layers::DEFAULT_MAX_ERROR_M).expect("layers");
            let scene = render::scene::scene(&scenario, &band_layers, &summary, &rows, None)
                .expect("scene");
            let list = render::layout(&scene, &opts).expect("layout");
            let mut png = Vec::new();
            render::backend::encode_png(&list, &mut png).expect("png");
            (png, render::backend::to_svg(&list).expect("svg"))
        })
    });
    group.finish();
}

criterion_group!(benches, default_scenario);
criterion_main!(benches);
