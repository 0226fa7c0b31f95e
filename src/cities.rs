//! Cities: the embedded GeoNames catalogue and user-supplied city files.
//!
//! The embedded catalogue is GeoNames' `cities15000` (every place with at
//! least 15,000 inhabitants) without the sections of cities (boroughs,
//! arrondissements, districts listed beside their city: feature code `PPLX`,
//! or, for places no feature code covers, the section rule of
//! `data/scripts/build_geonames.py` and its decisions by eye,
//! `section_overrides.csv`): 30,210 rows, compiled into the binary
//! so that infrange runs from any directory. See `data/README.md` for how it
//! is made and what could not be checked.

use crate::error::{Error, Location, Result};
use crate::input::{self, Record};
use crate::stream::CityReader;
use std::fs::File;
use std::io::Read;
use std::path::Path;
use std::sync::OnceLock;

/// A populated place.
#[derive(Debug, Clone, PartialEq)]
pub struct City {
    /// GeoNames id, when the city comes from GeoNames.
    pub geonameid: Option<u64>,
    /// Name as published (UTF-8).
    pub name: String,
    /// ASCII transliteration of the name.
    pub ascii_name: String,
    /// ISO 3166-1 alpha-2 country code, upper case.
    pub country: String,
    /// Longitude, degrees east, WGS84.
    pub lon_deg: f64,
    /// Latitude, degrees north, WGS84.
    pub lat_deg: f64,
    /// Population, when known.
    pub population: Option<u64>,
    /// GeoNames first-level administrative division code (may be empty).
    pub admin1: String,
    /// Whether the city is its country's capital.
    pub capital: bool,
}

/// The embedded catalogue, `data/cities15000.csv`.
pub const CITIES_CSV: &str = include_str!("../data/cities15000.csv");

/// The embedded GeoNames catalogue, sorted by geonameid.
pub fn embedded() -> Result<&'static [City]> {
    static CITIES: OnceLock<std::result::Result<Vec<City>, String>> = OnceLock::new();
    CITIES
        .get_or_init(|| parse_embedded(CITIES_CSV))
        .as_deref()
        .map_err(|message| Error::EmbeddedData {
            file: "data/cities15000.csv",
            message: message.clone(),
        })
}

fn parse_embedded(text: &str) -> std::result::Result<Vec<City>, String> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    reader
        .records()
        .map(|row| {
            let row = row.map_err(|e| e.to_string())?;
            let line = row.position().map_or(0, |p| p.line());
            let field = |i: usize| row.get(i).unwrap_or_default();
            let num = |i: usize| {
                field(i)
                    .parse::<f64>()
                    .map_err(|e| format!("line {line}, column {i}: {e}"))
            };
            Ok(City {
                geonameid: Some(num(0)? as u64),
                name: field(1).to_owned(),
                ascii_name: field(2).to_owned(),
                country: field(3).to_owned(),
                lat_deg: num(4)?,
                lon_deg: num(5)?,
                population: Some(num(6)? as u64),
                admin1: field(7).to_owned(),
                capital: field(8) == "1",
            })
        })
        .collect()
}

/// Read a user's city file: CSV with at least `name,country,lat,lon` and an
/// optional `population` (plus optional `geonameid`, `capital`, `asciiname`,
/// `admin1`), a GeoNames dump (`allCountries.txt`, `cities15000.txt`, …; see
/// [`crate::stream`]), or GeoJSON Point features with `name` and `country`
/// properties.
pub fn read_file(path: &Path) -> Result<Vec<City>> {
    open_file(path)?.read_all()
}

/// The byte stream of a user's city file: the bytes read to recognise its
/// format, then the rest, from the file opened once (so pipes, FIFOs and
/// `<(…)` work).
pub type CityInput = std::io::Chain<std::io::Cursor<Vec<u8>>, Box<dyn Read + Send>>;

