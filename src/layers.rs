//! Map layers: the geodesic band polygons of a scenario, per site and merged.
//!
//! This module composes the ring builder ([`crate::geometry`]) into what the
//! GeoJSON export and the maps draw:
//!
//! * per site × band, the annulus between the band's edges around that site;
//! * per band, the **coverage**: the points whose *nearest* site lies within
//!   the band — the union of the sites' outer discs minus the union of their
//!   inner discs. This is the zone a map reader means by "the 1,000–5,500 km
//!   zone", and it agrees with the band each city gets in `cities.csv`;
//! * per site with a system, the disc of the system's reach.
//!
//! Polygons are lon/lat WGS84, split at ±180°, reaching the pole where they
//! enclose it, rounded to 6 decimals, and checked (RFC 7946 winding, `geo`
//! validity) before they leave this module.

use crate::error::{Error, Result};
use crate::geometry::{self, circles::Circles, BandPolygon};
use crate::scenario::Scenario;
use geo::{MultiPolygon, Point};
use rayon::prelude::*;

/// Default bound on how far a drawn boundary departs from the true geodesic
/// circle, metres.
pub const DEFAULT_MAX_ERROR_M: f64 = 100.0;

/// The annulus of one band around one site.
#[derive(Debug, Clone)]
pub struct SiteBand {
    /// Index of the site in the scenario.
    pub site: usize,
    /// Index of the band.
    pub band: usize,
    /// The polygon, with its vertex count and error bound.
    pub polygon: BandPolygon,
}

/// One band's coverage over all sites.
#[derive(Debug, Clone)]
pub struct BandCoverage {
    /// Index of the band.
    pub band: usize,
    /// Points whose nearest site is within the band.
    pub polygon: BandPolygon,
}

/// The disc a site's system reaches.
#[derive(Debug, Clone)]
pub struct SiteReach {
    /// Index of the site in the scenario.
    pub site: usize,
    /// The disc.
    pub polygon: BandPolygon,
}

/// Above this many sites maps and KML draw one merged outline per system range instead of a
/// reach ring around each site ([`Layers::merged_reach`]), and do not name the sites (their
/// names would cover the map; the site layers and `cities.csv` name them).
pub const MANY_SITES: usize = 25;

/// All band geometry of a scenario.
#[derive(Debug, Clone)]
pub struct Layers {
    /// Site-major, then band order.
    pub site_bands: Vec<SiteBand>,
    /// In band order.
    pub coverage: Vec<BandCoverage>,
    /// In site order, for sites with a reach.
    pub reach: Vec<SiteReach>,
    /// The zone under the first band edge: within the first edge of at least one site
    /// (the union of the sites' innermost discs); `None` when the first edge is 0 km.
    pub below: Option<BandPolygon>,
    /// With more than [`MANY_SITES`] sites, [`merged_reach`]: per reach (km, ascending) the
    /// union of the sites' reach discs, computed once for the maps and the KML; else empty.
    pub merged_reach: Vec<(f64, MultiPolygon<f64>)>,
}

fn center(scenario: &Scenario, site: usize) -> Point<f64> {
    let s = &scenario.sites[site];
    Point::new(s.lon_deg, s.lat_deg)
}

/// Build every layer of a scenario with boundaries within `max_error_m` of
/// the true geodesic circles.
///
/// # Examples
/// ```
/// use infrange::layers::build;
/// use infrange::scenario::ScenarioOptions;
/// let scenario = ScenarioOptions::default().resolve()?;
/// let layers = build(&scenario, 100.0)?;
/// assert_eq!(layers.site_bands.len(), 4 * 2);
/// // The intermediate-range coverage reaches the North Pole.
/// let pole = geo::Point::new(0.0, 90.0);
/// assert!(infrange::geometry::contains(&layers.coverage[1].polygon.geometry, pole));
/// # Ok::<(), infrange::Error>(())
/// ```
pub fn build(scenario: &Scenario, max_error_m: f64) -> Result<Layers> {
    build_reporting(scenario, max_error_m, &|| {})
}

