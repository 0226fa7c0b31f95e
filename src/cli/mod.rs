//! The command-line front end: turns parsed arguments into library calls.

pub mod args;
mod steps;

use anyhow::{bail, Context, Result};
use args::{
    AnalyzeArgs, By, Cli, Command, DistanceArgs, Format, GeojsonArgs, GeojsonFormat, MapArgs,
    MapStyle, RunArgs, ScenarioArgs,
};
use indicatif::{ProgressBar, ProgressStyle};
use infrange::analysis::{self, CityFilter, CityResult};
use infrange::bands::{BandClass, Bands};
use infrange::cities::{self, City};
use infrange::engine::Engine;
use infrange::error::Location;
use infrange::export::geojson::{self as gj, Encoding, Layer};
use infrange::export::output_set::OutputSet;
use infrange::export::target::{refuse_input_as_output, Target};
use infrange::export::{atomic::write_atomic, cities_csv, countries, json, table};
use infrange::pipeline::CsvPipeline;
use infrange::scenario::{self, Scenario};
use infrange::stream::Progress;
use infrange::summary::{self, Summary};
use infrange::{geodesy, render, systems};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};
use steps::Steps;

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        None => run_scenario(RunArgs {
            scenario: ScenarioArgs::default(),
            out: "output".into(),
            all: false,
            max_error_m: infrange::layers::DEFAULT_MAX_ERROR_M,
            timings: false,
            map: MapStyle::default(),
        }),
        Some(Command::Run(args)) => run_scenario(args),
        Some(Command::Geojson(args)) => geojson(args),
        Some(Command::Map(args)) => map(args),
        Some(Command::Analyze(args)) => analyze(args),
        Some(Command::Distance(args)) => distance(args),
        Some(Command::Systems) => list_systems(),
        Some(Command::Compare(args)) => compare(args),
        Some(Command::Countries) => list_countries(),
        Some(Command::Scenarios) => list_scenarios(),
    }
}

/// Whether an error is a closed pipe on standard output (e.g. `| head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
            || e.downcast_ref::<infrange::Error>()
                .is_some_and(infrange::Error::is_broken_pipe)
    })
}

/// A scenario, its cities and the analysis, ready for output.
struct Prepared {
    scenario: Scenario,
    /// The user's cities, or the embedded catalogue borrowed as it is.
    cities: std::borrow::Cow<'static, [City]>,
}

impl Prepared {
    fn load(args: &ScenarioArgs) -> Result<Self> {
        let scenario = args.to_options().resolve()?;
        let cities = match &args.cities {
            Some(path) => cities::open_file(path)?
                .keep_sections(args.keep_sections)
                .read_all()?
                .into(),
            None => cities::embedded()?.into(),
        };
        Ok(Self { scenario, cities })
    }

    fn analyze(&self) -> Vec<CityResult<'_>> {
        analysis::analyze(
            &self.scenario,
            &self.cities,
            CityFilter {
                min_population: self.scenario.min_population,
            },
        )
    }
}

/// The rows to list: without `all`, those not beyond the last band.
fn selected<'a, 'c>(results: &'a [CityResult<'c>], all: bool) -> Vec<&'a CityResult<'c>> {
    results
        .iter()
        .filter(|r| all || r.class != BandClass::Beyond)
        .collect()
}

/// The files `run` writes, in the order it reports them.
const RUN_FILES: &[&str] = &[
    "cities.csv",
    "countries.csv",
    "scenario.toml",
    "summary.json",
    "sites.geojson",
    "bands.geojson",
    "coverage.geojson",
    "cities.geojson",
    "sites.qml",
    "bands.qml",
    "coverage.qml",
    "cities.qml",
    "cities.vrt",
    "map.kml",
    "map.png",
    "map.pgw",
    "map.png.aux.xml",
    "map.svg",
    "map.html",
];

/// Start the output set of `dir`, telling the user when another run holds it.
fn begin_set(dir: &Path) -> Result<OutputSet> {
    Ok(OutputSet::begin(dir, || {
        eprintln!(
            "infrange: another infrange is writing into {}; waiting for it to finish",
            dir.display()
        )
    })?)
}

