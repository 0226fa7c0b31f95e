//! The streaming analysis: a city table of any size in, the cities CSV out,
//! in input order, with memory bounded by the sites and one chunk of rows.
//!
//! A reader thread parses chunks ([`crate::stream::CityReader`]). Each chunk
//! is split into blocks of rows, and each block is one task on the thread
//! pool: filter (allies, population), classify with the [`Engine`] and
//! format the rows into bytes with [`Formatter`] (the same code as the
//! sorted CSV). The calling thread hands out the tasks and writes the blocks
//! in input order as they complete; workers go on to the next chunk without
//! waiting for the slowest block or for the writer. At most three chunks
//! exist at a time.
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
use std::collections::VecDeque;
use std::io::{Read, Write};
use std::sync::{mpsc, Arc, Mutex};
use std::time::{Duration, Instant};

/// Rows classified and formatted per parallel task.
const BLOCK_ROWS: usize = 1024;

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
    /// Data rows read, including the sections left out.
    pub rows_read: u64,
    /// Rows left out as sections of cities (GeoNames feature code `PPLX`;
    /// see [`CityReader::keep_sections`]).
    pub sections_dropped: u64,
    /// Rows that passed the city filter and were classified.
    pub rows_classified: u64,
    /// Rows written (after band selection).
    pub rows_written: u64,
    /// Bytes of input consumed.
    pub bytes_read: u64,
    /// Reading and parsing, on the reader thread (overlaps the rest).
    pub parse: Duration,
    /// Filtering, classifying and formatting, summed over the worker
    /// threads (so up to the number of cores times `total`).
    pub classify: Duration,
    /// Writing the formatted rows.
    pub write: Duration,
    /// Waiting for the reader thread with nothing else to do (parsing that
    /// did not overlap).
    pub wait: Duration,
    /// Wall-clock time of the run.
    pub total: Duration,
}

impl CsvPipeline<'_> {
    /// Read every chunk of `reader`, write the header and the selected rows
    /// to `out` in input order, and call `progress` after each chunk.
    ///
    /// On an error (bad input or failed write), rows of earlier chunks may
    /// have been written already: write to a temporary file (e.g. with
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

        let (busy, read) = std::thread::scope(|scope| {
            // Chunk slots go round: reader → `chunks` → tasks and writer →
            // `recycle` → reader. There are `CHUNKS` of them, so the reader
            // can be at most that far ahead of the writer.
            let (chunks_tx, chunks_rx) = mpsc::channel::<Result<Chunk>>();
            let (recycle_tx, recycle_rx) = mpsc::channel::<Chunk>();
            let parser = scope.spawn(move || {
                let mut busy = Duration::ZERO;
                let mut made = 0;
                loop {
                    let mut chunk = match recycle_rx.try_recv() {
                        Ok(chunk) => chunk,
                        Err(_) if made < CHUNKS => {
                            made += 1;
                            Chunk::default()
                        }
                        // The writer stopped (an error) if the channel closed.
                        Err(_) => match recycle_rx.recv() {
                            Ok(chunk) => chunk,
                            Err(_) => break,
                        },
                    };
                    let t = Instant::now();
                    let read = reader.next_chunk(&mut chunk);
                    busy += t.elapsed();
                    let (message, more) = match read {
                        Ok(true) => (Ok(chunk), true),
                        Ok(false) => break,
                        Err(e) => (Err(e), false),
                    };
                    if chunks_tx.send(message).is_err() || !more {
                        break;
                    }
                }
                // The whole input, with what the last (empty) chunk read.
                (busy, reader.progress())
            });
            let consumed = rayon::in_place_scope(|tasks| {
                Writer {
                    pipeline: self,
                    formatter: &formatter,
                    tasks,
                    out,
                    stats: &mut stats,
                }
                .run(&chunks_rx, &recycle_tx, progress)
            });
            // Unblock the reader thread if it waits for a chunk slot.
            drop(recycle_tx);
            let (busy, read) = parser
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
            consumed.map(|()| (busy, read))
        })?;
        stats.parse = busy;
        (stats.rows_read, stats.bytes_read) = (read.rows, read.bytes);
        stats.sections_dropped = read.sections;
        stats.total = start.elapsed();
        Ok(stats)
    }

    /// Filter, classify and format one block of rows into `block`.
    fn block(&self, formatter: &Formatter<'_>, cities: &[City], block: &mut Block) {
        let t = Instant::now();
        let selected: Vec<&City> = cities
            .iter()
            .filter(|city| selects(self.scenario, self.filter, city))
            .collect();
        let points: Vec<(f64, f64)> = selected.iter().map(|c| (c.lon_deg, c.lat_deg)).collect();
        block.classified = selected.len();
        self.engine.classify_each(&points, |i, c| {
            if self.all || c.class != BandClass::Beyond {
                formatter.row(&mut block.bytes, Row::new(selected[i], &c));
                block.rows += 1;
            }
        });
        block.busy = t.elapsed();
    }
}

