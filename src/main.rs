//! The `infrange` command: parse arguments, run, print, map errors to exit
//! codes. Everything else lives in the library.

mod cli;

use std::process::ExitCode;

fn main() -> ExitCode {
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
