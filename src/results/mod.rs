//! Typed results: what a replication produced ([`replication`]) and its time series
//! ([`series`]) — plain data that the model fills in and experiments reduce, readable back
//! from every document that stores them — the table of metrics the outputs show of them
//! ([`metrics`]), and the documents portsim writes, each readable back as its type: a
//! comparison ([`compare`]), a staffing search ([`staff`]), a regression check
//! ([`check`]), a sweep's results ([`sweep`]), its plan ([`sweep_plan`]) and a shard's
//! note ([`shard_run`]), a sensitivity analysis ([`sensitivity`]), a designed roster
//! ([`roster`]).

pub mod check;
pub mod compare;
pub mod cost;
pub mod metrics;
pub mod nan;
pub mod replication;
pub mod roster;
pub mod sensitivity;
pub mod series;
pub mod shard_run;
pub mod staff;
pub mod sweep;
pub mod sweep_plan;

pub use cost::{Cost, CostWeights, OfficerHours};
pub use replication::{
    GroupTally, ModeResult, PoolResult, ReplicationResult, StageTally, offered_load,
};
