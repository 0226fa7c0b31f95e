//! Deployment sites: where missiles are, and how far each can reach.
//!
//! Sites come from scenario files, from `--site NAME=LAT,LON[,SYSTEM]`
//! arguments, or from a sites file (CSV `name,lat,lon[,system][,range_km]`,
//! or GeoJSON Points with the same properties).

use crate::error::{Error, Location, Result};
use crate::input::{self, Record};
use crate::systems::{self, MissileSystem};
use serde::Serialize;
use std::path::Path;

/// How far the missiles at a site reach, and on whose word.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Reach {
    /// The system's name, when the range comes from the catalogue.
    pub system: Option<String>,
    /// Range, kilometres.
    pub range_km: f64,
    /// The source of the range figure.
    pub source: String,
    /// The system's trajectory model, for time of flight ([`crate::flight`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub flight: Option<crate::flight::FlightModel>,
}

impl Reach {
    /// The reach of a catalogued system.
    pub fn of_system(system: &MissileSystem) -> Self {
        Self {
            system: Some(system.name.clone()),
            range_km: system.range_km,
            source: system.source.clone(),
            flight: system.flight.clone(),
        }
    }

    /// **The reach rule:** a site reaches a point whose geodesic distance is
    /// at most its range (closed, like the bands' upper edges).
    pub fn reaches_m(&self, distance_m: f64) -> bool {
        distance_m <= self.range_km * 1000.0
    }

    /// A user-given range, checked to be finite and positive.
    pub fn user_range(range_km: f64, location: &Location) -> Result<Self> {
        if !range_km.is_finite() || range_km <= 0.0 {
            return Err(Error::input(
                location.clone(),
                format!("range {range_km} km must be a finite, positive number"),
            ));
        }
        Ok(Self {
            system: None,
            range_km,
            source: "user-supplied range".into(),
            flight: None,
        })
    }
}

/// A deployment site.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Site {
    /// Display name, e.g. `Kapustin Yar`.
    pub name: String,
    /// Longitude, degrees east, WGS84.
    pub lon_deg: f64,
    /// Latitude, degrees north, WGS84.
    pub lat_deg: f64,
    /// The site's own reach, when its system or range is given; scenarios may
    /// fill in a default for sites without one.
    pub reach: Option<Reach>,
    /// Free-text remark (region, source).
    pub note: String,
}

/// Parse a `--site NAME=LAT,LON[,SYSTEM]` argument.
///
/// # Examples
/// ```
/// let s = infrange::sites::parse_site_arg("Kapustin Yar=48.5833,45.75,9M729").unwrap();
/// assert_eq!((s.lat_deg, s.lon_deg), (48.5833, 45.75));
/// assert_eq!(s.reach.unwrap().range_km, 2350.0);
/// ```
pub fn parse_site_arg(arg: &str) -> Result<Site> {
    let location = Location::new(format!("--site '{arg}'"));
    let Some((name, rest)) = arg.split_once('=') else {
        return Err(Error::input(
            location,
            "expected NAME=LAT,LON[,SYSTEM], e.g. 'Kapustin Yar=48.5833,45.75'",
        ));
    };
    let name = name.trim();
    if name.is_empty() {
        return Err(Error::input(location.field("name"), "site name is empty"));
    }
    let parts: Vec<&str> = rest.split(',').map(str::trim).collect();
    if !(2..=3).contains(&parts.len()) {
        return Err(Error::input(
            location,
            "expected NAME=LAT,LON[,SYSTEM] (latitude first, then longitude)",
        ));
    }
    let lat_loc = location.clone().field("lat");
    let lon_loc = location.clone().field("lon");
    let lat_deg = input::check_lat_deg(input::parse_finite(parts[0], &lat_loc)?, &lat_loc)?;
    let lon_deg = input::check_lon_deg(input::parse_finite(parts[1], &lon_loc)?, &lon_loc)?;
    let reach = match parts.get(2).filter(|s| !s.is_empty()) {
        Some(system) => Some(Reach::of_system(&systems::find(
            system,
            &location.clone().field("system"),
        )?)),
        None => None,
    };
    Ok(Site {
        name: crate::input::clean_text(name),
        lon_deg,
        lat_deg,
        reach,
        note: String::new(),
    })
}

/// Read a sites file: CSV with `name,lat,lon` and optional `system`,
/// `range_km`, `note`; or GeoJSON Points with those properties.
pub fn read_file(path: &Path) -> Result<Vec<Site>> {
    let text = input::read_text(path)?;
    let source = path.display().to_string();
    let records = if input::looks_like_geojson(path, &text) {
        input::read_geojson_points(&text, &source)?
    } else {
        input::read_csv(&text, &source, &["name", "lat", "lon"])?
    };
    records.iter().map(site_from_record).collect()
}

fn site_from_record(r: &Record) -> Result<Site> {
    let reach = match (r.opt_number("range_km")?, r.get("system")) {
        (Some(km), system) => {
            let mut reach = Reach::user_range(km, &r.at("range_km"))?;
            reach.system = system.map(str::to_owned);
            Some(reach)
        }
        (None, Some(system)) => Some(Reach::of_system(&systems::find(system, &r.at("system"))?)),
        (None, None) => None,
    };
    Ok(Site {
        name: crate::input::clean_text(r.text("name")?),
        lat_deg: r.lat_deg("lat")?,
        lon_deg: r.lon_deg("lon")?,
        reach,
        note: r.get("note").unwrap_or_default().to_owned(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_arguments() {
        let s = parse_site_arg("Mozdok = 43.7333, 44.7").unwrap();
        assert_eq!(s.name, "Mozdok");
        assert!(s.reach.is_none());
        for (arg, needle) in [
            ("Mozdok", "expected NAME=LAT,LON"),
            ("=1,2", "field `name`"),
            ("X=91,0", "field `lat`: latitude 91 is outside"),
            ("X=0,181", "field `lon`: longitude 181 is outside"),
            ("X=NaN,0", "`NaN` is not a finite number"),
            ("X=1,2,3,4", "expected NAME=LAT,LON"),
            ("X=1,2,Tomahawk", "unknown missile system `Tomahawk`"),
        ] {
            let err = parse_site_arg(arg).unwrap_err().to_string();
            assert!(err.contains(needle), "{arg}: {err}");
            assert!(err.starts_with(&format!("--site '{arg}'")), "{err}");
        }
    }

    #[test]
    fn site_records_take_system_or_range() {
        let recs = input::read_csv(
            "name,lat,lon,system,range_km\nA,1,2,Iskander-M,\nB,1,2,,1234.5\nC,1,2,,\n",
            "s.csv",
            &["name", "lat", "lon"],
        )
        .unwrap();
        let sites: Vec<Site> = recs.iter().map(|r| site_from_record(r).unwrap()).collect();
        assert_eq!(sites[0].reach.as_ref().unwrap().range_km, 500.0);
        assert_eq!(sites[1].reach.as_ref().unwrap().range_km, 1234.5);
        assert!(sites[2].reach.is_none());
        let recs =
            input::read_csv("name,lat,lon,range_km\nA,1,2,-5\n", "s.csv", &["name"]).unwrap();
        let err = site_from_record(&recs[0]).unwrap_err().to_string();
        assert!(err.contains("s.csv, line 2, field `range_km`"), "{err}");
    }
}
