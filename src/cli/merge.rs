//! `portsim merge`: combine the shard directories of a sweep into its results, byte-
//! identical to the unsharded sweep's.

use std::path::PathBuf;

use clap::Args;

use portsim::api::merge::merge as merge_shards;
use portsim::report::long_csv::CsvFormat;
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
    /// The CSV files of --out: `wide` (results.csv and replications.csv) or `long`,
    /// which also writes results-long.csv and replications-long.csv beside them, as
    /// `portsim sweep --format long` does.
    #[arg(long, value_name = "wide|long", default_value = "wide", value_parser = CsvFormat::parse)]
    pub format: CsvFormat,
    /// Let --out replace files that portsim did not write there.
    #[arg(long)]
    pub force: bool,
}

/// Reads every shard, checks they make one whole sweep, and writes its results.
pub fn merge(args: MergeArgs) -> Result<(), Failure> {
    let merged = merge_shards(&args.shards, &args.out, args.force, args.format)?;
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
