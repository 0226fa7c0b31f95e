//! City tables read as a stream: any size of file, in chunks of rows, with
//! memory bounded by the chunk rather than the file.
//!
//! [`CityReader`] reads from any [`Read`] and tells two formats apart by the
//! first non-empty line:
//!
//! - **GeoNames dump** (`allCountries.txt`, `XX.txt` per country,
//!   `cities15000.txt`, …): tab-separated, no header, the 19 columns of
//!   [`GEONAMES_COLUMNS`]. Chosen when the first non-empty line has exactly 19
//!   tab-separated fields and the first is all digits. Fields are taken
//!   literally — the format has no quoting, so `"` and `,` in alternate names
//!   are plain characters. Feature code `PPLC` marks a capital. Rows with
//!   feature code `PPLX`, *sections* of a populated place (boroughs,
//!   arrondissements, districts, which GeoNames lists beside the city they
//!   are part of), are left out and counted, so that no one is counted twice,
//!   unless [`CityReader::keep_sections`] says otherwise. A row without a
//!   country code is kept with country `""`: it matches no alliance, only
//!   `--allies all`.
//! - **CSV** with a header naming at least `name,country,lat,lon` (optional
//!   `population`, `geonameid`, `capital`, `asciiname`, `admin1`), in any
//!   order and any case; quoted fields (which may hold line breaks), CRLF
//!   and a UTF-8 byte-order mark are accepted. Every value gets exactly the
//!   checks and messages of [`crate::cities::read_file`], which reads its CSV
//!   and GeoNames files through this module.
//!
//! Lines are numbered from 1 (the CSV header is line 1; a row's line is the
//! line it starts on), and every bad value is an [`Error::Input`] naming the
//! file, the line and the field.
//!
//! Reading is a single pass over a block buffer: GeoNames rows and CSV lines
//! without quotes are split by hand, quoted CSV records by `csv-core`;
//! columns are resolved once from the header; plain decimals are read
//! without the general float parser (bit-identical); and the cities of a
//! [`Chunk`] are reused from one chunk to the next, so that a steady stream
//! allocates nothing per field.

use crate::cities::City;
use crate::error::{Error, Location, Result};
use crate::input::{check_country_iso2, check_lat_deg, check_lon_deg, parse_count, parse_finite};
use std::io::Read;
use std::path::PathBuf;

/// Rows per chunk unless set with [`CityReader::with_chunk_rows`].
pub const DEFAULT_CHUNK_ROWS: usize = 16 * 1024;

/// Bytes asked of the underlying reader at a time.
const BLOCK_BYTES: usize = 1 << 20;

/// The columns of a GeoNames dump, in order, as its documentation names them
/// (they name the fields in error messages).
pub const GEONAMES_COLUMNS: [&str; 19] = [
    "geonameid",
    "name",
    "asciiname",
    "alternatenames",
    "latitude",
    "longitude",
    "feature class",
    "feature code",
    "country code",
    "cc2",
    "admin1 code",
    "admin2 code",
    "admin3 code",
    "admin4 code",
    "population",
    "elevation",
    "dem",
    "timezone",
    "modification date",
];

/// The GeoNames feature code of a section of a populated place.
pub const SECTION_FEATURE_CODE: &str = "PPLX";

/// The columns a city CSV must have.
pub const CSV_REQUIRED: [&str; 4] = ["name", "country", "lat", "lon"];

/// The layout of a city table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TableFormat {
    /// CSV with a header row.
    Csv,
    /// A GeoNames dump: 19 tab-separated columns, no header.
    GeoNames,
    /// Cities already in memory (e.g. read from GeoJSON), handed out in chunks.
    Memory,
}

/// Input read so far, for progress reports.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Bytes of input consumed (including a byte-order mark).
    pub bytes: u64,
    /// Data rows read (blank rows and the header not counted), including
    /// the sections left out.
    pub rows: u64,
    /// Rows left out as sections of a city (GeoNames feature code `PPLX`).
    pub sections: u64,
}

/// A chunk of consecutive rows of a city table.
///
/// Pass the same chunk to [`CityReader::next_chunk`] again and again: it
/// keeps its cities and overwrites them in place.
#[derive(Debug, Default)]
pub struct Chunk {
    /// Slots; the first `len` hold this chunk's rows, the rest are spare.
    cities: Vec<City>,
    lines: Vec<u64>,
    len: usize,
    progress: Progress,
}

