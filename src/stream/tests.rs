use super::*;

/// GeoNames dump rows as they appear in `allCountries.txt` (alternate names
/// shortened), ending in LF.
const GEONAMES: &str = concat!(
    "756135\tWarsaw\tWarsaw\tVarsovie,Varsóvia,\"Warszawa\",Варшава,华沙\t52.22977\t21.01178\tP\tPPLC\tPL\t\t78\t1465\t146501\t\t1702139\t\t113\tEurope/Warsaw\t2023-09-05\n",
    "3081368\tWrocław\tWroclaw\tBreslau,Vratislavia,\"Wrocław, Poland\"\t51.1\t17.03333\tP\tPPLA\tPL\t\t72\t0264\t026401\t\t634893\t\t120\tEurope/Warsaw\t2022-01-27\n",
    "2643743\tLondon\tLondon\tLondon,Londres,\"The Smoke\"\t51.50853\t-0.12574\tP\tPPLC\tGB\t\tENG\tGLA\tH9\t\t8961989\t\t25\tEurope/London\t2023-12-01\n",
    "6295630\tEarth\tEarth\tTerra,Земля\t0\t0\tL\tAREA\t\t\t\t\t\t\t6814400000\t\t-9999\t\t2022-11-05\n",
    "11953329\tGórki\tGorki\t\t50.5\t20.25\tP\tPPL\tpl\t\t\t\t\t\t\t\t250\tEurope/Warsaw\t2019-11-04\n",
);

fn read(text: &str, chunk_rows: usize) -> Result<(Vec<City>, Vec<u64>, usize)> {
    let mut reader = CityReader::new(text.as_bytes(), "t.txt")?.with_chunk_rows(chunk_rows);
    let mut chunk = Chunk::default();
    let (mut cities, mut lines, mut chunks) = (Vec::new(), Vec::new(), 0);
    while reader.next_chunk(&mut chunk)? {
        assert!(chunk.len() <= chunk_rows);
        cities.extend_from_slice(chunk.cities());
        lines.extend_from_slice(chunk.lines());
        chunks += 1;
    }
    Ok((cities, lines, chunks))
}

fn err(text: &str, chunk_rows: usize) -> String {
    read(text, chunk_rows).unwrap_err().to_string()
}

#[test]
fn geonames_rows_are_read_literally() {
    let reader = CityReader::new(GEONAMES.as_bytes(), "t.txt").unwrap();
    assert_eq!(reader.format(), TableFormat::GeoNames);
    let (cities, lines, _) = read(GEONAMES, 1000).unwrap();
    assert_eq!(lines, [1, 2, 3, 4, 5]);
    let warsaw = &cities[0];
    assert_eq!(*warsaw, crate::cities::warsaw());
    let wroclaw = &cities[1];
    assert_eq!(
        (wroclaw.name.as_str(), wroclaw.ascii_name.as_str()),
        ("Wrocław", "Wroclaw")
    );
    assert!(!wroclaw.capital, "PPLA is no capital");
    assert_eq!(cities[2].admin1, "ENG");
    // No country code: kept, with country "".
    assert_eq!(cities[3].country, "");
    assert_eq!(cities[3].population, Some(6_814_400_000));
    // Empty population; lower-case country code.
    assert_eq!(cities[4].population, None);
    assert_eq!(cities[4].country, "PL");
    assert_eq!(cities[4].admin1, "");
}

#[test]
fn chunks_keep_order_and_line_numbers() {
    // CRLF, blank lines and a byte-order mark; chunks of 2 rows.
    let text = format!("\u{feff}\r\n{}\r\n\r\n", GEONAMES.replace('\n', "\r\n"));
    let (cities, lines, chunks) = read(&text, 2).unwrap();
    assert_eq!(chunks, 3);
    assert_eq!(lines, [2, 3, 4, 5, 6]);
    let ids: Vec<u64> = cities.iter().map(|c| c.geonameid.unwrap()).collect();
    assert_eq!(ids, [756_135, 3_081_368, 2_643_743, 6_295_630, 11_953_329]);
    assert_eq!(cities[4].name, "Górki");
    assert_eq!(read(GEONAMES, 2).unwrap().0, read(GEONAMES, 64).unwrap().0);
    // The last line without its terminator.
    let (cities, _, _) = read(GEONAMES.trim_end(), 2).unwrap();
    assert_eq!(cities.len(), 5);
}

