//! PROJ wrapper, the automatic projection choice and each projection's drawable domain.
//!
//! PROJ strings (`+proj=...`) are built with [`proj::Proj::new`] and need no PROJ database.
//! Authority codes (`EPSG:3035`) need `proj.db`: PROJ's own search (`PROJ_DATA`) is tried
//! first, then the usual system folders and the `proj-sys` build output next to the running
//! executable; if none has it the error says to use a PROJ string.

use std::path::{Path, PathBuf};

use proj::{Proj, ProjBuilder};

use super::{ExtentChoice, MapScene, RenderError};

/// Which projection to draw in.
#[derive(Debug, Clone, PartialEq, Default)]
pub enum ProjectionChoice {
    /// Azimuthal equidistant on the site for one site, Lambert azimuthal equal-area on the
    /// scene's centre for several, Equal Earth for a world extent.
    #[default]
    Auto,
    /// Lambert azimuthal equal-area centred on the scene.
    Laea,
    /// Azimuthal equidistant centred on the scene (distances from the centre are true).
    Aeqd,
    /// Equal Earth (world maps).
    EqualEarth,
    /// Robinson (world maps).
    Robinson,
    /// Mercator; areas far from the equator are strongly enlarged (noted in the legend).
    Mercator,
    /// Any PROJ string (`+proj=...`) or authority code (`EPSG:3035`).
    Proj(String),
}

/// The part of the globe a projection shows without tearing. Geometry is clipped to it in
/// lon/lat before projecting.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Domain {
    /// A spherical cap around a centre (azimuthal projections).
    Cap {
        /// Centre longitude, degrees.
        lon_deg: f64,
        /// Centre latitude, degrees.
        lat_deg: f64,
        /// Largest usable angular radius, degrees of arc.
        radius_deg: f64,
    },
    /// The globe cut along the antimeridian of `lon0_deg`, limited to |lat| <= `lat_max_deg`.
    Global {
        /// Central meridian, degrees.
        lon0_deg: f64,
        /// Largest drawable |latitude|, degrees.
        lat_max_deg: f64,
    },
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Input {
    /// `Proj::project` on radians (PROJ strings).
    Radians,
    /// `Proj::convert` on degrees (CRS-to-CRS objects).
    Degrees,
}

/// A forward/inverse map between lon/lat degrees and projected coordinates (usually metres).
pub struct Projector {
    fwd: Proj,
    inv: Option<Proj>,
    input: Input,
    definition: String,
    family: String,
    domain: Domain,
}

impl std::fmt::Debug for Projector {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Projector")
            .field("definition", &self.definition)
            .field("family", &self.family)
            .field("domain", &self.domain)
            .finish()
    }
}

/// Projection families PROJ itself does not wrap; they are skipped when reading a pipeline.
const NON_PROJECTIONS: &[&str] = &[
    "pipeline",
    "axisswap",
    "unitconvert",
    "push",
    "pop",
    "cart",
    "helmert",
    "noop",
    "set",
    "hgridshift",
    "vgridshift",
];

impl Projector {
    /// Builds a projector from a PROJ string or an authority code such as `EPSG:3035`.
    pub fn new(definition: &str) -> Result<Self, RenderError> {
        silence_proj_log();
        let def = definition.trim();
        if def.starts_with('+') || def.starts_with("proj=") {
            let fwd = Proj::new(def).map_err(|e| RenderError::Projection {
                definition: def.to_string(),
                message: e.to_string(),
            })?;
            let (family, lon0, lat0) = parse_definition(def);
            let domain = domain_for(&family, lon0, lat0);
            return Ok(Self {
                fwd,
                inv: None,
                input: Input::Radians,
                definition: def.to_string(),
                family,
                domain,
            });
        }
        let (fwd, inv) = known_crs_pair(def)?;
        // A CRS-to-CRS object picks its operation on first use; only then does it report it.
        let _ = fwd.convert((0.0_f64, 0.0_f64));
        let pipeline = fwd.def().unwrap_or_default();
        let (family, lon0, lat0) = parse_definition(&pipeline);
        let domain = domain_for(&family, lon0, lat0);
        Ok(Self {
            fwd,
            inv,
            input: Input::Degrees,
            definition: def.to_string(),
            family,
            domain,
        })
    }