/// Write one file of a set into its temporary folder; returns where, for
/// [`OutputSet::adopt`].
fn write_into<F>(set: &OutputSet, name: &str, write: F) -> Result<PathBuf>
where
    F: FnOnce(&mut dyn Write) -> infrange::Result<()>,
{
    let path = set.temp_path(name);
    write_atomic(&path, write)
        .with_context(|| format!("writing {}", set.dest().join(name).display()))?;
    Ok(path)
}

fn run_scenario(args: RunArgs) -> Result<()> {
    let inputs = args.scenario.input_files();
    for name in RUN_FILES {
        refuse_input_as_output(&args.out.join(name), &inputs, "--out")?;
    }
    let mut steps = Steps::new(args.timings);
    steps.step("reading the scenario and cities");
    let mut prepared = Prepared::load(&args.scenario)?;
    // `--all` is part of what scenario.toml repeats.
    prepared.scenario.all_cities |= args.all;
    steps.step("analysing cities");
    let results = prepared.analyze();
    let mut summary = summary::summarize(&prepared.scenario, &results)?;
    summary.provenance = Some(infrange::provenance::Provenance::new(
        std::env::args().collect(),
    ));
    let rows = selected(&results, args.all || prepared.scenario.all_cities);
    let scenario = &prepared.scenario;
    let scenario_toml = scenario::to_toml(scenario, &infrange::provenance::program())?;
    let options = map_options(&args.map)?;
    let n_sites = scenario.sites.len() as u64;
    let bar = steps.counted("band polygons", n_sites, "sites");
    let band_layers =
        infrange::layers::build_reporting(scenario, args.max_error_m, &|| bar.inc(1))?;
    // Written as one set: all files, or (on any failure) none of them.
    steps.step("drawing the maps and writing the files");
    let mut set = begin_set(&args.out)?;
    // The data files and the maps are independent: made and written side by side, listed
    // in order.
    let (data, maps) = rayon::join(
        || -> Result<Vec<PathBuf>> {
            let layers = geojson_layers(scenario, &band_layers, &rows)?;
            let mut files = vec![
                write_into(&set, "cities.csv", |w| {
                    cities_csv::write(w, scenario, &rows)
                })?,
                write_into(&set, "countries.csv", |w| countries::write_csv(w, &summary))?,
                write_text(&set, "scenario.toml", &scenario_toml)?,
                write_into(&set, "summary.json", |w| json::write_pretty(w, &summary))?,
            ];
            files.extend(write_layers(&set, &layers, Encoding::Collection)?);
            files.extend(write_styles(&set, scenario)?);
            Ok(files)
        },
        || -> Result<Vec<PathBuf>> {
            let mut scene = render::scene::scene(
                scenario,
                &band_layers,
                &summary,
                &rows,
                args.map.title.as_deref(),
            )?;
            render::scene::add_labels(&mut scene, scenario, cities::embedded()?, &args.map.labels)?;
            if let Some(sub) = &args.map.subtitle {
                scene.subtitle.clone_from(sub);
            }
            let map = render::layout(&scene, &options)?;
            let kml = infrange::export::kml::document(scenario, &band_layers, &rows);
            let mut files = vec![write_text(&set, "map.kml", &kml)?];
            let png_path = set.temp_path("map.png");
            render::backend::write_png(&map, &png_path)
                .with_context(|| format!("writing {}", args.out.join("map.png").display()))?;
            files.push(png_path.clone());
            files.extend(
                render::georef::write_sidecars(&map, &png_path).with_context(|| {
                    format!(
                        "writing the georeferencing of {}",
                        args.out.join("map.png").display()
                    )
                })?,
            );
            let svg = render::backend::to_svg(&map)?;
            files.push(write_text(&set, "map.svg", &svg)?);
            let (html, _) = render::webmap::to_html(&scene, scenario, &rows, &options)?;
            files.push(write_text(&set, "map.html", &html)?);
            Ok(files)
        },
    );
    for path in data?.iter().chain(&maps?) {
        set.adopt(path);
    }
    let written = set.commit()?;
    steps.finish();

    print_run_report(scenario, &summary, &written)?;
    Ok(())
}

