//! Command-line arguments (clap derive). The doc comment on each field is its
//! `--help` text.

use clap::{Args, Parser, Subcommand, ValueEnum};
use std::path::PathBuf;

/// Missile-range analysis on the WGS84 ellipsoid: which cities of allied
/// countries lie inside INF-class range bands around deployment sites.
///
/// With no command, infrange runs the built-in default scenario (the four
/// reported 9M729 battalion sites against NATO's 29 members on 2 Aug 2019,
/// the day the INF Treaty ended) and writes its outputs into `output/`.
///
/// Distances are Karney's geodesics on WGS84. Bands follow the INF Treaty's
/// Article II: shorter-range = [500, 1000] km, intermediate-range =
/// (1000, 5500] km; custom edges with --bands.
///
/// Data: GeoNames (geonames.org, CC BY 4.0); Natural Earth (public domain).
#[derive(Debug, Parser)]
#[command(name = "infrange", version, about, long_about, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Analyse a scenario and write every output file into a folder.
    ///
    /// Writes cities.csv (the allied cities with nearest site, distance and
    /// band), countries.csv (per allied country and band: cities,
    /// population, and those reached by a site's system), summary.json (per
    /// band, country and system, with the version, command line and data
    /// checksums), scenario.toml (the effective scenario: `run --scenario
    /// DIR/scenario.toml` repeats the run), the GeoJSON layers sites, bands,
    /// coverage and cities with their QGIS styles (see `infrange geojson
    /// --help`), map.kml for Google Earth (sites, band zones, reach, cities in
    /// folders), the map as map.png and map.svg (see `infrange map --help`)
    /// and the interactive map map.html (one file that works offline). Files
    /// are written as one set: all of them, or none.
    ///
    /// Example: infrange run --scenario chernyakhovsk-2024 --out out/kaliningrad
    Run(RunArgs),

    /// Write the GeoJSON layers (sites, bands, coverage, cities) and their QGIS
    /// styles.
    ///
    /// sites.geojson: a Point per site (name, system, range_km, source).
    /// bands.geojson: per site × band, the annulus between the band's edges.
    /// coverage.geojson: per band, the zone whose nearest site is in the band
    /// (union over sites), plus each site's system reach.
    /// cities.geojson: the allied cities with the CSV's attributes.
    ///
    /// Polygons follow RFC 7946 (lon/lat WGS84, counter-clockwise exteriors,
    /// 6 decimals, bbox), are split at ±180° and reach the pole where a ring
    /// encloses it; every edge stays within --max-error-m of the true
    /// geodesic circle read as a straight lon/lat segment or as a geodesic.
    /// Beside each layer NAME.qml is its QGIS style (QGIS applies it when it
    /// loads the layer); an empty layer also gets NAME.vrt, which gives GDAL
    /// and QGIS its geometry type and CRS.
    ///
    /// Example: infrange geojson --site 'Anadyr=64.73,177.51' --out out/anadyr
    Geojson(GeojsonArgs),

    /// Draw the map: band zones, reach rings, sites and cities on a Natural
    /// Earth basemap, as PNG, SVG or interactive HTML (by the extension of --out).
    ///
    /// The .html map is one self-contained file that works offline: pan and
    /// zoom, hover or tap a city for its distance, band, bearing and the sites
    /// that reach it, click a site for its system and source, switch layers,
    /// search a city by name. --width and --height do not apply to it.
    ///
    /// Projections go through PROJ: `auto` is azimuthal equidistant centred
    /// on the site for one site (range rings are true circles), Lambert
    /// azimuthal equal-area centred on the scene for several, Equal Earth for
    /// a world extent.
    ///
    /// Examples:
    ///   infrange map --out briefing.png
    ///   infrange map --out briefing.html
    ///   infrange map --scenario chernyakhovsk-2024 --extent europe --out kaliningrad.svg
    ///   infrange map --projection '+proj=laea +lat_0=90 +lon_0=40' --extent world
    #[command(verbatim_doc_comment)]
    Map(MapArgs),

    /// Classify allied cities by band and print them (table, CSV or JSON).
    ///
    /// By default prints cities within the last band (every band and `below`);
    /// --all prints every allied city.
    ///
    /// Examples:
    ///   infrange analyze
    ///   infrange analyze --site 'Kapustin Yar=48.5833,45.75' --allies nato@2019-08-02 --all --format csv
    ///   infrange analyze --sites my-sites.csv --bands 500,1000,2500,5500 --allies PL,DE,LT
    #[command(verbatim_doc_comment)]
    Analyze(AnalyzeArgs),

    /// Geodesic distance, azimuths and band between two places.
    ///
    /// A place is `LAT,LON` (degrees, latitude first), a site of the
    /// scenario (--scenario; without it, any built-in scenario's site), or a
    /// city of the embedded GeoNames catalogue: `Warsaw`, `Paris,FR` (with an
    /// ISO country code) or `geonameid:2988507`. A name shared by several
    /// cities means the most populous; the others are listed.
    ///
    /// With --scenario, the scenario's bands are used and a site's reach is
    /// reported.
    ///
    /// Examples:
    ///   infrange distance 'Kapustin Yar' Warsaw
    ///   infrange distance --scenario chernyakhovsk-2024 Chernyakhovsk Berlin
    #[command(verbatim_doc_comment)]
    Distance(DistanceArgs),

    /// Compare two runs: per country, the cities and capitals that change
    /// band or reach between output folder A and output folder B.
    ///
    /// Reads A/cities.csv and B/cities.csv as `infrange run` writes them (use
    /// --all in both runs, or cities beyond the last band count as "not listed").
    ///
    /// Examples:
    ///   infrange run --scenario nato-1987 --all --out out/1987
    ///   infrange run --scenario inf-2019 --all --out out/2019
    ///   infrange compare out/2019 out/1987 --format markdown
    #[command(verbatim_doc_comment)]
    Compare(CompareArgs),

    /// List countries: ISO code, name, and the alliances each belongs to, with dates.
    ///
    /// These are the codes and names `--allies` takes.
    Countries,

    /// List the built-in missile systems with their ranges and sources.
    Systems,

    /// List the built-in scenarios.
    Scenarios,
}