#[test]
fn geonames_errors_name_line_and_column() {
    let mut rows: Vec<String> = GEONAMES.lines().map(str::to_owned).collect();
    rows[3] = rows[3].replace("\t0\t0\t", "\t0\t190.5\t");
    let text = rows.join("\n");
    assert_eq!(
        err(&text, 2),
        "t.txt, line 4, field `longitude`: longitude 190.5 is outside [-180, 180] degrees"
    );
    let text = GEONAMES.replace("\t51.1\t", "\tN51\t");
    assert_eq!(
        err(&text, 2),
        "t.txt, line 2, field `latitude`: `N51` is not a number"
    );
    let text = GEONAMES.replace("\t8961989\t", "\t-5\t");
    assert_eq!(
        err(&text, 1),
        "t.txt, line 3, field `population`: `-5` is not a non-negative whole number"
    );
    let text = GEONAMES.replace("\tGB\t", "\tGBR\t");
    assert!(err(&text, 1).starts_with("t.txt, line 3, field `country code`: `GBR` is not"));
    let text = format!("{GEONAMES}123\tShort\tShort\n");
    assert_eq!(
        err(&text, 2),
        "t.txt, line 6: row has 3 fields but a GeoNames dump row has 19, separated by tabs"
    );
    let mut bytes = GEONAMES.as_bytes().to_vec();
    let at = GEONAMES.find("London\tLondon").unwrap();
    bytes[at] = 0xFF;
    let mut reader = CityReader::new(&bytes[..], "t.txt").unwrap();
    let message = reader
        .next_chunk(&mut Chunk::default())
        .unwrap_err()
        .to_string();
    assert_eq!(message, "t.txt, line 3: file is not valid UTF-8");
}

#[test]
fn csv_reads_any_column_order_quotes_and_crlf() {
    let text =
        "\u{feff}Lat,NAME,lon,Country,population,capital,geonameid,asciiname,admin1,extra\r\n\
                52.22977,Warsaw,21.01178,pl,1702139,yes,756135,Warszawa,78,x\r\n\
                \r\n\
                51.1,\"Wrocław, \"\"the Venice\"\"\nof Poland\",17.03,PL,,0,,,,\r\n\
                ,,,,,,,,,\r\n\
                50.06,Kraków,19.94,PL, 779115 ,TRUE,,,,\r\n";
    let reader = CityReader::new(text.as_bytes(), "c.csv").unwrap();
    assert_eq!(reader.format(), TableFormat::Csv);
    for chunk_rows in [1, 2, 100] {
        let (cities, lines, _) = read(text, chunk_rows).unwrap();
        assert_eq!(lines, [2, 4, 7], "a quoted line break spans lines 4-5");
        assert_eq!(
            cities[0],
            City {
                ascii_name: "Warszawa".into(),
                ..crate::cities::warsaw()
            }
        );
        assert_eq!(cities[1].name, "Wrocław, \"the Venice\"\nof Poland");
        assert_eq!(cities[1].ascii_name, cities[1].name);
        assert_eq!((cities[1].population, cities[1].capital), (None, false));
        assert_eq!(
            (cities[2].population, cities[2].capital),
            (Some(779_115), true)
        );
    }
}

#[test]
fn csv_rows_wider_than_the_offset_buffers() {
    // 70 columns: the field offsets grow past their first 32 slots, with and
    // without quotes; the city columns sit at both ends.
    let extra: Vec<String> = (0..66).map(|k| format!("x{k}")).collect();
    let header = format!("lat,name,{},country,lon", extra.join(","));
    let plain = format!("52.5,Berlin,{},DE,13.4", extra.join(","));
    let quoted = format!("48.9,\"Paris, FR\",{},FR,2.35", extra.join(","));
    let short = "1,X,DE,2";
    let text = format!("{header}\n{plain}\n{quoted}\n");
    let (cities, lines, _) = read(&text, 1).unwrap();
    assert_eq!(lines, [2, 3]);
    let got: Vec<(&str, &str, f64, f64)> = cities
        .iter()
        .map(|c| (c.name.as_str(), c.country.as_str(), c.lon_deg, c.lat_deg))
        .collect();
    assert_eq!(
        got,
        [
            ("Berlin", "DE", 13.4, 52.5),
            ("Paris, FR", "FR", 2.35, 48.9)
        ]
    );
    assert_eq!(
        err(&format!("{text}{short}\n"), 1),
        "t.txt, line 4: row has 4 fields but the header has 70"
    );
}

