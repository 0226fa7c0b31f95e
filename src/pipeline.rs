//! The streaming analysis: a city table of any size in, the cities CSV out,
//! in input order, with memory bounded by the sites and one chunk of rows.
//!
//! A reader thread parses chunks ([`crate::stream::CityReader`]) while the
//! calling thread filters the previous chunk (allies, population), classifies
//! it with the [`Engine`] (in parallel), formats its rows (in parallel, into
//! byte blocks, by [`Formatter`] — the same code as the sorted CSV)
//! and writes them in order. At most three chunks exist at a time.
//!
//! Unlike [`crate::analysis::analyze`], rows are not sorted nearest-first:
//! sorting would need every row in memory.

use crate::analysis::{selects, CityFilter};
use crate::bands::BandClass;
use crate::cities::City;
use crate::engine::Engine;
use crate::error::{Error, Result};
use crate::export::cities_csv::{Formatter, Row};
use crate::scenario::Scenario;
use crate::stream::{Chunk, CityReader, Progress};
use rayon::prelude::*;
use std::io::{Read, Write};
use std::sync::mpsc;
use std::time::{Duration, Instant};

/// Rows classified and formatted per parallel task.
const BLOCK_ROWS: usize = 2048;

/// The streaming analysis of one scenario into the cities CSV.
///
/// # Examples
/// ```
/// use infrange::{engine::Engine, pipeline::CsvPipeline, scenario::ScenarioOptions, stream::CityReader};
///
/// let scenario = ScenarioOptions { allies: Some("PL,DE".into()), ..Default::default() }.resolve()?;
/// let engine = Engine::new(&scenario.sites, &scenario.bands);
/// let table = "name,country,lat,lon\nWarsaw,PL,52.22977,21.01178\nParis,FR,48.85341,2.3488\nBerlin,DE,52.52437,13.41053\n";
/// let mut csv = Vec::new();
/// let pipeline = CsvPipeline { scenario: &scenario, engine: &engine, filter: Default::default(), all: true };
/// let stats = pipeline.run(CityReader::new(table.as_bytes(), "cities.csv")?, &mut csv, &mut |_| {})?;
/// assert_eq!((stats.rows_read, stats.rows_written), (3, 2)); // FR is not allied
/// let csv = String::from_utf8(csv).unwrap();
/// assert!(csv.lines().nth(1).unwrap().starts_with("Warsaw,PL,52.22977,21.01178,,Shuya,"));
/// assert!(csv.lines().nth(2).unwrap().starts_with("Berlin,DE,"));
/// # Ok::<(), infrange::Error>(())
/// ```
#[derive(Debug, Clone, Copy)]
pub struct CsvPipeline<'a> {
    pub scenario: &'a Scenario,
    /// The scenario's engine (`Engine::new(&scenario.sites, &scenario.bands)`).
    pub engine: &'a Engine,
    /// Which cities to analyse.
    pub filter: CityFilter,
    /// Write every analysed city; otherwise those beyond the last band are
    /// left out (as `--all` does).
    pub all: bool,
}

/// What a run did and where its time went.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Stats {
    /// Data rows read.
    pub rows_read: u64,
    /// Rows that passed the city filter and were classified.
    pub rows_classified: u64,
    /// Rows written (after band selection).
    pub rows_written: u64,
    /// Bytes of input consumed.
    pub bytes_read: u64,
    /// Reading and parsing, on the reader thread (overlaps the rest).
    pub parse: Duration,
    /// Filtering, classifying and formatting (one parallel pass over blocks
    /// of rows), on all cores.
    pub classify: Duration,
    /// Writing the formatted rows.
    pub write: Duration,
    /// Waiting for the reader thread (parsing that did not overlap).
    pub wait: Duration,
    /// Wall-clock time of the run.
    pub total: Duration,
}

