//! `portsim run`: simulate scenarios and summarise them.

use std::path::PathBuf;

use clap::Args;

use portsim::api::run::{RunRequest, run as run_scenarios};
use portsim::api::unstable::fail_on_unstable;
use portsim::report::export::{Format, Runs};
use portsim::report::long_csv::CsvFormat;

use super::terminal::Terminal;
use super::{Failure, PrecisionArgs, SimArgs, print_doc};

/// Flags of `portsim run`.
#[derive(Args)]
pub struct RunArgs {
    /// Scenario files (TOML).
    #[arg(required = true)]
    pub scenarios: Vec<PathBuf>,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Print the summary as one JSON document (schema portsim.summary/1) on stdout.
    #[arg(long)]
    pub json: bool,
    /// Write summary.json, replications.csv and scenario.toml into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The CSV files of --out: `wide` (one row per replication, a column per figure) or
    /// `long`, which also writes replications-long.csv beside it: one row per
    /// replication × entity × figure, with the unit of each figure.
    #[arg(long, value_name = "wide|long", default_value = "wide", requires = "out",
          value_parser = CsvFormat::parse)]
    pub format: CsvFormat,
    /// Write one CSV row per counted shipment of the first replication to FILE
    /// (gzip-compressed when FILE ends in .csv.gz; a warning gives the expected size
    /// when it exceeds 100 MB).
    #[arg(long, value_name = "FILE.csv")]
    pub trace: Option<PathBuf>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Draw the figures (PNG and SVG) and report.html into DIR.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Let --out and --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 (after writing every result) when any scenario's run is flagged unstable:
    /// an overloaded pool, shipments left unreleased or turned away.
    #[arg(long)]
    pub fail_on_unstable: bool,
}

/// Runs each scenario and prints its summary (or the scenarios side by side).
pub fn run(args: RunArgs) -> Result<(), Failure> {
    let quiet = args.sim.quiet;
    let request = RunRequest {
        scenarios: args.scenarios,
        sim: args.sim.settings(),
        precision: args.precision.rule(),
        out: args.out,
        trace: args.trace,
        plots: args.plots,
        force: args.force,
        csv_format: args.format,
    };
    let outcomes = run_scenarios(&request, &Terminal::with_progress(quiet, "replications"))?;
    let summaries: Vec<_> = outcomes.iter().map(|o| o.run.summary.clone()).collect();
    print_doc(&Runs(&summaries), Format::from_json_flag(args.json))?;
    if args.fail_on_unstable {
        let verdicts: Vec<(String, Vec<String>)> = outcomes
            .iter()
            .map(|o| (o.scenario.file.clone(), o.run.summary.unstable_parts()))
            .collect();
        fail_on_unstable(&verdicts)?;
    }
    Ok(())
}
