//! `portsim sensitivity`: one-at-a-time sensitivity of clearance (or of a policy effect)
//! to scenario values, each paired with the base run on common random numbers.

use std::path::PathBuf;

use clap::Args;

use portsim::api::compare::parse_policies;
use portsim::api::sensitivity::{DEFAULT_BY, SensitivityRequest, parse_by, sensitivity as analyse};
use portsim::report::export::Format;

use super::terminal::Terminal;
use super::{Failure, SimArgs, print_doc};

/// Flags of `portsim sensitivity`.
#[derive(Args)]
pub struct SensitivityArgs {
    /// Scenario file (TOML).
    pub scenario: PathBuf,
    /// A scenario value to vary, a --set path holding a number, a duration or a
    /// distribution of durations, e.g. pools.review.staff or
    /// modes.road.arrivals.rate_per_hour (repeatable: each is varied on its own).
    #[arg(long = "vary", value_name = "PATH", required = true)]
    pub vary: Vec<String>,
    /// The relative change of each value without --range: its low and high values are
    /// the base ∓ this share (whole numbers rounded, by at least 1), above 0 and below
    /// 100 % (default 25%).
    #[arg(long, value_name = "SHARE", allow_hyphen_values = true, value_parser = parse_by)]
    pub by: Option<f64>,
    /// Explicit low and high values of a varied path, PATH=LOW..HIGH, written as --set
    /// values (numbers, durations such as 90m; for a distribution, the mean to scale it
    /// to) (repeatable).
    #[arg(
        long = "range",
        value_name = "PATH=LOW..HIGH",
        allow_hyphen_values = true
    )]
    pub ranges: Vec<String>,
    /// Two policies A,B: the figure is the policy effect B − A at the low, base and high
    /// values.
    #[arg(long, value_name = "A,B")]
    pub policies: Option<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the analysis as one JSON document (schema portsim.sensitivity/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write sensitivity.json and sensitivity.csv into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Draw tornado charts (PNG and SVG) into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Let --out and --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
}

/// Runs the analysis and prints it.
pub fn sensitivity(args: SensitivityArgs) -> Result<(), Failure> {
    let quiet = args.sim.quiet;
    let request = SensitivityRequest {
        scenario: args.scenario,
        vary: args.vary,
        by: args.by.unwrap_or(DEFAULT_BY),
        ranges: args.ranges,
        policies: args.policies.as_deref().map(parse_policies).transpose()?,
        sim: args.sim.settings(),
        out: args.out,
        plots: args.plots,
        force: args.force,
    };
    let outcome = analyse(&request, &Terminal::with_progress(quiet, "runs"))?;
    print_doc(&outcome.document, Format::from_json_flag(args.json))?;
    Ok(())
}
