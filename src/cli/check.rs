//! `portsim check`: run scenarios and compare them with a stored baseline.

use std::path::PathBuf;

use clap::{Args, ValueEnum};

use portsim::api::check::{CheckRequest, check as run_check};
use portsim::check::{Method, Settings};
use portsim::experiment::precision::parse_share;
use portsim::report::export::{Check, Format};

use super::terminal::Terminal;
use super::{Failure, SimArgs, print_doc};

/// How `check` compares (see [`Method`]).
#[derive(Clone, Copy, ValueEnum)]
pub enum MethodArg {
    /// Byte-identical summaries apart from timing (one platform).
    Exact,
    /// Significant differences of means (paired t-tests with the baseline's seed and
    /// replications, else Welch; Holm) and quantiles beyond --tolerance.
    Statistical,
}

/// Flags of `portsim check`.
#[derive(Args)]
pub struct CheckArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    /// The baseline file (JSON, schema portsim.baseline/1).
    #[arg(long, value_name = "FILE", required = true)]
    pub baseline: PathBuf,
    /// Record these scenarios' results as the new baseline (other entries are kept), after
    /// printing what moved against the entries they replace.
    #[arg(long)]
    pub update: bool,
    /// Also write the verdicts as JUnit XML to FILE (not when recording).
    #[arg(long, value_name = "FILE", conflicts_with = "update")]
    pub junit: Option<PathBuf>,
    /// Print the check as one JSON document (schema portsim.check/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// How to compare with the baseline.
    #[arg(long, value_enum, default_value = "statistical")]
    pub method: MethodArg,
    /// Relative tolerance for quantiles (statistical method), e.g. 5%.
    #[arg(long, value_name = "SHARE", default_value = "5%", allow_hyphen_values = true,
          value_parser = parse_tolerance)]
    pub tolerance: f64,
    #[command(flatten)]
    pub sim: SimArgs,
}

fn parse_tolerance(text: &str) -> Result<f64, String> {
    parse_share("--tolerance", text)
}

/// Runs each scenario, then compares with (or, with `--update`, records) the baseline.
pub fn check(args: CheckArgs) -> Result<(), Failure> {
    let quiet = args.sim.quiet;
    let request = CheckRequest {
        scenarios: args.scenarios,
        baseline: args.baseline,
        update: args.update,
        junit: args.junit,
        settings: Settings {
            method: match args.method {
                MethodArg::Exact => Method::Exact,
                MethodArg::Statistical => Method::Statistical,
            },
            alpha: 0.05,
            tolerance: args.tolerance,
        },
        sim: args.sim.settings(),
    };
    let outcome = run_check(&request, &Terminal::with_progress(quiet, "replications"))?;
    // When recording, only what an update replaces is shown; a first recording has
    // nothing to show, and `--json` still prints its one document.
    if args.json || !args.update || outcome.compared > 0 {
        let doc = Check {
            report: &outcome.report,
            update: args.update,
        };
        print_doc(&doc, Format::from_json_flag(args.json))?;
    }
    if let Some((n, all)) = outcome.recorded {
        eprintln!(
            "recorded {n} scenario(s) in {} ({} new, {} replaced with {} figure(s) moved; {all} in all)",
            request.baseline.display(),
            n - outcome.compared,
            outcome.compared,
            outcome.moved
        );
    }
    outcome.verdict(&request.baseline)?;
    Ok(())
}
