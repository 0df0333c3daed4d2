//! Integration tests: one binary, a file per behaviour.

mod support;

mod bad_input;
mod calendar_semantics;
mod check;
mod classes_and_modes;
mod compare;
mod determinism;
mod domain;
mod flagship;
mod limits;
mod littles_law;
mod located;
mod plots;
mod props;
mod queueing_theory;
mod robustness;
mod run_cli;
mod schema;
mod series;
mod staff;
mod sweep;
mod warmup;