/// [`build`], calling `site_done` as each site's polygons are built (from the worker
/// threads, in any order), e.g. to advance a progress bar.
///
/// # Errors
/// As [`build`].
pub fn build_reporting(
    scenario: &Scenario,
    max_error_m: f64,
    site_done: &(dyn Fn() + Sync),
) -> Result<Layers> {
    if !(max_error_m.is_finite() && max_error_m >= geometry::MIN_MAX_ERROR_M) {
        return Err(Error::input(
            crate::error::Location::new("--max-error-m"),
            format!(
                "{max_error_m} m is not a usable error bound; give at least {} m",
                geometry::MIN_MAX_ERROR_M
            ),
        ));
    }
    let n_sites = scenario.sites.len();
    let edges_m: Vec<f64> = scenario
        .bands
        .edges_km()
        .iter()
        .map(|km| km * 1000.0)
        .collect();

    // Sites are independent of each other, so they are built in parallel; each site's
    // polygons share its circles (the edge between two bands is sampled once).
    let n_bands = scenario.bands.len();
    let per_site = (0..n_sites)
        .into_par_iter()
        .map(|s| {
            let polygons = site_polygons(scenario, s, &edges_m, max_error_m);
            site_done();
            polygons
        })
        .collect::<Result<Vec<_>>>()?;
    let mut site_bands = Vec::with_capacity(n_sites * n_bands);
    let mut discs: Vec<Vec<BandPolygon>> = vec![Vec::with_capacity(n_sites); edges_m.len()];
    let mut reach = Vec::new();
    let mut below = None;
    for (s, site) in per_site.into_iter().enumerate() {
        site_bands.extend(
            site.bands
                .into_iter()
                .enumerate()
                .map(|(b, polygon)| SiteBand {
                    site: s,
                    band: b,
                    polygon,
                }),
        );
        for (e, disc) in site.discs.into_iter().enumerate() {
            discs[e].push(disc);
        }
        if let Some(polygon) = site.reach {
            reach.push(SiteReach { site: s, polygon });
        }
        if n_sites == 1 {
            below = site.below;
        }
    }

    // The coverage unions and the merged reach are independent: built side by side.
    let (coverage, merged_reach) = rayon::join(
        || {
            if n_sites == 1 {
                // One site: each band's coverage is its annulus.
                let coverage = site_bands
                    .iter()
                    .map(|sb| BandCoverage {
                        band: sb.band,
                        polygon: sb.polygon.clone(),
                    })
                    .collect();
                Ok((coverage, below))
            } else {
                merged_coverage(&edges_m, &discs)
            }
        },
        || {
            if n_sites > MANY_SITES {
                merged_reach(scenario, &reach)
            } else {
                Vec::new()
            }
        },
    );
    let (coverage, below) = coverage?;
    Ok(Layers {
        site_bands,
        coverage,
        reach,
        below,
        merged_reach,
    })
}

/// Per distinct reach (km, ascending), the union of the reach discs of the sites with that
/// reach: what maps and KML draw instead of one ring per site when there are many sites.
///
/// # Examples
/// ```
/// use infrange::layers::{build, merged_reach};
/// use infrange::scenario::ScenarioOptions;
/// let scenario = ScenarioOptions::default().resolve()?;
/// let layers = build(&scenario, 100.0)?;
/// let merged = merged_reach(&scenario, &layers.reach);
/// // The default scenario's four sites all have the 9M729's 2,350 km.
/// assert_eq!(merged.len(), 1);
/// assert_eq!(merged[0].0, 2350.0);
/// # Ok::<(), infrange::Error>(())
/// ```
pub fn merged_reach(scenario: &Scenario, reach: &[SiteReach]) -> Vec<(f64, MultiPolygon<f64>)> {
    let range_of = |r: &SiteReach| scenario.sites[r.site].reach.as_ref().map(|x| x.range_km);
    let mut ranges_km: Vec<f64> = reach.iter().filter_map(range_of).collect();
    ranges_km.sort_by(f64::total_cmp);
    ranges_km.dedup();
    ranges_km
        .into_iter()
        .map(|range_km| {
            let discs: Vec<MultiPolygon<f64>> = reach
                .iter()
                .filter(|r| range_of(r) == Some(range_km))
                .map(|r| r.polygon.geometry.clone())
                .collect();
            (range_km, geometry::union_all(&discs))
        })
        .collect()
}

/// The polygons of one site.
struct SitePolygons {
    /// Per band, the annulus.
    bands: Vec<BandPolygon>,
    /// Per band edge, the disc (only with several sites: the coverage zones are merged from
    /// them).
    discs: Vec<BandPolygon>,
    /// The disc the site's system reaches.
    reach: Option<BandPolygon>,
    /// The disc under the first band edge (only for one site, when the first edge is above
    /// 0 km).
    below: Option<BandPolygon>,
}

