//! Test fixtures: geodesic range bands around sites (1° azimuth steps), NATO cities.
#![allow(dead_code)]

use geo::{
    BooleanOps, Destination, Distance, Geodesic, LineString, MultiLineString, MultiPolygon, Point,
};
use infrange::render::clip::circle_to_lonlat_area;
use infrange::render::{BandLayer, MapCity, MapScene, MapSite, ReachRing};

/// NATO members on 2019-08-02 (ISO 3166-1 numeric).
pub const NATO_2019: [u16; 29] = [
    8, 56, 100, 124, 191, 203, 208, 233, 250, 276, 300, 348, 352, 380, 428, 440, 442, 499, 528,
    578, 616, 620, 642, 703, 705, 724, 792, 826, 840,
];

/// (name, lon, lat, population, capital)
pub const CITIES: &[(&str, f64, f64, u64, bool)] = &[
    ("London", -0.1276, 51.5072, 8_900_000, true),
    ("Paris", 2.3522, 48.8566, 2_150_000, true),
    ("Berlin", 13.405, 52.52, 3_650_000, true),
    ("Madrid", -3.7038, 40.4168, 3_220_000, true),
    ("Rome", 12.4964, 41.9028, 2_870_000, true),
    ("Warsaw", 21.0122, 52.2297, 1_790_000, true),
    ("Bucharest", 26.1025, 44.4268, 1_830_000, true),
    ("Budapest", 19.0402, 47.4979, 1_750_000, true),
    ("Prague", 14.4378, 50.0755, 1_310_000, true),
    ("Sofia", 23.3219, 42.6977, 1_240_000, true),
    ("Athens", 23.7275, 37.9838, 660_000, true),
    ("Ankara", 32.8597, 39.9334, 5_500_000, true),
    ("Istanbul", 28.9784, 41.0082, 15_000_000, false),
    ("Brussels", 4.3517, 50.8503, 1_200_000, true),
    ("Amsterdam", 4.9041, 52.3676, 870_000, true),
    ("Lisbon", -9.1393, 38.7223, 505_000, true),
    ("Oslo", 10.7522, 59.9139, 690_000, true),
    ("Copenhagen", 12.5683, 55.6761, 790_000, true),
    ("Tallinn", 24.7536, 59.437, 440_000, true),
    ("Riga", 24.1052, 56.9496, 630_000, true),
    ("Vilnius", 25.2797, 54.6872, 580_000, true),
    ("Reykjavík", -21.9426, 64.1466, 130_000, true),
    ("Ottawa", -75.6972, 45.4215, 1_000_000, true),
    ("Washington", -77.0369, 38.9072, 700_000, true),
    ("New York", -74.006, 40.7128, 8_400_000, false),
    ("Los Angeles", -118.2437, 34.0522, 3_900_000, false),
    ("Chicago", -87.6298, 41.8781, 2_700_000, false),
    ("Toronto", -79.3832, 43.6532, 2_900_000, false),
    ("Anchorage", -149.9003, 61.2181, 290_000, false),
    ("Fairbanks", -147.7164, 64.8378, 32_000, false),
    ("Nome", -165.4064, 64.5011, 3_800, false),
    ("Seattle", -122.3321, 47.6062, 750_000, false),
    ("Vancouver", -123.1207, 49.2827, 675_000, false),
    ("Whitehorse", -135.0568, 60.7212, 25_000, false),
    ("Hamburg", 9.9937, 53.5511, 1_840_000, false),
    ("Munich", 11.582, 48.1351, 1_470_000, false),
    ("Milan", 9.19, 45.4642, 1_350_000, false),
    ("Barcelona", 2.1734, 41.3851, 1_620_000, false),
    ("Kraków", 19.945, 50.0647, 770_000, false),
    ("İzmir", 27.1428, 38.4237, 2_900_000, false),
    ("Tromsø", 18.9553, 69.6492, 77_000, false),
    ("Bratislava", 17.1077, 48.1486, 430_000, true),
    ("Ljubljana", 14.5058, 46.0569, 290_000, true),
    ("Zagreb", 15.9819, 45.815, 800_000, true),
    ("Tirana", 19.8187, 41.3275, 420_000, true),
    ("Podgorica", 19.2594, 42.4304, 150_000, true),
    ("Luxembourg", 6.1296, 49.6116, 120_000, true),
    ("Nuuk", -51.7216, 64.1814, 18_000, false),
];

fn geodesic_circle(c: (f64, f64), radius_km: f64) -> Vec<(f64, f64)> {
    (0..=360)
        .map(|az| {
            let p = Geodesic.destination(
                Point::new(c.0, c.1),
                f64::from(az % 360),
                radius_km * 1000.0,
            );
            (p.x(), p.y())
        })
        .collect()
}

fn disk(c: (f64, f64), radius_km: f64) -> MultiPolygon<f64> {
    circle_to_lonlat_area(&geodesic_circle(c, radius_km), c)
}

fn km(a: (f64, f64), b: (f64, f64)) -> f64 {
    Geodesic.distance(Point::new(a.0, a.1), Point::new(b.0, b.1)) / 1000.0
}

/// Splits a polyline where it jumps across ±180, interpolating the crossing.
fn split_180(pts: &[(f64, f64)]) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    let mut cur: Vec<(f64, f64)> = Vec::new();
    for (i, &p) in pts.iter().enumerate() {
        if i > 0 {
            let q = pts[i - 1];
            if (p.0 - q.0).abs() > 180.0 {
                let edge = if q.0 > 0.0 { 180.0 } else { -180.0 };
                let p_un = p.0 + 2.0 * edge;
                let t = (edge - q.0) / (p_un - q.0);
                let lat = q.1 + (p.1 - q.1) * t;
                cur.push((edge, lat));
                if cur.len() >= 2 {
                    out.push(std::mem::take(&mut cur));
                }
                cur.clear();
                cur.push((-edge, lat));
            }
        }
        cur.push(p);
    }
    if cur.len() >= 2 {
        out.push(cur);
    }
    out
}

