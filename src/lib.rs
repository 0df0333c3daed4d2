//! portsim: a discrete-event simulator of customs clearance throughput at a city's ports.
//!
//! Layers, bottom up: [`engine`] (generic event calendar, clock and random streams),
//! [`calendar`] (civil dates, shifts, rosters), [`results`] (what a replication produced,
//! as plain data), [`model`] (modes, stages, pools and the flow of shipments), [`stats`] (streaming statistics), [`scenario`] (the TOML format),
//! [`experiment`] (replications in parallel and their summary), [`report`] (JSON, CSV,
//! tables, traces), [`plot`] (PNG and SVG charts from plain data, no simulator types),
//! [`files`] (the write layer under every output file: whole files, regular files only).
//! [`api`] is the front door over them all: each command as a function of a typed
//! request, no printing, errors as values. The `portsim` binary is a thin CLI over it.
#![warn(missing_docs)]

pub mod api;
pub mod calendar;
pub mod check;
pub mod engine;
pub mod experiment;
pub mod files;
pub mod model;
pub mod plot;
pub mod report;
pub mod results;
pub mod roster;
pub mod scenario;
pub mod stats;
pub mod theory;

/// This crate's version, as the summary documents carry it (`portsim_version`).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