/// Every polygon of site `s`, its circles sampled once.
fn site_polygons(
    scenario: &Scenario,
    s: usize,
    edges_m: &[f64],
    max_error_m: f64,
) -> Result<SitePolygons> {
    let n_sites = scenario.sites.len();
    let n_bands = edges_m.len().saturating_sub(1);
    let mut circles = Circles::new(center(scenario, s));
    let bands = (0..n_bands)
        .map(|b| circles.annulus(edges_m[b], edges_m[b + 1], max_error_m))
        .collect::<std::result::Result<Vec<_>, _>>()?;
    let discs = if n_sites > 1 {
        // The disc of edge e bounds bands e − 1 and e of this site: it is sampled densely
        // enough for the area of the thinner of the two.
        (0..edges_m.len())
            .map(|e| {
                let reference_m2 = [e.checked_sub(1), (e < n_bands).then_some(e)]
                    .into_iter()
                    .flatten()
                    .map(|b| bands[b].area_m2)
                    .filter(|&a| a > 0.0)
                    .fold(f64::INFINITY, f64::min);
                if reference_m2.is_finite() {
                    circles.disc_for_area(edges_m[e], max_error_m, reference_m2)
                } else {
                    circles.disc(edges_m[e], max_error_m)
                }
            })
            .collect::<std::result::Result<Vec<_>, _>>()?
    } else {
        Vec::new()
    };
    let below = match edges_m.first() {
        Some(&first_m) if first_m > 0.0 && n_sites == 1 => {
            Some(circles.disc(first_m, max_error_m)?)
        }
        _ => None,
    };
    let reach = scenario.sites[s]
        .reach
        .as_ref()
        .map(|r| circles.disc(r.range_km * 1000.0, max_error_m))
        .transpose()?;
    Ok(SitePolygons {
        bands,
        discs,
        reach,
        below,
    })
}

/// The coverage of every band over several sites, and the zone under the first edge:
/// unions of the sites' discs of each edge (`discs[edge][site]`), outer minus inner.
fn merged_coverage(
    edges_m: &[f64],
    discs: &[Vec<BandPolygon>],
) -> Result<(Vec<BandCoverage>, Option<BandPolygon>)> {
    let n_bands = edges_m.len().saturating_sub(1);
    // Union of all sites' discs for each edge, then coverage = outer − inner.
    let unions: Vec<(MultiPolygon<f64>, Errors)> = discs
        .par_iter()
        .map(|per_site| {
            let parts: Vec<MultiPolygon<f64>> =
                per_site.iter().map(|d| d.geometry.clone()).collect();
            (geometry::union_all(&parts), Errors::of(per_site))
        })
        .collect();
    let coverage = (0..n_bands)
        .into_par_iter()
        .map(|b| {
            let (outer, outer_err) = &unions[b + 1];
            let (inner, inner_err) = &unions[b];
            let area = geometry::rfc7946::finalize(&geometry::difference(outer, inner))?;
            Ok(BandCoverage {
                band: b,
                polygon: outer_err.max(inner_err).polygon(area),
            })
        })
        .collect::<Result<Vec<_>>>()?;
    let below = match (edges_m.first(), unions.first()) {
        (Some(&first_m), Some((zone, err))) if first_m > 0.0 && !zone.0.is_empty() => {
            Some(err.polygon(geometry::rfc7946::finalize(zone)?))
        }
        _ => None,
    };
    Ok((coverage, below))
}

/// The error bounds of polygons merged into one.
#[derive(Debug, Clone, Copy)]
struct Errors {
    max_m: f64,
    lonlat_m: f64,
    geodesic_m: f64,
}

impl Errors {
    fn of(polygons: &[BandPolygon]) -> Self {
        let max = |f: fn(&BandPolygon) -> f64| polygons.iter().map(f).fold(0.0, f64::max);
        Self {
            max_m: max(|p| p.max_error_m),
            lonlat_m: max(|p| p.max_error_lonlat_m),
            geodesic_m: max(|p| p.max_error_geodesic_m),
        }
    }

    fn max(&self, other: &Self) -> Self {
        Self {
            max_m: self.max_m.max(other.max_m),
            lonlat_m: self.lonlat_m.max(other.lonlat_m),
            geodesic_m: self.geodesic_m.max(other.geodesic_m),
        }
    }

