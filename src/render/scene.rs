//! From an analysis to a [`MapScene`]: titles, band areas and outlines,
//! reach rings, sites, cities, allied countries; and the parsers of the
//! `--projection` and `--extent` choices.

use super::{
    BandLayer, ExtentChoice, MapCity, MapScene, MapSite, ProjectionChoice, ReachCount, ReachRing,
};
use crate::analysis::CityResult;
use crate::bands::BandClass;
use crate::countries;
use crate::error::{Error, Location, Result};
use crate::geometry::outline::true_boundary;
use crate::layers::Layers;
use crate::scenario::Scenario;
use crate::summary::Summary;

/// The attribution every map carries in its footer.
pub const ATTRIBUTION: &str = "Cities: GeoNames, CC BY 4.0 · Made with Natural Earth · infrange";

/// Build the scene of an analysed scenario. `rows` are the cities to draw
/// (those within the last band, normally); `title` overrides the scenario's.
pub fn scene(
    scenario: &Scenario,
    layers: &Layers,
    summary: &Summary,
    rows: &[&CityResult<'_>],
    title: Option<&str>,
) -> Result<MapScene> {
    let bands = layers
        .coverage
        .iter()
        .filter_map(|c| {
            let band = scenario.bands.get(c.band)?;
            let counts = &summary.bands.get(c.band)?.counts;
            Some(BandLayer {
                name: band.name.clone(),
                min_km: band.min_km,
                max_km: band.max_km,
                outline: true_boundary(&c.polygon.geometry),
                area: c.polygon.geometry.clone(),
                city_count: counts.cities,
                population: counts.population,
            })
        })
        .collect();
    let reach = if !layers.merged_reach.is_empty() {
        merged_reach(layers)
    } else {
        layers
            .reach
            .iter()
            .filter_map(|r| {
                let site = &scenario.sites[r.site];
                Some(ReachRing {
                    site: site.name.clone(),
                    range_km: site.reach.as_ref()?.range_km,
                    outline: true_boundary(&r.polygon.geometry),
                })
            })
            .collect()
    };
    let sites = scenario
        .sites
        .iter()
        .map(|s| MapSite {
            name: s.name.clone(),
            lon_deg: s.lon_deg,
            lat_deg: s.lat_deg,
        })
        .collect();
    let cities = rows
        .iter()
        .map(|r| MapCity {
            name: r.city.name.clone(),
            lon_deg: r.city.lon_deg,
            lat_deg: r.city.lat_deg,
            population: r.city.population.unwrap_or(0),
            band: match r.class {
                BandClass::Band(i) => Some(i),
                BandClass::Below | BandClass::Beyond => None,
            },
            below: r.class == BandClass::Below,
            capital: r.city.capital,
            reached: !r.reached_by.is_empty(),
            forced_label: false,
        })
        .collect();
    let allied_iso_numeric = countries::all()?
        .iter()
        .filter(|c| scenario.allies.contains(&c.iso2))
        .filter_map(|c| c.numeric.parse().ok())
        .collect();
    let allied_in_part = countries::all()?
        .iter()
        .filter(|c| scenario.allies.parts.contains_key(&c.iso2))
        .map(|c| c.name.clone())
        .collect();
    let below = match (&layers.below, scenario.bands.get(0)) {
        (Some(zone), Some(first)) => Some(BandLayer {
            name: format!("under {} km", super::furniture::fmt_km(first.min_km)),
            min_km: 0.0,
            max_km: first.min_km,
            outline: true_boundary(&zone.geometry),
            area: zone.geometry.clone(),
            city_count: summary.below.cities,
            population: summary.below.population,
        }),
        _ => None,
    };
    Ok(MapScene {
        below,
        reach_counts: reach_counts(summary),
        title: title.unwrap_or(&scenario.title).to_owned(),
        subtitle: subtitle(scenario),
        attribution: ATTRIBUTION.to_owned(),
        bands,
        reach,
        sites,
        cities,
        allied_iso_numeric,
        allied_in_part,
    })
}

/// One reach outline per distinct range: the union of the reach discs of the sites with that
/// range (their `site` is empty).
fn merged_reach(layers: &Layers) -> Vec<ReachRing> {
    layers
        .merged_reach
        .iter()
        .map(|(range_km, zone)| ReachRing {
            site: String::new(),
            range_km: *range_km,
            outline: true_boundary(zone),
        })
        .collect()
}

/// Names the cities given with `--label` on the map: a city already drawn is labelled
/// first; any other city of `catalogue` (allied or not, e.g. Moscow on a Pershing II map)
/// is added with its dot and labelled with its distance to the nearest site.
///
/// Each name is `NAME` or `NAME,CC` (ISO alpha-2); the most populous match wins.
///
/// # Errors
/// [`Error::Input`] naming `--label` when no city of the catalogue has that name.
pub fn add_labels(
    scene: &mut MapScene,
    scenario: &Scenario,
    catalogue: &[crate::cities::City],
    names: &[String],
) -> Result<()> {
    for name in names {
        let Some(city) = crate::cities::find(catalogue, name).into_iter().next() else {
            return Err(Error::input(
                Location::new("--label"),
                format!(
                    "no city named `{name}` in the city catalogue (GeoNames places of at \
                     least 15,000 people; write NAME or NAME,CC, e.g. `Paris,FR`)"
                ),
            ));
        };
        let same = |c: &MapCity| {
            c.name == city.name
                && (c.lon_deg - city.lon_deg).abs() < 1e-9
                && (c.lat_deg - city.lat_deg).abs() < 1e-9
        };
        if let Some(c) = scene.cities.iter_mut().find(|c| same(c)) {
            c.forced_label = true;
            continue;
        }
        // The same Karney geodesic the analysis classifies with.
        let nearest_km = scenario
            .sites
            .iter()
            .map(|s| {
                crate::geodesy::distance_m(s.lat_deg, s.lon_deg, city.lat_deg, city.lon_deg)
                    / 1000.0
            })
            .fold(f64::INFINITY, f64::min);
        let label = if nearest_km.is_finite() {
            format!(
                "{} · {} km",
                city.name,
                super::furniture::fmt_km(nearest_km.round())
            )
        } else {
            city.name.clone()
        };
        scene.cities.push(MapCity {
            name: label,
            lon_deg: city.lon_deg,
            lat_deg: city.lat_deg,
            population: city.population.unwrap_or(0),
            band: None,
            below: false,
            capital: city.capital,
            reached: false,
            forced_label: true,
        });
    }
    Ok(())
}

/// Per system (name and range), the cities reached from any site where it is deployed.
fn reach_counts(summary: &Summary) -> Vec<ReachCount> {
    summary
        .systems
        .iter()
        .map(|s| {
            let km = format!("{} km", super::furniture::fmt_km(s.range_km));
            ReachCount {
                label: match &s.system {
                    Some(name) => format!("{name} ({km})"),
                    None => km,
                },
                cities: s.reached.cities,
                capitals: s.reached.capitals.len(),
            }
        })
        .collect()
}

/// "9M729 — Western estimate: 2,350 km (FAZ, …) · NATO members on 2019-08-02 (29) · 2019-08-02".
fn subtitle(scenario: &Scenario) -> String {
    let mut parts = Vec::new();
    let mut reaches: Vec<&crate::sites::Reach> = scenario
        .sites
        .iter()
        .filter_map(|s| s.reach.as_ref())
        .collect();
    reaches.dedup_by(|a, b| a == b);
    for r in reaches.iter().take(2) {
        // The catalogue's source text starts with the figure it cites.
        parts.push(match &r.system {
            Some(system) => format!(
                "{system} — {}",
                r.source.split(';').next().unwrap_or_default()
            ),
            None => format!(
                "range {} km ({})",
                crate::numbers::format_km_grouped(r.range_km),
                r.source
            ),
        });
    }
    parts.push(capitalise(&scenario.allies.description));
    if let Some(date) = &scenario.date {
        // The allies' date may be the scenario's date already ("NATO members on …").
        if !scenario.allies.description.contains(date.as_str()) {
            parts.push(format!("situation on {date}"));
        }
    }
    parts.join(" · ")
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// Parse `--projection`: `auto`, `laea`, `aeqd`, `eqearth`, `robin`,
/// `merc`, a PROJ string (`+proj=…`) or an authority code (`EPSG:3035`).
pub fn parse_projection(text: &str) -> Result<ProjectionChoice> {
    let t = text.trim();
    Ok(match t.to_ascii_lowercase().as_str() {
        "auto" => ProjectionChoice::Auto,
        "laea" => ProjectionChoice::Laea,
        "aeqd" => ProjectionChoice::Aeqd,
        "eqearth" | "equal-earth" => ProjectionChoice::EqualEarth,
        "robin" | "robinson" => ProjectionChoice::Robinson,
        "merc" | "mercator" => ProjectionChoice::Mercator,
        lower if lower.starts_with("+proj=") || lower.contains(':') => {
            ProjectionChoice::Proj(t.to_owned())
        }
        _ => {
            return Err(Error::unknown(
                Location::new("--projection"),
                "projection",
                t,
                "auto, laea, aeqd, eqearth, robin, merc, a PROJ string (+proj=...) or EPSG:CODE",
            ))
        }
    })
}

/// Parse `--extent`: `auto`, `world`, `europe` or
/// `lon_min,lat_min,lon_max,lat_max` (degrees).
pub fn parse_extent(text: &str) -> Result<ExtentChoice> {
    let t = text.trim();
    let location = Location::new("--extent");
    Ok(match t.to_ascii_lowercase().as_str() {
        "auto" => ExtentChoice::Auto,
        "bands" => ExtentChoice::Bands,
        "reach" => ExtentChoice::Reach,
        "cities" => ExtentChoice::Cities,
        "world" => ExtentChoice::World,
        "europe" => ExtentChoice::Europe,
        _ => {
            let v = t
                .split(',')
                .map(|p| crate::input::parse_finite(p, &location))
                .collect::<Result<Vec<f64>>>()?;
            let [lon_min, lat_min, lon_max, lat_max] = v[..] else {
                return Err(Error::input(
                    location,
                    "expected auto, bands, reach, cities, world, europe or \
                     lon_min,lat_min,lon_max,lat_max",
                ));
            };
            for lon in [lon_min, lon_max] {
                crate::input::check_lon_deg(lon, &location)?;
            }
            for lat in [lat_min, lat_max] {
                crate::input::check_lat_deg(lat, &location)?;
            }
            if lat_min >= lat_max {
                return Err(Error::input(location, "lat_min must be below lat_max"));
            }
            ExtentChoice::BBox {
                lon_min,
                lat_min,
                lon_max,
                lat_max,
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn choices_parse() {
        assert_eq!(
            parse_projection("EqEarth").unwrap(),
            ProjectionChoice::EqualEarth
        );
        assert_eq!(
            parse_projection("EPSG:3035").unwrap(),
            ProjectionChoice::Proj("EPSG:3035".into())
        );
        assert!(parse_projection("gnomonic")
            .unwrap_err()
            .to_string()
            .contains("laea"));
        assert_eq!(
            parse_extent("-10,35,40,70").unwrap(),
            ExtentChoice::BBox {
                lon_min: -10.0,
                lat_min: 35.0,
                lon_max: 40.0,
                lat_max: 70.0
            }
        );
        assert!(parse_extent("1,2,3").is_err());
        assert!(parse_extent("0,80,10,70").is_err());
        assert!(parse_extent("0,95,10,96").is_err());
    }
}
