//! The one way a model is simulated and summarised: its replications (a fixed number, or
//! rounds until a precision is met) on a pool of threads, then their summary.

use std::time::Instant;

use super::layout::Layout;
use super::precision::{Precision, run_to_precision};
use super::replications::{RunOptions, SummarizedRun, run_replications};
use super::summary::{PrecisionReport, summarize};
use crate::model::Model;

/// Runs `model`'s replications — `model.replications` of them, or with `precision`
/// batches until its rule is met — and summarises them; the summary is timed from the
/// start and, with a precision rule, says whether it was met.
pub fn simulate(
    model: &Model,
    scenario_sha256: &str,
    precision: Option<&Precision>,
    options: RunOptions<'_>,
) -> Result<SummarizedRun, rayon::ThreadPoolBuildError> {
    let started = Instant::now();
    let (results, status) = match precision {
        Some(rule) => run_to_precision(model, rule, options).map(|(r, s)| (r, Some((rule, s))))?,
        None => (run_replications(model, options)?, None),
    };
    let layout = Layout::of(model);
    let mut summary = summarize(
        &layout,
        scenario_sha256,
        &results,
        started.elapsed().as_secs_f64(),
    );
    summary.precision = status.map(|(rule, status)| PrecisionReport {
        target: rule.relative,
        achieved: status.achieved,
        met: status.met,
        replications: status.replications,
        max_replications: rule.max_replications,
    });
    Ok(SummarizedRun {
        results,
        layout,
        summary,
    })
}