impl CsvPipeline<'_> {
    /// Read every chunk of `reader`, write the header and the selected rows
    /// to `out` in input order, and call `progress` after each chunk.
    ///
    /// On an error (bad input or failed write), rows of earlier chunks have
    /// been written already: write to a temporary file (e.g. with
    /// [`crate::export::atomic::write_atomic`]) to keep no partial output.
    pub fn run<R: Read + Send>(
        &self,
        mut reader: CityReader<R>,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<Stats> {
        let start = Instant::now();
        let mut stats = Stats::default();
        let formatter = Formatter::new(self.scenario);
        let mut header = Vec::new();
        formatter.header(&mut header);
        write_all(out, &header)?;

        stats.parse = std::thread::scope(|scope| {
            let (full_tx, full_rx) = mpsc::sync_channel::<Result<Chunk>>(1);
            let (empty_tx, empty_rx) = mpsc::channel::<Chunk>();
            let parser = scope.spawn(move || {
                let mut busy = Duration::ZERO;
                loop {
                    let mut chunk = empty_rx.try_recv().unwrap_or_default();
                    let t = Instant::now();
                    let read = reader.next_chunk(&mut chunk);
                    busy += t.elapsed();
                    let more = matches!(read, Ok(true));
                    let message = match read {
                        Ok(true) => Ok(chunk),
                        Ok(false) => break,
                        Err(e) => Err(e),
                    };
                    // A closed channel: the consumer stopped on an error.
                    if full_tx.send(message).is_err() || !more {
                        break;
                    }
                }
                busy
            });
            let consumed = self.consume(&formatter, &full_rx, &empty_tx, out, progress, &mut stats);
            // Unblock the reader thread if it waits to hand over a chunk.
            drop(full_rx);
            let busy = parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            consumed.map(|()| busy)
        })?;
        stats.total = start.elapsed();
        Ok(stats)
    }

    fn consume(
        &self,
        formatter: &Formatter<'_>,
        chunks: &mpsc::Receiver<Result<Chunk>>,
        recycle: &mpsc::Sender<Chunk>,
        out: &mut dyn Write,
        progress: &mut dyn FnMut(Progress),
        stats: &mut Stats,
    ) -> Result<()> {
        // Per block of rows: formatted bytes, rows written, rows classified;
        // reused chunk after chunk.
        let mut blocks: Vec<(Vec<u8>, usize, usize)> = Vec::new();
        loop {
            let t = Instant::now();
            let Ok(chunk) = chunks.recv() else {
                return Ok(());
            };
            stats.wait += t.elapsed();
            let chunk = chunk?;

            let t = Instant::now();
            self.classify_and_format(formatter, chunk.cities(), &mut blocks);
            stats.classify += t.elapsed();

            let t = Instant::now();
            for (bytes, rows, classified) in &blocks {
                write_all(out, bytes)?;
                stats.rows_written += *rows as u64;
                stats.rows_classified += *classified as u64;
            }
            stats.write += t.elapsed();

            let p = chunk.progress();
            (stats.rows_read, stats.bytes_read) = (p.rows, p.bytes);
            progress(p);
            // The reader may have finished; then the chunk is simply dropped.
            let _ = recycle.send(chunk);
        }
    }

    /// Filter, classify and format the rows of a chunk in one parallel
    /// pass over blocks of [`BLOCK_ROWS`]: into `blocks`, in order, each
    /// block's bytes, rows written and rows classified.
    fn classify_and_format(
        &self,
        formatter: &Formatter<'_>,
        cities: &[City],
        blocks: &mut Vec<(Vec<u8>, usize, usize)>,
    ) {
        blocks.resize_with(cities.len().div_ceil(BLOCK_ROWS), Default::default);
        blocks
            .par_iter_mut()
            .zip(cities.par_chunks(BLOCK_ROWS))
            .for_each_init(
                || (Vec::new(), Vec::new()),
                |(selected, points), ((bytes, rows, classified), block)| {
                    selected.clear();
                    selected.extend(
                        block
                            .iter()
                            .filter(|city| selects(self.scenario, self.filter, city)),
                    );
                    points.clear();
                    points.extend(selected.iter().map(|c| (c.lon_deg, c.lat_deg)));
                    bytes.clear();
                    *rows = 0;
                    *classified = selected.len();
                    self.engine.classify_each(points, |i, c| {
                        if self.all || c.class != BandClass::Beyond {
                            formatter.row(bytes, Row::new(selected[i], &c));
                            *rows += 1;
                        }
                    });
                },
            );
    }
}