/// `infrange compare A B`.
#[derive(Debug, Args, Clone)]
pub struct CompareArgs {
    /// Output folder of the first run (A).
    pub a: PathBuf,
    /// Output folder of the second run (B).
    pub b: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = CompareFormat::Table)]
    pub format: CompareFormat,
    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
}

/// Formats of `infrange compare`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum CompareFormat {
    /// An aligned table, for reading.
    Table,
    /// CSV: country,cities_a,cities_b,band_changed,newly_reached,no_longer_reached,capitals.
    Csv,
    /// A Markdown pipe table.
    Markdown,
}

/// What to analyse: a scenario, and options that override it.
#[derive(Debug, Args, Clone, Default)]
pub struct ScenarioArgs {
    /// Scenario TOML file, or a built-in scenario name (see `infrange scenarios`).
    /// Default: inf-2019.
    #[arg(long, value_name = "FILE|NAME", help_heading = "Scenario")]
    pub scenario: Option<String>,

    /// A deployment site, latitude first: NAME=LAT,LON[,SYSTEM]. Repeatable.
    /// Replaces the scenario's sites. Without --scenario, sites are analysed
    /// with INF bands against today's NATO members (`nato`, 32), not the
    /// default scenario's 29 of 2019; the outputs and the map's subtitle say
    /// which.
    #[arg(
        long = "site",
        value_name = "NAME=LAT,LON[,SYSTEM]",
        help_heading = "Scenario"
    )]
    pub sites: Vec<String>,

    /// Sites file: CSV with columns name,lat,lon[,system][,range_km], or
    /// GeoJSON Points with those properties. Replaces the scenario's sites.
    #[arg(long = "sites", value_name = "FILE", help_heading = "Scenario")]
    pub sites_file: Option<PathBuf>,

    /// Missile system for sites without one (see `infrange systems`), e.g.
    /// 9M729, 9M729-claimed, Iskander-M.
    #[arg(
        long,
        value_name = "NAME",
        conflicts_with = "range_km",
        help_heading = "Scenario"
    )]
    pub system: Option<String>,

    /// Range in km for sites without a system (instead of --system).
    #[arg(
        long,
        value_name = "KM",
        help_heading = "Scenario",
        allow_hyphen_values = true
    )]
    pub range_km: Option<f64>,

    /// Range bands: `inf` (shorter-range [500,1000] km, intermediate-range
    /// (1000,5500] km) or strictly increasing edges in km, e.g.
    /// 500,1000,2500,5500. The first band is closed at its lower edge; every
    /// band is closed at its upper edge.
    #[arg(
        long,
        value_name = "inf|KM,KM,...",
        help_heading = "Scenario",
        allow_hyphen_values = true
    )]
    pub bands: Option<String>,

    /// Allied countries: `nato` (today's 32), `nato@YYYY-MM-DD` (members on
    /// that day; 29 on 2019-08-02), ISO alpha-2 codes `PL,DE,LT`, or `all`.
    #[arg(long, value_name = "SPEC", help_heading = "Scenario")]
    pub allies: Option<String>,

    /// Cities file instead of the embedded GeoNames catalogue: CSV with at
    /// least name,country,lat,lon (optional population, geonameid, capital,
    /// asciiname, admin1); a GeoNames dump such as allCountries.txt,
    /// cities500.txt or PL.txt (tab-separated, 19 columns, recognised by its
    /// first line; rows without a country code count only for `--allies
    /// all`; sections of cities, feature code PPLX, are left out unless
    /// --keep-sections); or GeoJSON Points with name and country properties.
    /// `analyze --format csv` reads CSV and GeoNames files as a stream, in
    /// input order and in constant memory, however large the file.
    #[arg(long, value_name = "FILE", help_heading = "Cities")]
    pub cities: Option<PathBuf>,

    /// Keep the rows of a GeoNames dump given with --cities that are
    /// sections of a city (feature code PPLX: boroughs, arrondissements,
    /// districts such as Wandsbek in Hamburg). By default they are left out,
    /// as from the embedded catalogue, since GeoNames also lists the city
    /// they are part of and their people would be counted twice.
    #[arg(long, requires = "cities", help_heading = "Cities")]
    pub keep_sections: bool,

    /// Only cities with at least this many inhabitants. The embedded
    /// catalogue already holds only places of 15,000 or more.
    #[arg(long, value_name = "N", help_heading = "Cities")]
    pub min_population: Option<u64>,
}

