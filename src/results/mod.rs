//! Typed results: what a replication produced ([`replication`]) and its time series
//! ([`series`]) — plain data that the model fills in and experiments reduce, readable back
//! from every document that stores them — and the table of metrics the outputs show of
//! them ([`metrics`]).

pub mod metrics;
pub mod replication;
pub mod series;

pub use replication::{GroupTally, ModeResult, PoolResult, ReplicationResult, StageTally};
