//! Range bands and **the band rule**: which band a geodesic distance falls in.
//!
//! Bands are named, contiguous, ordered distance intervals built from strictly
//! increasing edges `e0 < e1 < … < en` (kilometres). Following the INF Treaty's
//! Article II wording, the first band is closed at both ends, `[e0, e1]`, and
//! every later band is open below and closed above, `(e(i-1), e(i)]`: a missile
//! with a range of exactly 1,000 km is "shorter-range", one of 1,000.001 km is
//! "intermediate-range". Distances below `e0` are [`BandClass::Below`], above
//! `en` [`BandClass::Beyond`].
//!
//! [`Bands::classify_m`] is the only place in infrange that decides a band.

use crate::error::{Error, Location, Result};
use serde::Serialize;
use std::fmt;

/// One named band, `[min_km, max_km]` or `(min_km, max_km]`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Band {
    /// Human-readable name, e.g. `intermediate-range` or `1,000–2,500 km`.
    pub name: String,
    /// Lower edge, kilometres.
    pub min_km: f64,
    /// Upper edge (always inside the band), kilometres.
    pub max_km: f64,
    /// Whether `min_km` itself belongs to the band (true only for the first).
    pub min_inclusive: bool,
}

impl Band {
    /// The interval in mathematical notation, e.g. `(1000, 5500] km`.
    pub fn interval(&self) -> String {
        let open = if self.min_inclusive { '[' } else { '(' };
        format!(
            "{open}{}, {}] km",
            format_km(self.min_km),
            format_km(self.max_km)
        )
    }
}

/// Where a distance falls relative to a set of bands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum BandClass {
    /// Nearer than the first band's lower edge.
    Below,
    /// Inside the band with this index.
    Band(usize),
    /// Farther than the last band's upper edge.
    Beyond,
}

/// An ordered, contiguous set of bands.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(transparent)]
pub struct Bands {
    bands: Vec<Band>,
}

/// Label of [`BandClass::Below`] in outputs.
pub const BELOW: &str = "below";
/// Label of [`BandClass::Beyond`] in outputs.
pub const BEYOND: &str = "beyond";

impl Bands {
    /// The INF Treaty's bands: `shorter-range` = [500, 1000] km and
    /// `intermediate-range` = (1000, 5500] km.
    pub fn inf() -> Self {
        Self {
            bands: vec![
                Band {
                    name: "shorter-range".into(),
                    min_km: 500.0,
                    max_km: 1000.0,
                    min_inclusive: true,
                },
                Band {
                    name: "intermediate-range".into(),
                    min_km: 1000.0,
                    max_km: 5500.0,
                    min_inclusive: false,
                },
            ],
        }
    }

    /// Bands from strictly increasing, positive, finite edges in kilometres,
    /// with generated names such as `500–1,000 km`.
    ///
    /// # Examples
    /// ```
    /// use infrange::bands::{BandClass, Bands};
    /// use infrange::error::Location;
    ///
    /// let bands = Bands::from_edges_km(&[500.0, 1000.0, 2500.0], &Location::new("--bands")).unwrap();
    /// assert_eq!(bands.get(1).unwrap().name, "1,000–2,500 km");
    /// assert_eq!(bands.classify_m(1_000_000.0), BandClass::Band(0));
    /// ```
    pub fn from_edges_km(edges_km: &[f64], location: &Location) -> Result<Self> {
        if edges_km.len() < 2 {
            return Err(Error::input(
                location.clone(),
                format!(
                    "need at least two band edges (e.g. 500,1000), got {}",
                    edges_km.len()
                ),
            ));
        }
        for (i, &edge) in edges_km.iter().enumerate() {
            if !edge.is_finite() || edge <= 0.0 {
                return Err(Error::input(
                    location.clone(),
                    format!(
                        "band edge #{} ({edge}) must be a finite, positive number of km",
                        i + 1
                    ),
                ));
            }
            if i > 0 && edge <= edges_km[i - 1] {
                return Err(Error::input(
                    location.clone(),
                    format!(
                        "band edges must be strictly increasing, but {} follows {}",
                        format_km(edge),
                        format_km(edges_km[i - 1])
                    ),
                ));
            }
        }
        let bands = edges_km
            .windows(2)
            .enumerate()
            .map(|(i, w)| Band {
                name: format!(
                    "{}–{} km",
                    crate::numbers::format_km_grouped(w[0]),
                    crate::numbers::format_km_grouped(w[1])
                ),
                min_km: w[0],
                max_km: w[1],
                min_inclusive: i == 0,
            })
            .collect();
        Ok(Self { bands })
    }

