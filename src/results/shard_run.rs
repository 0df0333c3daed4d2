//! The `portsim.shard-run/1` document: what a finished `sweep --shard I/N --json` prints
//! for a job script; the results themselves are in the shard file, for merge.

use serde::{Deserialize, Serialize};

/// Schema name of the shard-run note.
pub const SHARD_RUN_SCHEMA: &str = "portsim.shard-run/1";

/// The `portsim.shard-run/1` document.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ShardRun {
    /// Always [`SHARD_RUN_SCHEMA`].
    pub schema: String,
    /// The sweep's name.
    pub sweep: String,
    /// Which slice ran: `I/N`.
    pub shard: String,
    /// Jobs this shard ran.
    pub jobs: usize,
    /// Where its results are, for `portsim merge`.
    pub shard_file: String,
}

impl ShardRun {
    /// Pretty-printed JSON, without a trailing newline.
    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("the note serialises")
    }
}
