//! `portsim compare`: two policies of one scenario (or two scenarios), paired by
//! replication with common random numbers — or, with `--independent`, unpaired.

use std::path::PathBuf;

use clap::Args;

use portsim::api::compare::{CompareRequest, compare_sides, parse_policies};
use portsim::api::unstable::fail_on_unstable;
use portsim::report::export::Format;

use super::terminal::Terminal;
use super::{Failure, SimArgs, print_doc};

/// Flags of `portsim compare`.
#[derive(Args)]
pub struct CompareArgs {
    /// One scenario file with --policies A,B, or two files A and B (B is compared
    /// against A).
    #[arg(required = true, num_args = 1..=2, value_name = "SCENARIO")]
    pub scenarios: Vec<PathBuf>,
    /// The two policies of the one scenario to compare: A,B (B against A).
    #[arg(long, value_name = "A,B")]
    pub policies: Option<String>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Override one value of side A alone: PATH=VALUE (repeatable). With one scenario
    /// and no --policies, compares the scenario against itself with the value changed,
    /// e.g. --set-a modes.air-cargo.fast_track=false
    #[arg(long = "set-a", value_name = "PATH=VALUE")]
    pub set_a: Vec<String>,
    /// Override one value of side B alone: PATH=VALUE (repeatable).
    #[arg(long = "set-b", value_name = "PATH=VALUE")]
    pub set_b: Vec<String>,
    /// Print the comparison as one JSON document (schema portsim.compare/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Run B with a seed derived from A's (A's seed with bit 62 flipped) and report
    /// unpaired (Welch) intervals: how much the pairing gains.
    #[arg(long)]
    pub independent: bool,
    /// Draw both sides' figures (one series each) and report.html into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Write compare.json (with every replication's values of both sides, the paired
    /// differences and both summaries), compare.csv (tidy: a row per replication ×
    /// entity × figure) and scenario-a.toml, scenario-b.toml into DIR; `portsim plot
    /// DIR/compare.json` redraws the figures.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// Let --out and --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 (after printing and drawing everything) when either side's run is flagged
    /// unstable: an overloaded pool, shipments left unreleased or turned away.
    #[arg(long)]
    pub fail_on_unstable: bool,
}

/// Runs A and B and prints the comparison.
pub fn compare(args: CompareArgs) -> Result<(), Failure> {
    let quiet = args.sim.quiet;
    let request = CompareRequest {
        scenarios: args.scenarios,
        policies: args.policies.as_deref().map(parse_policies).transpose()?,
        sim: args.sim.settings(),
        only: [args.set_a, args.set_b],
        independent: args.independent,
        plots: args.plots,
        out: args.out,
        force: args.force,
    };
    let outcome = compare_sides(&request, &Terminal::with_progress(quiet, "replications"))?;
    print_doc(&outcome.report(), Format::from_json_flag(args.json))?;
    if args.fail_on_unstable {
        fail_on_unstable(&outcome.unstable_parts())?;
    }
    Ok(())
}