/// Open a user's city file (as for [`read_file`]) to read it in chunks; `-`
/// is standard input.
///
/// The file is opened once and read once, front to back: CSV and GeoNames
/// dumps are streamed; GeoJSON has no rows to stream, so it is read whole
/// here and handed out in chunks.
pub fn open_file(path: &Path) -> Result<CityReader<CityInput>> {
    let stdin = path.as_os_str() == "-";
    let source = if stdin {
        "standard input".to_owned()
    } else {
        path.display().to_string()
    };
    let mut input: Box<dyn Read + Send> = if stdin {
        Box::new(std::io::stdin())
    } else {
        Box::new(File::open(path).map_err(|e| Error::io(path, e))?)
    };
    let mut head = vec![0u8; 512];
    let n = read_head(&mut input, &mut head).map_err(|e| Error::io(path, e))?;
    head.truncate(n);
    let head_text = String::from_utf8_lossy(&head).into_owned();
    if input::looks_like_geojson(path, input::strip_bom(&head_text)) {
        let mut bytes = head;
        input
            .read_to_end(&mut bytes)
            .map_err(|e| Error::io(path, e))?;
        let text = input::text_from_bytes(bytes, &source)?;
        let cities = input::read_geojson_points(&text, &source)?
            .iter()
            .map(city_from_record)
            .collect::<Result<Vec<City>>>()?;
        return Ok(CityReader::from_cities(cities, text.len() as u64));
    }
    CityReader::new(std::io::Cursor::new(head).chain(input), source)
}

/// Read up to `buf.len()` bytes (fewer only at the end of the file).
fn read_head(file: &mut dyn Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match file.read(&mut buf[n..]) {
            Ok(0) => break,
            Ok(k) => n += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(n)
}

fn city_from_record(r: &Record) -> Result<City> {
    let name = r.text("name")?.to_owned();
    let country = r.text("country")?;
    input::check_country_iso2(country, &r.at("country"))?;
    let capital = match r.get("capital") {
        None => false,
        Some(v) => matches!(v.to_ascii_lowercase().as_str(), "1" | "true" | "yes"),
    };
    Ok(City {
        geonameid: r.opt_count("geonameid")?,
        ascii_name: r.get("asciiname").unwrap_or(&name).to_owned(),
        name,
        country: country.to_ascii_uppercase(),
        lat_deg: r.lat_deg("lat")?,
        lon_deg: r.lon_deg("lon")?,
        population: r.opt_count("population")?,
        admin1: r.get("admin1").unwrap_or_default().to_owned(),
        capital,
    })
}

/// Find cities by name for the `distance` command.
///
/// `query` is a name (matched case-insensitively against the name and the
/// ASCII name), optionally followed by `,CC` (ISO alpha-2) to pick a country,
/// or `geonameid:N`. Returns every match, most populous first.
pub fn find<'a>(cities: &'a [City], query: &str) -> Vec<&'a City> {
    let query = query.trim();
    if let Some(id) = query.strip_prefix("geonameid:") {
        let id = id.trim().parse::<u64>().ok();
        return cities
            .iter()
            .filter(|c| c.geonameid == id && id.is_some())
            .collect();
    }
    let (name, country) = match query.rsplit_once(',') {
        Some((n, cc)) if cc.trim().len() == 2 => (n.trim(), Some(cc.trim())),
        _ => (query, None),
    };
    let mut found: Vec<&City> = cities
        .iter()
        .filter(|c| c.name.eq_ignore_ascii_case(name) || c.ascii_name.eq_ignore_ascii_case(name))
        .filter(|c| country.is_none_or(|cc| c.country.eq_ignore_ascii_case(cc)))
        .collect();
    found.sort_by_key(|c| std::cmp::Reverse(c.population));
    found
}

/// The location used in messages about a `--cities` file.
pub fn location(path: &Path) -> Location {
    Location::new(path.display().to_string())
}

