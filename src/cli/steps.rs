//! What a long command is doing, on standard error: a spinner naming the current step (a bar
//! over the sites while band polygons are built) when standard error is a terminal, and, with
//! `--timings`, how long each step took.

use indicatif::{ProgressBar, ProgressStyle};
use std::io::IsTerminal;
use std::time::{Duration, Instant};

/// The steps of one command.
pub struct Steps {
    bar: ProgressBar,
    started: Instant,
    current: Option<(&'static str, Instant)>,
    done: Vec<(&'static str, Duration)>,
    timings: bool,
}

impl Steps {
    /// Shown on a terminal; `timings`: print the time of each step at the end.
    pub fn new(timings: bool) -> Self {
        let bar = if std::io::stderr().is_terminal() {
            let bar = ProgressBar::new_spinner().with_style(spinner_style());
            bar.enable_steady_tick(Duration::from_millis(120));
            bar
        } else {
            ProgressBar::hidden()
        };
        Self {
            bar,
            started: Instant::now(),
            current: None,
            done: Vec::new(),
            timings,
        }
    }

    /// Ends the current step and starts `name` (e.g. "analysing cities").
    pub fn step(&mut self, name: &'static str) {
        self.end_current();
        // The spinner's style first, so that a counted step's bar is never drawn emptied.
        self.bar.set_style(spinner_style());
        self.bar.set_length(0);
        self.bar.set_message(format!("{name}…"));
        self.current = Some((name, Instant::now()));
    }

    /// Ends the current step and starts `name`, counted over `total` items (`per`: what an
    /// item is, e.g. "sites"); the returned bar is advanced by the work.
    pub fn counted(&mut self, name: &'static str, total: u64, per: &'static str) -> ProgressBar {
        self.step(name);
        if !self.bar.is_hidden() {
            self.bar.set_style(
                ProgressStyle::with_template(&format!(
                    "{{spinner}} {{elapsed:>3}} {name} [{{wide_bar}}] {{pos}}/{{len}} {per} (ETA {{eta}})"
                ))
                .expect("a valid progress template")
                .progress_chars("=> "),
            );
            self.bar.set_length(total);
            self.bar.set_position(0);
        }
        self.bar.clone()
    }

    fn end_current(&mut self) {
        if let Some((name, at)) = self.current.take() {
            self.done.push((name, at.elapsed()));
        }
    }

    /// Clears the display; with `--timings`, prints each step's time on standard error.
    pub fn finish(mut self) {
        self.end_current();
        self.bar.finish_and_clear();
        if self.timings {
            let steps: Vec<String> = self
                .done
                .iter()
                .map(|(name, d)| format!("{name} {:.2} s", d.as_secs_f64()))
                .collect();
            eprintln!(
                "infrange: {:.2} s in all: {}",
                self.started.elapsed().as_secs_f64(),
                steps.join(", ")
            );
        }
    }
}

/// A spinner, the time since the command started and the step's name.
fn spinner_style() -> ProgressStyle {
    ProgressStyle::with_template("{spinner} {elapsed:>3} {msg}").expect("a valid progress template")
}