/// The band layers, with a bar over the sites on a terminal.
fn build_layers(scenario: &Scenario, max_error_m: f64) -> Result<infrange::layers::Layers> {
    let mut steps = Steps::new(false);
    let bar = steps.counted("band polygons", scenario.sites.len() as u64, "sites");
    let layers = infrange::layers::build_reporting(scenario, max_error_m, &|| bar.inc(1))?;
    steps.finish();
    Ok(layers)
}

/// The four GeoJSON layers of an analysis.
fn geojson_layers<'a>(
    scenario: &Scenario,
    layers: &'a infrange::layers::Layers,
    rows: &[&CityResult<'_>],
) -> Result<Vec<Layer<'a>>> {
    Ok(vec![
        gj::sites_layer(scenario),
        gj::bands_layer(scenario, layers),
        gj::coverage_layer(scenario, layers),
        gj::cities_layer(scenario, rows)?,
    ])
}

/// Write the layers into a set; returns the files written.
fn write_layers(set: &OutputSet, layers: &[Layer], encoding: Encoding) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for layer in layers {
        let name = format!("{}.{}", layer.name, encoding.extension());
        files.push(write_into(set, &name, |w| gj::write(w, layer, encoding))?);
        // An empty layer: its geometry type, CRS and fields for GDAL and QGIS.
        if let Some(vrt) = gj::empty_layer_vrt(layer, encoding) {
            files.push(write_text(set, &format!("{}.vrt", layer.name), &vrt)?);
        }
    }
    Ok(files)
}

/// Write one text file of a set; returns where.
fn write_text(set: &OutputSet, name: &str, text: &str) -> Result<PathBuf> {
    write_into(set, name, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| infrange::Error::io(name, e))
    })
}

/// The QGIS style of each layer, `NAME.qml` beside `NAME.geojson`; returns the files.
fn write_styles(set: &OutputSet, scenario: &Scenario) -> Result<Vec<PathBuf>> {
    infrange::export::qml::styles(scenario)
        .into_iter()
        .map(|style| write_text(set, &format!("{}.qml", style.name), &style.xml))
        .collect()
}

fn geojson(args: GeojsonArgs) -> Result<()> {
    let encoding = match args.format {
        GeojsonFormat::Geojson => Encoding::Collection,
        GeojsonFormat::Geojsonseq => Encoding::Seq,
    };
    let inputs = args.scenario.input_files();
    for layer in ["sites", "bands", "coverage", "cities"] {
        for ext in [encoding.extension(), "qml", "vrt"] {
            refuse_input_as_output(&args.out.join(format!("{layer}.{ext}")), &inputs, "--out")?;
        }
    }
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze();
    let rows = selected(&results, args.all || prepared.scenario.all_cities);
    let band_layers = build_layers(&prepared.scenario, args.max_error_m)?;
    let layers = geojson_layers(&prepared.scenario, &band_layers, &rows)?;
    let mut set = begin_set(&args.out)?;
    let written = write_layers(&set, &layers, encoding)?;
    let styles = write_styles(&set, &prepared.scenario)?;
    for path in written.iter().chain(&styles) {
        set.adopt(path);
    }
    let mut out = std::io::stdout().lock();
    for path in set.commit()? {
        writeln!(out, "wrote {}", path.display())?;
    }
    Ok(())
}

fn map_options(style: &MapStyle) -> Result<render::MapOptions> {
    Ok(render::MapOptions {
        projection: render::scene::parse_projection(&style.projection)?,
        extent: render::scene::parse_extent(&style.extent)?,
        width_px: style.width,
        height_px: style.height,
    })
}