impl Chunk {
    /// The cities of this chunk, in input order.
    pub fn cities(&self) -> &[City] {
        &self.cities[..self.len]
    }

    /// The 1-based line on which each city's row starts (for cities handed
    /// over in memory: the position in the list, from 1).
    pub fn lines(&self) -> &[u64] {
        &self.lines[..self.len]
    }

    /// Number of cities in the chunk.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the chunk holds no city.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Input consumed from the start of the table to the end of this chunk.
    pub fn progress(&self) -> Progress {
        self.progress
    }

    /// The cities, moved out of the chunk (which is left empty).
    pub fn take_cities(&mut self) -> Vec<City> {
        self.cities.truncate(self.len);
        self.lines.clear();
        self.len = 0;
        std::mem::take(&mut self.cities)
    }

    fn clear(&mut self) {
        self.len = 0;
        self.lines.clear();
    }

    /// The slot for the next row (a reused city, or a new empty one).
    fn slot(&mut self) -> &mut City {
        if self.len == self.cities.len() {
            self.cities.push(empty_city());
        }
        &mut self.cities[self.len]
    }

    /// Keep the row just written into [`Chunk::slot`].
    fn commit(&mut self, line: u64) {
        self.lines.push(line);
        self.len += 1;
    }
}

fn empty_city() -> City {
    City {
        geonameid: None,
        name: String::new(),
        ascii_name: String::new(),
        country: String::new(),
        lon_deg: 0.0,
        lat_deg: 0.0,
        population: None,
        admin1: String::new(),
        capital: false,
    }
}

/// Reads a city table in chunks of rows.
///
/// # Examples
/// ```
/// use infrange::stream::{Chunk, CityReader, TableFormat};
///
/// let geonames = "756135\tWarsaw\tWarsaw\tVarsovie,\"Warszawa\"\t52.22977\t21.01178\tP\tPPLC\tPL\t\t78\t1465\t146501\t\t1702139\t\t113\tEurope/Warsaw\t2023-09-05\n";
/// let mut reader = CityReader::new(geonames.as_bytes(), "cities.txt")?;
/// assert_eq!(reader.format(), TableFormat::GeoNames);
/// let mut chunk = Chunk::default();
/// assert!(reader.next_chunk(&mut chunk)?);
/// let warsaw = &chunk.cities()[0];
/// assert_eq!((warsaw.name.as_str(), warsaw.country.as_str(), warsaw.capital), ("Warsaw", "PL", true));
/// assert_eq!(warsaw.population, Some(1_702_139));
/// assert!(!reader.next_chunk(&mut chunk)?);
/// # Ok::<(), infrange::Error>(())
/// ```
///
/// Sections of cities (feature code `PPLX`) are left out and counted:
///
/// ```
/// use infrange::stream::CityReader;
///
/// let dump = concat!(
///     "2911298\tHamburg\tHamburg\t\t53.55073\t9.99302\tP\tPPLA\tDE\t\t04\t00\t02000\t02000000\t1973896\t\t8\tEurope/Berlin\t2023-01-01\n",
///     "2911285\tWandsbek\tWandsbek\t\t53.58334\t10.08305\tP\tPPLX\tDE\t\t04\t00\t02000\t02000000\t411422\t\t23\tEurope/Berlin\t2023-01-01\n",
/// );
/// let mut reader = CityReader::new(dump.as_bytes(), "DE.txt")?;
/// let mut chunk = infrange::stream::Chunk::default();
/// reader.next_chunk(&mut chunk)?;
/// assert_eq!(chunk.cities().len(), 1);
/// assert_eq!((chunk.progress().rows, chunk.progress().sections), (2, 1));
/// let kept = CityReader::new(dump.as_bytes(), "DE.txt")?.keep_sections(true).read_all()?;
/// assert_eq!(kept.len(), 2);
/// # Ok::<(), infrange::Error>(())
/// ```
pub struct CityReader<R> {
    table: Table<R>,
    chunk_rows: usize,
    rows: u64,
}

enum Table<R> {
    Csv(Box<CsvTable<R>>),
    GeoNames(GeoNamesTable<R>),
    Memory {
        cities: std::vec::IntoIter<City>,
        next: u64,
        bytes: u64,
    },
}

