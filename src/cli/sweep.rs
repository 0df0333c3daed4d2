//! `portsim sweep`: run every variant of a sweep file in parallel, writing results as
//! they come; `--shard I/N` runs one slice of the jobs for `portsim merge`.

use std::path::PathBuf;

use clap::Args;

use portsim::api::sweep::{SweepRequest, plan, sweep as run_sweep};
use portsim::api::unstable::fail_on_unstable;
use portsim::experiment::shard::Shard;
use portsim::report::export::{Format, ShardRun, Sweep};
use portsim::report::long_csv::CsvFormat;

use super::terminal::Terminal;
use super::{Failure, PrecisionArgs, SimArgs, print_doc};

/// Flags of `portsim sweep`.
#[derive(Args)]
pub struct SweepArgs {
    /// The sweep file (TOML): a base scenario, axes or variants, replications, seed.
    pub sweep: PathBuf,
    #[command(flatten)]
    pub sim: SimArgs,
    /// Write results.csv, replications.csv and results.json (and the jobs.jsonl journal
    /// that --resume reads) into DIR.
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The CSV files of --out: `wide` (results.csv and replications.csv) or `long`,
    /// which also writes results-long.csv and replications-long.csv beside them: one
    /// row per variant (× replication) × entity × figure, the axes as path–value pairs.
    #[arg(long, value_name = "wide|long", default_value = "wide", requires = "out",
          value_parser = CsvFormat::parse)]
    pub format: CsvFormat,
    /// Continue an interrupted sweep in --out DIR: finished jobs are not run again.
    #[arg(long, requires = "out")]
    pub resume: bool,
    /// Run only slice I of N of the jobs and write DIR/shard.json for `portsim merge`.
    #[arg(long, value_name = "I/N", requires = "out", allow_hyphen_values = true,
          value_parser = parse_shard)]
    pub shard: Option<Shard>,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    /// Print results.json on stdout instead of the table.
    #[arg(long)]
    pub json: bool,
    /// Check the sweep and list its variants without running them.
    #[arg(long)]
    pub dry_run: bool,
    /// Draw the sweep's figures and report.html into DIR when it completes.
    #[arg(long, value_name = "DIR")]
    pub plots: Option<PathBuf>,
    /// Let --out and --plots replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
    /// Exit 1 (after writing every result) when any variant is flagged unstable: an
    /// overloaded pool, shipments left unreleased or turned away. Not with --shard: a
    /// variant is judged on all its replications, in `merge`'s results.
    #[arg(long, conflicts_with = "shard")]
    pub fail_on_unstable: bool,
}

fn parse_shard(text: &str) -> Result<Shard, String> {
    text.parse()
}

/// Runs the sweep (or, with `--dry-run`, lists its plan).
pub fn sweep(args: SweepArgs) -> Result<(), Failure> {
    let format = Format::from_json_flag(args.json);
    let request = SweepRequest {
        file: args.sweep,
        sim: args.sim.settings(),
        out: args.out,
        resume: args.resume,
        shard: args.shard,
        precision: args.precision.rule(),
        plots: args.plots,
        force: args.force,
        csv_format: args.format,
    };
    if args.dry_run {
        return print_doc(&plan(&request, &Terminal::new())?, format);
    }
    let terminal = Terminal::with_progress(args.sim.quiet, "jobs").catching_ctrl_c()?;
    let outcome = run_sweep(&request, &terminal)?;
    match (&outcome.shard_file, &outcome.summaries, &outcome.document) {
        (Some(file), _, _) => {
            let shard = request.shard.map(|s| s.to_string()).unwrap_or_default();
            let doc = ShardRun {
                sweep: &outcome.meta.name,
                shard,
                jobs: outcome.progress.0,
                shard_file: file,
            };
            print_doc(&doc, format)?;
        }
        (None, Some(summaries), Some(document)) => {
            let doc = Sweep {
                meta: &outcome.meta,
                summaries,
                document,
                effects: outcome.effects.as_ref(),
            };
            print_doc(&doc, format)?;
            eprintln!(
                "{} variants, {} jobs in {:.1} s{}",
                outcome.meta.variants.len(),
                outcome.progress.0,
                outcome.wall_seconds,
                request
                    .out
                    .as_ref()
                    .map(|d| format!("; results in {}", d.display()))
                    .unwrap_or_default()
            );
            if args.fail_on_unstable {
                fail_on_unstable(&outcome.unstable_parts())?;
            }
        }
        _ => {}
    }
    outcome.verdict(request.out.as_deref())?;
    Ok(())
}