/// Write one text file to `path` (see [`Target`]).
fn write_text_to(path: &Path, text: &str) -> Result<()> {
    Target::of(path)
        .write(|w| {
            w.write_all(text.as_bytes())
                .map_err(|e| infrange::Error::io(path, e))
        })
        .with_context(|| format!("writing {}", path.display()))
}

/// The kinds of map file `infrange map` writes, by extension.
#[derive(Clone, Copy, PartialEq)]
enum MapFile {
    Png,
    Svg,
    Html,
}

fn map(args: MapArgs) -> Result<()> {
    let kind = match args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
        .as_deref()
    {
        Some("svg") => MapFile::Svg,
        Some("png") => MapFile::Png,
        Some("html" | "htm") => MapFile::Html,
        _ => bail!(
            "--out {}: the map file must end in .png, .svg or .html",
            args.out.display()
        ),
    };
    refuse_input_as_output(&args.out, &args.scenario.input_files(), "--out")?;
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze();
    let summary = summary::summarize(&prepared.scenario, &results)?;
    let rows = selected(&results, false);
    let band_layers = build_layers(&prepared.scenario, args.max_error_m)?;
    let mut scene = render::scene::scene(
        &prepared.scenario,
        &band_layers,
        &summary,
        &rows,
        args.map.title.as_deref(),
    )?;
    render::scene::add_labels(
        &mut scene,
        &prepared.scenario,
        cities::embedded()?,
        &args.map.labels,
    )?;
    if let Some(sub) = &args.map.subtitle {
        scene.subtitle.clone_from(sub);
    }
    let options = map_options(&args.map)?;
    if kind == MapFile::Html {
        let (html, report) = render::webmap::to_html(&scene, &prepared.scenario, &rows, &options)?;
        write_text_to(&args.out, &html)?;
        println!(
            "wrote {} (interactive, {} cities, {:.1} MB, projection {})",
            args.out.display(),
            thousands(report.cities as u64),
            html.len() as f64 / 1e6,
            report.projection
        );
        return Ok(());
    }
    let list = render::layout(&scene, &options)?;
    if kind == MapFile::Svg {
        let text = render::backend::to_svg(&list)?;
        Target::of(&args.out).write(|w| {
            w.write_all(text.as_bytes())
                .map_err(|e| infrange::Error::io(&args.out, e))
        })
    } else {
        render::backend::write_png(&list, &args.out)
            .and_then(|()| render::georef::write_sidecars(&list, &args.out).map(drop))
    }
    .with_context(|| format!("writing {}", args.out.display()))?;
    let report = list.report();
    println!(
        "wrote {} ({}x{} px, projection {})",
        args.out.display(),
        args.map.width,
        args.map.height,
        report.projection
    );
    Ok(())
}

fn print_run_report(scenario: &Scenario, summary: &Summary, files: &[PathBuf]) -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(out, "{}", table::clean(&scenario.title))?;
    writeln!(
        out,
        "  allies: {}; bands: {}",
        scenario.allies.description, scenario.bands
    )?;
    writeln!(out)?;
    table::write_summary(&mut out, scenario, summary)?;
    writeln!(out)?;
    for f in files {
        writeln!(out, "wrote {}", f.display())?;
    }
    Ok(())
}