/// Warsaw as GeoNames lists it: the city of the tests that spell a whole
/// `City` out.
#[cfg(test)]
pub(crate) fn warsaw() -> City {
    City {
        geonameid: Some(756_135),
        name: "Warsaw".into(),
        ascii_name: "Warsaw".into(),
        country: "PL".into(),
        lon_deg: 21.01178,
        lat_deg: 52.22977,
        population: Some(1_702_139),
        admin1: "78".into(),
        capital: true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn embedded_catalogue_loads_exact_values() {
        let cities = embedded().unwrap();
        // GeoNames' 34,006 places less 3,796 sections: 1,180 by feature code,
        // 4 by a name match, 2,548 by the section rule (2,562 less 14 kept
        // by eye) and 64 by eye (data/README.md).
        assert_eq!(cities.len(), 30_210);
        let reykjavik = cities
            .iter()
            .find(|c| c.geonameid == Some(3_413_829))
            .unwrap();
        assert_eq!(reykjavik.name, "Reykjavík");
        assert_eq!(reykjavik.ascii_name, "Reykjavik");
        assert_eq!(reykjavik.lat_deg, 64.13548);
        assert_eq!(reykjavik.lon_deg, -21.89541);
        assert!(reykjavik.capital);
    }

    /// `(geonameid, name)` of the embedded catalogue.
    fn ids_and_names() -> Vec<(u64, &'static str)> {
        embedded()
            .unwrap()
            .iter()
            .map(|c| (c.geonameid.unwrap(), c.name.as_str()))
            .collect()
    }

    #[test]
    fn no_known_section_is_in_the_catalogue() {
        // Sections of cities (GeoNames feature code PPLX), checked by hand
        // in GeoNames' cities500.txt of 2023-03-05.
        let catalogue = ids_and_names();
        for (id, name) in [
            (8_354_626, "Hamburg-Nord"),
            (2_911_285, "Wandsbek"),
            (2_911_288, "Hamburg-Mitte"),
            (2_911_293, "Eimsbüttel"),
            (11_048_317, "Sector 1"),
            (11_048_319, "Sector 3"),
            (11_048_323, "Sector 6"),
            (4_951_305, "South Boston"),
            (4_645_421, "New South Memphis"),
            (2_885_656, "Köpenick"),
        ] {
            assert!(
                catalogue.iter().all(|&(i, n)| i != id && n != name),
                "{name} ({id}) is a section"
            );
        }
    }

    #[test]
    fn no_unchecked_section_is_in_the_catalogue() {
        // Sections that cities500.txt does not list, left out by the section
        // rule of data/scripts/build_geonames.py (data/README.md).
        let catalogue = ids_and_names();
        let mut sections = vec![
            (2_970_479, "Paris 15 Vaugirard"),
            (12_808_673, "Paris 13e Arrondissement"),
            (3_046_446, "Pest"),
            (3_054_667, "Buda"),
            (747_158, "Fatih"),
            (742_394, "Küçükçekmece"),
            (5_950_268, "Etobicoke"),
            (5_142_036, "Upper West Side"),
            (13_589_205, "Nutana Sector"),
            (13_665_232, "Fort Garry South"),
            (13_546_316, "Le Plateau-Mont-Royal"),
            (13_546_317, "Ville-Marie"),
            (13_546_321, "Pierrefonds-Roxboro"),
            (13_546_322, "Rivière-des-Prairies–Pointe-aux-Trembles"),
        ];
        // Turin's eight circoscrizioni (GeoNames spells them
        // "Circoiscrizione").
        let turin = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII"];
        let names: Vec<String> = turin
            .iter()
            .map(|n| format!("Circoiscrizione {n}"))
            .collect();
        for (id, name) in (13_607_965..).zip(&names) {
            sections.push((id, name.as_str()));
        }
        for (id, name) in sections {
            assert!(
                catalogue.iter().all(|&(i, n)| i != id && n != name),
                "{name} ({id}) is a section"
            );
        }
        // No arrondissement of Paris is left: GeoNames names them "Paris 15
        // Vaugirard", "Paris 13e Arrondissement", … (France has no other
        // place named "Paris …").
        let cities = embedded().unwrap();
        let paris: Vec<&str> = cities
            .iter()
            .filter(|c| c.country == "FR" && c.name.starts_with("Paris "))
            .map(|c| c.name.as_str())
            .collect();
        assert!(paris.is_empty(), "{paris:?}");
    }

    #[test]
    fn the_cities_stay_whole() {
        let catalogue = ids_and_names();
        for (id, name) in [
            (2_988_507, "Paris"),
            (2_911_298, "Hamburg"),
            (683_506, "Bucharest"),
            (2_950_159, "Berlin"),
            (2_643_743, "London"),
            (5_128_581, "New York City"),
            (4_930_956, "Boston"),
            (4_641_239, "Memphis"),
            (3_054_643, "Budapest"),
            (745_044, "Istanbul"),
            (3_165_524, "Turin"),
            (6_077_243, "Montréal"),
            (6_167_865, "Toronto"),
            (5_125_771, "Manhattan"),
            // Not in cities500.txt, yet real cities beside a larger one: the
            // section rule must keep them.
            (12_908_892, "New Taipei City"),
            (1_200_109, "Gazipur"),
            (7_626_690, "Pimpri-Chinchwad"),
            (6_136_944, "Saanich"),
            (12_541_728, "South Fulton"),
        ] {
            assert!(catalogue.contains(&(id, name)), "{name} ({id})");
        }
    }

    /// The decisions by eye of data/scripts/section_overrides.csv
    /// (step 3 of the catalogue's build).
    const SECTION_OVERRIDES: &str = include_str!("../data/scripts/section_overrides.csv");

    #[test]
    fn every_decision_by_eye_holds() {
        let catalogue = ids_and_names();
        let mut reader = csv::Reader::from_reader(SECTION_OVERRIDES.as_bytes());
        let (mut keep, mut drop) = (0, 0);
        for row in reader.records() {
            let row = row.unwrap();
            let id: u64 = row[0].parse().unwrap();
            let listed = catalogue.contains(&(id, &row[1]));
            match &row[3] {
                "keep" => {
                    assert!(listed, "{row:?} is kept");
                    keep += 1;
                }
                "drop" => {
                    assert!(catalogue.iter().all(|&(i, _)| i != id), "{row:?}");
                    drop += 1;
                }
                other => panic!("decision {other:?} in {row:?}"),
            }
        }
        assert_eq!((keep, drop), (57, 69), "as data/README.md says");
    }

    #[test]
    fn sections_the_rule_missed_are_left_out_by_eye() {
        let catalogue = ids_and_names();
        for (id, name) in [
            // Unchecked, too far from their city's point or filed under
            // another first-level division.
            (8_556_295, "Orléans"),
            (6_156_855, "Stittsville"),
            (12_747_032, "East Helsinki"),
            (6_325_485, "Charlesbourg"),
            (6_354_934, "Aylmer"),
            (6_690_770, "Újpalota"),
            (3_047_450, "Naphegy"),
            (4_050_552, "Cordova"),
            // Checked (PPL in cities500.txt), yet parts of a listed city.
            (6_087_029, "Nepean"),
            (5_989_117, "Kanata"),
            (1_259_652, "Pimpri"),
            (1_670_029, "Banqiao"),
        ] {
            // By geonameid only: Orléans (France) stays.
            assert!(
                catalogue.iter().all(|&(i, _)| i != id),
                "{name} ({id}) is a section"
            );
        }
        // The cities they belong to stay.
        for (id, name) in [
            (6_094_817, "Ottawa"),
            (658_225, "Helsinki"),
            (3_054_643, "Budapest"),
            (7_626_690, "Pimpri-Chinchwad"),
            (12_908_892, "New Taipei City"),
        ] {
            assert!(catalogue.contains(&(id, name)), "{name} ({id})");
        }
    }

    #[test]
    fn towns_the_rule_took_for_sections_are_kept_by_eye() {
        let cities = embedded().unwrap();
        for (id, name) in [
            (5_969_721, "Halton Hills"),
            (3_205_924, "Neukirchen-Vluyn"),
            (2_718_000, "Danderyd"),
            (2_758_927, "Bilthoven"),
            (2_753_504, "Huissen"),
            // Unchecked, and no section.
            (6_180_170, "Whitby"),
            (6_180_176, "Whitchurch-Stouffville"),
        ] {
            let city = cities.iter().find(|c| c.geonameid == Some(id));
            assert_eq!(city.map(|c| c.name.as_str()), Some(name), "{id}");
        }
        // Their main communities, listed beside them, are not.
        let catalogue = ids_and_names();
        for (id, name) in [(5_960_533, "Georgetown"), (6_157_718, "Stouffville")] {
            assert!(catalogue.iter().all(|&(i, _)| i != id), "{name} ({id})");
        }
    }

    #[test]
    fn feature_codes_say_what_was_checked() {
        // The catalogue's last column: the GeoNames feature code, empty when
        // GeoNames gave none: a place that could not be checked (not in
        // cities500.txt, matched by name to no place there, and not a section
        // by the section rule), or one kept by eye.
        let mut reader = csv::Reader::from_reader(CITIES_CSV.as_bytes());
        let header = reader.headers().unwrap().clone();
        assert_eq!(header.iter().next_back(), Some("feature_code"));
        let mut unchecked = 0;
        for row in reader.records() {
            let row = row.unwrap();
            let code = &row[header.len() - 1];
            assert_ne!(code, "PPLX", "{row:?}");
            assert!(code.is_empty() || code.starts_with("PPL") || code == "STLMT");
            unchecked += usize::from(code.is_empty());
        }
        // 3,206 unchecked and 57 kept by eye.
        assert_eq!(unchecked, 3_263, "as data/README.md says");
    }

    #[test]
    fn every_nato_capital_is_flagged() {
        let cities = embedded().unwrap();
        let caps: Vec<&City> = cities.iter().filter(|c| c.capital).collect();
        for (cc, name) in [
            ("US", "Washington"),
            ("GB", "London"),
            ("DE", "Berlin"),
            ("PL", "Warsaw"),
            ("TR", "Ankara"),
            ("IS", "Reykjavík"),
            ("NL", "Amsterdam"),
            ("LU", "Luxembourg"),
        ] {
            let hits: Vec<_> = caps.iter().filter(|c| c.country == cc).collect();
            assert_eq!(hits.len(), 1, "{cc}");
            assert_eq!(hits[0].name, name);
        }
        // Leaving sections out took no capital away: 232 of the 252
        // countries' capitals resolve, as before (data/README.md).
        assert_eq!(caps.len(), 232);
    }

    #[test]
    fn streamed_csv_checks_as_the_record_reader() {
        // The CSV path of `read_file` (the stream reader) and the record
        // reader that GeoJSON still uses: same cities, same messages.
        let head = "name,country,lat,lon,population,geonameid,capital,asciiname,admin1\n";
        for rows in [
            "Warsaw,PL,52.2,21.0,1702139,756135,1,Warszawa,78\n",
            "\"Kraków, \"\"Old\"\"\"\t, pl ,50.06, 19.94 , 12.0 ,1e3,YES,,\n",
            "\u{a0}Gdańsk\u{3000},PL,54,18,,,,,\r\n\r\n,,,,,,,,\n \t, ,,,,,,,\nB,DE,-90,180,0,0,no,b,\n",
            "\"Multi\nline\",PL,1,2,3,4,true,x,y\n\"\"\"\",PL,1,2,,,,,\n",
            "A,PL,91,20,,,,,\n",
            "A,PL,-90.0001,20,,,,,\n",
            "A,PL,50,180.5,,,,,\n",
            "A,PL,NaN,20,,,,,\n",
            "A,PL,50,inf,,,,,\n",
            "A,PL,50,abc,,,,,\n",
            "A,PL,,20,,,,,\n",
            ",PL,50,20,,,,,\n",
            "A,,50,20,,,,,\n",
            "A,POL,50,20,,,,,\n",
            "A,P1,50,20,,,,,\n",
            "A,PL,50,20,-1,,,,\n",
            "A,PL,50,20,1.5,,,,\n",
            "A,PL,50,20,1e16,,,,\n",
            "A,PL,50,20,many,,,,\n",
            "A,PL,50,20,5,x,,,\n",
            "A,PL,50,20,5,9000000000000001,,,\n",
            "A,XX,abc,def,many,-1,,,\n",
            "A,PL,50,20\n",
            "A,PL,50,20,1,2,3,4,5,6\n",
            "A,PL,50,20,,,,,\n\n\nB,PL,x,20,,,,,\n",
        ] {
            let text = format!("{head}{rows}");
            let streamed = CityReader::new(text.as_bytes(), "c.csv")
                .and_then(CityReader::read_all)
                .map_err(|e| e.to_string());
            let recorded = input::read_csv(&text, "c.csv", &crate::stream::CSV_REQUIRED)
                .and_then(|records| records.iter().map(city_from_record).collect())
                .map_err(|e| e.to_string());
            assert_eq!(streamed, recorded, "{rows}");
        }
    }

    #[test]
    fn find_by_name_country_and_id() {
        let cities = embedded().unwrap();
        let paris = find(cities, "paris");
        assert!(paris.len() > 1, "Paris, France and Paris, Texas");
        assert_eq!(paris[0].country, "FR");
        assert_eq!(find(cities, "Paris, FR").len(), 1);
        assert_eq!(find(cities, "geonameid:2988507")[0].name, "Paris");
        assert!(find(cities, "Nowhere-at-all").is_empty());
    }
}
