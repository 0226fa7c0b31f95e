//! The command-line front end: turns parsed arguments into library calls.

pub mod args;

use anyhow::{bail, Context, Result};
use args::{
    AnalyzeArgs, Cli, Command, DistanceArgs, Format, GeojsonArgs, GeojsonFormat, MapArgs, MapStyle,
    RunArgs, ScenarioArgs,
};
use indicatif::{ProgressBar, ProgressStyle};
use infrange::analysis::{self, CityFilter, CityResult};
use infrange::bands::{BandClass, Bands};
use infrange::cities::{self, City};
use infrange::engine::Engine;
use infrange::error::Location;
use infrange::export::geojson::{self as gj, Encoding, Layer};
use infrange::export::{atomic::write_atomic, cities_csv, json, table};
use infrange::pipeline::CsvPipeline;
use infrange::scenario::{self, Scenario};
use infrange::stream::Progress;
use infrange::summary::{self, Summary};
use infrange::{geodesy, render, systems};
use std::io::{IsTerminal, Write};
use std::path::{Path, PathBuf};

/// Run the parsed command line.
pub fn run(cli: Cli) -> Result<()> {
    match cli.command {
        None => run_scenario(RunArgs {
            scenario: ScenarioArgs::default(),
            out: "output".into(),
            all: false,
            max_error_m: infrange::layers::DEFAULT_MAX_ERROR_M,
            map: MapStyle::default(),
        }),
        Some(Command::Run(args)) => run_scenario(args),
        Some(Command::Geojson(args)) => geojson(args),
        Some(Command::Map(args)) => map(args),
        Some(Command::Analyze(args)) => analyze(args),
        Some(Command::Distance(args)) => distance(args),
        Some(Command::Systems) => list_systems(),
        Some(Command::Scenarios) => list_scenarios(),
    }
}