fn analyze(args: AnalyzeArgs) -> Result<()> {
    if let Some(path) = &args.output {
        refuse_input_as_output(path, &args.scenario.input_files(), "--output")?;
    }
    let format = args.format.unwrap_or_else(|| {
        let ext = args
            .output
            .as_deref()
            .and_then(Path::extension)
            .and_then(|e| e.to_str())
            .map(str::to_ascii_lowercase);
        match ext.as_deref() {
            Some("csv") => Format::Csv,
            Some("json") => Format::Json,
            Some("md" | "markdown") => Format::Markdown,
            _ => Format::Table,
        }
    });
    if let (Format::Csv, By::City, Some(path)) = (format, args.by, &args.scenario.cities) {
        return analyze_streamed(&args, path);
    }
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze();
    let summary = summary::summarize(&prepared.scenario, &results)?;
    let rows = selected(&results, args.all || prepared.scenario.all_cities);
    let scenario = &prepared.scenario;
    let write = |w: &mut dyn Write| match (args.by, format) {
        (By::City, Format::Table) => table::write(w, scenario, &summary, &rows),
        (By::City, Format::Csv) => cities_csv::write(w, scenario, &rows),
        (By::City, Format::Json) => json::write_analysis(w, scenario, &summary, &rows),
        (By::City, Format::Markdown) => table::write_markdown(w, scenario, &summary, &rows),
        (By::Country, Format::Table) => countries::write_text(w, &summary),
        (By::Country, Format::Csv) => countries::write_csv(w, &summary),
        (By::Country, Format::Json) => json::write_pretty(w, &summary),
        (By::Country, Format::Markdown) => countries::write_markdown(w, &summary),
    };
    write_output(args.output.as_deref(), write)
}

/// Write to `-o FILE` (see [`Target`]), or to standard output without one.
fn write_output<F>(output: Option<&Path>, write: F) -> Result<()>
where
    F: FnOnce(&mut dyn Write) -> infrange::Result<()>,
{
    let target = output.map_or(Target::Stdout, Target::of);
    target.write(write).with_context(|| match output {
        Some(path) => format!("writing {}", path.display()),
        None => "writing to standard output".into(),
    })
}

/// `analyze --format csv --cities FILE`: stream the file through the
/// analysis, rows in input order, memory independent of the file's size.
fn analyze_streamed(args: &AnalyzeArgs, cities_path: &Path) -> Result<()> {
    let scenario = args.scenario.to_options().resolve()?;
    let engine = Engine::new(&scenario.sites, &scenario.bands);
    let reader = cities::open_file(cities_path)?.keep_sections(args.scenario.keep_sections);
    let pipeline = CsvPipeline {
        scenario: &scenario,
        engine: &engine,
        filter: CityFilter {
            min_population: scenario.min_population,
        },
        all: args.all || scenario.all_cities,
    };
    let size = std::fs::metadata(cities_path).map_or(0, |m| m.len());
    // No bar off a terminal, nor among the rows when they go to the screen.
    let rows_on_screen = args.output.is_none() && std::io::stdout().is_terminal();
    let bar = progress_bar(
        size,
        args.quiet || rows_on_screen || !std::io::stderr().is_terminal(),
    );
    let mut on_progress = |p: Progress| {
        bar.set_position(p.bytes);
        bar.set_message(format!("{} rows", thousands(p.rows)));
    };
    let target = match &args.output {
        Some(path) => Target::of(path),
        None => Target::Stdout,
    };
    let mut stats = None;
    let result = target
        .write(|w| {
            stats = Some(pipeline.run(reader, w, &mut on_progress)?);
            Ok(())
        })
        .map_err(|e| match (e, &args.output) {
            (e @ infrange::Error::Input { .. }, _) | (e, None) => anyhow::Error::from(e),
            (e, Some(path)) => {
                anyhow::Error::from(e).context(format!("writing {}", path.display()))
            }
        })
        .map(|()| stats.expect("a successful run reports its statistics"));
    bar.finish_and_clear();
    let stats = result?;
    if !args.quiet {
        let secs = |d: std::time::Duration| format!("{:.2} s", d.as_secs_f64());
        let sections = match stats.sections_dropped {
            0 => String::new(),
            n => format!(", {} city sections (PPLX) left out", thousands(n)),
        };
        eprintln!(
            "infrange: {} rows read ({:.1} MB){sections}, {} analysed, {} written in {}; \
             parse {} (reader thread), classify and format {} (summed over workers), write {}, waiting for input {}",
            thousands(stats.rows_read),
            stats.bytes_read as f64 / 1e6,
            thousands(stats.rows_classified),
            thousands(stats.rows_written),
            secs(stats.total),
            secs(stats.parse),
            secs(stats.classify),
            secs(stats.write),
            secs(stats.wait),
        );
    }
    Ok(())
}

