//! Experiments: replications of a model run in parallel, and their summary.
//!
//! Replication r depends only on (seed, r): results are collected in replication order
//! and reduced sequentially, so the summary is byte-identical for any thread count.

pub mod layout;
pub mod replications;
pub mod summary;

pub use layout::{Layout, ModeLayout};
pub use replications::{RunOptions, run_replications};
pub use summary::{
    ClearanceBlock, FlowSummary, GroupSummary, MeanBlock, PoolSummary, StageSummary, Summary,
    summarize,
};
