//! The library's front door: every command of `portsim` as a function of a typed
//! request, for the command line, a Python package or a new command to call.
//!
//! Each function loads its inputs (with overrides), checks every destination before any
//! work, settles warm-ups, runs the replications (fixed, precision rounds, or a sweep's
//! jobs with resume), summarises, and writes the files asked for. It never prints and
//! never exits: warnings, notes, progress and stop requests go through an
//! [`Observer`]; failures are [`Error`] values whose [`ErrorKind`] a caller maps to an
//! exit code or an exception. What a command prints is the caller's choice
//! ([`crate::report::export`]).

pub mod check;
pub mod compare;
pub mod error;
pub mod merge;
pub mod observer;
pub mod outputs;
pub mod roster;
pub mod run;
pub mod scenarios;
pub mod sensitivity;
pub mod staff;
pub mod sweep;
pub mod unstable;

pub use error::{Error, ErrorKind};
pub use observer::{Collect, Observer, Silent};
pub use scenarios::SimSettings;