/// A progress bar over `bytes` of input on standard error, or a hidden one.
fn progress_bar(bytes: u64, hidden: bool) -> ProgressBar {
    if hidden {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(bytes).with_style(
        ProgressStyle::with_template(
            "{elapsed_precise} [{wide_bar}] {bytes}/{total_bytes} ({bytes_per_sec}, ETA {eta}) {msg}",
        )
        .expect("a valid progress template")
        .progress_chars("=> "),
    );
    bar.enable_steady_tick(std::time::Duration::from_millis(250));
    bar
}

/// `1234567` as `1,234,567`.
fn thousands(n: u64) -> String {
    infrange::numbers::group_count(n)
}

/// A place given on the command line: coordinates, a site or a city.
struct Place {
    label: String,
    lat_deg: f64,
    lon_deg: f64,
    /// The site, when the place is one.
    site: Option<infrange::sites::Site>,
}

fn parse_place(text: &str, which: &str, sites: &[infrange::sites::Site]) -> Result<Place> {
    let location = Location::new(format!("{which} place '{text}'"));
    if let Some((a, b)) = text.split_once(',') {
        if let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            let lat_deg = infrange::input::check_lat_deg(lat, &location.clone().field("lat"))?;
            let lon_deg = infrange::input::check_lon_deg(lon, &location.clone().field("lon"))?;
            return Ok(Place {
                label: format!("{lat_deg}, {lon_deg}"),
                lat_deg,
                lon_deg,
                site: None,
            });
        }
    }
    if let Some(site) = sites
        .iter()
        .find(|s| s.name.eq_ignore_ascii_case(text.trim()))
    {
        return Ok(Place {
            label: format!(
                "{} (site, {}, {}{})",
                site.name,
                site.lat_deg,
                site.lon_deg,
                if site.note.is_empty() {
                    String::new()
                } else {
                    format!("; {}", site.note)
                }
            ),
            lat_deg: site.lat_deg,
            lon_deg: site.lon_deg,
            site: Some(site.clone()),
        });
    }
    let found = cities::find(cities::embedded()?, text);
    let describe = |c: &City| {
        format!(
            "{}, {} (admin1 {}), population {}: '{},{}' or 'geonameid:{}'",
            c.name,
            c.country,
            c.admin1,
            thousands(c.population.unwrap_or(0)),
            c.name,
            c.country,
            c.geonameid.unwrap_or(0)
        )
    };
    match found.as_slice() {
        [] => {
            let like = similar_cities(text);
            let hint = if like.is_empty() {
                String::new()
            } else {
                format!("; similar: {}", like.join(", "))
            };
            bail!(
                "{location}: no site{} nor city of that name in the embedded GeoNames catalogue (population ≥ 15,000){hint}; or give LAT,LON instead",
                if sites.is_empty() { "" } else { " of the scenario" }
            )
        }
        [first, second, ..] if first.population == second.population => {
            let list: Vec<String> = found
                .iter()
                .take(20)
                .map(|c| format!("  {}", describe(c)))
                .collect();
            bail!(
                "{location}: {} cities match, the largest equally populous; pick one:\n{}",
                found.len(),
                list.join("\n")
            )
        }
        [c, others @ ..] => {
            let mut label = format!(
                "{}, {} (geonameid {}, population {})",
                c.name,
                c.country,
                c.geonameid.unwrap_or(0),
                thousands(c.population.unwrap_or(0))
            );
            if !others.is_empty() {
                let names: Vec<String> = others
                    .iter()
                    .take(3)
                    .map(|o| {
                        format!(
                            "geonameid:{} ({}, {}, population {})",
                            o.geonameid.unwrap_or(0),
                            o.name,
                            o.country,
                            thousands(o.population.unwrap_or(0))
                        )
                    })
                    .collect();
                label.push_str(&format!(
                    "; the most populous of {} places of that name, others: {}{}",
                    found.len(),
                    names.join(", "),
                    if others.len() > 3 { ", …" } else { "" }
                ));
            }
            Ok(Place {
                label,
                lat_deg: c.lat_deg,
                lon_deg: c.lon_deg,
                site: None,
            })
        }
    }
}

