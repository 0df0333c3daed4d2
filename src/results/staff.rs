//! The `portsim.staff/1` document: a staffing search — what was varied over which range,
//! the targets, every candidate run with its figures, and the answer — read back as its
//! types.

use serde::{Deserialize, Serialize};

use super::nan::nan_if_null;

/// Schema name of the staffing search document.
pub const STAFF_SCHEMA: &str = "portsim.staff/1";

/// A target's figure in one candidate's run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Figure {
    /// The target, as written.
    pub target: String,
    /// The figure, hours: the mean of the replications' means, or the pooled quantile
    /// (NaN, written `null`, when nothing was released).
    #[serde(serialize_with = "finite_or_null", deserialize_with = "nan_if_null")]
    pub estimate: f64,
    /// Its 95 % interval (`null` with one replication).
    pub ci95: Option<[f64; 2]>,
    /// Whether the interval's upper end (the estimate without one) meets the target.
    pub met: bool,
}

pub(crate) fn finite_or_null<S: serde::Serializer>(x: &f64, s: S) -> Result<S::Ok, S::Error> {
    if x.is_finite() {
        s.serialize_f64(*x)
    } else {
        s.serialize_none()
    }
}

/// One candidate value and its run.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// The value every varied path was set to.
    pub value: i64,
    /// The targets' figures.
    pub figures: Vec<Figure>,
    /// Mean clearance of the headline modes, hours (mean of replication means).
    #[serde(serialize_with = "finite_or_null", deserialize_with = "nan_if_null")]
    pub mean_clearance_hours: f64,
    /// Rostered officer-hours in the counting window, summed over pools (general and on
    /// call; mean over replications): what the staffing costs.
    #[serde(deserialize_with = "nan_if_null")]
    pub staff_hours: f64,
    /// Whether a pool was overloaded (offered load at or beyond the capacity that can
    /// take its work, or a backlog still growing at the window's end).
    pub unstable: bool,
    /// The overloaded pools, each with the measures that found it so and from when
    /// (`"release: backlog_growth from 2016-03-07"`); empty when none was.
    pub overloaded: Vec<String>,
    /// Counted arrivals turned away at the `max_in_system` cap, over every mode.
    pub turned_away: u64,
    /// Counted shipments not released by the drain limit, over every mode.
    pub unreleased: u64,
    /// Whether every target is met by a run that is neither overloaded nor capped.
    pub met: bool,
    /// Officer-hours of every pool by kind (regular, on-call, overtime) and in total:
    /// means over replications.
    #[serde(default)]
    pub officer_hours: crate::results::OfficerHours,
    /// Their cost under the scenario's `[cost]` weights; absent without them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost: Option<crate::results::Cost>,
}

/// The outcome of a search.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Search {
    /// The smallest value in the range that met every target, if any did.
    pub answer: Option<i64>,
    /// Every candidate run, by value.
    pub candidates: Vec<Candidate>,
}

impl Search {
    /// Whether every candidate ran alike (the same staff-hours and mean clearance): the
    /// varied value then changes nothing (a roster of another policy, a peak outside the
    /// window). False with fewer than two candidates.
    pub fn all_alike(&self) -> bool {
        self.candidates.len() > 1
            && self.candidates.windows(2).all(|w| {
                w[0].staff_hours == w[1].staff_hours
                    && w[0].mean_clearance_hours.to_bits() == w[1].mean_clearance_hours.to_bits()
            })
    }
}

/// A target as the document states it: `p90<=12h` taken apart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffTarget {
    /// As written.
    pub text: String,
    /// The mode, or `None` for the headline modes together (`overall`).
    pub mode: Option<String>,
    /// The figure: `mean`, `p90`.
    pub metric: String,
    /// `<=` or `<`.
    pub op: String,
    /// The bound, hours.
    #[serde(deserialize_with = "nan_if_null")]
    pub hours: f64,
}

/// The `portsim.staff/1` document (`portsim staff --json`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StaffDocument {
    /// Always [`STAFF_SCHEMA`].
    pub schema: String,
    /// Version of portsim that wrote it.
    pub portsim_version: String,
    /// The scenario file as given.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// The policy whose rosters ran, if any.
    pub policy: Option<String>,
    /// Master seed (the same for every candidate).
    pub seed: u64,
    /// Replications per candidate.
    pub replications: u32,
    /// The warm-up every candidate used, hours.
    #[serde(deserialize_with = "nan_if_null")]
    pub warmup_hours: f64,
    /// The `--set` paths set to each candidate value.
    pub vary: Vec<String>,
    /// The range searched, both ends included.
    pub range: [i64; 2],
    /// The targets.
    pub targets: Vec<StaffTarget>,
    /// How a target is judged, in words.
    pub decision: String,
    /// The smallest value that met every target, if any did.
    pub answer: Option<i64>,
    /// Every candidate run, by value.
    pub candidates: Vec<Candidate>,
}

impl StaffDocument {
    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("the search always serialises");
        s.push('\n');
        s
    }
}