#[derive(Debug, Args)]
pub struct RunArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Folder for the outputs (created if missing).
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Write every allied city to cities.csv, including those beyond the
    /// last band.
    #[arg(long)]
    pub all: bool,

    /// Largest distance, in metres, between a drawn band boundary and the
    /// true geodesic circle, whether an edge is read as a straight lon/lat
    /// segment or as a geodesic. Small or thin bands get denser edges so that
    /// their areas stay within 0.02 %.
    #[arg(long, value_name = "M", default_value_t = infrange::layers::DEFAULT_MAX_ERROR_M)]
    pub max_error_m: f64,

    /// Print, on standard error, how long each step took.
    #[arg(long)]
    pub timings: bool,

    #[command(flatten)]
    pub map: MapStyle,
}

/// How to draw a map.
#[derive(Debug, Args, Clone)]
pub struct MapStyle {
    /// Projection: auto, laea, aeqd, eqearth, robin, merc (Mercator: only on
    /// request; it distorts areas), a PROJ string (+proj=...) or EPSG:CODE.
    #[arg(
        long,
        value_name = "NAME|PROJ",
        default_value = "auto",
        help_heading = "Map"
    )]
    pub projection: String,

    /// Extent: bands (the band zones and the cities in them), cities (the allied
    /// cities in a band or under the first edge, and the reach rings), reach (each
    /// site's reach out to the next band edge), world, europe, or
    /// lon_min,lat_min,lon_max,lat_max in degrees. auto picks reach when the
    /// system's reach is under 40 % of the outermost band edge (a short-range
    /// system), else cities.
    #[arg(
        long,
        value_name = "auto|bands|cities|reach|world|europe|BOX",
        default_value = "auto",
        help_heading = "Map",
        allow_hyphen_values = true
    )]
    pub extent: String,

    /// Image width, pixels.
    #[arg(long, value_name = "PX", default_value_t = 1600, help_heading = "Map")]
    pub width: u32,

    /// Image height, pixels.
    #[arg(long, value_name = "PX", default_value_t = 1200, help_heading = "Map")]
    pub height: u32,

    /// Title (default: the scenario's title; for sites given with --site or --sites, one
    /// made from the system, the place and the allies). Long titles wrap.
    #[arg(long, value_name = "TEXT", help_heading = "Map")]
    pub title: Option<String>,

    /// Subtitle (default: the system's range and its source, the allies and their date).
    #[arg(long, value_name = "TEXT", help_heading = "Map")]
    pub subtitle: Option<String>,

    /// Name a city on the map, whatever its band or alliance (repeatable): NAME or
    /// NAME,CC, e.g. `--label Moscow` or `--label Paris,FR`. A city that is not allied
    /// is drawn with its dot and its distance to the nearest site.
    #[arg(long = "label", value_name = "NAME[,CC]", help_heading = "Map")]
    pub labels: Vec<String>,
}

impl Default for MapStyle {
    fn default() -> Self {
        Self {
            projection: "auto".into(),
            extent: "auto".into(),
            width: 1600,
            height: 1200,
            title: None,
            subtitle: None,
            labels: Vec::new(),
        }
    }
}

#[derive(Debug, Args)]
pub struct MapArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Output file; .png, .svg or .html.
    #[arg(long, value_name = "FILE", default_value = "output/map.png")]
    pub out: PathBuf,

    #[command(flatten)]
    pub map: MapStyle,

    /// Largest distance, in metres, between a drawn band boundary and the
    /// true geodesic circle, whether an edge is read as a straight lon/lat
    /// segment or as a geodesic. Small or thin bands get denser edges so that
    /// their areas stay within 0.02 %.
    #[arg(long, value_name = "M", default_value_t = infrange::layers::DEFAULT_MAX_ERROR_M)]
    pub max_error_m: f64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum GeojsonFormat {
    /// FeatureCollections (.geojson).
    Geojson,
    /// GeoJSON Text Sequences, one feature per line (RFC 8142, .geojsons).
    Geojsonseq,
}