    /// A merged polygon with these bounds and its geodesic area.
    fn polygon(&self, geometry: MultiPolygon<f64>) -> BandPolygon {
        BandPolygon {
            vertices: geometry::rfc7946::count_coords(&geometry),
            area_m2: geometry::area::geodesic_area_m2(&geometry),
            geometry,
            max_error_m: self.max_m,
            max_error_lonlat_m: self.lonlat_m,
            max_error_geodesic_m: self.geodesic_m,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::geometry::{check_rfc7946, contains};
    use crate::scenario::ScenarioOptions;
    use geo::{Destination, Distance, Geodesic};

    /// Random groups of two or three sites (special latitudes and longitudes mixed in) with
    /// random band edges up to 20,100 km: every coverage zone is valid and holds exactly the
    /// points whose nearest site lies in its band.
    #[test]
    fn random_coverage_zones_are_valid_and_agree_with_nearest_sites() {
        let mut rng = crate::random::Rng(0xC0_7E_4A_9E);
        const LATS: [f64; 5] = [90.0, -90.0, 89.9999, 0.0, 51.4769];
        const LONS: [f64; 4] = [0.0, 180.0, -180.0, 179.9999];
        for case in 0..10 {
            let n_sites = 2 + (rng.unit() * 2.0) as usize;
            let sites: Vec<(f64, f64)> = (0..n_sites)
                .map(|_| {
                    let (lon, lat) = rng.point();
                    let lat = if rng.unit() < 0.4 {
                        LATS[(rng.unit() * LATS.len() as f64) as usize]
                    } else {
                        lat
                    };
                    let lon = if rng.unit() < 0.4 {
                        LONS[(rng.unit() * LONS.len() as f64) as usize]
                    } else {
                        lon
                    };
                    (lat, lon)
                })
                .collect();
            let mut edges_km: Vec<f64> = (0..1 + (rng.unit() * 3.0) as usize)
                .map(|_| {
                    if rng.unit() < 0.25 {
                        [19_990.0, 19_999.0, 20_000.0, 20_003.9, 20_100.0]
                            [(rng.unit() * 5.0) as usize]
                    } else {
                        (20_100.0 * rng.unit().powi(2)).max(20.0).round()
                    }
                })
                .collect();
            edges_km.sort_by(f64::total_cmp);
            edges_km.dedup();
            if edges_km.len() < 2 {
                edges_km.insert(0, (edges_km[0] / 2.0).round().max(10.0));
            }
            let bands = edges_km
                .iter()
                .map(|e| e.to_string())
                .collect::<Vec<_>>()
                .join(",");
            let scenario = ScenarioOptions {
                site_args: sites
                    .iter()
                    .enumerate()
                    .map(|(i, (lat, lon))| format!("S{i}={lat},{lon}"))
                    .collect(),
                bands: Some(bands.clone()),
                allies: Some("all".into()),
                ..Default::default()
            }
            .resolve()
            .expect("scenario");
            let label = format!("case {case}: sites {sites:?}, bands {bands}");
            let layers =
                build(&scenario, DEFAULT_MAX_ERROR_M).unwrap_or_else(|e| panic!("{label}: {e}"));
            let centers: Vec<Point<f64>> = sites
                .iter()
                .map(|&(lat, lon)| Point::new(lon, lat))
                .collect();
            for c in &layers.coverage {
                check_rfc7946(&c.polygon.geometry).unwrap_or_else(|e| panic!("{label}: {e}"));
            }
            let margin_m = DEFAULT_MAX_ERROR_M + 1.0;
            let mut points: Vec<Point<f64>> = (0..400)
                .map(|_| {
                    let (lon, lat) = rng.point();
                    Point::new(lon, lat)
                })
                .collect();
            for &c in &centers {
                for _ in 0..100 {
                    points.push(Geodesic.destination(
                        c,
                        360.0 * rng.unit(),
                        20_000_000.0 * rng.unit(),
                    ));
                }
            }
            points.extend([
                Point::new(0.0, 90.0),
                Point::new(0.0, -90.0),
                Point::new(180.0, 10.0),
            ]);
            for p in points {
                let nearest_m = centers
                    .iter()
                    .map(|&c| Geodesic.distance(c, p))
                    .fold(f64::INFINITY, f64::min);
                // Near an edge the drawn zone may differ by the error bound.
                if edges_km
                    .iter()
                    .any(|e| (nearest_m - e * 1000.0).abs() <= margin_m)
                {
                    continue;
                }
                for c in &layers.coverage {
                    let (lo_m, hi_m) = (edges_km[c.band] * 1000.0, edges_km[c.band + 1] * 1000.0);
                    let inside = lo_m < nearest_m && nearest_m <= hi_m;
                    assert_eq!(
                        contains(&c.polygon.geometry, p),
                        inside,
                        "{label}: point {p:?}, nearest site {nearest_m} m, band {lo_m}–{hi_m} m"
                    );
                }
            }
        }
    }
}