    /// The definition this projector was built from.
    pub fn definition(&self) -> &str {
        &self.definition
    }

    /// The projected CRS as WKT for GDAL's side-car files, one line: WKT1 in GDAL's
    /// flavour where PROJ can write it (what GDAL itself writes into `.aux.xml`, and what
    /// older GDAL/PROJ releases read: Debian 12's PROJ 9.1 cannot invert WKT2's EPSG method
    /// 1125 "Azimuthal Equidistant"), else WKT2:2019. `None` if PROJ cannot express the
    /// definition as a CRS.
    pub fn crs_wkt(&self) -> Option<String> {
        if let Some(def) = self.crs_definition() {
            if let Some(wkt) = wkt1_gdal(&def) {
                return Some(wkt);
            }
        }
        self.crs_wkt2()
    }

    /// A PROJ string definition as a CRS (`+type=crs`); `None` for authority codes.
    fn crs_definition(&self) -> Option<String> {
        let def = &self.definition;
        if !(def.starts_with('+') || def.starts_with("proj=")) {
            return None;
        }
        Some(if def.contains("type=crs") {
            def.clone()
        } else {
            format!("{def} +type=crs")
        })
    }

    /// The projected CRS as WKT2:2019 (PROJ's default), one line.
    fn crs_wkt2(&self) -> Option<String> {
        let crs = if let Some(def) = self.crs_definition() {
            Proj::new(&def).ok()?
        } else {
            match Proj::new(&self.definition) {
                Ok(p) => p,
                Err(_) => proj_db_candidates().into_iter().find_map(|dir| {
                    let mut b = ProjBuilder::new();
                    b.set_search_paths(&dir).ok()?;
                    b.proj(&self.definition).ok()
                })?,
            }
        };
        let wkt = crs.as_wkt(None, None).ok()?;
        let one_line: String = wkt.lines().map(str::trim).collect();
        (!one_line.is_empty()).then_some(one_line)
    }

    /// PROJ's short projection name, e.g. `laea` (empty if unknown).
    pub fn family(&self) -> &str {
        &self.family
    }

    /// Where geometry can be drawn without tearing.
    pub fn domain(&self) -> Domain {
        self.domain
    }

    /// Narrows a cap domain to `radius_deg` (never widens it).
    pub fn limit_cap(&mut self, radius_deg: f64) {
        if let Domain::Cap {
            radius_deg: ref mut r,
            ..
        } = self.domain
        {
            *r = r.min(radius_deg.max(1.0));
        }
    }

    /// Projects lon/lat degrees; `None` where PROJ fails or returns a non-finite value.
    pub fn forward(&self, lon_deg: f64, lat_deg: f64) -> Option<(f64, f64)> {
        if !lon_deg.is_finite() || !lat_deg.is_finite() {
            return None;
        }
        let out = match self.input {
            Input::Radians => self
                .fwd
                .project((lon_deg.to_radians(), lat_deg.to_radians()), false),
            Input::Degrees => self.fwd.convert((lon_deg, lat_deg)),
        };
        match out {
            Ok((x, y)) if x.is_finite() && y.is_finite() && x.abs() < 1e15 && y.abs() < 1e15 => {
                Some((x, y))
            }
            _ => None,
        }
    }