impl<R: Read> CityReader<R> {
    /// Start reading a table from `input`; `source` names it in messages.
    ///
    /// Reads up to the first non-empty line to tell the format. An empty
    /// file, a CSV header without the required columns, and GeoJSON (which
    /// [`crate::cities::read_file`] reads whole) are errors.
    pub fn new(input: R, source: impl Into<String>) -> Result<Self> {
        let source = source.into();
        let mut input = Input::new(input, source.clone());
        let table = match input.sniff()? {
            Sniffed::Empty => {
                return Err(Error::input(
                    Location::new(source).at_line(1),
                    format!(
                        "file is empty; expected a CSV header with columns {}",
                        CSV_REQUIRED.join(",")
                    ),
                ))
            }
            Sniffed::GeoJson => {
                return Err(Error::input(
                    Location::new(source).at_line(1),
                    "this looks like GeoJSON, which is read whole, not as a stream",
                ))
            }
            Sniffed::GeoNames => Table::GeoNames(GeoNamesTable::new(input, source)),
            Sniffed::Csv => Table::Csv(Box::new(CsvTable::new(input, source)?)),
        };
        Ok(Self {
            table,
            chunk_rows: DEFAULT_CHUNK_ROWS,
            rows: 0,
        })
    }

    /// Hand out cities already in memory in chunks, as if read from a file
    /// of `bytes` bytes (reported as consumed from the start).
    pub fn from_cities(cities: Vec<City>, bytes: u64) -> Self {
        Self {
            table: Table::Memory {
                cities: cities.into_iter(),
                next: 1,
                bytes,
            },
            chunk_rows: DEFAULT_CHUNK_ROWS,
            rows: 0,
        }
    }

    /// Read at most `rows` rows per chunk (at least 1).
    pub fn with_chunk_rows(mut self, rows: usize) -> Self {
        self.chunk_rows = rows.max(1);
        self
    }

    /// Keep the sections of cities (feature code `PPLX`) of a GeoNames dump
    /// instead of leaving them out (the default). Other formats carry no
    /// feature code and keep every row either way.
    pub fn keep_sections(mut self, keep: bool) -> Self {
        if let Table::GeoNames(t) = &mut self.table {
            t.keep_sections = keep;
        }
        self
    }

    /// Input read so far: bytes, rows and sections left out.
    pub fn progress(&self) -> Progress {
        let sections = match &self.table {
            Table::GeoNames(t) => t.sections,
            Table::Csv(_) | Table::Memory { .. } => 0,
        };
        Progress {
            bytes: match &self.table {
                Table::Csv(t) => t.input.consumed,
                Table::GeoNames(t) => t.input.consumed,
                Table::Memory { bytes, .. } => *bytes,
            },
            rows: self.rows + sections,
            sections,
        }
    }

    /// The table's format.
    pub fn format(&self) -> TableFormat {
        match self.table {
            Table::Csv(_) => TableFormat::Csv,
            Table::GeoNames(_) => TableFormat::GeoNames,
            Table::Memory { .. } => TableFormat::Memory,
        }
    }

    /// Fill `chunk` with the next rows; `false` when the table is exhausted
    /// (the chunk is then empty).
    pub fn next_chunk(&mut self, chunk: &mut Chunk) -> Result<bool> {
        chunk.clear();
        while chunk.len < self.chunk_rows {
            let line = match &mut self.table {
                Table::Csv(t) => t.read_city(chunk.slot())?,
                Table::GeoNames(t) => t.read_city(chunk.slot())?,
                Table::Memory { cities, next, .. } => cities.next().map(|c| {
                    *chunk.slot() = c;
                    *next += 1;
                    *next - 1
                }),
            };
            match line {
                Some(line) => chunk.commit(line),
                None => break,
            }
        }
        self.rows += chunk.len as u64;
        chunk.progress = self.progress();
        if chunk.is_empty() && self.rows == 0 {
            if let Table::Csv(t) = &self.table {
                return Err(Error::input(
                    Location::new(t.source.clone()).at_line(t.header_line + 1),
                    "no data rows after the header",
                ));
            }
        }
        Ok(!chunk.is_empty())
    }

    /// Read every remaining row.
    pub fn read_all(mut self) -> Result<Vec<City>> {
        let mut all = Vec::new();
        let mut chunk = Chunk::default();
        while self.next_chunk(&mut chunk)? {
            if all.is_empty() {
                all = chunk.take_cities();
            } else {
                all.append(&mut chunk.take_cities());
            }
        }
        Ok(all)
    }
}

/// Whether a line (without its terminator) is a GeoNames dump row: exactly
/// 19 tab-separated fields, the first all digits.
fn is_geonames_row(line: &[u8]) -> bool {
    let id_len = memchr::memchr(b'\t', line).unwrap_or(line.len());
    id_len > 0
        && line[..id_len].iter().all(u8::is_ascii_digit)
        && memchr::memchr_iter(b'\t', line).count() == GEONAMES_COLUMNS.len() - 1
}