/// Chunks in existence at a time: one being read, the rest being classified
/// or written.
const CHUNKS: usize = 3;

/// Chunks being classified at a time (the rest of [`CHUNKS`] keep the reader
/// busy).
const CHUNKS_CLASSIFYING: usize = CHUNKS - 1;

/// One block of rows, filtered, classified and formatted by one task.
#[derive(Debug, Default)]
struct Block {
    bytes: Vec<u8>,
    /// Rows formatted into `bytes`.
    rows: usize,
    /// Rows that passed the filter.
    classified: usize,
    /// Time the task took.
    busy: Duration,
}

/// What a task sends back: its chunk's number, its block's index in the
/// chunk, and the block (or the task's panic).
type Done = (u64, usize, std::thread::Result<Block>);

/// A chunk whose blocks are being classified or written.
struct Pending {
    chunk: Arc<Chunk>,
    blocks: Vec<Option<Block>>,
    written: usize,
}

/// The calling thread's part of [`CsvPipeline::run`]: it hands each chunk
/// to the thread pool as tasks of [`BLOCK_ROWS`] rows and writes their
/// blocks in input order as they complete. Workers go from one chunk to
/// the next without waiting for the writer or for the slowest block.
struct Writer<'a, 's> {
    pipeline: &'s CsvPipeline<'s>,
    formatter: &'s Formatter<'s>,
    tasks: &'a rayon::Scope<'s>,
    out: &'a mut dyn Write,
    stats: &'a mut Stats,
}

impl<'s> Writer<'_, 's> {
    fn run(
        self,
        chunks: &mpsc::Receiver<Result<Chunk>>,
        recycle: &mpsc::Sender<Chunk>,
        progress: &mut dyn FnMut(Progress),
    ) -> Result<()> {
        let (done_tx, done_rx) = mpsc::channel::<Done>();
        // Byte buffers of written blocks, for the next tasks.
        let spare = Arc::new(Mutex::new(Vec::<Vec<u8>>::new()));
        let mut pending: VecDeque<Pending> = VecDeque::new();
        // The number of `pending.front()`, and of the next chunk to come.
        let (mut first, mut next) = (0u64, 0u64);
        let mut input_done = false;
        loop {
            if !input_done && pending.len() < CHUNKS_CLASSIFYING {
                let t = Instant::now();
                let received = chunks.recv();
                if pending.is_empty() {
                    self.stats.wait += t.elapsed();
                }
                match received {
                    Ok(chunk) => {
                        let chunk = Arc::new(chunk?);
                        self.spawn(&chunk, next, &done_tx, &spare);
                        let blocks = chunk.len().div_ceil(BLOCK_ROWS);
                        pending.push_back(Pending {
                            chunk,
                            blocks: std::iter::repeat_with(|| None).take(blocks).collect(),
                            written: 0,
                        });
                        next += 1;
                    }
                    // The reader thread ended: the input is read.
                    Err(mpsc::RecvError) => input_done = true,
                }
            } else if pending.is_empty() {
                return Ok(());
            } else {
                // Never an error: this thread holds a sender.
                if let Ok(done) = done_rx.recv() {
                    file(done, first, &mut pending);
                }
            }
            while let Ok(done) = done_rx.try_recv() {
                file(done, first, &mut pending);
            }
            // Write the blocks that are next in input order.
            while let Some(front) = pending.front_mut() {
                while let Some(block) = front.blocks.get_mut(front.written).and_then(Option::take) {
                    let t = Instant::now();
                    write_all(self.out, &block.bytes)?;
                    self.stats.write += t.elapsed();
                    self.stats.rows_written += block.rows as u64;
                    self.stats.rows_classified += block.classified as u64;
                    self.stats.classify += block.busy;
                    front.written += 1;
                    lock(&spare).push(block.bytes);
                }
                if front.written < front.blocks.len() {
                    break;
                }
                let Some(Pending { chunk, .. }) = pending.pop_front() else {
                    break;
                };
                first += 1;
                let p = chunk.progress();
                (self.stats.rows_read, self.stats.bytes_read) = (p.rows, p.bytes);
                progress(p);
                // Every task has dropped its handle before reporting done.
                let chunk = Arc::into_inner(chunk).unwrap_or_default();
                // The reader may have finished; then the chunk is dropped.
                let _ = recycle.send(chunk);
            }
        }
    }

    /// Start one task per block of the chunk numbered `number`.
    fn spawn(
        &self,
        chunk: &Arc<Chunk>,
        number: u64,
        done: &mpsc::Sender<Done>,
        spare: &Arc<Mutex<Vec<Vec<u8>>>>,
    ) {
        for index in 0..chunk.len().div_ceil(BLOCK_ROWS) {
            let (chunk, done, spare) = (Arc::clone(chunk), done.clone(), Arc::clone(spare));
            let (pipeline, formatter) = (self.pipeline, self.formatter);
            self.tasks.spawn(move |_| {
                let block = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let mut block = Block {
                        bytes: lock(&spare).pop().unwrap_or_default(),
                        ..Block::default()
                    };
                    block.bytes.clear();
                    let rows = index * BLOCK_ROWS..((index + 1) * BLOCK_ROWS).min(chunk.len());
                    pipeline.block(formatter, &chunk.cities()[rows], &mut block);
                    block
                }));
                drop(chunk);
                // The writer only stops listening when it stops on an error.
                let _ = done.send((number, index, block));
            });
        }
    }
}

