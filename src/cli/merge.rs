//! `portsim merge`: combine the shard directories of a sweep into its results, byte-
//! identical to the unsharded sweep's.

use std::path::PathBuf;

use clap::Args;

use portsim::experiment::shard::{SHARD_FILE, ShardFile, merge as merge_shards};
use portsim::experiment::sweep::SweepState;
use portsim::report::out_dir::{OutDir, Outputs};
use portsim::report::sweep::{sweep_table, variant_summaries, write_sweep};

use super::{Failure, bad_input, internal, print_out};

/// Flags of `portsim merge`.
#[derive(Args)]
pub struct MergeArgs {
    /// Shard directories written by `portsim sweep --shard I/N --out DIR`.
    #[arg(required = true)]
    pub shards: Vec<PathBuf>,
    /// Where to write results.csv, replications.csv and results.json.
    #[arg(long, value_name = "DIR", required = true)]
    pub out: PathBuf,
    /// Let --out replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
}

/// The files `merge` writes.
const MERGE_OUTPUTS: [&str; 3] = ["results.csv", "replications.csv", "results.json"];

/// Reads every shard, checks they make one whole sweep, and writes its results.
pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let out =
        OutDir::claim(&args.out, Outputs::Named(&MERGE_OUTPUTS), args.force).map_err(bad_input)?;
    let mut shards = Vec::with_capacity(args.shards.len());
    for dir in &args.shards {
        let path = dir.join(SHARD_FILE);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            bad_input(format!(
                "{}: cannot read {SHARD_FILE} ({e}); is it a shard directory, and did its shard finish?",
                dir.display()
            ))
        })?;
        let file: ShardFile = serde_json::from_str(&text).map_err(|e| {
            bad_input(format!(
                "{}:{}: not a shard file: {e}",
                path.display(),
                e.line()
            ))
        })?;
        shards.push((dir.display().to_string(), file));
    }
    let (meta, done) = merge_shards(shards).map_err(bad_input)?;
    let state = SweepState::finished(&meta, done);
    let cannot =
        |e: std::io::Error| internal(format!("{}: cannot write results: {e}", args.out.display()));
    let stage = out.stage().map_err(cannot)?;
    write_sweep(stage.path(), &meta, &state).map_err(cannot)?;
    out.commit(stage, &[]).map_err(cannot)?;
    let summaries = variant_summaries(&meta, &state);
    let mut stdout = std::io::stdout().lock();
    print_out(&mut stdout, sweep_table(&meta, &summaries).trim_end())?;
    eprintln!(
        "merged {} shards: {} jobs; results in {}",
        args.shards.len(),
        state.done.len(),
        args.out.display()
    );
    Ok(())
}
