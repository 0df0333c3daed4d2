//! Integration tests: one binary, a file per behaviour.

mod support;

mod api;
mod bad_input;
mod calendar_semantics;
mod check;
mod classes_and_modes;
mod compare;
mod determinism;
mod documents;
mod domain;
mod exports;
mod factorial;
mod fast_track_stages;
mod flags;
mod flagship;
mod layers;
mod limits;
mod littles_law;
mod located;
mod metrics;
mod outputs;
mod overload;
mod plots;
mod props;
mod queueing_theory;
mod regimes;
mod robustness;
mod run_cli;
mod schema;
mod sensitivity;
mod series;
mod staff;
mod sweep;
mod warmup;