/// The longest first line looked at to tell the format: a CSV header or a
/// GeoNames row is far shorter.
const MAX_FIRST_LINE_BYTES: usize = 16 << 20;

/// What the first non-blank line says.
enum Sniffed {
    Empty,
    GeoJson,
    GeoNames,
    Csv,
}

/// A block buffer over the underlying reader.
struct Input<R> {
    inner: R,
    source: String,
    buf: Vec<u8>,
    start: usize,
    end: usize,
    eof: bool,
    /// Bytes consumed from the start of the input.
    consumed: u64,
}

impl<R: Read> Input<R> {
    fn new(inner: R, source: String) -> Self {
        Self {
            inner,
            source,
            buf: vec![0; BLOCK_BYTES],
            start: 0,
            end: 0,
            eof: false,
            consumed: 0,
        }
    }

    fn available(&self) -> &[u8] {
        &self.buf[self.start..self.end]
    }

    fn consume(&mut self, n: usize) {
        debug_assert!(self.start + n <= self.end);
        self.start += n;
        self.consumed += n as u64;
    }

    /// Read more, keeping the unconsumed bytes; `false` at the end of input.
    fn fill(&mut self) -> Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.start > 0 {
            self.buf.copy_within(self.start..self.end, 0);
            self.end -= self.start;
            self.start = 0;
        }
        if self.end == self.buf.len() {
            // A line longer than the buffer.
            self.buf.resize(2 * self.buf.len(), 0);
        }
        loop {
            match self.inner.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(Error::io(PathBuf::from(&self.source), e)),
            }
        }
    }

    /// Drop a UTF-8 byte-order mark, buffer up to the end of the first
    /// non-blank line (without consuming it) and tell the format from it.
    fn sniff(&mut self) -> Result<Sniffed> {
        while self.available().len() < 3 && self.fill()? {}
        if self.available().starts_with(b"\xEF\xBB\xBF") {
            self.consume(3);
        }
        let mut scanned = 0;
        let line_start = loop {
            match self.available()[scanned..]
                .iter()
                .position(|b| !b.is_ascii_whitespace())
            {
                Some(i) => break scanned + i,
                None => {
                    scanned = self.available().len();
                    if !self.fill()? {
                        return Ok(Sniffed::Empty);
                    }
                }
            }
        };
        if self.available()[line_start] == b'{' {
            return Ok(Sniffed::GeoJson);
        }
        let mut scanned = line_start;
        let line_end = loop {
            if let Some(n) = memchr::memchr(b'\n', &self.available()[scanned..]) {
                break scanned + n;
            }
            scanned = self.available().len();
            if scanned - line_start > MAX_FIRST_LINE_BYTES {
                return Err(Error::input(
                    Location::new(self.source.clone()).at_line(1),
                    format!(
                        "the first line is longer than {} MiB: not a CSV header nor a GeoNames row",
                        MAX_FIRST_LINE_BYTES >> 20
                    ),
                ));
            }
            if !self.fill()? {
                break scanned;
            }
        };
        let line = &self.available()[line_start..line_end];
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if is_geonames_row(line) {
            return Ok(Sniffed::GeoNames);
        }
        // Numbered, tab-separated, but not 19 columns: a cut GeoNames row.
        let tabs = memchr::memchr_iter(b'\t', line).count();
        let id_len = memchr::memchr(b'\t', line).unwrap_or(line.len());
        if tabs >= 4 && id_len > 0 && line[..id_len].iter().all(u8::is_ascii_digit) {
            return Err(Error::input(
                Location::new(self.source.clone()).at_line(1),
                format!(
                    "this looks like a GeoNames dump (a numbered, tab-separated row) but the row has {} columns; GeoNames rows have {}",
                    tabs + 1,
                    GEONAMES_COLUMNS.len()
                ),
            ));
        }
        Ok(Sniffed::Csv)
    }
}

fn at(source: &str, line: u64, field: &str) -> Location {
    Location::new(source).at_line(line).field(field)
}

// The checks of `input`, with the location built only for the message: on
// the valid path they allocate nothing.

/// [`parse_finite`].
fn number(text: &str, source: &str, line: u64, field: &str) -> Result<f64> {
    if let Some(v) = short_decimal(text) {
        return Ok(v);
    }
    match text.parse::<f64>() {
        Ok(v) if v.is_finite() => Ok(v),
        _ => parse_finite(text, &at(source, line, field)),
    }
}