/// File a finished block under its chunk (`first` is the number of the
/// oldest pending chunk), or resume a task's panic.
fn file((number, index, block): Done, first: u64, pending: &mut VecDeque<Pending>) {
    let block = block.unwrap_or_else(|panic| std::panic::resume_unwind(panic));
    let slot = usize::try_from(number - first)
        .ok()
        .and_then(|k| pending.get_mut(k))
        .and_then(|p| p.blocks.get_mut(index));
    debug_assert!(slot.is_some(), "block {index} of chunk {number} is pending");
    if let Some(slot) = slot {
        *slot = Some(block);
    }
}

/// The buffer pool, which no task can leave poisoned (they only push and pop).
fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
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
        // The default scenario over the whole catalogue, in chunks: the
        // same rows, byte for byte, as the in-memory analysis writes
        // nearest-first; then a scenario with times of flight (SS-20s
        // against NATO of 1987, West Germany only).
        let text = catalogue_csv();
        for scenario in [
            scenario("nato@2019-08-02"),
            crate::scenario::load("ss20-1987").unwrap(),
        ] {
            streamed_matches_sorted(&scenario, &text);
        }
    }

    fn streamed_matches_sorted(scenario: &Scenario, text: &str) {
        let scenario = scenario.clone();
        let filter = CityFilter {
            min_population: 20_000,
        };
        // One block per chunk, several blocks per chunk (the last one
        // short), and the default chunk size.
        let cases = [(true, 1000), (false, 1000), (true, 5000), (false, 16_384)];
        for (all, chunk_rows) in cases {
            let (streamed, stats, seen) = run(&scenario, filter, all, text, chunk_rows).unwrap();
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
            let catalogue = crate::cities::embedded().unwrap().len();
            assert_eq!(stats.rows_read, catalogue as u64);
            assert_eq!(stats.sections_dropped, 0, "a CSV has no sections");
            assert_eq!(stats.rows_written as usize, rows.len());
            assert_eq!(stats.rows_classified as usize, results.len());
            assert_eq!(seen.len(), catalogue.div_ceil(chunk_rows));
            assert!(seen.windows(2).all(|w| w[0].rows < w[1].rows));
            assert_eq!(seen.last().unwrap().bytes, text.len() as u64);
            // Input order: geonameids ascend.
            let ids: Vec<u64> = streamed
                .lines()
                .skip(1)
                .map(|l| l.rsplit(',').nth(2).unwrap().parse().unwrap())
                .collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]));
        }
    }

    #[test]
    fn sections_are_counted_to_the_last_row() {
        // Hamburg, then two of its boroughs (PPLX), the last after the last
        // city, so only the reader's final call finds it.
        let row = |id: u32, name: &str, code: &str, pop: u32| {
            format!("{id}\t{name}\t{name}\t\t53.55\t10.0\tP\t{code}\tDE\t\t04\t\t\t\t{pop}\t\t8\tEurope/Berlin\t2023-01-01\n")
        };
        let text = row(2_911_298, "Hamburg", "PPLA", 1_973_896)
            + &row(2_911_285, "Wandsbek", "PPLX", 411_422)
            + &row(8_354_626, "Hamburg-Nord", "PPLX", 315_514);
        let (out, stats, _) = run(&scenario("all"), CityFilter::default(), true, &text, 1).unwrap();
        assert_eq!(out.lines().count(), 2, "header and Hamburg");
        assert_eq!(
            (stats.rows_read, stats.sections_dropped, stats.rows_written),
            (3, 2, 1)
        );
        assert_eq!(stats.bytes_read, text.len() as u64);
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
        assert!(err.is_broken_pipe());
    }
}
