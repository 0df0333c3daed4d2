//! Merging a sweep's shards: every shard directory read and checked to make one whole
//! sweep, whose results are written byte-identical to the unsharded sweep's.

use std::path::{Path, PathBuf};

use super::error::Error;
use super::outputs::claim;
use super::sweep::{result_files, write_sweep_files};
use crate::experiment::Summary;
use crate::experiment::shard::{SHARD_FILE, ShardFile, merge as merge_shards};
use crate::experiment::sweep::{SweepMeta, SweepState};
use crate::report::long_csv::CsvFormat;
use crate::report::out_dir::Outputs;
use crate::report::sweep::variant_summaries;

/// The merged sweep.
pub struct MergeOutcome {
    /// What the results are about.
    pub meta: SweepMeta,
    /// Every job's result.
    pub state: SweepState,
    /// Each variant's summary.
    pub summaries: Vec<Option<Summary>>,
}

/// Reads one shard directory's shard file.
fn read_shard(dir: &Path) -> Result<ShardFile, Error> {
    let path = dir.join(SHARD_FILE);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::bad_input(format!(
            "{}: cannot read {SHARD_FILE} ({e}); is it a shard directory, and did its shard finish?",
            dir.display()
        ))
    })?;
    serde_json::from_str(&text).map_err(|e| {
        Error::bad_input(format!(
            "{}:{}: not a shard file: {e}",
            path.display(),
            e.line()
        ))
    })
}

/// Merges the shard directories `shards` into `out` (claimed first; `force` lets it
/// replace files portsim did not write there), writing the CSV files in `format` as
/// the unsharded sweep would.
pub fn merge(
    shards: &[PathBuf],
    out: &Path,
    force: bool,
    format: CsvFormat,
) -> Result<MergeOutcome, Error> {
    let names = result_files(format);
    let names: Vec<&str> = names.iter().map(String::as_str).collect();
    let dir = claim(out, Outputs::Named(&names), force)?;
    let files = shards
        .iter()
        .map(|d| Ok((d.display().to_string(), read_shard(d)?)))
        .collect::<Result<Vec<_>, Error>>()?;
    let (meta, done) = merge_shards(files).map_err(Error::bad_input)?;
    let state = SweepState::finished(&meta, done);
    let cannot = |e: std::io::Error| {
        Error::internal(format!("{}: cannot write results: {e}", out.display()))
    };
    let stage = dir.stage().map_err(cannot)?;
    let summaries = variant_summaries(&meta, &state);
    write_sweep_files(stage.path(), &meta, &state, &summaries, format).map_err(cannot)?;
    dir.commit(stage, &[]).map_err(cannot)?;
    Ok(MergeOutcome {
        meta,
        state,
        summaries,
    })
}