/// Up to five catalogue names like `text` (a prefix, or close in spelling),
/// most populous first, e.g. `Frankfurt` → `Frankfurt am Main, DE`.
fn similar_cities(text: &str) -> Vec<String> {
    let query = text
        .split(',')
        .next()
        .unwrap_or_default()
        .trim()
        .to_lowercase();
    if query.is_empty() {
        return Vec::new();
    }
    let Ok(all) = cities::embedded() else {
        return Vec::new();
    };
    let mut found: Vec<&City> = all
        .iter()
        .filter(|c| {
            let name = c.ascii_name.to_lowercase();
            name.starts_with(&query)
                || strsim::jaro_winkler(&query, &name) > 0.9
                || strsim::jaro_winkler(&query, &c.name.to_lowercase()) > 0.9
        })
        .collect();
    found.sort_by_key(|c| std::cmp::Reverse(c.population));
    found
        .iter()
        .take(5)
        .map(|c| format!("{},{}", c.name, c.country))
        .collect()
}

fn distance(args: DistanceArgs) -> Result<()> {
    // A scenario's sites with their reach (the scenario's default where a
    // site has none of its own).
    let with_reach = |mut s: Scenario| {
        s.fill_default_reach();
        s
    };
    let scenario = match &args.scenario {
        Some(name) => Some(with_reach(scenario::load(name)?)),
        None => None,
    };
    // Site names: the scenario's, or every built-in scenario's.
    let sites: Vec<infrange::sites::Site> = match &scenario {
        Some(s) => s.sites.clone(),
        None => {
            let mut all: Vec<infrange::sites::Site> = Vec::new();
            for (name, _) in scenario::BUILTIN {
                for site in with_reach(scenario::load(name)?).sites {
                    if !all.iter().any(|s| s.name == site.name) {
                        all.push(site);
                    }
                }
            }
            all
        }
    };
    let bands = match (&args.bands, &scenario) {
        (Some(spec), _) => Bands::parse(spec, &Location::new("--bands"))?,
        (None, Some(s)) => s.bands.clone(),
        (None, None) => Bands::inf(),
    };
    let a = parse_place(&args.from, "first", &sites)?;
    let b = parse_place(&args.to, "second", &sites)?;
    let inv = geodesy::inverse(a.lat_deg, a.lon_deg, b.lat_deg, b.lon_deg);
    let class = bands.classify_m(inv.distance_m);
    let interval = match class {
        BandClass::Band(i) => bands
            .get(i)
            .map(|b| format!(" {}", b.interval()))
            .unwrap_or_default(),
        _ => String::new(),
    };
    let mut out = std::io::stdout().lock();
    writeln!(out, "from:        {}", table::clean(&a.label))?;
    writeln!(out, "to:          {}", table::clean(&b.label))?;
    writeln!(
        out,
        "distance:    {:.6} km (WGS84 geodesic, Karney)",
        inv.distance_m / 1000.0
    )?;
    writeln!(
        out,
        "azimuth:     {:.6}° at start, {:.6}° at end",
        inv.azimuth1_deg, inv.azimuth2_deg
    )?;
    writeln!(out, "band:        {}{interval}", bands.label(class))?;
    for site in [&a.site, &b.site].into_iter().flatten() {
        if let Some(r) = &site.reach {
            let km = infrange::numbers::format_km_grouped(r.range_km);
            let system = r.system.as_deref().unwrap_or("range");
            let verdict = if r.reaches_m(inv.distance_m) {
                "reaches".to_owned()
            } else {
                format!(
                    "does not reach ({} km short)",
                    infrange::numbers::format_km_grouped(inv.distance_m / 1000.0 - r.range_km)
                )
            };
            writeln!(
                out,
                "reach:       {} with {system} {km} km: {verdict}",
                table::clean(&site.name)
            )?;
        }
    }
    Ok(())
}