#[test]
fn csv_agrees_with_the_record_reader() {
    // The streamed CSV path and `input::read_csv` see the same rows.
    let text =
        "name,country,lat,lon,population\n\"A, the first\",PL,50,20,12\n\n\nB,DE,-45.5,170,\n";
    let records = crate::input::read_csv(text, "c.csv", &CSV_REQUIRED).unwrap();
    let (cities, lines, _) = read(text, 1).unwrap();
    let record_lines: Vec<u64> = records.iter().map(|r| r.location.line.unwrap()).collect();
    assert_eq!(lines, record_lines);
    assert_eq!(cities[0].name, records[0].text("name").unwrap());
    assert_eq!(cities[1].lat_deg, records[1].lat_deg("lat").unwrap());
}

#[test]
fn csv_errors_name_file_line_and_field() {
    let rows: String = (0..9).map(|i| format!("C{i},PL,50.{i},20\n")).collect();
    let head = "name,country,lat,lon\n";
    let late = |bad: &str| format!("{head}{rows}{bad}\n");
    for (bad, message) in [
        (
            "X,PL,91,20",
            "line 11, field `lat`: latitude 91 is outside [-90, 90] degrees",
        ),
        ("X,PL,50,abc", "line 11, field `lon`: `abc` is not a number"),
        (
            "X,PL,NaN,0",
            "line 11, field `lat`: `NaN` is not a finite number",
        ),
        (
            "X,POL,1,2",
            "line 11, field `country`: `POL` is not an ISO 3166-1 alpha-2 code (e.g. PL)",
        ),
        (",PL,1,2", "line 11, field `name`: value is missing"),
        ("X,PL,,2", "line 11, field `lat`: value is missing"),
        ("X,PL,1", "line 11: row has 3 fields but the header has 4"),
        (
            "\"X\nY\",PL,1,2,3",
            "line 11: row has 5 fields but the header has 4",
        ),
    ] {
        assert_eq!(err(&late(bad), 2), format!("t.txt, {message}"), "{bad}");
    }
    let text = "name,country,lat,lon,population\nA,PL,50,20,many\n";
    assert_eq!(
        err(text, 2),
        "t.txt, line 2, field `population`: `many` is not a number"
    );
    let text = "name,country,lat,lon,geonameid\nA,PL,50,20,1.5\n";
    assert_eq!(
        err(text, 2),
        "t.txt, line 2, field `geonameid`: `1.5` is not a non-negative whole number"
    );
}

#[test]
fn csv_header_and_empty_files() {
    let e = |text: &str| {
        CityReader::new(text.as_bytes(), "c.csv")
            .and_then(CityReader::read_all)
            .unwrap_err()
            .to_string()
    };
    assert_eq!(
        e(""),
        "c.csv, line 1: file is empty; expected a CSV header with columns name,country,lat,lon"
    );
    assert!(e("\u{feff} \r\n\n").contains("line 1: file is empty"));
    assert_eq!(
        e("Warsaw,PL,52.23,21.01\n"),
        "c.csv, line 1: header `Warsaw,PL,52.23,21.01` lacks columns name, country, lat, lon; \
         the first line must name the columns, at least name,country,lat,lon"
    );
    assert!(e("name,lat,lon\nA,50,20\n").contains("lacks column country;"));
    assert_eq!(
        e("name,country,lat,lon\n\n"),
        "c.csv, line 2: no data rows after the header"
    );
    assert!(e("{\"type\": \"FeatureCollection\"}").contains("GeoJSON"));
}

#[test]
fn geonames_needs_a_numeric_id_and_19_tab_fields() {
    // 19 comma-separated fields, or a tab table whose first field is text:
    // both are CSV (and here lack the city columns).
    let tabs = GEONAMES.replacen("756135", "id", 1);
    let reader = CityReader::new(tabs.as_bytes(), "t.txt");
    assert!(reader.is_err_and(|e| e.to_string().contains("lacks columns")));
}