#[derive(Debug, Args)]
pub struct GeojsonArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Folder for the layers (created if missing).
    #[arg(long, value_name = "DIR", default_value = "output")]
    pub out: PathBuf,

    /// Include every allied city in cities.geojson, also beyond the last band.
    #[arg(long)]
    pub all: bool,

    /// Largest distance, in metres, between a drawn band boundary and the
    /// true geodesic circle, whether an edge is read as a straight lon/lat
    /// segment or as a geodesic. Small or thin bands get denser edges so that
    /// their areas stay within 0.02 %.
    #[arg(long, value_name = "M", default_value_t = infrange::layers::DEFAULT_MAX_ERROR_M)]
    pub max_error_m: f64,

    /// Encoding of the layers.
    #[arg(long, value_enum, default_value_t = GeojsonFormat::Geojson)]
    pub format: GeojsonFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Format {
    /// Summary and an aligned table, for reading.
    Table,
    /// CSV: name,country,lat,lon,population,nearest_site,distance_km,band,…
    /// Nearest first; with --cities, streamed in the file's order.
    Csv,
    /// JSON: {"summary": …, "cities": […]} (with --by country: the summary).
    Json,
    /// Markdown pipe tables (band totals, then cities or countries) with a
    /// source line, ready for a paper (pandoc, GitHub, Word via pandoc).
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum By {
    /// One row per city.
    City,
    /// One row per allied country and band (below, each band, beyond), as
    /// `run` writes countries.csv: cities, population, reached cities and
    /// population, capitals.
    Country,
}

#[derive(Debug, Args)]
pub struct AnalyzeArgs {
    #[command(flatten)]
    pub scenario: ScenarioArgs,

    /// Every allied city, including those beyond the last band.
    #[arg(long)]
    pub all: bool,

    /// Output format. Table and JSON list cities nearest first after their
    /// totals, so they hold every city in memory. CSV with --cities streams
    /// the file instead: rows come out in the file's order as they are
    /// classified, with a progress bar on a terminal; without --cities, CSV
    /// is nearest first too.
    /// Default: by the extension of --output (.csv, .json, .md), else table.
    #[arg(long, value_enum)]
    pub format: Option<Format>,

    /// What a row is: a city, or a country and band.
    #[arg(long, value_enum, default_value_t = By::City)]
    pub by: By,

    /// Write to this file (atomically) instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,

    /// No progress bar and no closing statistics on standard error.
    #[arg(long, short)]
    pub quiet: bool,
}

#[derive(Debug, Args)]
pub struct DistanceArgs {
    /// First place: LAT,LON, a site or a city name.
    #[arg(allow_hyphen_values = true)]
    pub from: String,

    /// Second place: LAT,LON, a site or a city name.
    #[arg(allow_hyphen_values = true)]
    pub to: String,

    /// Scenario whose sites can be named, and whose bands classify the
    /// distance (TOML file or built-in name).
    #[arg(long, value_name = "FILE|NAME")]
    pub scenario: Option<String>,

    /// Bands for the classification (as in `analyze`); default: the
    /// scenario's, else `inf`.
    #[arg(long, value_name = "inf|KM,KM,...", allow_hyphen_values = true)]
    pub bands: Option<String>,
}

impl ScenarioArgs {
    /// The files these options read, named by their option, for the check
    /// that no output overwrites an input.
    pub fn input_files(&self) -> Vec<(&'static str, &std::path::Path)> {
        let mut files: Vec<(&'static str, &std::path::Path)> = Vec::new();
        if let Some(p) = &self.cities {
            files.push(("--cities", p));
        }
        if let Some(p) = &self.sites_file {
            files.push(("--sites", p));
        }
        if let Some(s) = &self.scenario {
            let p = std::path::Path::new(s);
            if p.is_file() {
                files.push(("--scenario", p));
            }
        }
        files
    }

    /// The library's view of these options.
    pub fn to_options(&self) -> infrange::scenario::ScenarioOptions {
        infrange::scenario::ScenarioOptions {
            scenario: self.scenario.clone(),
            site_args: self.sites.clone(),
            sites_file: self.sites_file.clone(),
            system: self.system.clone(),
            range_km: self.range_km,
            bands: self.bands.clone(),
            allies: self.allies.clone(),
            min_population: self.min_population,
            all_cities: false,
        }
    }
}
