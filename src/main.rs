//! The `portsim` command line: parses arguments, calls the library, prints.
//!
//! Exit codes (listed by `portsim --help`, constants in `cli`):
//! - 0 success;
//! - 1 a check found results moved, a staffing target was not met, or
//!   `--fail-on-unstable` found an unstable result;
//! - 2 bad input: a file, flag or value the user gave (one located message);
//! - 3 an internal or environment failure, not caused by the input: worker threads that
//!   cannot start, Ctrl-C that cannot be handled, an accepted destination (`--out`,
//!   `--plots`, `--trace`, `--junit`, the baseline) or standard output that cannot be
//!   written (a full disk);
//! - 130 a sweep stopped by Ctrl-C.

mod cli;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Discrete-event simulator of customs clearance throughput at a city's ports.
#[derive(Parser)]
#[command(
    name = "portsim",
    version,
    about,
    propagate_version = true,
    arg_required_else_help = true,
    after_help = cli::EXIT_CODES_HELP
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Simulate scenarios and summarise clearance times and pool figures.
    #[command(after_help = cli::example_help!("portsim run scenarios/chongqing-2016.toml scenarios/chongqing-2017.toml --replications 20"))]
    Run(cli::run::RunArgs),
    /// Compare two policies of a scenario (or two scenarios), paired by replication.
    #[command(after_help = cli::example_help!("portsim compare scenarios/chongqing-2017.toml --policies business-hours,7x24"))]
    Compare(cli::compare::CompareArgs),
    /// Find the smallest staffing (any whole-number scenario value) that meets clearance targets.
    #[command(after_help = cli::example_help!("portsim staff scenarios/chongqing-peak-2017.toml --vary pools.release.rosters.7x24.0.staff --target \"p90<=24h\" --max 30"))]
    Staff(cli::staff::StaffArgs),
    /// Design the cheapest roster (shifts and headcounts by day type) that keeps a per-hour delay probability or clearance targets.
    #[command(after_help = cli::example_help!("portsim roster scenarios/chongqing-peak-2017.toml --pool review --window 2017-01-06..2017-01-26 --target \"p90<=24h\""))]
    Roster(cli::roster::RosterArgs),
    /// Vary scenario values one at a time, paired with the base run, and rank their effect on clearance.
    #[command(after_help = cli::example_help!("portsim sensitivity scenarios/chongqing-2017.toml --vary pools.release.rosters.7x24.0.staff --vary modes.road.arrivals.rate_per_hour"))]
    Sensitivity(cli::sensitivity::SensitivityArgs),
    /// Run every variant of a sweep file (or one shard of its jobs).
    #[command(after_help = cli::example_help!("portsim sweep scenarios/sweeps/lny-staffing.toml --out results/lny --plots figures/lny"))]
    Sweep(cli::sweep::SweepArgs),
    /// Combine a sweep's shard directories into its results.
    #[command(after_help = cli::example_help!("portsim merge results/shard-1 results/shard-2 --out results/all"))]
    Merge(cli::merge::MergeArgs),
    /// Run scenarios and compare their results with a stored baseline (exit 1 when they moved).
    #[command(after_help = cli::example_help!("portsim check scenarios/*.toml --baseline scenarios/baseline.json"))]
    Check(cli::check::CheckArgs),
    /// Redraw figures and report.html from saved results.
    #[command(after_help = cli::example_help!("portsim plot results/run/summary.json --out figures/"))]
    Plot(cli::plot::PlotArgs),
    /// Print a JSON Schema of the scenario file format (for editors).
    #[command(after_help = cli::example_help!("portsim schema > portsim.schema.json"))]
    Schema,
    /// Check scenario files without simulating.
    #[command(after_help = cli::example_help!("portsim validate scenarios/*.toml"))]
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
        Err(e) if e.kind() == clap::error::ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            // Bare `portsim`: the command list, on stderr, as the usage error it is.
            let _ = e.print();
            return ExitCode::from(cli::EXIT_BAD_INPUT);
        }
        Err(e) => {
            // One line: clap's first line names the flag and what was expected.
            // A first line ending in ':' continues on indented lines ("the following
            // required arguments were not provided:\n  --out <DIR>"): join them.
            let text = e.render().to_string();
            let mut lines = text.lines().filter(|l| !l.trim().is_empty());
            let mut message = lines
                .next()
                .unwrap_or("error: invalid arguments")
                .trim_end()
                .to_string();
            if message.ends_with(':') {
                let more: Vec<&str> = lines
                    .take_while(|l| l.starts_with(' ') && !l.trim_start().starts_with("Usage"))
                    .map(str::trim)
                    .collect();
                message = format!("{} {}", message, more.join(", "));
            }
            // clap's suggestion ("tip: a similar argument exists: '--json'") is kept on
            // the same line.
            let tips: Vec<&str> = text
                .lines()
                .map(str::trim)
                .filter(|l| l.starts_with("tip:"))
                .collect();
            if !tips.is_empty() {
                message = format!("{message}; {}", tips.join("; "));
            }
            eprintln!("{message} (see portsim --help)");
            return ExitCode::from(cli::EXIT_BAD_INPUT);
        }
    };
    // The documentation's test: every command the README and the guide show must be one
    // portsim accepts, flags and values included, without running them all.
    if std::env::var_os("PORTSIM_PARSE_ONLY").is_some() {
        println!("parsed");
        return ExitCode::SUCCESS;
    }
    let result = match cli.command {
        Command::Run(args) => cli::run::run(args),
        Command::Compare(args) => cli::compare::compare(args),
        Command::Staff(args) => cli::staff::staff(args),
        Command::Roster(args) => cli::roster::roster(args),
        Command::Sensitivity(args) => cli::sensitivity::sensitivity(args),
        Command::Sweep(args) => cli::sweep::sweep(args),
        Command::Merge(args) => cli::merge::merge(args),
        Command::Plot(args) => cli::plot::plot(args),
        Command::Check(args) => cli::check::check(args),
        Command::Schema => cli::schema::schema(),
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
