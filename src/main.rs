//! The `infrange` command: parse arguments, run, print, map errors to exit
//! codes. Everything else lives in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
    // SIGINT, SIGTERM, SIGHUP: remove every temporary file and folder, then
    // exit as a process killed by SIGINT does (128 + 2).
    let _ = ctrlc::set_handler(|| {
        infrange::export::atomic::remove_pending();
        eprintln!(
            "infrange: interrupted; temporary files removed, earlier outputs left as they were"
        );
        std::process::exit(130);
    });
    let args = <cli::args::Cli as clap::Parser>::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) if cli::is_broken_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("infrange: error: {err:#}");
            ExitCode::from(2)
        }
    }
}