#[test]
fn long_lines_and_small_reads() {
    // A reader that hands out 7 bytes at a time, and a line longer than the
    // block buffer.
    struct Trickle<'a>(&'a [u8]);
    impl Read for Trickle<'_> {
        fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
            let n = buf.len().min(7).min(self.0.len());
            buf[..n].copy_from_slice(&self.0[..n]);
            self.0 = &self.0[n..];
            Ok(n)
        }
    }
    let long_names = "x,".repeat(BLOCK_BYTES);
    let text = GEONAMES.replace("Varsovie", &long_names);
    let csv = "name,country,lat,lon\r\n\"A\r\nB\",PL,1,2\r\n\r\nC,DE,3,4";
    for text in [text.as_str(), csv] {
        let mut reader = CityReader::new(Trickle(text.as_bytes()), "t").unwrap();
        let mut chunk = Chunk::default();
        let mut trickled = Vec::new();
        while reader.next_chunk(&mut chunk).unwrap() {
            trickled.extend_from_slice(chunk.cities());
        }
        assert_eq!(trickled, read(text, 3).unwrap().0);
        assert_eq!(chunk.progress().bytes, text.len() as u64);
    }
    assert_eq!(read(csv, 1).unwrap().1, [2, 5]);
}

#[test]
fn progress_counts_bytes_and_rows() {
    let mut reader = CityReader::new(GEONAMES.as_bytes(), "t.txt")
        .unwrap()
        .with_chunk_rows(2);
    let mut chunk = Chunk::default();
    let mut seen = Vec::new();
    while reader.next_chunk(&mut chunk).unwrap() {
        seen.push(chunk.progress());
    }
    let rows: Vec<u64> = seen.iter().map(|p| p.rows).collect();
    assert_eq!(rows, [2, 4, 5]);
    let first_two = GEONAMES
        .split_inclusive('\n')
        .take(2)
        .map(str::len)
        .sum::<usize>();
    assert_eq!(seen[0].bytes, first_two as u64);
    assert_eq!(seen[2].bytes, GEONAMES.len() as u64);
}

#[test]
fn chunks_reuse_their_cities() {
    let mut reader = CityReader::new(GEONAMES.as_bytes(), "t.txt")
        .unwrap()
        .with_chunk_rows(3);
    let mut chunk = Chunk::default();
    assert!(reader.next_chunk(&mut chunk).unwrap());
    let name_buffer = chunk.cities()[0].name.as_ptr();
    assert!(reader.next_chunk(&mut chunk).unwrap());
    assert_eq!(chunk.len(), 2);
    assert_eq!(chunk.cities()[0].name, "Earth");
    assert_eq!(chunk.cities()[0].name.as_ptr(), name_buffer);
    assert!(!reader.next_chunk(&mut chunk).unwrap());
    assert!(chunk.is_empty());
}

#[test]
fn cities_in_memory_come_in_chunks() {
    let cities = read(GEONAMES, 10).unwrap().0;
    let mut reader =
        CityReader::<std::io::Empty>::from_cities(cities.clone(), 99).with_chunk_rows(2);
    assert_eq!(reader.format(), TableFormat::Memory);
    let mut chunk = Chunk::default();
    let mut all = Vec::new();
    while reader.next_chunk(&mut chunk).unwrap() {
        assert_eq!(chunk.progress().bytes, 99);
        all.extend_from_slice(chunk.cities());
    }
    assert_eq!(all, cities);
}

