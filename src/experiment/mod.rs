//! Experiments: replications of a model run in parallel, and their summary; an
//! automatic warm-up settled from a pilot run before them.
//!
//! Replication r depends only on (seed, r): results are collected in replication order
//! and reduced sequentially, so the summary is byte-identical for any thread count.

pub mod backlog;
pub mod compare;
pub mod factorial;
pub mod iterative_staffing;
pub mod jobs;
pub mod journal;
pub mod layout;
pub mod precision;
pub mod replications;
pub mod roster_design;
pub mod sensitivity;
pub mod shard;
pub mod shard_slice;
pub mod simulate;
pub mod staffing;
pub mod summary;
pub mod sweep;
pub mod warmup;

pub use compare::{
    Arm, COMPARE_SCHEMA, CompareError, Comparison, Contrast, FlowComparison, Interval, Pairing,
    PairingGain, compare, independent_seed,
};
pub use layout::{Layout, ModeLayout};
pub use replications::{RunOptions, SummarizedRun, run_replications};
pub use simulate::simulate;
pub use summary::{
    ClearanceBlock, FlowSummary, GroupSummary, MeanBlock, PoolSummary, PrecisionReport,
    StageSummary, Summary, summarize,
};
pub use warmup::settle;