    /// Inverse projection to lon/lat degrees; `None` outside the projection's range.
    pub fn inverse(&self, x: f64, y: f64) -> Option<(f64, f64)> {
        if !x.is_finite() || !y.is_finite() {
            return None;
        }
        let out = match self.input {
            Input::Radians => self
                .fwd
                .project((x, y), true)
                .map(|(l, p)| (l.to_degrees(), p.to_degrees())),
            Input::Degrees => match &self.inv {
                Some(inv) => inv.convert((x, y)),
                None => return None,
            },
        };
        match out {
            Ok((lon, lat)) if lon.is_finite() && lat.is_finite() && lat.abs() <= 90.0 + 1e-9 => {
                // Round trip guards against inverse formulas that silently fold points.
                let (bx, by) = self.forward(lon, lat)?;
                let tol = 1e-6 * (1.0 + x.abs().max(y.abs()));
                if (bx - x).abs() <= tol.max(1e-3) && (by - y).abs() <= tol.max(1e-3) {
                    Some((normalize_lon(lon), lat))
                } else {
                    None
                }
            }
            _ => None,
        }
    }
}

/// A PROJ CRS definition as one-line WKT1 (GDAL flavour), through PROJ's C API: the
/// `proj` crate exposes only WKT2 (its `WktVersion` is not public).
fn wkt1_gdal(definition: &str) -> Option<String> {
    use std::ffi::{CStr, CString};
    let def = CString::new(definition).ok()?;
    let options = [c"MULTILINE=NO".as_ptr(), std::ptr::null()];
    // SAFETY: a private context is created and destroyed here; every pointer PROJ returns
    // is checked for null, the WKT string (owned by `pj`) is copied before `pj` is freed.
    unsafe {
        let ctx = proj_sys::proj_context_create();
        if ctx.is_null() {
            return None;
        }
        // WKT1 cannot express every method (Equal Earth): PROJ would print why on stderr;
        // the caller falls back to WKT2 instead.
        proj_sys::proj_log_level(ctx, proj_sys::PJ_LOG_LEVEL_PJ_LOG_NONE);
        let pj = proj_sys::proj_create(ctx, def.as_ptr());
        let mut out = None;
        if !pj.is_null() {
            let s = proj_sys::proj_as_wkt(
                ctx,
                pj,
                proj_sys::PJ_WKT_TYPE_PJ_WKT1_GDAL,
                options.as_ptr(),
            );
            if !s.is_null() {
                out = Some(CStr::from_ptr(s).to_string_lossy().into_owned());
            }
            proj_sys::proj_destroy(pj);
        }
        proj_sys::proj_context_destroy(ctx);
        out.filter(|w| !w.is_empty())
    }
}

/// Wraps a longitude into [-180, 180].
pub fn normalize_lon(lon_deg: f64) -> f64 {
    if (-180.0..=180.0).contains(&lon_deg) {
        return lon_deg;
    }
    let l = (lon_deg + 180.0).rem_euclid(360.0) - 180.0;
    if l == -180.0 && lon_deg > 0.0 {
        180.0
    } else {
        l
    }
}

/// Reads the projection name and `lon_0`/`lat_0` (degrees) of the last projection step.
fn parse_definition(def: &str) -> (String, f64, f64) {
    let mut family = String::new();
    let mut lon0 = 0.0;
    let mut lat0 = 0.0;
    let mut in_projection_step = false;
    for token in def.split_whitespace() {
        let t = token.trim_start_matches('+');
        if t == "step" {
            in_projection_step = false;
            continue;
        }
        let Some((key, value)) = t.split_once('=') else {
            continue;
        };
        match key {
            "proj" if !NON_PROJECTIONS.contains(&value) => {
                family = value.to_string();
                lon0 = 0.0;
                lat0 = 0.0;
                in_projection_step = true;
            }
            "lon_0" if in_projection_step => lon0 = parse_angle(value).unwrap_or(0.0),
            "lat_0" if in_projection_step => lat0 = parse_angle(value).unwrap_or(0.0),
            _ => {}
        }
    }
    (family, lon0, lat0)
}

/// Parses a PROJ angle in decimal degrees (a trailing `E`/`N`/`W`/`S` is honoured).
fn parse_angle(value: &str) -> Option<f64> {
    let v = value.trim();
    let (num, sign) = match v.chars().last() {
        Some('W') | Some('w') | Some('S') | Some('s') => (&v[..v.len() - 1], -1.0),
        Some('E') | Some('e') | Some('N') | Some('n') => (&v[..v.len() - 1], 1.0),
        _ => (v, 1.0),
    };
    num.parse::<f64>().ok().map(|x| x * sign)
}