#[test]
fn short_decimals_read_as_str_parse_reads_them() {
    let mut cases: Vec<String> = [
        "0",
        "-0",
        "+0",
        "0.0",
        "-0.0",
        ".5",
        "5.",
        "-.5",
        "52.22977",
        "-179.99999",
        "90",
        "0.1",
        "0.2",
        "0.3",
        "123456789012345",
        "1234567.89012345",
        "0.000000000000001",
        "9.99999999999999",
        "00012.5000",
        "180.000000000000",
        "9007199254740992",
        "900719925474099.2",
        "1234567890123456",
        "0.00000000000001",
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Pseudo-random decimals of every length and point position.
    let mut x = 0x9E37_79B9_7F4A_7C15_u64;
    for _ in 0..200_000 {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        let digits = 1 + (x % 15) as usize;
        let mut text: String = (0..digits)
            .map(|i| char::from(b'0' + ((x >> (4 * i)) % 10) as u8))
            .collect();
        let point = (x >> 60) as usize % (digits + 1);
        text.insert(point, '.');
        if x & (1 << 59) != 0 {
            text.insert(0, '-');
        }
        cases.push(text);
    }
    for text in &cases {
        let want: f64 = text.parse().unwrap();
        let got = short_decimal(text).unwrap_or_else(|| panic!("{text}"));
        assert_eq!(got.to_bits(), want.to_bits(), "{text}");
    }
    for other in [
        "",
        "-",
        ".",
        "1e5",
        "1.2.3",
        "NaN",
        "inf",
        " 1",
        "1 ",
        "123456789012345678901",
        "9007199254740993",
        "0.00000000000000000000001",
        // Longer than 17 digits and a point: left to `parse`, though this
        // one would fit.
        "0.0000000000000000000001",
        "-66.912097077747730",
        "0x10",
        "1,5",
        "--1",
    ] {
        assert_eq!(short_decimal(other), None, "{other}");
    }
}

/// Sections of Hamburg (feature code PPLX) between and after whole cities.
const WITH_SECTIONS: &str = concat!(
    "2911298\tHamburg\tHamburg\t\t53.55073\t9.99302\tP\tPPLA\tDE\t\t04\t00\t02000\t02000000\t1973896\t\t8\tEurope/Berlin\t2023-01-01\n",
    "2911285\tWandsbek\tWandsbek\t\t53.58334\t10.08305\tP\tPPLX\tDE\t\t04\t00\t02000\t02000000\t411422\t\t23\tEurope/Berlin\t2023-01-01\n",
    "\n",
    "8354626\tHamburg-Nord\tHamburg-Nord\t\t53.58935\t9.984\tP\tPPLX\tDE\t\t04\t00\t02000\t02000000\t315514\t\t15\tEurope/Berlin\t2023-01-01\n",
    "2950159\tBerlin\tBerlin\t\t52.52437\t13.41053\tP\tPPLC\tDE\t\t16\t00\t11000\t11000000\t3426354\t74\t43\tEurope/Berlin\t2023-01-01\n",
    "2911288\tHamburg-Mitte\tHamburg-Mitte\t\t53.55\t10.0167\tP\tPPLX\tDE\t\t04\t00\t02000\t02000000\t301231\t\t10\tEurope/Berlin\t2023-01-01\n",
);

#[test]
fn sections_are_left_out_and_counted() {
    for chunk_rows in [1, 2, 100] {
        let mut reader = CityReader::new(WITH_SECTIONS.as_bytes(), "DE.txt")
            .unwrap()
            .with_chunk_rows(chunk_rows);
        let mut chunk = Chunk::default();
        let (mut names, mut lines) = (Vec::new(), Vec::new());
        while reader.next_chunk(&mut chunk).unwrap() {
            names.extend(chunk.cities().iter().map(|c| c.name.clone()));
            lines.extend_from_slice(chunk.lines());
        }
        assert_eq!(names, ["Hamburg", "Berlin"], "chunks of {chunk_rows}");
        assert_eq!(lines, [1, 5]);
        // The last section is read by the call that finds no more rows.
        let p = reader.progress();
        assert_eq!((p.rows, p.sections), (5, 3));
        assert_eq!(p.bytes, WITH_SECTIONS.len() as u64);
    }
}

#[test]
fn sections_are_kept_on_request() {
    let mut reader = CityReader::new(WITH_SECTIONS.as_bytes(), "DE.txt")
        .unwrap()
        .keep_sections(true)
        .with_chunk_rows(2);
    let mut chunk = Chunk::default();
    let mut names = Vec::new();
    while reader.next_chunk(&mut chunk).unwrap() {
        names.extend(chunk.cities().iter().map(|c| c.name.clone()));
    }
    assert_eq!(
        names,
        [
            "Hamburg",
            "Wandsbek",
            "Hamburg-Nord",
            "Berlin",
            "Hamburg-Mitte"
        ]
    );
    let p = reader.progress();
    assert_eq!((p.rows, p.sections), (5, 0));
}

#[test]
fn a_bad_section_row_is_still_an_error() {
    let bad = WITH_SECTIONS.replace("53.58334", "93.58334");
    assert_eq!(
        err(&bad, 10),
        "t.txt, line 2, field `latitude`: latitude 93.58334 is outside [-90, 90] degrees"
    );
}

#[test]
fn only_geonames_dumps_have_sections() {
    // A CSV has no feature code: a `PPLX` in any column is only text.
    let csv = "name,country,lat,lon,feature_code\nWandsbek,DE,53.58,10.08,PPLX\n";
    let mut reader = CityReader::new(csv.as_bytes(), "c.csv").unwrap();
    let mut chunk = Chunk::default();
    assert!(reader.next_chunk(&mut chunk).unwrap());
    assert_eq!(chunk.len(), 1);
    assert_eq!(chunk.progress().sections, 0);
}
