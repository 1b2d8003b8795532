//! The `deepday` binary: parses the command line, runs one command, and turns any error into
//! a one-line message and a non-zero exit code.

mod args;
mod commands;
mod plot;
mod progress;
mod report;

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    // Internal bugs still end in a message, not a backtrace dump.
    std::panic::set_hook(Box::new(|info| {
        eprintln!("deepday: internal error: {info} (please report it)");
    }));
    let cli = args::Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("deepday: error: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(cli: args::Cli) -> anyhow::Result<()> {
    if let Some(threads) = cli.threads {
        anyhow::ensure!(threads >= 1, "--threads must be at least 1");
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build_global()?;
    }
    commands::run(cli.command)
}