fn write_all(out: &mut dyn Write, bytes: &[u8]) -> Result<()> {
    out.write_all(bytes).map_err(|e| Error::io("cities CSV", e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis;
    use crate::export::cities_csv;
    use crate::scenario::ScenarioOptions;

    fn scenario(allies: &str) -> Scenario {
        ScenarioOptions {
            allies: Some(allies.into()),
            ..Default::default()
        }
        .resolve()
        .unwrap()
    }

    /// The embedded catalogue as a user CSV, in geonameid order.
    fn catalogue_csv() -> String {
        let mut text =
            String::from("geonameid,name,asciiname,country,lat,lon,population,admin1,capital\n");
        for c in crate::cities::embedded().unwrap() {
            let quoted = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
            text += &format!(
                "{},{},{},{},{},{},{},{},{}\n",
                c.geonameid.unwrap(),
                quoted(&c.name),
                quoted(&c.ascii_name),
                c.country,
                c.lat_deg,
                c.lon_deg,
                c.population.unwrap(),
                quoted(&c.admin1),
                u8::from(c.capital)
            );
        }
        text
    }

    fn run(
        scenario: &Scenario,
        filter: CityFilter,
        all: bool,
        text: &str,
        chunk_rows: usize,
    ) -> Result<(String, Stats, Vec<Progress>)> {
        let engine = Engine::new(&scenario.sites, &scenario.bands);
        let pipeline = CsvPipeline {
            scenario,
            engine: &engine,
            filter,
            all,
        };
        let reader = CityReader::new(text.as_bytes(), "cities.csv")?.with_chunk_rows(chunk_rows);
        let mut out = Vec::new();
        let mut seen = Vec::new();
        let stats = pipeline.run(reader, &mut out, &mut |p| seen.push(p))?;
        Ok((String::from_utf8(out).unwrap(), stats, seen))
    }

    #[test]
    fn streamed_rows_are_the_sorted_rows_in_input_order() {
        // The default scenario over the whole catalogue, in chunks of 1000:
        // the same rows, byte for byte, as the in-memory analysis writes
        // nearest-first.
        let scenario = scenario("nato@2019-08-02");
        let text = catalogue_csv();
        let filter = CityFilter {
            min_population: 20_000,
        };
        for all in [true, false] {
            let (streamed, stats, seen) = run(&scenario, filter, all, &text, 1000).unwrap();
            let cities = crate::cities::embedded().unwrap();
            let results = analysis::analyze(&scenario, cities, filter);
            let rows: Vec<&analysis::CityResult<'_>> = results
                .iter()
                .filter(|r| all || r.class != BandClass::Beyond)
                .collect();
            let mut sorted = Vec::new();
            cities_csv::write(&mut sorted, &scenario, &rows).unwrap();
            let sorted = String::from_utf8(sorted).unwrap();
            let mut a: Vec<&str> = streamed.lines().collect();
            let mut b: Vec<&str> = sorted.lines().collect();
            assert_eq!(a[0], b[0], "header");
            assert_eq!(a.len(), b.len());
            assert_ne!(a, b, "input order differs from nearest-first");
            a.sort_unstable();
            b.sort_unstable();
            assert_eq!(a, b);
            assert_eq!(stats.rows_read, 34_006);
            assert_eq!(stats.rows_written as usize, rows.len());
            assert_eq!(stats.rows_classified as usize, results.len());
            assert_eq!(seen.len(), 35);
            assert_eq!(seen.last().unwrap().bytes, text.len() as u64);
            // Input order: geonameids ascend.
            let ids: Vec<u64> = streamed
                .lines()
                .skip(1)
                .map(|l| l.rsplit(',').nth(1).unwrap().parse().unwrap())
                .collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn an_error_in_a_late_chunk_stops_the_run() {
        let scenario = scenario("all");
        let mut text = String::from("name,country,lat,lon\n");
        for i in 0..50 {
            text += &format!("C{i},PL,{}.5,20\n", i % 80);
        }
        text += "Bad,PL,50,181\n";
        for i in 0..50 {
            text += &format!("D{i},PL,10,20\n");
        }
        let err = run(&scenario, CityFilter::default(), true, &text, 4)
            .unwrap_err()
            .to_string();
        assert_eq!(
            err,
            "cities.csv, line 52, field `lon`: longitude 181 is outside [-180, 180] degrees"
        );
    }

    #[test]
    fn a_failed_write_stops_the_reader() {
        /// Takes 100 kB, then fails like a closed pipe.
        struct Full(usize);
        impl Write for Full {
            fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
                if self.0 + bytes.len() > 100_000 {
                    return Err(std::io::ErrorKind::BrokenPipe.into());
                }
                self.0 += bytes.len();
                Ok(bytes.len())
            }
            fn flush(&mut self) -> std::io::Result<()> {
                Ok(())
            }
        }
        let scenario = scenario("all");
        let engine = Engine::new(&scenario.sites, &scenario.bands);
        let text = catalogue_csv();
        let reader = CityReader::new(text.as_bytes(), "c.csv")
            .unwrap()
            .with_chunk_rows(10);
        let pipeline = CsvPipeline {
            scenario: &scenario,
            engine: &engine,
            filter: CityFilter::default(),
            all: true,
        };
        let err = pipeline.run(reader, &mut Full(0), &mut |_| {}).unwrap_err();
        assert!(
            matches!(err, Error::Io { source, .. } if source.kind() == std::io::ErrorKind::BrokenPipe)
        );
    }
}
