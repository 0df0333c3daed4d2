//! Regression checks: compare a run with a stored baseline and say whether its results
//! moved — `exact` (byte-identical, one platform) or `statistical` (differences in means
//! beyond chance, Holm-corrected; quantiles within a tolerance).
//!
//! A run gives [`measures`]; with the summary they make an [`Entry`] of a [`Baseline`];
//! [`check`] compares entries and returns a [`CheckReport`], which `report::check` prints
//! as a table, JSON or JUnit XML.

pub mod baseline;
pub mod measures;
pub mod verdict;

pub use baseline::{BASELINE_SCHEMA, Baseline, Entry, ReadError, entry_key, summary_hash};
pub use measures::{Measure, measures};
pub use verdict::{CHECK_SCHEMA, CheckReport, Method, Row, ScenarioCheck, Settings, Test, check};