/// The parts of each site's circle that lie on the boundary of the union of the disks.
fn union_outline(sites: &[(f64, f64)], radius_km: f64) -> Vec<Vec<(f64, f64)>> {
    let mut out = Vec::new();
    for (i, &c) in sites.iter().enumerate() {
        let circle = geodesic_circle(c, radius_km);
        let mut run: Vec<(f64, f64)> = Vec::new();
        for &p in &circle {
            let covered = sites
                .iter()
                .enumerate()
                .any(|(j, &o)| j != i && km(o, p) < radius_km - 0.5);
            if covered {
                if run.len() >= 2 {
                    out.extend(split_180(&run));
                }
                run.clear();
            } else {
                run.push(p);
            }
        }
        if run.len() >= 2 {
            out.extend(split_180(&run));
        }
    }
    out
}

fn union_disks(sites: &[(f64, f64)], radius_km: f64) -> MultiPolygon<f64> {
    let mut acc = MultiPolygon(Vec::new());
    for &s in sites {
        acc = acc.union(&disk(s, radius_km));
    }
    acc
}

fn mls(lines: Vec<Vec<(f64, f64)>>) -> MultiLineString<f64> {
    MultiLineString(lines.into_iter().map(LineString::from).collect())
}

/// A scene for the 9M729 with sites `(name, lon, lat)`.
pub fn scene(sites: &[(&str, f64, f64)]) -> MapScene {
    let bands_km = [
        ("Short-range (500–1,000 km)", 500.0, 1000.0),
        ("Medium-range (1,000–3,000 km)", 1000.0, 3000.0),
        ("Intermediate-range (3,000–5,500 km)", 3000.0, 5500.0),
    ];
    let pts: Vec<(f64, f64)> = sites.iter().map(|s| (s.1, s.2)).collect();
    let mut cities: Vec<MapCity> = CITIES
        .iter()
        .map(|&(name, lon, lat, population, capital)| {
            let d = pts
                .iter()
                .map(|&s| km(s, (lon, lat)))
                .fold(f64::MAX, f64::min);
            let band = bands_km.iter().position(|b| d >= b.1 && d < b.2);
            MapCity {
                name: name.into(),
                lon_deg: lon,
                lat_deg: lat,
                population,
                band,
                below: d < 500.0,
                capital,
                // The fixture's 9M729 reaches 2,350 km.
                reached: d <= 2350.0,
                forced_label: false,
            }
        })
        .collect();
    cities.sort_by(|a, b| a.name.cmp(&b.name));
    let bands = bands_km
        .iter()
        .enumerate()
        .map(|(i, &(name, min_km, max_km))| {
            let outer = union_disks(&pts, max_km);
            let inner = union_disks(&pts, min_km);
            let area = outer.difference(&inner);
            let mut lines = union_outline(&pts, max_km);
            lines.extend(union_outline(&pts, min_km));
            let inside: Vec<&MapCity> = cities.iter().filter(|c| c.band == Some(i)).collect();
            BandLayer {
                name: name.into(),
                min_km,
                max_km,
                area,
                outline: mls(lines),
                city_count: inside.len(),
                population: inside.iter().map(|c| c.population).sum(),
            }
        })
        .collect();
    let reach = sites
        .iter()
        .map(|s| ReachRing {
            site: s.0.into(),
            range_km: 2350.0,
            outline: mls(split_180(&geodesic_circle((s.1, s.2), 2350.0))),
        })
        .collect();
    MapScene {
        title: "9M729 (SSC-8) sites and NATO cities in INF range bands".into(),
        subtitle: "System 9M729: 2,350 km (FAZ, 10 Feb 2019) · NATO members on 2019-08-02 (29)"
            .into(),
        attribution: "Cities: GeoNames, CC BY 4.0 · Made with Natural Earth · infrange".into(),
        bands,
        reach,
        sites: sites
            .iter()
            .map(|s| MapSite {
                name: s.0.into(),
                lon_deg: s.1,
                lat_deg: s.2,
            })
            .collect(),
        cities,
        allied_iso_numeric: NATO_2019.to_vec(),
        allied_in_part: Vec::new(),
        reach_counts: Vec::new(),
        below: None,
    }
}

pub fn default_scene() -> MapScene {
    scene(&[
        ("Kapustin Yar", 45.75, 48.5833),
        ("Kamyshlov", 62.7167, 56.8333),
        ("Mozdok", 44.7, 43.7333),
        ("Shuya", 41.3667, 56.85),
    ])
}

pub fn anadyr_scene() -> MapScene {
    scene(&[("Anadyr", 177.51, 64.73)])
}

pub fn svalbard_scene() -> MapScene {
    scene(&[("Svalbard", 15.65, 78.22)])
}

/// Decodes an RGB8 PNG: width, height and the row-major RGB bytes.
pub fn decode_png(path: &std::path::Path) -> (u32, u32, Vec<u8>) {
    let dec = png::Decoder::new(std::io::BufReader::new(
        std::fs::File::open(path).expect("open"),
    ));
    let mut reader = dec.read_info().expect("png header");
    let mut buf = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut buf).expect("png frame");
    buf.truncate(info.buffer_size());
    assert_eq!(info.color_type, png::ColorType::Rgb);
    (info.width, info.height, buf)
}
