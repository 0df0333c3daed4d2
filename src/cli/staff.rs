//! `portsim staff`: the smallest staffing that meets clearance targets.

use std::path::PathBuf;

use clap::Args;

use portsim::api::staff::{StaffRequest, staff as search};
use portsim::report::export::Format;

use super::terminal::Terminal;
use super::{Failure, SimArgs, print_doc};

/// Flags of `portsim staff`.
#[derive(Args)]
pub struct StaffArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A clearance target, [MODE.]METRIC<=DURATION with METRIC mean, p50, p90, p95 or
    /// p99, e.g. "p90<=12h" or "air-cargo.mean<8h" (repeatable: all must be met; no
    /// MODE: the headline modes together).
    #[arg(long = "target", value_name = "TARGET", required = true)]
    pub targets: Vec<String>,
    /// The scenario value to search, a --set path taking a whole number, e.g.
    /// pools.review.staff or "peaks.Lunar New Year rush.extra_staff.review" (repeatable:
    /// every path gets the same value).
    #[arg(long = "vary", value_name = "PATH", required = true)]
    pub vary: Vec<String>,
    /// Smallest value to try (0 to 1000000).
    #[arg(long, default_value_t = 1, allow_hyphen_values = true, value_parser = parse_value)]
    pub min: i64,
    /// Largest value to try (it runs first: if it fails, there is no answer, exit 1).
    #[arg(long, allow_hyphen_values = true, value_parser = parse_value)]
    pub max: i64,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the search as one JSON document (schema portsim.staff/1) on stdout.
    #[arg(long)]
    pub json: bool,
}

fn parse_value(text: &str) -> Result<i64, String> {
    super::whole(text, 0, 1_000_000)
}

/// Runs the search and prints it; exit 1 when no value in the range meets the targets.
pub fn staff(args: StaffArgs) -> Result<(), Failure> {
    let quiet = args.sim.quiet;
    let request = StaffRequest {
        scenario: args.scenario,
        targets: args.targets,
        vary: args.vary,
        min: args.min,
        max: args.max,
        sim: args.sim.settings(),
    };
    let outcome = search(&request, &Terminal::with_progress(quiet, "replications"))?;
    print_doc(&outcome.report(), Format::from_json_flag(args.json))?;
    outcome.verdict()?;
    Ok(())
}