/// Whether an error is a closed pipe on standard output (e.g. `| head`).
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|e| {
        e.downcast_ref::<std::io::Error>()
            .is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
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
            Some(path) => cities::read_file(path)?.into(),
            None => cities::embedded()?.into(),
        };
        Ok(Self { scenario, cities })
    }

    fn analyze(&self, args: &ScenarioArgs) -> Vec<CityResult<'_>> {
        analysis::analyze(
            &self.scenario,
            &self.cities,
            CityFilter {
                min_population: args.min_population,
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

fn run_scenario(args: RunArgs) -> Result<()> {
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze(&args.scenario);
    let summary = summary::summarize(&prepared.scenario, &results)?;
    let rows = selected(&results, args.all);
    let scenario = &prepared.scenario;
    // Everything is computed before the first file is written.
    let band_layers = infrange::layers::build(scenario, args.max_error_m)?;
    let layers = geojson_layers(scenario, &band_layers, &rows)?;
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
    let map = render::layout(&scene, &map_options(&args.map)?)?;
    let svg = render::backend::to_svg(&map)?;
    let kml = infrange::export::kml::document(scenario, &band_layers, &rows);

    let mut written = Vec::new();
    let csv_path = args.out.join("cities.csv");
    write_atomic(&csv_path, |w| cities_csv::write(w, scenario, &rows))
        .with_context(|| format!("writing {}", csv_path.display()))?;
    written.push(csv_path);
    let summary_path = args.out.join("summary.json");
    write_atomic(&summary_path, |w| json::write_pretty(w, &summary))
        .with_context(|| format!("writing {}", summary_path.display()))?;
    written.push(summary_path);
    written.extend(write_layers(&args.out, &layers, Encoding::Collection)?);
    written.extend(write_styles(&args.out, scenario)?);
    written.push(write_text(&args.out.join("map.kml"), &kml)?);
    let png_path = args.out.join("map.png");
    render::backend::write_png(&map, &png_path)
        .with_context(|| format!("writing {}", png_path.display()))?;
    written.push(png_path.clone());
    written.extend(
        render::georef::write_sidecars(&map, &png_path)
            .with_context(|| format!("writing the georeferencing of {}", png_path.display()))?,
    );
    let svg_path = args.out.join("map.svg");
    write_atomic(&svg_path, |w| {
        w.write_all(svg.as_bytes())
            .map_err(|e| infrange::Error::io(&svg_path, e))
    })
    .with_context(|| format!("writing {}", svg_path.display()))?;
    written.push(svg_path);

    print_run_report(scenario, &summary, &written)?;
    Ok(())
}

/// The four GeoJSON layers of an analysis.
fn geojson_layers(
    scenario: &Scenario,
    layers: &infrange::layers::Layers,
    rows: &[&CityResult<'_>],
) -> Result<Vec<Layer>> {
    Ok(vec![
        gj::sites_layer(scenario),
        gj::bands_layer(scenario, layers),
        gj::coverage_layer(scenario, layers),
        gj::cities_layer(scenario, rows)?,
    ])
}

fn write_layers(dir: &Path, layers: &[Layer], encoding: Encoding) -> Result<Vec<PathBuf>> {
    let mut written = Vec::new();
    for layer in layers {
        let path = dir.join(format!("{}.{}", layer.name, encoding.extension()));
        write_atomic(&path, |w| gj::write(w, layer, encoding))
            .with_context(|| format!("writing {}", path.display()))?;
        written.push(path);
        // An empty layer: its geometry type, CRS and fields for GDAL and QGIS.
        if let Some(vrt) = gj::empty_layer_vrt(layer, encoding) {
            written.push(write_text(&dir.join(format!("{}.vrt", layer.name)), &vrt)?);
        }
    }
    Ok(written)
}

/// Writes `text` to `path` atomically.
fn write_text(path: &Path, text: &str) -> Result<PathBuf> {
    write_atomic(path, |w| {
        w.write_all(text.as_bytes())
            .map_err(|e| infrange::Error::io(path, e))
    })
    .with_context(|| format!("writing {}", path.display()))?;
    Ok(path.to_path_buf())
}

/// The QGIS style of each layer, `NAME.qml` beside `NAME.geojson`.
fn write_styles(dir: &Path, scenario: &Scenario) -> Result<Vec<PathBuf>> {
    infrange::export::qml::styles(scenario)
        .iter()
        .map(|style| write_text(&dir.join(format!("{}.qml", style.name)), &style.xml))
        .collect()
}

fn geojson(args: GeojsonArgs) -> Result<()> {
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze(&args.scenario);
    let rows = selected(&results, args.all);
    let band_layers = infrange::layers::build(&prepared.scenario, args.max_error_m)?;
    let layers = geojson_layers(&prepared.scenario, &band_layers, &rows)?;
    let encoding = match args.format {
        GeojsonFormat::Geojson => Encoding::Collection,
        GeojsonFormat::Geojsonseq => Encoding::Seq,
    };
    let mut out = std::io::stdout().lock();
    let mut written = write_layers(&args.out, &layers, encoding)?;
    written.extend(write_styles(&args.out, &prepared.scenario)?);
    for path in written {
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

fn map(args: MapArgs) -> Result<()> {
    let svg = match args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)
    {
        Some(ext) if ext == "svg" => true,
        Some(ext) if ext == "png" => false,
        _ => bail!(
            "--out {}: the map file must end in .png or .svg",
            args.out.display()
        ),
    };
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze(&args.scenario);
    let summary = summary::summarize(&prepared.scenario, &results)?;
    let rows = selected(&results, false);
    let band_layers = infrange::layers::build(&prepared.scenario, args.max_error_m)?;
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
    let list = render::layout(&scene, &map_options(&args.map)?)?;
    if svg {
        let text = render::backend::to_svg(&list)?;
        write_atomic(&args.out, |w| {
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
    writeln!(out, "{}", scenario.title)?;
    writeln!(
        out,
        "  allies: {}; bands: {}",
        scenario.allies.description, scenario.bands
    )?;
    for b in &summary.bands {
        writeln!(
            out,
            "  {:<20} {:>6} cities, population {:>11}, capitals: {}",
            b.band,
            render::furniture::group_thousands(b.counts.cities as i64),
            render::furniture::group_thousands(b.counts.population as i64),
            if b.counts.capitals.is_empty() {
                "-".to_owned()
            } else {
                b.counts.capitals.join(", ")
            }
        )?;
    }
    for f in files {
        writeln!(out, "wrote {}", f.display())?;
    }
    Ok(())
}

fn analyze(args: AnalyzeArgs) -> Result<()> {
    if let (Format::Csv, Some(path)) = (args.format, &args.scenario.cities) {
        return analyze_streamed(&args, path);
    }
    let prepared = Prepared::load(&args.scenario)?;
    let results = prepared.analyze(&args.scenario);
    let summary = summary::summarize(&prepared.scenario, &results)?;
    let rows = selected(&results, args.all);
    let scenario = &prepared.scenario;
    let write = |w: &mut dyn Write| match args.format {
        Format::Table => table::write(w, scenario, &summary, &rows),
        Format::Csv => cities_csv::write(w, scenario, &rows),
        Format::Json => json::write_analysis(w, scenario, &summary, &rows),
    };
    match &args.output {
        Some(path) => {
            write_atomic(path, write).with_context(|| format!("writing {}", path.display()))?
        }
        None => {
            let mut out = std::io::BufWriter::new(std::io::stdout().lock());
            write(&mut out)?;
            out.flush()?;
        }
    }
    Ok(())
}

/// `analyze --format csv --cities FILE`: stream the file through the
/// analysis, rows in input order, memory independent of the file's size.
fn analyze_streamed(args: &AnalyzeArgs, cities_path: &Path) -> Result<()> {
    let scenario = args.scenario.to_options().resolve()?;
    let engine = Engine::new(&scenario.sites, &scenario.bands);
    let reader = cities::open_file(cities_path)?;
    let pipeline = CsvPipeline {
        scenario: &scenario,
        engine: &engine,
        filter: CityFilter {
            min_population: args.scenario.min_population,
        },
        all: args.all,
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
    let result = match &args.output {
        Some(path) => {
            let mut stats = None;
            write_atomic(path, |w| {
                stats = Some(pipeline.run(reader, w, &mut on_progress)?);
                Ok(())
            })
            .map_err(|e| match e {
                infrange::Error::Input { .. } => anyhow::Error::from(e),
                e => anyhow::Error::from(e).context(format!("writing {}", path.display())),
            })
            .map(|()| stats.expect("a successful run reports its statistics"))
        }
        None => {
            let mut out = std::io::BufWriter::with_capacity(1 << 20, std::io::stdout().lock());
            pipeline
                .run(reader, &mut out, &mut on_progress)
                .map_err(anyhow::Error::from)
                .and_then(|stats| Ok(out.flush().map(|()| stats)?))
        }
    };
    bar.finish_and_clear();
    let stats = result?;
    if !args.quiet {
        let secs = |d: std::time::Duration| format!("{:.2} s", d.as_secs_f64());
        eprintln!(
            "infrange: {} rows read ({:.1} MB), {} analysed, {} written in {}; \
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
    render::furniture::group_thousands(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A place given on the command line: coordinates or a city.
struct Place {
    label: String,
    lat_deg: f64,
    lon_deg: f64,
}

fn parse_place(text: &str, which: &str) -> Result<Place> {
    let location = Location::new(format!("{which} place '{text}'"));
    if let Some((a, b)) = text.split_once(',') {
        if let (Ok(lat), Ok(lon)) = (a.trim().parse::<f64>(), b.trim().parse::<f64>()) {
            let lat_deg = infrange::input::check_lat_deg(lat, &location.clone().field("lat"))?;
            let lon_deg = infrange::input::check_lon_deg(lon, &location.clone().field("lon"))?;
            return Ok(Place {
                label: format!("{lat_deg}, {lon_deg}"),
                lat_deg,
                lon_deg,
            });
        }
    }
    let found = cities::find(cities::embedded()?, text);
    match found.as_slice() {
        [] => bail!("{location}: no city of that name in the embedded GeoNames catalogue (population ≥ 15,000); give LAT,LON instead"),
        [c] => Ok(Place {
            label: format!("{}, {} (geonameid {})", c.name, c.country, c.geonameid.unwrap_or(0)),
            lat_deg: c.lat_deg,
            lon_deg: c.lon_deg,
        }),
        many => {
            let list: Vec<String> = many
                .iter()
                .take(20)
                .map(|c| {
                    format!(
                        "  {}, {} (admin1 {}), population {}, {:.4},{:.4}: use '{},{}' or 'geonameid:{}'",
                        c.name,
                        c.country,
                        c.admin1,
                        c.population.unwrap_or(0),
                        c.lat_deg,
                        c.lon_deg,
                        c.name,
                        c.country,
                        c.geonameid.unwrap_or(0)
                    )
                })
                .collect();
            bail!(
                "{location}: {} cities match; pick one:\n{}",
                many.len(),
                list.join("\n")
            )
        }
    }
}

fn distance(args: DistanceArgs) -> Result<()> {
    let bands = Bands::parse(&args.bands, &Location::new("--bands"))?;
    let a = parse_place(&args.from, "first")?;
    let b = parse_place(&args.to, "second")?;
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
    writeln!(out, "from:        {}", a.label)?;
    writeln!(out, "to:          {}", b.label)?;
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