fn compare(args: args::CompareArgs) -> Result<()> {
    use infrange::compare as cmp;
    let comparison = cmp::compare(&args.a, &args.b)?;
    let write = |w: &mut dyn Write| match args.format {
        args::CompareFormat::Table => cmp::write_text(w, &comparison),
        args::CompareFormat::Csv => cmp::write_csv(w, &comparison),
        args::CompareFormat::Markdown => cmp::write_markdown(w, &comparison),
    };
    write_output(args.output.as_deref(), write)
}

fn list_countries() -> Result<()> {
    let memberships = infrange::allies::memberships()?;
    let mut out = std::io::stdout().lock();
    writeln!(out, "{:<4} {:<4} {:<40} alliances", "iso2", "iso3", "name")?;
    for c in infrange::countries::all()? {
        let alliances: Vec<String> = memberships
            .iter()
            .filter(|m| m.country == c.iso2)
            .map(|m| m.describe())
            .collect();
        writeln!(
            out,
            "{:<4} {:<4} {:<40} {}",
            c.iso2,
            c.iso3,
            c.name,
            alliances.join("; ")
        )?;
    }
    writeln!(
        out,
        "\n--allies takes: nato (today's members), nato@YYYY-MM-DD (members on that day), \
         warsaw-pact@YYYY-MM-DD (1955-05-14 to 1991-07-01), all, \
         and ISO alpha-2 codes or names, comma-separated and joinable (nato@2019-08-02,SE,FI)."
    )?;
    writeln!(
        out,
        "Historical members are mapped to today's countries: the Soviet Union to its 15 successor \
         states (RU, UA, BY, MD, EE, LV, LT, GE, AM, AZ, KZ, UZ, TM, KG, TJ), Czechoslovakia to CZ \
         and SK, West Germany (NATO to 1990-10-03) to DE outside the GeoNames admin1 codes 11-16, \
         East Germany (Warsaw Pact to 1990-10-03) to DE admin1 11-16: Brandenburg, \
         Mecklenburg-Vorpommern, Sachsen, Sachsen-Anhalt, Thueringen and Berlin (all of Berlin: \
         GeoNames has one Berlin, whose point lies in the former Soviet sector). A city is allied \
         if it lay on the member's territory on the date; maps tint a country allied in part as allied."
    )?;
    Ok(())
}

fn list_systems() -> Result<()> {
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{:<14} {:<9} {:>9}  aliases / source",
        "name", "kind", "range_km"
    )?;
    for s in systems::all()? {
        writeln!(
            out,
            "{:<14} {:<9} {:>9}  {}",
            s.name,
            s.kind,
            s.range_km,
            s.aliases.join(", ")
        )?;
        writeln!(out, "{:<35}source: {}", "", s.source)?;
        if let Some(flight) = &s.flight {
            writeln!(out, "{:<35}time of flight: {}", "", flight.describe())?;
            writeln!(out, "{:<35}  source: {}", "", flight.source())?;
        }
    }
    Ok(())
}

fn list_scenarios() -> Result<()> {
    let mut out = std::io::stdout().lock();
    for (name, _) in scenario::BUILTIN {
        let s = scenario::load(name)?;
        let sites: Vec<&str> = s.sites.iter().map(|s| s.name.as_str()).collect();
        let default = if *name == scenario::DEFAULT_SCENARIO {
            " (default)"
        } else {
            ""
        };
        writeln!(out, "{name}{default}: {}", s.title)?;
        writeln!(
            out,
            "  date: {}; sites: {}",
            s.date.as_deref().unwrap_or("-"),
            sites.join(", ")
        )?;
        writeln!(
            out,
            "  allies: {}; bands: {}",
            s.allies.description, s.bands
        )?;
        if let Some(r) = &s.default_reach {
            writeln!(
                out,
                "  system: {} {} km ({})",
                r.system.as_deref().unwrap_or("-"),
                r.range_km,
                r.source
            )?;
        }
        writeln!(out, "  {}", s.description)?;
    }
    Ok(())
}