/// A plain decimal such as `-52.22977`, exactly as `str::parse::<f64>`
/// reads it; `None` for anything else (exponents, `inf`, too many digits).
///
/// Its digits without the point are an integer `m ≤ 2⁵³`, and the point
/// stands for a division by `10ᵏ` with `k ≤ 22`: both are exact `f64`s, and
/// one IEEE division rounds their quotient correctly, which is what `parse`
/// returns (Clinger's fast path).
fn short_decimal(text: &str) -> Option<f64> {
    const POW10: [f64; 23] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16,
        1e17, 1e18, 1e19, 1e20, 1e21, 1e22,
    ];
    let bytes = text.as_bytes();
    let (negative, digits) = match bytes.first()? {
        b'-' => (true, &bytes[1..]),
        b'+' => (false, &bytes[1..]),
        _ => (false, bytes),
    };
    // 17 digits or more (with the point, 18 bytes) exceed 2⁵³ unless some
    // lead with zeros, which `parse` reads as well: skip the doomed scan.
    if digits.len() > 17 {
        return None;
    }
    let mut m = 0u64;
    let mut any_digit = false;
    let mut point = None;
    for (i, &b) in digits.iter().enumerate() {
        match b {
            b'0'..=b'9' => {
                m = m.checked_mul(10)?.checked_add(u64::from(b - b'0'))?;
                any_digit = true;
            }
            b'.' if point.is_none() => point = Some(i),
            _ => return None,
        }
    }
    let fraction_digits = point.map_or(0, |p| digits.len() - p - 1);
    if !any_digit || m > 1 << 53 || fraction_digits >= POW10.len() {
        return None;
    }
    let v = m as f64 / POW10[fraction_digits];
    Some(if negative { -v } else { v })
}

/// [`parse_finite`] and [`check_lat_deg`].
fn lat_deg(text: &str, source: &str, line: u64, field: &str) -> Result<f64> {
    degrees(text, source, line, field, 90.0, check_lat_deg)
}

/// [`parse_finite`] and [`check_lon_deg`].
fn lon_deg(text: &str, source: &str, line: u64, field: &str) -> Result<f64> {
    degrees(text, source, line, field, 180.0, check_lon_deg)
}

/// A number in `[-limit_deg, limit_deg]`; outside it, `check` says why.
fn degrees(
    text: &str,
    source: &str,
    line: u64,
    field: &str,
    limit_deg: f64,
    check: fn(f64, &Location) -> Result<f64>,
) -> Result<f64> {
    let v = number(text, source, line, field)?;
    if (-limit_deg..=limit_deg).contains(&v) {
        Ok(v)
    } else {
        check(v, &at(source, line, field))
    }
}

/// [`parse_count`].
fn whole_number(text: &str, source: &str, line: u64, field: &str) -> Result<u64> {
    if (1..=15).contains(&text.len()) {
        let mut n = 0u64;
        for b in text.bytes() {
            if !b.is_ascii_digit() {
                return parse_count(text, &at(source, line, field));
            }
            n = 10 * n + u64::from(b - b'0');
        }
        Ok(n)
    } else {
        parse_count(text, &at(source, line, field))
    }
}

/// [`check_country_iso2`].
fn country_iso2(text: &str, source: &str, line: u64, field: &str) -> Result<()> {
    if text.len() == 2 && text.bytes().all(|b| b.is_ascii_alphabetic()) {
        Ok(())
    } else {
        check_country_iso2(text, &at(source, line, field))
    }
}

fn set(target: &mut String, value: &str) {
    target.clear();
    target.push_str(value);
}

/// A required, trimmed, non-empty value.
fn required<'a>(value: Option<&'a str>, source: &str, line: u64, field: &str) -> Result<&'a str> {
    value.ok_or_else(|| Error::input(at(source, line, field), "value is missing"))
}

fn not_utf8(source: &str, line: u64) -> Error {
    Error::input(
        Location::new(source).at_line(line),
        "file is not valid UTF-8",
    )
}

/// The GeoNames dump format.
struct GeoNamesTable<R> {
    input: Input<R>,
    source: String,
    /// Lines consumed so far.
    lines: u64,
    /// Whether rows with feature code `PPLX` are kept.
    keep_sections: bool,
    /// Rows left out as sections so far.
    sections: u64,
}

