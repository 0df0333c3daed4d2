//! The `portsim.sensitivity/1` document: one-at-a-time sensitivity of the headline
//! clearance (or of a policy effect) to each varied scenario value, each value's low and
//! high runs paired with the base run, read back as its types.

use serde::{Deserialize, Serialize};

use super::compare::Interval;
use super::nan::nan_if_null;

/// Schema name of the sensitivity document.
pub const SENSITIVITY_SCHEMA: &str = "portsim.sensitivity/1";

/// A figure at one end of a varied value: its estimate and how it moved from the base.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Level {
    /// The figure at this value, hours, with its 95 % interval: the mean over
    /// replications (with two policies, of the effect B − A, paired by replication).
    pub value: Interval,
    /// The figure here minus at the base, hours: the mean of the per-replication
    /// differences from the base run (common random numbers) with its Student-t 95 %
    /// interval.
    pub change: Interval,
}

/// One figure's response to a varied value: at its low and high ends.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Swing {
    /// At the low value.
    pub low: Level,
    /// At the high value.
    pub high: Level,
    /// |high − low| of the figure, hours (NaN, written `null`, when either is undefined).
    #[serde(deserialize_with = "nan_if_null")]
    pub width: f64,
}

/// The figures of a run (the base, or one end of a varied value).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figures {
    /// Mean clearance time, hours (with two policies, the effect B − A on it).
    pub mean: Interval,
    /// The 90th percentile of each replication's clearance times, averaged over
    /// replications, hours (with two policies, the effect B − A on it).
    pub p90: Interval,
}

/// The base run: every scenario value as loaded.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BaseRun {
    /// Its figures.
    #[serde(flatten)]
    pub figures: Figures,
    /// What made it unstable (an overloaded pool, arrivals turned away, shipments left
    /// unreleased), with the policy when two ran; empty when stable.
    pub unstable: Vec<String>,
}

/// One varied path and how the figures responded to it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PathSensitivity {
    /// Position by the width of the mean's swing, 1 the widest.
    pub rank: u32,
    /// The `--set` path varied.
    pub path: String,
    /// What it holds: `integer`, `number`, `duration` or `distribution`.
    pub kind: String,
    /// The unit of `base`, `low` and `high`: `hours` for durations and distributions
    /// (their mean), absent for numbers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Where the low and high values came from: `by` (the base ∓ the share) or `range`
    /// (given with `--range`).
    pub from: String,
    /// The value as loaded (a distribution's mean).
    #[serde(deserialize_with = "nan_if_null")]
    pub base: f64,
    /// The low value.
    #[serde(deserialize_with = "nan_if_null")]
    pub low: f64,
    /// The high value.
    #[serde(deserialize_with = "nan_if_null")]
    pub high: f64,
    /// The low value as the scenario was given it (`2`, `22.5m`, `mean 0.75h`).
    pub low_set: String,
    /// The high value as the scenario was given it.
    pub high_set: String,
    /// The mean clearance time (or the effect on it).
    pub mean: Swing,
    /// The 90th percentile of clearance time (or the effect on it).
    pub p90: Swing,
    /// What made the low run unstable; empty when stable.
    pub unstable_low: Vec<String>,
    /// What made the high run unstable; empty when stable.
    pub unstable_high: Vec<String>,
}

/// The `portsim.sensitivity/1` document (`portsim sensitivity --json`, `sensitivity.json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SensitivityDocument {
    /// Always [`SENSITIVITY_SCHEMA`].
    pub schema: String,
    /// Version of portsim that wrote it.
    pub portsim_version: String,
    /// The scenario file as given.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// The policy whose rosters ran (without `--policies`), if any.
    pub policy: Option<String>,
    /// The two policies A and B whose effect B − A is the figure, if given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policies: Option<[String; 2]>,
    /// Master seed (the same for every run: common random numbers).
    pub seed: u64,
    /// Replications per run.
    pub replications: u32,
    /// The warm-up every run used, hours.
    #[serde(deserialize_with = "nan_if_null")]
    pub warmup_hours: f64,
    /// The relative change of `--by` (0.25 is ∓25 %), for paths without `--range`.
    #[serde(deserialize_with = "nan_if_null")]
    pub by: f64,
    /// What the figures are, in words.
    pub figures: String,
    /// The base run.
    pub base: BaseRun,
    /// The varied paths, widest swing of the mean first.
    pub paths: Vec<PathSensitivity>,
}

impl SensitivityDocument {
    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the document always serialises");
        s.push('\n');
        s
    }
}
