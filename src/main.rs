//! The `portsim` command line: parses arguments, calls the library, prints.
//!
//! Exit codes: 0 success; 1 a check or target failed; 2 bad input (file, flag, value).

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Discrete-event simulator of customs clearance throughput at a city's ports.
#[derive(Parser)]
#[command(name = "portsim", version, about, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate scenarios and summarise clearance times and pool figures.
    Run(cli::run::RunArgs),
    /// Check scenario files without simulating.
    Validate {
        /// Scenario files (TOML).
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
}

fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) if !e.use_stderr() => {
            // --help and --version
            let _ = e.print();
            return ExitCode::SUCCESS;
        }
        Err(e) => {
            // One line: clap's first line names the flag and what was expected.
            let text = e.render().to_string();
            let first = text
                .lines()
                .find(|l| !l.trim().is_empty())
                .unwrap_or("error: invalid arguments");
            eprintln!("{} (see portsim --help)", first.trim_end());
            return ExitCode::from(2);
        }
    };
    let result = match cli.command {
        Command::Run(args) => cli::run::run(args),
        Command::Validate { scenarios } => cli::validate::validate(&scenarios),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(f) => {
            eprintln!("error: {}", f.message);
            ExitCode::from(f.code)
        }
    }
}