impl<R: Read> GeoNamesTable<R> {
    fn new(input: Input<R>, source: String) -> Self {
        Self {
            input,
            source,
            lines: 0,
            keep_sections: false,
            sections: 0,
        }
    }

    /// Read the next non-blank row that is not a left-out section into
    /// `city`; its line, or `None` at the end. A section is checked like any
    /// row before it is left out.
    fn read_city(&mut self, city: &mut City) -> Result<Option<u64>> {
        let mut scanned = 0;
        loop {
            let available = self.input.available();
            let (line_len, consumed) = match memchr::memchr(b'\n', &available[scanned..]) {
                Some(i) => (scanned + i, scanned + i + 1),
                None if self.input.eof && !available.is_empty() => {
                    (available.len(), available.len())
                }
                None => {
                    scanned = available.len();
                    if !self.input.fill()? && self.input.available().is_empty() {
                        return Ok(None);
                    }
                    continue;
                }
            };
            self.lines += 1;
            let line = self.lines;
            let row = &available[..line_len];
            let row = row.strip_suffix(b"\r").unwrap_or(row);
            let blank = row.iter().all(u8::is_ascii_whitespace);
            let result = if blank {
                Ok(false)
            } else {
                parse_geonames_row(row, &self.source, line, city)
            };
            self.input.consume(consumed);
            let section = result?;
            if section && !self.keep_sections {
                self.sections += 1;
            } else if !blank {
                return Ok(Some(line));
            }
            scanned = 0;
        }
    }
}

/// Parse one GeoNames dump row (without its line terminator) into `city`;
/// whether it is a section of a city (feature code `PPLX`).
fn parse_geonames_row(row: &[u8], source: &str, line: u64, city: &mut City) -> Result<bool> {
    const N: usize = GEONAMES_COLUMNS.len();
    let row = std::str::from_utf8(row).map_err(|_| not_utf8(source, line))?;
    let mut fields = [""; N];
    let mut count = 0;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\t', row.as_bytes()).chain([row.len()]) {
        if count < N {
            // Tabs are ASCII: these offsets fall between characters.
            fields[count] = trim(&row[start..end]);
        }
        count += 1;
        start = end + 1;
    }
    if count != N {
        return Err(Error::input(
            Location::new(source).at_line(line),
            format!("row has {count} fields but a GeoNames dump row has {N}, separated by tabs"),
        ));
    }
    let get = |i: usize| Some(fields[i]).filter(|v| !v.is_empty());
    let column = |i: usize| GEONAMES_COLUMNS[i];
    let geonameid = whole_number(
        required(get(0), source, line, column(0))?,
        source,
        line,
        column(0),
    )?;
    let name = required(get(1), source, line, column(1))?;
    let lat = required(get(4), source, line, column(4))?;
    let lat_deg = lat_deg(lat, source, line, column(4))?;
    let lon = required(get(5), source, line, column(5))?;
    let lon_deg = lon_deg(lon, source, line, column(5))?;
    let country = fields[8];
    if !country.is_empty() {
        country_iso2(country, source, line, column(8))?;
    }
    let population = get(14)
        .map(|p| whole_number(p, source, line, column(14)))
        .transpose()?;

    city.geonameid = Some(geonameid);
    set(&mut city.name, name);
    set(&mut city.ascii_name, get(2).unwrap_or(name));
    set(&mut city.country, country);
    city.country.make_ascii_uppercase();
    city.lat_deg = lat_deg;
    city.lon_deg = lon_deg;
    city.population = population;
    set(&mut city.admin1, fields[10]);
    city.capital = fields[7] == "PPLC";
    Ok(fields[7] == SECTION_FEATURE_CODE)
}

/// Where the city columns sit in a CSV header.
#[derive(Debug)]
struct CsvColumns {
    count: usize,
    name: usize,
    country: usize,
    lat: usize,
    lon: usize,
    population: Option<usize>,
    geonameid: Option<usize>,
    capital: Option<usize>,
    asciiname: Option<usize>,
    admin1: Option<usize>,
}

/// The CSV format.
struct CsvTable<R> {
    input: Input<R>,
    source: String,
    core: csv_core::Reader,
    /// The current record's unescaped field bytes; field `k` is
    /// `fields[starts[k]..ends[k]]`, and `fields[..ends[last]]` holds them
    /// all (with the separators between them where the row had no quotes).
    fields: Vec<u8>,
    starts: Vec<usize>,
    ends: Vec<usize>,
    /// `\n` bytes consumed so far.
    newlines: u64,
    header_line: u64,
    columns: CsvColumns,
}