    /// Parse `inf` or a comma-separated list of edges in km (`500,1000,5500`).
    pub fn parse(spec: &str, location: &Location) -> Result<Self> {
        let spec = spec.trim();
        if spec.eq_ignore_ascii_case("inf") {
            return Ok(Self::inf());
        }
        let edges = spec
            .split(',')
            .map(|t| {
                t.trim().parse::<f64>().map_err(|_| {
                    Error::input(
                        location.clone(),
                        format!("`{}` is not a number of km (expected `inf` or edges like 500,1000,5500)", t.trim()),
                    )
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Self::from_edges_km(&edges, location)
    }

    /// **The band rule.** Classify a geodesic distance in metres.
    ///
    /// Edges are compared in metres (`edge_km * 1000`, exact for edges given
    /// to the millimetre), so a city 1 mm inside an edge is inside.
    ///
    /// # Examples
    /// ```
    /// use infrange::bands::{BandClass, Bands};
    /// let inf = Bands::inf();
    /// assert_eq!(inf.classify_m(499_999.999), BandClass::Below);
    /// assert_eq!(inf.classify_m(500_000.0), BandClass::Band(0));
    /// assert_eq!(inf.classify_m(1_000_000.0), BandClass::Band(0));
    /// assert_eq!(inf.classify_m(1_000_000.001), BandClass::Band(1));
    /// assert_eq!(inf.classify_m(5_500_000.0), BandClass::Band(1));
    /// assert_eq!(inf.classify_m(5_500_000.001), BandClass::Beyond);
    /// ```
    pub fn classify_m(&self, distance_m: f64) -> BandClass {
        let first = &self.bands[0];
        if distance_m < first.min_km * 1000.0 {
            return BandClass::Below;
        }
        match self
            .bands
            .iter()
            .position(|band| distance_m <= band.max_km * 1000.0)
        {
            Some(i) => BandClass::Band(i),
            None => BandClass::Beyond,
        }
    }

    /// The output label of a class: `below`, a band's name, or `beyond`.
    pub fn label(&self, class: BandClass) -> &str {
        match class {
            BandClass::Below => BELOW,
            BandClass::Band(i) => &self.bands[i].name,
            BandClass::Beyond => BEYOND,
        }
    }

    /// The bands in order, nearest first.
    pub fn iter(&self) -> impl ExactSizeIterator<Item = &Band> {
        self.bands.iter()
    }

    /// The band at `index`.
    pub fn get(&self, index: usize) -> Option<&Band> {
        self.bands.get(index)
    }

    /// Number of bands (at least one).
    pub fn len(&self) -> usize {
        self.bands.len()
    }

    /// Always false: a band set has at least one band.
    pub fn is_empty(&self) -> bool {
        self.bands.is_empty()
    }

    /// The edges, km: the first band's lower edge then every upper edge.
    pub fn edges_km(&self) -> Vec<f64> {
        std::iter::once(self.bands[0].min_km)
            .chain(self.bands.iter().map(|b| b.max_km))
            .collect()
    }
}

impl fmt::Display for Bands {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let parts: Vec<String> = self
            .bands
            .iter()
            .map(|b| format!("{} {}", b.name, b.interval()))
            .collect();
        write!(f, "{}", parts.join(", "))
    }
}

/// Kilometres without a trailing `.0` (`500`, `2350.5`).
pub fn format_km(km: f64) -> String {
    format!("{km}")
}

#[cfg(test)]
mod tests {
    use super::*;

    const MM: f64 = 0.001;

    #[test]
    fn inf_edges_are_exact_to_the_millimetre() {
        let inf = Bands::inf();
        let cases = [
            (500_000.0 - MM, BandClass::Below),
            (500_000.0, BandClass::Band(0)),
            (500_000.0 + MM, BandClass::Band(0)),
            (1_000_000.0 - MM, BandClass::Band(0)),
            (1_000_000.0, BandClass::Band(0)),
            (1_000_000.0 + MM, BandClass::Band(1)),
            (5_500_000.0 - MM, BandClass::Band(1)),
            (5_500_000.0, BandClass::Band(1)),
            (5_500_000.0 + MM, BandClass::Beyond),
            (0.0, BandClass::Below),
            (20_003_931.0, BandClass::Beyond),
        ];
        for (d, want) in cases {
            assert_eq!(inf.classify_m(d), want, "distance {d} m");
        }
        assert_eq!(inf.label(BandClass::Band(1)), "intermediate-range");
        assert_eq!(inf.label(BandClass::Below), "below");
    }

    #[test]
    fn custom_edges_generate_names_and_follow_the_rule() {
        let loc = Location::new("--bands");
        let b = Bands::parse("500, 1000,2500,5500", &loc).unwrap();
        let names: Vec<&str> = b.iter().map(|b| b.name.as_str()).collect();
        assert_eq!(names, ["500–1,000 km", "1,000–2,500 km", "2,500–5,500 km"]);
        assert_eq!(b.classify_m(2_500_000.0), BandClass::Band(1));
        assert_eq!(b.classify_m(2_500_000.0 + MM), BandClass::Band(2));
        assert_eq!(b.edges_km(), vec![500.0, 1000.0, 2500.0, 5500.0]);
        assert_eq!(b.get(0).unwrap().interval(), "[500, 1000] km");
        assert_eq!(b.get(2).unwrap().interval(), "(2500, 5500] km");
    }

    #[test]
    fn bad_edges_are_rejected_with_reasons() {
        let loc = Location::new("--bands");
        for (spec, needle) in [
            ("1000,500", "strictly increasing"),
            ("500,500", "strictly increasing"),
            ("0,500", "positive"),
            ("-5,500", "positive"),
            ("500", "at least two"),
            ("500,abc", "`abc` is not a number"),
            ("500,NaN", "positive"),
            ("500,inf", "positive"),
        ] {
            let err = Bands::parse(spec, &loc).unwrap_err().to_string();
            assert!(err.contains(needle), "{spec}: {err}");
            assert!(err.starts_with("--bands"), "{err}");
        }
    }
}
