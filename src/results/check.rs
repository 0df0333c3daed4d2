//! The `portsim.check/1` document: a regression check — per scenario, every compared
//! figure with its test and verdict — read back as its types.

use serde::{Deserialize, Serialize};

use super::nan::nan_if_null;

/// Schema name of the check document (`portsim check --json`).
pub const CHECK_SCHEMA: &str = "portsim.check/1";

/// How results are compared with the baseline.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Method {
    /// Byte-identical results apart from timing: for one platform.
    Exact,
    /// Means by t-tests with Holm's correction over the whole check — paired by
    /// replication when the baseline ran with the same seed and replications (they share
    /// random numbers), Welch's otherwise — and quantiles also beyond a tolerance: robust
    /// to floating-point differences between platforms.
    Statistical,
}

/// How one figure was judged.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Test {
    /// Paired t-test of the replications' differences (current − baseline, replication by
    /// replication: same seed and replications, so they share random numbers), against
    /// Holm's threshold. A mean moves only if its change is also more than 1e-6 of the
    /// baseline (rounding between platforms is not a regression); for a quantile (tested
    /// on each replication's own quantile) the pooled values must differ by more than the
    /// tolerance.
    Paired {
        /// Two-sided p-value.
        #[serde(deserialize_with = "nan_if_null")]
        p_value: f64,
        /// Holm's level for this p-value.
        #[serde(deserialize_with = "nan_if_null")]
        threshold: f64,
        /// The relative tolerance a quantile must exceed as well.
        #[serde(skip_serializing_if = "Option::is_none")]
        tolerance: Option<f64>,
    },
    /// Welch's t-test of the replications' values, taken as independent (the seed or
    /// replications differ from the baseline's), against Holm's threshold; for a
    /// quantile (tested on each replication's own quantile) the pooled values must also
    /// differ by more than the tolerance.
    Welch {
        /// Two-sided p-value.
        #[serde(deserialize_with = "nan_if_null")]
        p_value: f64,
        /// Holm's level for this p-value.
        #[serde(deserialize_with = "nan_if_null")]
        threshold: f64,
        /// The relative tolerance a quantile must exceed as well.
        #[serde(skip_serializing_if = "Option::is_none")]
        tolerance: Option<f64>,
    },
    /// Relative difference against the tolerance, where no t-test can be made.
    Tolerance {
        /// The tolerance.
        #[serde(deserialize_with = "nan_if_null")]
        tolerance: f64,
        /// Why no t-test was made (too few replications or pairs, values beyond any
        /// mean).
        reason: String,
    },
    /// Every value bit for bit.
    Identical,
    /// The figure exists on one side only.
    Missing {
        /// "baseline" or "current": where it is missing.
        side: String,
    },
}

/// One compared figure.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Row {
    /// Its path in the summary, e.g. `overall.clearance_hours.mean`.
    pub metric: String,
    /// The baseline's value (mean of replications, or pooled).
    pub baseline: Option<f64>,
    /// This run's value.
    pub current: Option<f64>,
    /// `current − baseline`.
    pub change: Option<f64>,
    /// `change / |baseline|`.
    pub relative: Option<f64>,
    /// How it was judged.
    pub test: Test,
    /// Whether it moved: a regression.
    pub moved: bool,
    /// Whether the change is large enough to matter (quantiles: beyond the tolerance);
    /// a significant change moves the figure only if it is. Not in the document: false
    /// when read back.
    #[serde(skip)]
    pub material: bool,
}

impl Row {
    /// Whether the value differs at all.
    pub fn differs(&self) -> bool {
        self.moved || self.baseline.map(f64::to_bits) != self.current.map(f64::to_bits)
    }
}

/// One scenario's check.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScenarioCheck {
    /// The scenario file, as the baseline names it.
    pub file: String,
    /// The scenario's name.
    pub scenario: String,
    /// Whether the scenario file changed since the baseline.
    pub file_changed: bool,
    /// What the reader should know: a changed file, seed, replications or version.
    pub notes: Vec<String>,
    /// Every compared figure, in the baseline's order (new figures last).
    pub rows: Vec<Row>,
}

impl ScenarioCheck {
    /// The figures that moved.
    pub fn moved(&self) -> impl Iterator<Item = &Row> {
        self.rows.iter().filter(|r| r.moved)
    }
}

/// The whole check (`portsim.check/1`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CheckReport {
    /// Always [`CHECK_SCHEMA`].
    pub schema: String,
    /// The comparison used.
    pub method: Method,
    /// Family-wise level of the t-tests.
    #[serde(deserialize_with = "nan_if_null")]
    pub alpha: f64,
    /// Relative tolerance of quantiles.
    #[serde(deserialize_with = "nan_if_null")]
    pub tolerance: f64,
    /// Whether nothing moved.
    pub passed: bool,
    /// Per scenario.
    pub scenarios: Vec<ScenarioCheck>,
}

impl CheckReport {
    /// Figures compared, over all scenarios.
    pub fn compared(&self) -> usize {
        self.scenarios.iter().map(|s| s.rows.len()).sum()
    }

    /// Figures that moved, over all scenarios.
    pub fn moved(&self) -> usize {
        self.scenarios.iter().map(|s| s.moved().count()).sum()
    }

    /// Pretty-printed JSON with a trailing newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a check report serialises");
        s.push('\n');
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tests_read_back_by_kind_old_and_new() {
        // As documents written before paired tests existed carry them.
        let welch: Test =
            serde_json::from_str(r#"{"kind":"welch","p_value":0.25,"threshold":0.05}"#).unwrap();
        assert_eq!(
            welch,
            Test::Welch {
                p_value: 0.25,
                threshold: 0.05,
                tolerance: None
            }
        );
        let paired = Test::Paired {
            p_value: 0.001,
            threshold: 0.0042,
            tolerance: Some(0.05),
        };
        let text = serde_json::to_string(&paired).unwrap();
        assert_eq!(
            text,
            r#"{"kind":"paired","p_value":0.001,"threshold":0.0042,"tolerance":0.05}"#
        );
        assert_eq!(serde_json::from_str::<Test>(&text).unwrap(), paired);
    }
}
