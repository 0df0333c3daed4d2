//! Shards: a shard directory's `shard.json` (a slice of a sweep's jobs, run on one
//! machine), and merging those files back into the whole. Which jobs a slice takes is
//! [`Shard`]'s (`shard_slice.rs`).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::jobs::{Job, JobRecord};
pub use super::shard_slice::Shard;
use super::sweep::SweepMeta;
use crate::model::ReplicationResult;

/// Schema name of a shard file.
pub const SHARD_SCHEMA: &str = "portsim.shard/1";

/// The file a shard directory holds.
pub const SHARD_FILE: &str = "shard.json";

/// A shard directory's `shard.json`.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct ShardFile {
    /// Always [`SHARD_SCHEMA`].
    pub schema: String,
    /// Version of portsim that ran it.
    pub portsim_version: String,
    /// Which slice: [I, N].
    pub shard: [u32; 2],
    /// The whole sweep (its hash identifies it).
    pub sweep: SweepMeta,
    /// This slice's finished jobs, in job order.
    pub jobs: Vec<JobRecord>,
}

impl ShardFile {
    /// The shard file of `shard`'s jobs in `done`.
    pub fn new(shard: Shard, sweep: &SweepMeta, done: &BTreeMap<Job, ReplicationResult>) -> Self {
        let jobs = sweep
            .all_jobs()
            .into_iter()
            .enumerate()
            .filter(|(ordinal, _)| shard.takes(*ordinal))
            .filter_map(|(_, job)| {
                done.get(&job).map(|r| JobRecord {
                    job,
                    result: r.clone(),
                })
            })
            .collect();
        ShardFile {
            schema: SHARD_SCHEMA.to_string(),
            portsim_version: env!("CARGO_PKG_VERSION").to_string(),
            shard: [shard.index, shard.count],
            sweep: sweep.clone(),
            jobs,
        }
    }
}

/// Combines shard files (each named by where it came from) into the whole sweep's
/// results. Refuses foreign shards (another sweep), duplicates, missing shards and
/// shards missing jobs, with a message naming the shard.
pub fn merge(
    shards: Vec<(String, ShardFile)>,
) -> Result<(SweepMeta, BTreeMap<Job, ReplicationResult>), String> {
    let Some((first_name, first)) = shards.first() else {
        return Err("expected at least one shard directory".into());
    };
    let meta = first.sweep.clone();
    let count = first.shard[1];
    let mut seen: BTreeMap<u32, &str> = BTreeMap::new();
    for (name, s) in &shards {
        if s.schema != SHARD_SCHEMA {
            return Err(format!(
                "{name}: expected a {SHARD_SCHEMA} file, got schema \"{}\"",
                s.schema
            ));
        }
        if s.sweep.sweep_sha256 != meta.sweep_sha256 || s.sweep.identity() != s.sweep.sweep_sha256 {
            return Err(format!(
                "{name}: a shard of another sweep (sweep {}…, while {first_name} is of sweep {}…)",
                short(&s.sweep.sweep_sha256),
                short(&meta.sweep_sha256)
            ));
        }
        if s.sweep != meta {
            return Err(format!(
                "{name}: the sweep's description differs from {first_name}'s (same hash; different portsim versions?)"
            ));
        }
        let [index, n] = s.shard;
        if n != count || index == 0 || index > n {
            return Err(format!(
                "{name}: shard {index}/{n} does not belong with {first_name}'s shards of {count}"
            ));
        }
        if let Some(other) = seen.insert(index, name) {
            return Err(format!(
                "{name}: shard {index}/{count} is given twice (also {other})"
            ));
        }
    }
    let missing: Vec<String> = (1..=count)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{count}"))
        .collect();
    if !missing.is_empty() {
        return Err(format!(
            "shard{} {} missing: give every shard of the sweep",
            if missing.len() == 1 { " is" } else { "s are" },
            missing.join(", ")
        ));
    }
    // A shard file's replications are taken from the file: bound the job list before
    // building it.
    meta.job_count(None)
        .map_err(|m| format!("{first_name}: {m}"))?;
    let mut done = BTreeMap::new();
    let all = meta.all_jobs();
    for (name, s) in shards {
        let shard = Shard {
            index: s.shard[0],
            count,
        };
        let expected: Vec<Job> = all
            .iter()
            .enumerate()
            .filter(|(o, _)| shard.takes(*o))
            .map(|(_, j)| *j)
            .collect();
        let got: Vec<Job> = s.jobs.iter().map(|r| r.job).collect();
        if got != expected {
            let lacking = expected.iter().filter(|j| !got.contains(j)).count();
            return Err(format!(
                "{name}: shard {shard} is incomplete or altered: {} of its {} jobs present{}",
                got.len(),
                expected.len(),
                if lacking > 0 {
                    " (resume it with --resume before merging)"
                } else {
                    ""
                }
            ));
        }
        for r in s.jobs {
            done.insert(r.job, r.result);
        }
    }
    Ok((meta, done))
}

fn short(sha: &str) -> &str {
    &sha[..sha.len().min(12)]
}