impl<R: Read> CsvTable<R> {
    fn new(input: Input<R>, source: String) -> Result<Self> {
        let mut table = Self {
            input,
            source,
            core: csv_core::Reader::new(),
            fields: vec![0; 4096],
            starts: vec![0; 32],
            ends: vec![0; 32],
            newlines: 0,
            header_line: 1,
            columns: CsvColumns {
                count: 0,
                name: 0,
                country: 0,
                lat: 0,
                lon: 0,
                population: None,
                geonameid: None,
                capital: None,
                asciiname: None,
                admin1: None,
            },
        };
        let (line, count) = table
            .read_record()?
            .expect("the input holds a non-blank line");
        table.header_line = line;
        let text = std::str::from_utf8(&table.fields[..table.ends[count - 1]])
            .map_err(|_| not_utf8(&table.source, line))?;
        let header: Vec<&str> = (0..count)
            .map(|i| text[table.starts[i]..table.ends[i]].trim())
            .collect();
        let find = |column: &str| header.iter().position(|h| h.eq_ignore_ascii_case(column));
        let missing: Vec<&str> = CSV_REQUIRED
            .iter()
            .copied()
            .filter(|c| find(c).is_none())
            .collect();
        if !missing.is_empty() {
            return Err(Error::input(
                Location::new(table.source.clone()).at_line(line),
                format!(
                    "header `{}` lacks column{} {}; the first line must name the columns, at least {}",
                    header.join(","),
                    if missing.len() == 1 { "" } else { "s" },
                    missing.join(", "),
                    CSV_REQUIRED.join(",")
                ),
            ));
        }
        let required = |column: &str| find(column).expect("checked above");
        let columns = CsvColumns {
            count,
            name: required("name"),
            country: required("country"),
            lat: required("lat"),
            lon: required("lon"),
            population: find("population"),
            geonameid: find("geonameid"),
            capital: find("capital"),
            asciiname: find("asciiname"),
            admin1: find("admin1"),
        };
        table.columns = columns;
        Ok(table)
    }

    /// Read the next record into `fields`/`ends`: its line and field count,
    /// or `None` at the end. Blank lines are skipped.
    ///
    /// A line without quotes (and without a bare `\r`, which also ends a CSV
    /// record) is one record whose fields lie between its commas; any other
    /// record goes through `csv-core`.
    fn read_record(&mut self) -> Result<Option<(u64, usize)>> {
        let mut scanned = 0;
        loop {
            let available = self.input.available();
            let line_len = match memchr::memchr(b'\n', &available[scanned..]) {
                Some(n) => scanned + n,
                None if self.input.eof => available.len(),
                None => {
                    scanned = available.len();
                    self.input.fill()?;
                    continue;
                }
            };
            if available.is_empty() {
                return Ok(None);
            }
            let row = &available[..line_len];
            let row = row.strip_suffix(b"\r").unwrap_or(row);
            let line = self.newlines + 1;
            let consumed = (line_len + 1).min(available.len());
            if row.is_empty() {
                self.newlines += 1;
                self.input.consume(consumed);
                scanned = 0;
                continue;
            }
            // Rows are short: one pass over the bytes beats calls to memchr.
            if self.fields.len() < row.len() {
                self.fields.resize(row.len().next_power_of_two(), 0);
            }
            self.fields[..row.len()].copy_from_slice(row);
            let mut count = 0;
            self.starts[0] = 0;
            for (i, &b) in row.iter().enumerate() {
                match b {
                    b',' => {
                        if count + 1 == self.ends.len() {
                            grow_field_offsets(&mut self.starts, &mut self.ends);
                        }
                        self.ends[count] = i;
                        count += 1;
                        self.starts[count] = i + 1;
                    }
                    b'"' | b'\r' => return self.read_quoted_record(),
                    _ => {}
                }
            }
            self.ends[count] = row.len();
            count += 1;
            self.newlines += 1;
            self.input.consume(consumed);
            return Ok(Some((line, count)));
        }
    }