/// The drawable domain of a projection family: a cap for azimuthal ones, else the globe.
fn domain_for(family: &str, lon0: f64, lat0: f64) -> Domain {
    let cap = |radius_deg: f64| Domain::Cap {
        lon_deg: normalize_lon(lon0),
        lat_deg: lat0.clamp(-90.0, 90.0),
        radius_deg,
    };
    match family {
        "laea" => cap(110.0),
        "aeqd" => cap(140.0),
        "ortho" => cap(89.5),
        "stere" | "sterea" | "ups" => cap(100.0),
        "gnom" => cap(55.0),
        "nsper" | "tpers" => cap(60.0),
        "airy" => cap(90.0),
        "merc" | "webmerc" => Domain::Global {
            lon0_deg: normalize_lon(lon0),
            lat_max_deg: 85.0,
        },
        _ => Domain::Global {
            lon0_deg: normalize_lon(lon0),
            lat_max_deg: 90.0,
        },
    }
}

/// Lon/lat in degrees, east/north order, for CRS-to-CRS objects.
const WGS84_LONLAT: &str = "+proj=longlat +datum=WGS84 +no_defs +type=crs";

/// Builds forward and inverse CRS-to-CRS objects for an authority code, locating proj.db.
/// PROJ prints its errors (`proj_create: crs not found: …`) on standard
/// error; infrange reports them itself, once, in its own words. New PROJ
/// contexts copy the default context's log level, so setting it there once
/// silences every later one.
fn silence_proj_log() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    // SAFETY: a null context means PROJ's default context; setting its log
    // level is what PROJ's documentation describes for that argument.
    ONCE.call_once(|| unsafe {
        proj_sys::proj_log_level(std::ptr::null_mut(), proj_sys::PJ_LOG_LEVEL_PJ_LOG_NONE);
    });
}

fn known_crs_pair(code: &str) -> Result<(Proj, Option<Proj>), RenderError> {
    let first_error = match Proj::new_known_crs(WGS84_LONLAT, code, None) {
        Ok(fwd) => {
            let inv = Proj::new_known_crs(code, WGS84_LONLAT, None).ok();
            return Ok((fwd, inv));
        }
        Err(e) => e.to_string(),
    };
    for dir in proj_db_candidates() {
        let mut builder = ProjBuilder::new();
        if builder.set_search_paths(&dir).is_err() {
            continue;
        }
        if let Ok(fwd) = builder.proj_known_crs(WGS84_LONLAT, code, None) {
            let mut inv_builder = ProjBuilder::new();
            let inv = match inv_builder.set_search_paths(&dir) {
                Ok(()) => inv_builder.proj_known_crs(code, WGS84_LONLAT, None).ok(),
                Err(_) => None,
            };
            return Ok((fwd, inv));
        }
    }
    let looks_like_code = code.contains(':') && !code.contains(' ');
    // With the database at hand, a code it does not know is the user's typo.
    let database_found = Proj::new_known_crs(WGS84_LONLAT, "EPSG:3857", None).is_ok()
        || proj_db_candidates()
            .iter()
            .any(|d| d.join("proj.db").is_file());
    if looks_like_code && database_found {
        Err(RenderError::Projection {
            definition: code.to_string(),
            message: "PROJ's database has no such coordinate reference system; check the code \
                      (e.g. EPSG:3035 for Europe's LAEA), or give a PROJ string such as \
                      \"+proj=laea +lat_0=52 +lon_0=10\""
                .to_string(),
        })
    } else if looks_like_code {
        Err(RenderError::ProjDatabase {
            code: code.to_string(),
            message: first_error,
        })
    } else {
        Err(RenderError::Projection {
            definition: code.to_string(),
            message: first_error,
        })
    }
}

