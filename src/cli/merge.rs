//! `portsim merge`: combine the shard directories of a sweep into its results, byte-
//! identical to the unsharded sweep's.

use std::path::PathBuf;

use clap::Args;

use portsim::api::merge::merge as merge_shards;
use portsim::report::sweep::sweep_table;

use super::{Failure, print_out};

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

/// Reads every shard, checks they make one whole sweep, and writes its results.
pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let merged = merge_shards(&args.shards, &args.out, args.force)?;
    let text = sweep_table(&merged.meta, &merged.summaries);
    print_out(&mut std::io::stdout().lock(), text.trim_end())?;
    eprintln!(
        "merged {} shards: {} jobs; results in {}",
        args.shards.len(),
        merged.state.done.len(),
        args.out.display()
    );
    Ok(())
}