    /// Read the next record with `csv-core` (quotes, line breaks in fields).
    fn read_quoted_record(&mut self) -> Result<Option<(u64, usize)>> {
        use csv_core::ReadRecordResult as R;
        self.core.reset();
        let (mut out_len, mut ends_len) = (0, 0);
        let mut line = None;
        loop {
            if self.input.available().is_empty() {
                self.input.fill()?;
            }
            let input = self.input.available();
            if line.is_none() {
                // A record starts at its first byte that ends no line.
                if let Some(i) = input.iter().position(|&b| b != b'\n' && b != b'\r') {
                    line = Some(self.newlines + count_newlines(&input[..i]) + 1);
                }
            }
            let (result, n_in, n_out, n_ends) = self.core.read_record(
                input,
                &mut self.fields[out_len..],
                &mut self.ends[ends_len..],
            );
            self.newlines += count_newlines(&input[..n_in]);
            self.input.consume(n_in);
            out_len += n_out;
            ends_len += n_ends;
            match result {
                R::InputEmpty => {}
                R::OutputFull => self.fields.resize(2 * self.fields.len(), 0),
                R::OutputEndsFull => grow_field_offsets(&mut self.starts, &mut self.ends),
                R::Record => {
                    // csv-core stores the fields back to back.
                    self.starts[0] = 0;
                    for k in 1..ends_len {
                        self.starts[k] = self.ends[k - 1];
                    }
                    return Ok(Some((line.unwrap_or(self.newlines), ends_len)));
                }
                R::End => return Ok(None),
            }
        }
    }

    /// Read the next non-blank row into `city`; its line, or `None` at the end.
    fn read_city(&mut self, city: &mut City) -> Result<Option<u64>> {
        loop {
            let Some((line, count)) = self.read_record()? else {
                return Ok(None);
            };
            let source = self.source.as_str();
            let cols = &self.columns;
            if count != cols.count {
                return Err(Error::input(
                    Location::new(source).at_line(line),
                    format!("row has {count} fields but the header has {}", cols.count),
                ));
            }
            let text = std::str::from_utf8(&self.fields[..self.ends[count - 1]])
                .map_err(|_| not_utf8(source, line))?;
            let (starts, ends) = (&self.starts[..count], &self.ends[..count]);
            let field = |i: usize| trim(&text[starts[i]..ends[i]]);
            if (0..count).all(|i| field(i).is_empty()) {
                continue;
            }
            let get = |i: usize| Some(field(i)).filter(|v| !v.is_empty());
            let opt = |i: Option<usize>| i.and_then(get);
            // The checks of `cities::read_file`, in its order.
            let name = required(get(cols.name), source, line, "name")?;
            let country = required(get(cols.country), source, line, "country")?;
            country_iso2(country, source, line, "country")?;
            let capital = opt(cols.capital).is_some_and(|v| {
                ["1", "true", "yes"]
                    .iter()
                    .any(|yes| v.eq_ignore_ascii_case(yes))
            });
            let geonameid = opt(cols.geonameid)
                .map(|v| whole_number(v, source, line, "geonameid"))
                .transpose()?;
            let lat_deg = lat_deg(
                required(get(cols.lat), source, line, "lat")?,
                source,
                line,
                "lat",
            )?;
            let lon_deg = lon_deg(
                required(get(cols.lon), source, line, "lon")?,
                source,
                line,
                "lon",
            )?;
            let population = opt(cols.population)
                .map(|v| whole_number(v, source, line, "population"))
                .transpose()?;

            city.geonameid = geonameid;
            set(&mut city.name, name);
            set(&mut city.ascii_name, opt(cols.asciiname).unwrap_or(name));
            set(&mut city.country, country);
            city.country.make_ascii_uppercase();
            city.lat_deg = lat_deg;
            city.lon_deg = lon_deg;
            city.population = population;
            set(&mut city.admin1, opt(cols.admin1).unwrap_or_default());
            city.capital = capital;
            return Ok(Some(line));
        }
    }
}

/// Room for twice as many fields' offsets.
fn grow_field_offsets(starts: &mut Vec<usize>, ends: &mut Vec<usize>) {
    let n = 2 * ends.len();
    starts.resize(n, 0);
    ends.resize(n, 0);
}

fn count_newlines(bytes: &[u8]) -> u64 {
    // Mostly one short row: a plain loop beats a call into `memchr`.
    bytes.iter().filter(|&&b| b == b'\n').count() as u64
}

/// [`str::trim`], quicker where the ends are ASCII (nearly always).
#[inline]
fn trim(text: &str) -> &str {
    let t = text.trim_ascii();
    match (t.as_bytes().first(), t.as_bytes().last()) {
        (Some(a), Some(z)) if !a.is_ascii() || !z.is_ascii() => t.trim(),
        _ => t,
    }
}

#[cfg(test)]
mod tests;