/// Folders that may hold proj.db: system installs, then the bundled build's output folder
/// (`target/<profile>/build/proj-sys-*/out/share/proj`) above the running executable.
fn proj_db_candidates() -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for var in ["PROJ_DATA", "PROJ_LIB"] {
        if let Some(v) = std::env::var_os(var) {
            out.extend(std::env::split_paths(&v));
        }
    }
    for d in [
        "/usr/share/proj",
        "/usr/local/share/proj",
        "/opt/homebrew/share/proj",
    ] {
        out.push(PathBuf::from(d));
    }
    if let Ok(exe) = std::env::current_exe() {
        for anc in exe.ancestors().take(4) {
            out.extend(bundled_share_dirs(anc));
        }
    }
    out.retain(|d| d.join("proj.db").is_file());
    out
}

fn bundled_share_dirs(profile_dir: &Path) -> Vec<PathBuf> {
    let build = profile_dir.join("build");
    let Ok(entries) = std::fs::read_dir(&build) else {
        return Vec::new();
    };
    entries
        .filter_map(Result::ok)
        .filter(|e| e.file_name().to_string_lossy().starts_with("proj-sys-"))
        .map(|e| e.path().join("out").join("share").join("proj"))
        .collect()
}

/// The PROJ definition for a named choice, centred at (`lon_deg`, `lat_deg`).
pub fn definition_for(choice: &ProjectionChoice, lon_deg: f64, lat_deg: f64) -> String {
    let lon = round_to(normalize_lon(lon_deg), 4);
    let lat = round_to(lat_deg.clamp(-90.0, 90.0), 4);
    match choice {
        ProjectionChoice::Auto | ProjectionChoice::Laea => format!(
            "+proj=laea +lat_0={lat} +lon_0={lon} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        ),
        ProjectionChoice::Aeqd => format!(
            "+proj=aeqd +lat_0={lat} +lon_0={lon} +x_0=0 +y_0=0 +ellps=WGS84 +units=m +no_defs"
        ),
        ProjectionChoice::EqualEarth => {
            format!(
                "+proj=eqearth +lon_0={} +ellps=WGS84 +units=m +no_defs",
                round_to(lon, 0)
            )
        }
        ProjectionChoice::Robinson => {
            format!(
                "+proj=robin +lon_0={} +ellps=WGS84 +units=m +no_defs",
                round_to(lon, 0)
            )
        }
        ProjectionChoice::Mercator => {
            format!(
                "+proj=merc +lon_0={} +ellps=WGS84 +units=m +no_defs",
                round_to(lon, 0)
            )
        }
        ProjectionChoice::Proj(s) => s.clone(),
    }
}

fn round_to(v: f64, decimals: i32) -> f64 {
    let f = 10f64.powi(decimals);
    let r = (v * f).round() / f;
    if r == 0.0 {
        0.0
    } else {
        r
    }
}

/// Spherical mean of points (lon, lat degrees); `None` for no points or antipodal sets.
pub fn spherical_centre(points: &[(f64, f64)]) -> Option<(f64, f64)> {
    let (mut x, mut y, mut z) = (0.0, 0.0, 0.0);
    for &(lon, lat) in points {
        let (l, p) = (lon.to_radians(), lat.to_radians());
        x += p.cos() * l.cos();
        y += p.cos() * l.sin();
        z += p.sin();
    }
    let n = (x * x + y * y + z * z).sqrt();
    if points.is_empty() || n < 1e-9 {
        return None;
    }
    Some((y.atan2(x).to_degrees(), (z / n).asin().to_degrees()))
}

/// Resolves the requested projection for a scene and extent choice.
pub fn choose(
    choice: &ProjectionChoice,
    scene: &MapScene,
    extent: &ExtentChoice,
) -> Result<Projector, RenderError> {
    let (lon, lat) = scene_centre(scene, extent);
    let def = match (choice, extent) {
        (ProjectionChoice::Auto, ExtentChoice::World) => {
            definition_for(&ProjectionChoice::EqualEarth, 0.0, 0.0)
        }
        (
            ProjectionChoice::Auto,
            ExtentChoice::BBox {
                lon_min, lon_max, ..
            },
        ) if bbox_span(*lon_min, *lon_max) > 200.0 => {
            definition_for(&ProjectionChoice::EqualEarth, lon, 0.0)
        }
        (
            ProjectionChoice::Auto,
            ExtentChoice::Auto | ExtentChoice::Bands | ExtentChoice::Reach | ExtentChoice::Cities,
        ) if scene.sites.len() == 1 => definition_for(&ProjectionChoice::Aeqd, lon, lat),
        (ProjectionChoice::EqualEarth, ExtentChoice::World)
        | (ProjectionChoice::Robinson, ExtentChoice::World)
        | (ProjectionChoice::Mercator, ExtentChoice::World) => definition_for(choice, 0.0, 0.0),
        _ => definition_for(choice, lon, lat),
    };
    Projector::new(&def)
}

fn bbox_span(lon_min: f64, lon_max: f64) -> f64 {
    if lon_max >= lon_min {
        lon_max - lon_min
    } else {
        lon_max + 360.0 - lon_min
    }
}

/// The centre to project around: the extent's centre for fixed extents, else the sites'
/// spherical mean, else the bands' and in-band cities' mean.
pub fn scene_centre(scene: &MapScene, extent: &ExtentChoice) -> (f64, f64) {
    match extent {
        ExtentChoice::Europe => return (10.0, 52.0),
        ExtentChoice::World => return (0.0, 0.0),
        ExtentChoice::BBox {
            lon_min,
            lat_min,
            lon_max,
            lat_max,
        } => {
            let lon = normalize_lon(lon_min + bbox_span(*lon_min, *lon_max) / 2.0);
            return (lon, (lat_min + lat_max) / 2.0);
        }
        ExtentChoice::Auto | ExtentChoice::Bands | ExtentChoice::Reach | ExtentChoice::Cities => {}
    }
    let sites: Vec<(f64, f64)> = scene.sites.iter().map(|s| (s.lon_deg, s.lat_deg)).collect();
    if let Some(c) = spherical_centre(&sites) {
        return c;
    }
    let mut pts: Vec<(f64, f64)> = scene
        .cities
        .iter()
        .filter(|c| c.band.is_some())
        .map(|c| (c.lon_deg, c.lat_deg))
        .collect();
    for b in &scene.bands {
        for poly in &b.area.0 {
            pts.extend(poly.exterior().0.iter().map(|c| (c.x, c.y)));
        }
    }
    spherical_centre(&pts).unwrap_or((0.0, 0.0))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn equal_earth_origin_is_origin() {
        let p = Projector::new(&definition_for(&ProjectionChoice::EqualEarth, 0.0, 0.0))
            .expect("eqearth");
        let (x, y) = p.forward(0.0, 0.0).expect("projects");
        assert!(x.abs() < 1e-6 && y.abs() < 1e-6, "{x} {y}");
    }

    #[test]
    fn azimuthal_centres_map_to_origin() {
        for choice in [ProjectionChoice::Laea, ProjectionChoice::Aeqd] {
            let p = Projector::new(&definition_for(&choice, 177.51, 64.73)).expect("proj");
            let (x, y) = p.forward(177.51, 64.73).expect("projects");
            assert!(x.abs() < 1e-6 && y.abs() < 1e-6, "{choice:?}: {x} {y}");
        }
    }

    /// EPSG Guidance Note 7-2, LAEA Europe example: 50°N 5°E -> E 3962799.45, N 2999718.85.
    #[test]
    fn laea_europe_matches_epsg_example() {
        let p = Projector::new(
            "+proj=laea +lat_0=52 +lon_0=10 +x_0=4321000 +y_0=3210000 +ellps=GRS80 +units=m",
        )
        .expect("laea");
        let (x, y) = p.forward(5.0, 50.0).expect("projects");
        assert!((x - 3_962_799.45).abs() < 0.01, "x {x}");
        assert!((y - 2_999_718.85).abs() < 0.01, "y {y}");
        let (lon, lat) = p.inverse(x, y).expect("inverse");
        assert!(
            (lon - 5.0).abs() < 1e-7 && (lat - 50.0).abs() < 1e-7,
            "{lon} {lat}"
        );
    }

    /// Ellipsoidal Mercator against its closed form.
    #[test]
    fn mercator_matches_closed_form() {
        let p = Projector::new("+proj=merc +ellps=WGS84").expect("merc");
        let (x, y) = p.forward(12.0, 55.0).expect("projects");
        let a = 6_378_137.0_f64;
        let f: f64 = 1.0 / 298.257_223_563;
        let e = (f * (2.0 - f)).sqrt();
        let phi = 55f64.to_radians();
        let y_ref = a
            * ((std::f64::consts::FRAC_PI_4 + phi / 2.0).tan()
                * ((1.0 - e * phi.sin()) / (1.0 + e * phi.sin())).powf(e / 2.0))
            .ln();
        assert!((x - a * 12f64.to_radians()).abs() < 1e-6, "x {x}");
        assert!((y - y_ref).abs() < 1e-6, "y {y} vs {y_ref}");
    }

    /// Azimuthal equidistant: distance from the centre is the geodesic distance.
    #[test]
    fn aeqd_radius_is_geodesic_distance() {
        use geo::{Distance, Geodesic, Point};
        let p =
            Projector::new(&definition_for(&ProjectionChoice::Aeqd, 44.7, 43.7333)).expect("aeqd");
        for &(lon, lat) in &[(2.35, 48.85), (-77.0, 38.9), (151.2, -33.9)] {
            let (x, y) = p.forward(lon, lat).expect("projects");
            let d = Geodesic.distance(Point::new(44.7, 43.7333), Point::new(lon, lat));
            let r = (x * x + y * y).sqrt();
            assert!((r - d).abs() < 0.01, "{lon},{lat}: {r} vs {d}");
        }
    }

    #[test]
    fn parses_last_projection_step() {
        let (f, lon0, lat0) = parse_definition(
            "+proj=pipeline +step +proj=axisswap +order=2,1 +step +proj=unitconvert \
             +xy_in=deg +xy_out=rad +step +proj=laea +lat_0=52 +lon_0=10 +x_0=4321000",
        );
        assert_eq!((f.as_str(), lon0, lat0), ("laea", 10.0, 52.0));
        assert_eq!(parse_angle("20W"), Some(-20.0));
    }

    #[test]
    fn domains_follow_family() {
        assert!(matches!(
            domain_for("laea", 10.0, 52.0),
            Domain::Cap { radius_deg, .. } if radius_deg > 90.0
        ));
        assert!(matches!(
            domain_for("merc", 0.0, 0.0),
            Domain::Global { lat_max_deg, .. } if lat_max_deg < 90.0
        ));
    }

    #[test]
    fn bad_definitions_are_errors() {
        assert!(matches!(
            Projector::new("+proj=nonsense"),
            Err(RenderError::Projection { .. })
        ));
    }

    #[test]
    fn epsg_codes_work_or_say_why() {
        match Projector::new("EPSG:3035") {
            Ok(p) => {
                let (x, y) = p.forward(5.0, 50.0).expect("projects");
                assert!((x - 3_962_799.45).abs() < 0.01 && (y - 2_999_718.85).abs() < 0.01);
                assert_eq!(p.family(), "laea", "{:?}", p.fwd.def());
            }
            Err(RenderError::ProjDatabase { message, .. }) => assert!(!message.is_empty()),
            Err(e) => panic!("unexpected error {e}"),
        }
    }

    #[test]
    fn normalizes_longitudes() {
        assert_eq!(normalize_lon(190.0), -170.0);
        assert_eq!(normalize_lon(-190.0), 170.0);
        assert_eq!(normalize_lon(180.0), 180.0);
        assert_eq!(normalize_lon(540.0), 180.0);
    }
}
