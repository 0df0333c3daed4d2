//! Precision-driven replications: add replications in fixed batches until the 95 % CI
//! of the mean clearance time is as narrow as asked.
//!
//! The rule looks only at complete batches of results, which do not depend on how many
//! threads ran them, so the number of replications it settles on does not either.

use std::borrow::Borrow;

use serde::Serialize;

use super::layout::Layout;
use super::replications::{RunOptions, run_replication_range};
use crate::model::{Model, ReplicationResult};
use crate::stats::{Tally, mean_ci95};

/// When to stop adding replications.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Precision {
    /// Target half-width of the 95 % CI over the mean (0.01 for 1 %).
    pub relative: f64,
    /// Never run more replications than this.
    pub max_replications: u32,
    /// Replications added per round.
    pub batch: u32,
}

/// Where the rule stands after some replications.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
pub struct PrecisionStatus {
    /// Replications looked at.
    pub replications: u32,
    /// Half-width of the 95 % CI of the headline mean over the mean; `None` with fewer
    /// than two replications or no released shipments.
    pub achieved: Option<f64>,
    /// Whether the target is met.
    pub met: bool,
}

/// Parses a share such as `1%` or `0.01` given to `flag`: strictly between 0 and 1.
pub fn parse_share(flag: &str, text: &str) -> Result<f64, String> {
    let t = text.trim();
    let value = match t.strip_suffix('%') {
        Some(p) => p.trim().parse::<f64>().map(|x| x / 100.0),
        None => t.parse::<f64>(),
    }
    .map_err(|_| format!("{flag} expects a share such as 1% or 0.01, got \"{text}\""))?;
    if value.is_finite() && value > 0.0 && value < 1.0 {
        Ok(value)
    } else {
        Err(format!(
            "{flag} expects a share between 0 and 100 % (exclusive), got \"{text}\""
        ))
    }
}

impl Precision {
    /// Parses a target such as `1%` or `0.01`.
    pub fn parse_relative(text: &str) -> Result<f64, String> {
        parse_share("--precision", text)
    }

    /// How the results so far stand against the target.
    pub fn status<R: Borrow<ReplicationResult>>(
        &self,
        layout: &Layout,
        results: &[R],
    ) -> PrecisionStatus {
        let means: Vec<f64> = results
            .iter()
            .map(|r| {
                let r: &ReplicationResult = r.borrow();
                let mut t = Tally::default();
                for (m, mode) in r.modes.iter().zip(&layout.modes) {
                    if mode.headline {
                        t.merge(&m.clearance);
                    }
                }
                t.mean()
            })
            .collect();
        let ci = mean_ci95(&means);
        let achieved = ci
            .half_width()
            .filter(|_| ci.mean.is_finite() && ci.mean > 0.0)
            .map(|h| h / ci.mean);
        PrecisionStatus {
            replications: results.len() as u32,
            achieved,
            met: achieved.is_some_and(|a| a <= self.relative),
        }
    }

    /// The replication count to reach next, or `None` when done (target met, or the
    /// maximum reached).
    pub fn next_target(&self, status: &PrecisionStatus) -> Option<u32> {
        if status.met || status.replications >= self.max_replications {
            None
        } else {
            Some(
                status
                    .replications
                    .saturating_add(self.batch.max(1))
                    .min(self.max_replications),
            )
        }
    }
}

/// Runs `model`'s replications (its `replications` first, then batches) until
/// `precision` is met or its maximum reached; returns the results in replication order
/// and the rule's final verdict. The trace, if any, sees replication 0.
pub fn run_to_precision(
    model: &Model,
    precision: &Precision,
    options: RunOptions<'_>,
) -> Result<(Vec<ReplicationResult>, PrecisionStatus), rayon::ThreadPoolBuildError> {
    let layout = Layout::of(model);
    let jobs = options.jobs;
    let progress = options.progress;
    let first = model.replications.min(precision.max_replications);
    let mut results = run_replication_range(model, 0..first, options)?;
    loop {
        let status = precision.status(&layout, &results);
        let Some(target) = precision.next_target(&status) else {
            return Ok((results, status));
        };
        let have = results.len() as u32;
        results.extend(run_replication_range(
            model,
            have..target,
            RunOptions {
                jobs,
                trace: None,
                progress,
            },
        )?);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_parse_as_percent_or_share() {
        assert_eq!(Precision::parse_relative("1%"), Ok(0.01));
        assert_eq!(Precision::parse_relative("0.5 %"), Ok(0.005));
        assert_eq!(Precision::parse_relative("0.02"), Ok(0.02));
        for bad in ["", "x", "0%", "-1%", "100%", "nan"] {
            assert!(Precision::parse_relative(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn batches_stop_at_the_target_or_the_maximum() {
        let p = Precision {
            relative: 0.01,
            max_replications: 12,
            batch: 5,
        };
        let at = |replications, achieved: Option<f64>| PrecisionStatus {
            replications,
            achieved,
            met: achieved.is_some_and(|a| a <= 0.01),
        };
        assert_eq!(p.next_target(&at(5, Some(0.03))), Some(10));
        assert_eq!(p.next_target(&at(10, Some(0.02))), Some(12));
        assert_eq!(p.next_target(&at(12, Some(0.02))), None);
        assert_eq!(p.next_target(&at(10, Some(0.009))), None);
        assert_eq!(p.next_target(&at(1, None)), Some(6));
    }
}
